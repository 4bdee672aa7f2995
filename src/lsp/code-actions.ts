// Quick fixes for "did you mean" diagnostics: an unknown name, attribute, constructor, value or
// metric whose help line suggests a near one becomes an edit that writes the suggestion in its place.
// Takes the diagnostics the client sends back (with their `data`, or their message's help line) and
// the document; gives code actions.
import { CodeActionKind, type CodeAction, type Diagnostic } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";

const DID_YOU_MEAN = /did you mean `([^`]+)`\?/;

export function quickFixes(document: TextDocument, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const d of diagnostics) {
    if (d.source !== "recspec") continue;
    const help = (d.data as { help?: unknown } | undefined)?.help;
    const message = typeof d.message === "string" ? d.message : d.message.value;
    const match = DID_YOU_MEAN.exec(typeof help === "string" ? help : message);
    if (!match) continue;
    // Only a diagnostic that marks a single word is fixed by replacing it.
    const wrong = document.getText(d.range);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(wrong) || wrong === match[1]) continue;
    actions.push({
      title: `Replace \`${wrong}\` with \`${match[1]}\``,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      isPreferred: true,
      edit: { changes: { [document.uri]: [{ range: d.range, newText: match[1] }] } },
    });
  }
  return actions;
}
