// Rendering a RunError: the compiler's diagnostic layout for people (header, --> location, context,
// help), and the LSP-shaped object for --format json with 0-based positions and the context as data.
import { describe, expect, it } from "vitest";
import { DataError } from "../../../src/runtime/data/data-error.js";
import { renderRunError, runErrorToLsp } from "../../../src/runtime/errors/render-run-error.js";
import { RunError } from "../../../src/runtime/errors/run-error.js";

describe("renderRunError", () => {
  it("prints header, location relative to the working folder, context and help", () => {
    const e = new DataError("/home/u/project/data/events.csv", 4, "timestamp must be a number", 12).withContext({
      spec: "/home/u/project/shop.recspec",
      runDir: "/home/u/project/runs/shop/2026-01-01T00-00-00Z",
      block: "seq",
    });
    expect(renderRunError(e, { cwd: "/home/u/project" })).toBe(
      [
        "error[RS6001]: timestamp must be a number",
        "  --> data/events.csv:4:12",
        "   = spec: shop.recspec",
        "   = run: runs/shop/2026-01-01T00-00-00Z",
        "   = at: block `seq`",
        "",
      ].join("\n"),
    );
  });

  it("keeps paths outside the working folder absolute, and shows step, epoch and help", () => {
    const e = new RunError("RS6003", "the loss became non-finite (NaN)", {
      help: "lower `lr`, or set `clip`",
      context: { block: "seq", step: 12, epoch: 2, runDir: "/elsewhere/runs/x" },
    });
    const text = renderRunError(e, { cwd: "/home/u/project" });
    expect(text).toContain("   = run: /elsewhere/runs/x\n");
    expect(text).toContain("   = at: block `seq`, step 12, epoch 2\n");
    expect(text).toContain("   = help: lower `lr`, or set `clip`\n");
    expect(text).not.toContain("-->");
  });

  it("colours only when asked", () => {
    const e = new RunError("RS6007", "unknown backend");
    expect(renderRunError(e)).not.toContain("\u001b[");
    expect(renderRunError(e, { color: true })).toContain("\u001b[1;31merror[RS6007]\u001b[0m");
  });
});

describe("runErrorToLsp", () => {
  it("gives 0-based positions, the code, the help in the message and the context as data", () => {
    const e = new DataError("events.csv", 4, "bad row", 12);
    e.withContext({ spec: "shop.recspec" });
    expect(runErrorToLsp(e)).toEqual({
      uri: "events.csv",
      range: { start: { line: 3, character: 11 }, end: { line: 3, character: 11 } },
      severity: 1,
      code: "RS6001",
      source: "recspec",
      message: "bad row",
      relatedInformation: [],
      data: { title: "bad data", context: { file: "events.csv", line: 4, column: 12, spec: "shop.recspec" } },
    });
  });

  it("points at the spec when no data file is involved", () => {
    const e = new RunError("RS6005", "nothing to evaluate", { help: "train first", context: { spec: "tiny.recspec" } });
    const lsp = runErrorToLsp(e);
    expect(lsp.uri).toBe("tiny.recspec");
    expect(lsp.range.start).toEqual({ line: 0, character: 0 });
    expect(lsp.message).toBe("nothing to evaluate\nhelp: train first");
  });
});
