// How an `interactions(path) { format = … }` data set is read: the format the attribute names, or
// with `auto` the one the file's extension says, and the CSV delimiter (a tab for `.tsv`). Shared by
// the checker (which refuses a path whose format cannot be told), the code generator and the
// runtime's reader dispatch. Takes the path and the attribute; gives the format, or null.

export interface InteractionsFormat {
  readonly format: "csv" | "jsonl";
  readonly delimiter: "," | "\t";
}

export function interactionsFormat(path: string, format: string): InteractionsFormat | null {
  const extension = /\.[^./\\]*$/.exec(path)?.[0].toLowerCase() ?? "";
  const delimiter = extension === ".tsv" ? "\t" : ",";
  if (format === "csv" || format === "jsonl") return { format, delimiter };
  if (extension === ".csv" || extension === ".tsv") return { format: "csv", delimiter };
  if (extension === ".jsonl" || extension === ".ndjson" || extension === ".json") return { format: "jsonl", delimiter };
  return null;
}
