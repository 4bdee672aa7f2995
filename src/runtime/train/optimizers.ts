// Optimizers over named variables: Adam, AdamW, Adagrad and SGD (with optional momentum).
// Takes gradients and variables keyed by the same stable names and a learning rate per step;
// updates the variables in place and keeps its own state (moments, accumulators, step count)
// as tensors that can be read out for a checkpoint and loaded back bit for bit.
//
// Written over plain tf ops rather than tf.train.*: those keep state we cannot save and restore
// by name, and core tfjs has no AdamW. On the wasm backend with the native addon, Adam runs as one
// fused kernel (backend/native-adam-kernel.ts) instead of a dozen elementwise ops.
import * as tf from "@tensorflow/tfjs-core";
import { runFusedAdam } from "../backend/native-adam-kernel.js";

export type OptimizerName = "adam" | "adamw" | "adagrad" | "sgd";

export interface OptimizerConfig {
  name: OptimizerName;
  /** Base learning rate; the loop feeds it to the schedule. `step` takes the rate actually used. */
  lr: number;
  /** Adam/AdamW first-moment decay (default 0.9). */
  beta1?: number;
  /** Adam/AdamW second-moment decay (default 0.999). */
  beta2?: number;
  /** Added to the denominator: default 1e-8 for Adam/AdamW (PyTorch), 1e-7 for Adagrad (TF/Keras). */
  eps?: number;
  /** AdamW decoupled weight decay (default 0.01); must be 0 or absent for the others. */
  weightDecay?: number;
  /** SGD momentum μ (default 0: plain SGD). */
  momentum?: number;
  /** SGD: Nesterov momentum (default false). */
  nesterov?: boolean;
  /** Adagrad starting value of the squared-gradient accumulator (default 0.1, as TF/Keras). */
  initialAccumulator?: number;
}

export interface Optimizer {
  readonly config: Readonly<OptimizerConfig>;
  /**
   * One update with learning rate `lr`. Variables without a gradient in `grads` are left alone.
   * Does not take ownership of `grads`.
   */
  step(grads: Map<string, tf.Tensor>, vars: Map<string, tf.Variable>, lr: number): void;
  /** Number of updates done so far. */
  readonly steps: number;
  /**
   * The state as fresh tensors the caller owns (dispose them): one per slot, named
   * `<variable name>/<slot>`, plus `step` (int32 scalar, updates done).
   */
  state(): Map<string, tf.Tensor>;
  /** Replaces the state with copies of `s` (as produced by state()); does not take ownership. */
  /** Async: the step count is read back from its tensor, which a GPU backend only does awaited. */
  loadState(s: Map<string, tf.Tensor>): Promise<void>;
  dispose(): void;
}

/** Key of the update counter in state(). */
export const STEP_KEY = "step";

/** Builds the optimizer named by config, checking its hyper-parameters. */
export function createOptimizer(config: OptimizerConfig): Optimizer {
  if (!(config.lr >= 0) || !Number.isFinite(config.lr)) {
    throw new Error(`optimizer ${config.name}: lr must be a finite number >= 0, got ${config.lr}`);
  }
  if (config.weightDecay && config.name !== "adamw") {
    throw new Error(`optimizer ${config.name}: weightDecay is only supported by adamw (decoupled decay); ` + `use adamw, or add an L2 term to the loss`);
  }
  switch (config.name) {
    case "adam":
    case "adamw":
      return new AdamOptimizer(config);
    case "adagrad":
      return new AdagradOptimizer(config);
    case "sgd":
      return new SgdOptimizer(config);
    default:
      throw new Error(`unknown optimizer "${(config as OptimizerConfig).name}" (adam, adamw, adagrad, sgd)`);
  }
}

/** Shared bookkeeping: lazily created slot variables, the step count, save and restore. */
abstract class SlotOptimizer implements Optimizer {
  readonly config: Readonly<OptimizerConfig>;
  private t = 0;
  private readonly slots = new Map<string, tf.Variable>();

  protected constructor(
    config: OptimizerConfig,
    private readonly slotNames: readonly string[],
  ) {
    this.config = { ...config };
  }

  get steps(): number {
    return this.t;
  }

  step(grads: Map<string, tf.Tensor>, vars: Map<string, tf.Variable>, lr: number): void {
    if (!Number.isFinite(lr)) throw new Error(`optimizer ${this.config.name}: learning rate is ${lr}`);
    this.t += 1;
    for (const [name, grad] of grads) {
      const variable = vars.get(name);
      if (variable === undefined) {
        throw new Error(`optimizer ${this.config.name}: gradient for unknown variable "${name}"`);
      }
      this.update(name, variable, grad, lr, this.t);
    }
  }

  /** Applies one update to one variable; `t` is the 1-based index of this update. */
  protected abstract update(name: string, v: tf.Variable, g: tf.Tensor, lr: number, t: number): void;

  /** The slot variable `slot` for variable `name`, created filled with `init` on first use. */
  protected slot(name: string, slot: string, like: tf.Tensor, init = 0): tf.Variable {
    const key = `${name}/${slot}`;
    let s = this.slots.get(key);
    if (s === undefined) {
      // Not trainable, so a variableGrads() without an explicit list never differentiates it.
      s = tf.tidy(() => tf.variable(tf.fill(like.shape, init, "float32"), false));
      this.slots.set(key, s);
    } else if (!sameShape(s.shape, like.shape)) {
      throw new Error(`optimizer state "${key}" has shape [${s.shape}] but the variable has [${like.shape}]`);
    }
    return s;
  }

  state(): Map<string, tf.Tensor> {
    const out = new Map<string, tf.Tensor>();
    for (const [key, s] of this.slots) out.set(key, s.clone());
    out.set(STEP_KEY, tf.scalar(this.t, "int32"));
    return out;
  }

  async loadState(s: Map<string, tf.Tensor>): Promise<void> {
    const step = s.get(STEP_KEY);
    if (step === undefined) throw new Error(`optimizer state has no "${STEP_KEY}" entry`);
    for (const key of s.keys()) {
      if (key !== STEP_KEY && !this.slotNames.some((n) => key.endsWith(`/${n}`))) {
        throw new Error(`optimizer state entry "${key}" does not belong to ${this.config.name} ` + `(slots: ${this.slotNames.join(", ")})`);
      }
    }
    const t = (await step.data())[0];
    this.disposeSlots();
    this.t = t;
    for (const [key, value] of s) {
      if (key === STEP_KEY) continue;
      // The variable takes its own reference on value's data (a copy by value: tensors are
      // immutable); a clone handed to tf.variable would never be disposed and leak.
      this.slots.set(key, tf.variable(value, false));
    }
  }

  dispose(): void {
    this.disposeSlots();
    this.t = 0;
  }

  private disposeSlots(): void {
    for (const s of this.slots.values()) s.dispose();
    this.slots.clear();
  }
}

/**
 * Adam (Kingma & Ba), and AdamW (Loshchilov & Hutter) when config.name is "adamw":
 *   m ← β1·m + (1−β1)·g,  v ← β2·v + (1−β2)·g²,  m̂ = m/(1−β1^t),  v̂ = v/(1−β2^t)
 *   adam:  w ← w − lr·m̂/(√v̂ + ε)
 *   adamw: w ← w − lr·(m̂/(√v̂ + ε) + wd·w)   (decay applied to w directly, not through g)
 */
class AdamOptimizer extends SlotOptimizer {
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly eps: number;
  private readonly wd: number;

  constructor(config: OptimizerConfig) {
    super(config, ["m", "v"]);
    this.beta1 = config.beta1 ?? 0.9;
    this.beta2 = config.beta2 ?? 0.999;
    this.eps = config.eps ?? 1e-8;
    this.wd = config.name === "adamw" ? (config.weightDecay ?? 0.01) : 0;
    for (const [k, b] of [
      ["beta1", this.beta1],
      ["beta2", this.beta2],
    ] as const) {
      if (!(b >= 0 && b < 1)) throw new Error(`optimizer ${config.name}: ${k} must be in [0, 1), got ${b}`);
    }
  }

  protected update(name: string, w: tf.Variable, g: tf.Tensor, lr: number, t: number): void {
    const m = this.slot(name, "m", w);
    const v = this.slot(name, "v", w);
    // Bias corrections in float64 on the host; only the products run in float32.
    const c1 = 1 - Math.pow(this.beta1, t);
    const c2 = 1 - Math.pow(this.beta2, t);
    const attrs = { lr, beta1: this.beta1, beta2: this.beta2, c1, c2, eps: this.eps, wd: this.wd };
    const fused = runFusedAdam(w, g, m, v, attrs);
    if (fused !== undefined) {
      const [w1, m1, v1] = fused;
      m.assign(m1);
      v.assign(v1);
      w.assign(w1);
      tf.dispose(fused);
      return;
    }
    tf.tidy(() => {
      const m1 = tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1));
      const v1 = tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
      m.assign(m1);
      v.assign(v1);
      let direction = tf.div(tf.div(m1, c1), tf.add(tf.sqrt(tf.div(v1, c2)), this.eps));
      if (this.wd !== 0) direction = tf.add(direction, tf.mul(w, this.wd));
      w.assign(tf.sub(w, tf.mul(direction, lr)));
    });
  }
}

/**
 * Adagrad, TF/Keras form: acc ← acc + g²,  w ← w − lr·g/(√acc + ε), acc starting at
 * initialAccumulator (0.1). PyTorch's form is initialAccumulator 0, eps 1e-10.
 */
class AdagradOptimizer extends SlotOptimizer {
  private readonly eps: number;
  private readonly init: number;

  constructor(config: OptimizerConfig) {
    super(config, ["accum"]);
    this.eps = config.eps ?? 1e-7;
    this.init = config.initialAccumulator ?? 0.1;
    if (!(this.init >= 0)) throw new Error(`optimizer adagrad: initialAccumulator must be >= 0, got ${this.init}`);
  }

  protected update(name: string, w: tf.Variable, g: tf.Tensor, lr: number): void {
    const acc = this.slot(name, "accum", w, this.init);
    tf.tidy(() => {
      const acc1 = tf.add(acc, tf.square(g));
      acc.assign(acc1);
      w.assign(tf.sub(w, tf.mul(tf.div(g, tf.add(tf.sqrt(acc1), this.eps)), lr)));
    });
  }
}

/**
 * SGD, PyTorch form of momentum (so a changing lr scales the whole step):
 *   μ = 0:      w ← w − lr·g
 *   μ > 0:      b ← μ·b + g,  w ← w − lr·b          (nesterov: w ← w − lr·(g + μ·b))
 */
class SgdOptimizer extends SlotOptimizer {
  private readonly momentum: number;
  private readonly nesterov: boolean;

  constructor(config: OptimizerConfig) {
    super(config, ["momentum"]);
    this.momentum = config.momentum ?? 0;
    this.nesterov = config.nesterov ?? false;
    if (!(this.momentum >= 0 && this.momentum < 1)) {
      throw new Error(`optimizer sgd: momentum must be in [0, 1), got ${this.momentum}`);
    }
  }

  protected update(name: string, w: tf.Variable, g: tf.Tensor, lr: number): void {
    if (this.momentum === 0) {
      tf.tidy(() => w.assign(tf.sub(w, tf.mul(g, lr))));
      return;
    }
    const b = this.slot(name, "momentum", w);
    tf.tidy(() => {
      const b1 = tf.add(tf.mul(b, this.momentum), g);
      b.assign(b1);
      const direction = this.nesterov ? tf.add(g, tf.mul(b1, this.momentum)) : b1;
      w.assign(tf.sub(w, tf.mul(direction, lr)));
    });
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
