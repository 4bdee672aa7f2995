// The report's configuration and protocol tables: IR values written as a spec writes them, one
// collapsible table per block and evaluation, and each evaluation's protocol in words.
import { describe, expect, it } from "vitest";
import { configTables, valueText } from "../../../src/runtime/report/config-table.js";
import { protocolTable } from "../../../src/runtime/report/protocol-table.js";
import { protocolText, resultProtocol } from "../../../src/runtime/eval/protocol.js";

describe("configuration table", () => {
  it("writes IR values as a spec would", () => {
    expect(valueText({ type: "adam", lr: 0.001, beta1: 0.9 })).toBe("adam(lr: 0.001, beta1: 0.9)");
    expect(valueText({ type: "softmax" })).toBe("softmax");
    expect(valueText({ ref: "beauty" })).toBe("beauty");
    expect(
      valueText([
        { metric: "ndcg", k: 10 },
        { metric: "mrr", k: null },
      ]),
    ).toBe("[ndcg@10, mrr]");
    expect(valueText({ metric: "hr", k: 10, by: { type: "popularity", head: 0.2 } })).toBe("hr@10 by popularity(head: 0.2)");
    expect(valueText(null)).toBe("–");
    expect(valueText("data/x")).toBe('"data/x"');
  });

  it("gives one table per block (its train settings as train.…), per evaluation and for the params", () => {
    const html = configTables({
      params: { steps: 100 },
      blocks: [{ name: "seq", kind: "model", type: "sequential", attributes: { embedding: 64 }, train: { epochs: 5 } }],
      evaluations: [{ model: "seq", dataset: "d", split: "test", exclude_history: true }],
    });
    expect(html.match(/<details class="config">/g)).toHaveLength(3);
    expect(html).toContain("<summary><code>params</code></summary>");
    expect(html).toContain("<summary><code>model seq = sequential</code></summary>");
    expect(html).toContain("<tr><td><code>train.epochs</code></td><td><code>5</code></td></tr>");
    expect(html).toContain("<summary><code>evaluate seq on d.test</code></summary>");
    expect(html).toContain("<tr><td><code>exclude_history</code></td><td><code>true</code></td></tr>");
  });

  it("escapes what the spec wrote and reads nothing from a record that is not an IR", () => {
    expect(configTables({ blocks: [{ name: "<b>", kind: "model", type: "x", attributes: {}, train: null }] })).toContain("model &#60;b&#62; = x");
    expect(configTables(null)).toBe("");
    expect(configTables("ir")).toBe("");
  });
});

describe("protocol", () => {
  it("names the candidates, the history and the split", () => {
    expect(protocolText({ candidates: { type: "full" }, exclude_history: true }, { numItems: 12101, splitType: "leave_last_out" })).toBe(
      "full catalogue (12101 items), history excluded, leave_last_out split",
    );
    expect(
      protocolText(
        { candidates: { type: "sampled", negatives: 99, sampling: "uniform" }, exclude_history: true },
        { numItems: 50, splitType: "temporal_window" },
      ),
    ).toBe("sampled: target + 99 uniform-sampled negatives, history excluded from the negatives, temporal_window split");
    expect(protocolText({ candidates: { type: "full" }, exclude_history: false }, { numItems: 5, splitType: "leave_last_out" })).toBe(
      "full catalogue (5 items), history kept, leave_last_out split",
    );
  });

  it("completes the protocol of results written before it named the history", () => {
    expect(resultProtocol({ protocol: "full catalogue (9 items)", excludeHistory: false })).toBe("full catalogue (9 items), history kept");
    expect(resultProtocol({ protocol: "full catalogue (9 items, history excluded)", excludeHistory: true })).toBe("full catalogue (9 items, history excluded)");
    expect(resultProtocol({ protocol: "sampled: target + 5 uniform-sampled negatives", excludeHistory: true })).toBe(
      "sampled: target + 5 uniform-sampled negatives, history excluded",
    );
  });

  it("is a table row per evaluation in the report", () => {
    const html = protocolTable([
      { model: "seq", dataset: "d", split: "test", users: 300, protocol: "full catalogue (32 items), history kept, leave_last_out split" },
    ]);
    expect(html).toContain(
      '<tr><td>seq</td><td>d.test</td><td class="num">300</td><td>full catalogue (32 items), history kept, leave_last_out split</td></tr>',
    );
    expect(protocolTable([])).toBe("");
  });
});
