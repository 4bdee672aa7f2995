// A benchmarkable training step: forward, backward and Adam update of a model built from
// src/runtime/layers, on fixed synthetic batches. Takes the model's parameters, its micro-batches
// and its loss; gives a step() to time. A batch larger than the 4 GiB wasm heap allows is split into
// micro-batches whose gradients are accumulated (src/runtime/train/grad-accumulation.ts), exactly as
// the runtime trains it, and the config string says so.
import * as tf from "@tensorflow/tfjs-core";
import type { ForwardContext, ParamStore } from "../../src/runtime/layers/index.js";
import { Rng } from "../../src/runtime/random.js";
import { accumulateGradients, createOptimizer, type Optimizer } from "../../src/runtime/train/index.js";

export interface TrainStep {
  /** Examples per step (the whole batch, over all micro-batches). */
  examples: number;
  /** Human-readable model and batch description. */
  config: string;
  step(): Promise<number>;
  dispose(): void;
}

export interface TrainStepSpec<B> {
  params: ParamStore;
  /** The micro-batches of one step; their examples add up to `examples`. */
  parts: B[];
  examples: number;
  config: string;
  loss(batch: B, ctx: ForwardContext): tf.Scalar;
  /** Tensors inside `parts` to free on dispose. */
  tensors: tf.Tensor[];
}

export function makeTrainStep<B>(spec: TrainStepSpec<B>): TrainStep {
  const rng = new Rng(7);
  const ctx: ForwardContext = { training: true, rng };
  // Build the variables with one forward pass, so the optimizer sees all of them.
  tf.tidy(() => spec.loss(spec.parts[0], ctx));
  const vars = spec.params.variables();
  const optimizer: Optimizer = createOptimizer({ name: "adam", lr: 1e-3 });
  const weight = 1 / spec.parts.length;
  const parts = spec.parts.map((batch) => ({ batch, weight }));
  const micro = spec.parts.length > 1 ? `, ${spec.parts.length} micro-batches of ${spec.examples / spec.parts.length}` : "";
  return {
    examples: spec.examples,
    config: spec.config + micro,
    async step(): Promise<number> {
      const { grads, loss } = await accumulateGradients(vars, parts, (batch) => spec.loss(batch, ctx));
      optimizer.step(grads, vars, 1e-3);
      for (const g of grads.values()) g.dispose();
      return loss;
    },
    dispose(): void {
      optimizer.dispose();
      spec.params.dispose();
      tf.dispose(spec.tensors);
    },
  };
}

/** Seeded integer ids in [lo, hi) as an int32 tensor. */
export function randomIds(shape: number[], lo: number, hi: number, rng: Rng): tf.Tensor {
  return tf.tensor(
    randomIdValues(
      shape.reduce((a, b) => a * b, 1),
      lo,
      hi,
      rng,
    ),
    shape,
    "int32",
  );
}

/** The same seeded ids on the host, for inputs a loss reads there (the in-batch softmax's item ids). */
export function randomIdValues(size: number, lo: number, hi: number, rng: Rng): Int32Array {
  const values = new Int32Array(size);
  for (let i = 0; i < size; i++) values[i] = lo + Math.floor((rng.nextUint32() / 2 ** 32) * (hi - lo));
  return values;
}

/** Splits `examples` into micro-batches of at most `micro` (must divide evenly). */
export function microBatches(examples: number, micro: number | undefined): number[] {
  const size = micro === undefined || micro >= examples ? examples : micro;
  if (examples % size !== 0) throw new Error(`batch ${examples} is not a multiple of micro-batch ${size}`);
  return Array.from({ length: examples / size }, () => size);
}
