import { describe, expect, it } from "vitest";
import { EvaluationProgress } from "../../../src/runtime/pipeline/evaluation-progress.js";

function capture(isTTY: boolean) {
  const chunks: string[] = [];
  return { stream: { write: (s: string) => void chunks.push(s), isTTY }, text: () => chunks.join("") };
}

describe("evaluation progress", () => {
  it("on a TTY redraws users done/total with an ETA, and clears the line at the end", () => {
    const out = capture(true);
    let now = 0;
    const p = new EvaluationProgress({ stream: out.stream, label: "evaluating seq on synth.test", total: 1000, env: {}, now: () => now });
    now = 2000;
    p.update(250); // 250 users in 2 s: 750 left take 6 s
    expect(out.text()).toBe("\revaluating seq on synth.test  [#####...............]  250/1000 users  ETA 6s\x1b[K");
    now = 2050;
    p.update(500); // within 100 ms: not drawn
    expect(out.text()).not.toContain("500/1000");
    p.end();
    expect(out.text().endsWith("\r\x1b[K")).toBe(true);
  });

  it("off a TTY is silent for short evaluations and prints a line every 30 s for long ones", () => {
    const out = capture(false);
    let now = 0;
    const p = new EvaluationProgress({ stream: out.stream, label: "evaluating seq on synth.test", total: 900, env: {}, now: () => now });
    now = 10_000;
    p.update(100);
    expect(out.text()).toBe("");
    now = 30_000;
    p.update(300); // 300 in 30 s: 600 left take 60 s
    now = 45_000;
    p.update(450);
    p.end();
    expect(out.text()).toBe("evaluating seq on synth.test: 300/900 users, elapsed 30s, ETA 1m00s\n");
  });
});
