// The RS6003 help names the spec's own attributes: bare `lr` and `clip` from the training loop,
// `<model>.train.optimizer.lr` and `<model>.train.clip` once the block is known (withContext).
import { describe, expect, it } from "vitest";
import { NonFiniteLossError, divergenceHelp } from "../../../src/runtime/errors/non-finite-loss-error.js";
import { NonFiniteLossError as FromTrainLoop } from "../../../src/runtime/train/train-loop.js";

describe("NonFiniteLossError", () => {
  it("is the class the training loop throws", () => {
    expect(FromTrainLoop).toBe(NonFiniteLossError);
  });

  it("qualifies the attributes with the block when the block is added", () => {
    const e = new NonFiniteLossError("stopped", 12, 0, { lr: 1e30, clip: undefined });
    expect(e.help).toBe(
      "lower the learning rate (`lr` of the optimizer; this step used 1e+30), or clip the gradient with `clip` in the train block (e.g. clip = 1.0)",
    );
    e.withContext({ block: "seq", runDir: "/r" });
    expect(e.help).toBe(
      "lower the learning rate (`lr` of the optimizer, `seq.train.optimizer.lr`; this step used 1e+30), or clip the gradient with `clip` in the train block (`seq.train.clip`; e.g. clip = 1.0)",
    );
    expect(e.context).toEqual({ block: "seq", runDir: "/r", step: 12, epoch: 1 });
    expect(e.help).not.toMatch(/clipNorm/);
  });

  it("says the clip in force when there is one, and keeps a help given as text", () => {
    expect(divergenceHelp({ lr: 0.5, clip: 2 }, "tt")).toBe(
      "lower the learning rate (`lr` of the optimizer, `tt.train.optimizer.lr`; this step used 0.5), or a smaller `clip` in the train block (`tt.train.clip`; now 2)",
    );
    const e = new NonFiniteLossError("stopped", 1, 0, "lower `lr`").withContext({ block: "seq" });
    expect(e.help).toBe("lower `lr`");
  });
});
