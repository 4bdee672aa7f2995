// Escaping for text placed inside an HTML page. Takes strings, values and script source; gives
// versions that cannot end the element they sit in (a `</script` in a note, a spec path or an
// inlined library would otherwise close the script early and spill the rest as markup).

/** Text for element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JSON for a `<script type="application/json">` block. `<` becomes \u003c, which JSON.parse reads
 * back as `<`, so neither `</script` nor `<!--` can occur; NaN and ±Infinity become null as in
 * JSON.stringify. Keys keep insertion order, so the same value always gives the same text.
 */
export function jsonForScript(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(/</g, "\\u003c");
}

/**
 * JavaScript source for an inline `<script>`. `<\/script` means the same as `</script` inside the
 * strings, regular expressions and comments where it can appear in valid code, and `<\!--` the same
 * as `<!--` in strings and comments; both break the sequences the HTML parser reacts to.
 */
export function codeForScript(source: string): string {
  return source.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}
