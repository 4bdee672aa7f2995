// Hover and completion context in process (the stdio tests drive the same code as an editor does;
// these reach the corners quickly): options, slices after `by`, `vary` targets, nested `train`,
// dotted override keys, data-set members, and texts that stop mid-declaration.
import { describe, expect, it } from "vitest";
import { signatureOf } from "../../src/compiler/check/signatures/index.js";
import { parse } from "../../src/compiler/parse.js";
import { completionContext } from "../../src/lsp/completion-context.js";
import { hoverAt } from "../../src/lsp/hover.js";
import { SymbolIndex } from "../../src/lsp/symbol-index.js";

const SPEC = `spec h
dataset beauty = amazon("data/amazon-beauty") {
  history = 20
}
model sasrec = sequential(beauty) {
  encoder = transformer(layers: 2, causal: true)
  train {
    optimizer = adam(lr: 1e-3)
  }
}
model small = sequential(beauty)
distill student = distill(teacher: sasrec, student: small { encoder.layers = 1 })
evaluate sasrec on beauty.test {
  slices = [all, popularity(head: 0.2)]
}
experiment e {
  vary sasrec.embedding in [32, 64]
  report = [recall@10 by cold_start]
}
`;

const index = new SymbolIndex([{ path: "h.recspec", ast: parse(SPEC, "h.recspec").ast }]);
const hover = (needle: string, at = 0) => hoverAt(SPEC, "h.recspec", SPEC.indexOf(needle) + at, index, null, () => SPEC)?.markdown;

describe("hover", () => {
  it("describes options, slices and the nested train body from the tables", () => {
    expect(hover("transformer(")).toContain(signatureOf("encoder", "transformer")!.doc);
    expect(hover("adam(")).toContain(signatureOf("optimizer", "adam")!.doc);
    expect(hover("popularity(head")).toContain(signatureOf("slice", "popularity")!.doc);
    expect(hover("cold_start]")).toContain(signatureOf("slice", "cold_start")!.doc);
    expect(hover("train {")).toContain(signatureOf("train", "train")!.doc);
  });

  it("describes attributes wherever they are written", () => {
    expect(hover("layers: 2")).toMatch(/\*\*layers\*\* — attribute of `transformer encoder`/);
    expect(hover("lr: 1e-3")).toContain("Learning rate.");
    expect(hover("history = 20")).toContain("default: `50`");
    expect(hover("embedding in")).toMatch(/\*\*embedding\*\* — attribute of `sequential model`/);
    expect(hover("layers = 1")).toMatch(/\*\*layers\*\* — attribute of `transformer encoder`/);
    expect(hover("encoder.layers")).toMatch(/\*\*encoder\*\* — attribute of `sequential model`/);
    expect(hover("encoder.layers")).toContain("type: encoder (`transformer`");
    expect(hover("slices =")).toContain("type: list of slice (`all`, ");
    expect(hover("test {")).toContain("the test split");
  });

  it("shows a referenced block's declaration, and nothing for keywords, numbers or unknown words", () => {
    expect(hover("sasrec, student")).toContain("model sasrec = sequential(beauty)");
    expect(hover("beauty.test")).toContain('dataset beauty = amazon("data/amazon-beauty")');
    expect(hover("evaluate")).toBeUndefined();
    expect(hover("20\n")).toBeUndefined();
    expect(hover("true)")).toBeUndefined();
  });
});

describe("completion context", () => {
  const context = (text: string) => completionContext(text, text.length, index).context;

  it("reads the attribute an override key reaches and a vary's element type", () => {
    expect(context(`${SPEC}model x = sequential(beauty) {\n  encoder = `)).toEqual({
      kind: "value",
      type: signatureOf("model", "sequential")!.attributes[2].type,
    });
    expect(context(`${SPEC}experiment f {\n  vary sasrec.loss in [`)).toEqual({ kind: "value", type: { kind: "option", family: "loss" } });
    expect(context(`${SPEC}experiment f {\n  vary sasrec.encoder.`)).toEqual({ kind: "member", path: ["sasrec", "encoder"], key: true });
  });

  it("reads an override's body as the overridden block's attributes", () => {
    const inside = context(`${SPEC}distill d2 = distill(teacher: sasrec, student: small {\n  embedding = 8\n  `);
    expect(inside.kind).toBe("attribute");
    if (inside.kind !== "attribute") return;
    expect(inside.sig).toBe(signatureOf("model", "sequential"));
    expect([...inside.set]).toEqual(["embedding"]);
  });

  it("says nothing after `@`, in a number, or in the middle of a value", () => {
    expect(context(`${SPEC}evaluate sasrec on beauty.test {\n  metrics = [recall@`).kind).toBe("none");
    expect(context(`${SPEC}param x = 1e`).kind).toBe("none");
    expect(context(`${SPEC}model x = sequential(beauty) {\n  loss = softmax sof`).kind).toBe("none");
  });

  it("knows where the word being typed starts", () => {
    const text = `${SPEC}model x = seq`;
    expect(completionContext(text, text.length, index)).toEqual({ context: { kind: "constructor", blockKind: "model" }, wordStart: text.length - 3 });
  });
});
