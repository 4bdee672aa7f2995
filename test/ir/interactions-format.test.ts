// The one rule for how an `interactions` file is read, as checker, code generator and runtime use it.
import { describe, expect, it } from "vitest";
import { interactionsFormat } from "../../src/ir/interactions-format.js";

describe("interactionsFormat", () => {
  it("tells the format from the extension with format = auto", () => {
    expect(interactionsFormat("data/events.csv", "auto")).toEqual({ format: "csv", delimiter: "," });
    expect(interactionsFormat("data/EVENTS.TSV", "auto")).toEqual({ format: "csv", delimiter: "\t" });
    for (const p of ["a.jsonl", "a.ndjson", "a.json"]) expect(interactionsFormat(p, "auto")).toEqual({ format: "jsonl", delimiter: "," });
  });

  it("cannot tell it from an unknown or missing extension", () => {
    expect(interactionsFormat("events.parquet", "auto")).toBeNull();
    expect(interactionsFormat("events", "auto")).toBeNull();
    expect(interactionsFormat("dir.csv/events", "auto")).toBeNull();
  });

  it("takes an explicit format, still reading a .tsv with tabs", () => {
    expect(interactionsFormat("events.txt", "csv")).toEqual({ format: "csv", delimiter: "," });
    expect(interactionsFormat("events.tsv", "csv")).toEqual({ format: "csv", delimiter: "\t" });
    expect(interactionsFormat("events.txt", "jsonl")).toEqual({ format: "jsonl", delimiter: "," });
  });
});
