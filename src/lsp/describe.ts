// Words for attributes and constructors, from the tables that generate docs/reference.md (the same
// typeText and valueText): Markdown for hover, plain text for a completion item's detail.
import { constructorsOf } from "../compiler/check/signatures/index.js";
import type { Attribute, Signature, TypeSpec } from "../compiler/check/types.js";
import { typeText, valueText } from "../compiler/reference-doc.js";

/** Markdown of the reference's table cells as plain text: no backticks, links or escaped bars. */
export function plain(markdown: string): string {
  return markdown
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/\\\|/g, "|")
    .replace(/`/g, "");
}

/** `integer ≥ 1 = 64`, `dataset (required)`: the type, then the default. */
export function attributeDetail(a: Attribute): string {
  const type = plain(typeText(a.type));
  return a.default === undefined ? `${type} (required)` : `${type} = ${plain(valueText(a.default))}`;
}

/** What an owner is, in words: "sequential model", "adam optimizer", "train". */
export function ownerWords(sig: Signature): string {
  return sig.name === sig.of ? sig.name : `${sig.name} ${sig.of}`;
}

/** An attribute's hover: its name and owner, type, range, default and one-line meaning. */
export function attributeMarkdown(owner: Signature, a: Attribute): string {
  const dflt = a.default === undefined ? "required" : valueText(a.default);
  const positional = a.positional ? " (may be given positionally)" : "";
  return [`**${a.name}** — attribute of \`${ownerWords(owner)}\`${positional}`, "", `type: ${hoverType(a.type)}  `, `default: ${dflt}`, "", a.doc].join("\n");
}

/** The reference's type text, with an option family's link (to a section of reference.md) replaced by its constructors. */
function hoverType(type: TypeSpec): string {
  const option = type.kind === "list" ? type.of : type;
  const text = typeText(type);
  if (option.kind !== "option") return text;
  const names = [...constructorsOf(option.family).keys()].map((n) => `\`${n}\``).join(", ");
  return text.replace(/\[([^\]]+)\]\([^)]*\)/, `${option.family} (${names})`);
}

/** A constructor's hover: what it builds, its meaning and its attributes. */
export function signatureMarkdown(sig: Signature): string {
  const names = sig.attributes.map((a) => `\`${a.name}\``).join(", ");
  return [
    `**${sig.name}** — ${sig.of === sig.name ? "body" : `${sig.of} constructor`}`,
    "",
    sig.doc,
    "",
    names ? `attributes: ${names}` : "no attributes",
  ].join("\n");
}
