// The console's tables: a header, a rule of dashes and the rows, columns separated by two spaces and
// as wide as their widest cell. Takes the header and rows (and the first column to right-align, so
// the decimals of numbers line up); gives the lines joined, without a final newline.

export function textTable(header: readonly string[], body: readonly (readonly string[])[], rightAlignedFrom = Infinity): string {
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c].length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, c) => (c < rightAlignedFrom ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}
