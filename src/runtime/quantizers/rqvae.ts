// The RQ-VAE of TIGER (Rajput et al. 2023, §3.1). Takes the IR attributes of an `rqvae` block
// and the input width; gives a model that learns L codebooks of K codes over an MLP latent and
// assigns each item its L base codes. Encoder: MLP(layers, activation) → dense(latent); decoder:
// the mirror, dense(reversed layers) → dense(input). Loss = ||x − x̂||² + Σ_d ||sg[r_d] − e_{c_d}||²
// + β||r_d − sg[e_{c_d}]||² with the straight-through estimator from ẑ to z. Options that
// reimplementations found necessary against codebook collapse: standardised inputs (per-dimension
// mean/std over the catalogue), k-means initialisation of every level on the first batch (seeded),
// AdamW, and dead-code reset (a code no item used during an epoch is re-seeded from a random
// residual of that level).
import * as tf from "@tensorflow/tfjs-core";
import { dense } from "../layers/dense.js";
import { normal } from "../layers/initializers.js";
import { mlp } from "../layers/mlp.js";
import { ParamStore } from "../layers/params.js";
import type { ActivationName } from "../layers/activations.js";
import { optimizerConfig, scheduleConfig } from "../pipeline/train-model.js";
import type { TrainSpec } from "../pipeline/specs.js";
import { Rng } from "../random.js";
import { accumulateGradients } from "../train/grad-accumulation.js";
import { createOptimizer } from "../train/optimizers.js";
import { createSchedule } from "../train/schedules.js";
import type { ItemFeatures } from "../features/item-features.js";
import { kMeans } from "./kmeans.js";
import { residualQuantize, residualQuantizeHost } from "./residual-quantize.js";

export interface RqVaeConfig {
  encoder: {
    type: "mlp";
    layers: number[];
    activation: ActivationName;
    dropout: number;
  };
  latent: number;
  levels: number;
  codebook: number;
  collisions: "suffix_token" | "none";
  seed: number;
  beta: number;
  init: "kmeans" | "random";
  standardize: boolean;
  dead_code_reset: boolean;
}

export interface RqVaeLosses {
  loss: number;
  reconstruction: number;
  codebook: number;
  commitment: number;
}

export interface RqVaeEpoch extends RqVaeLosses {
  epoch: number;
  /** Per level: share of codes used by some example during the epoch (before reset). */
  usage: number[];
  /** Codes re-seeded after the epoch. */
  reset: number;
}

export interface RqVaeTrainOptions {
  log?: (line: string) => void;
  /** Called after every epoch (for tests and logs). */
  onEpoch?: (e: RqVaeEpoch) => void;
}

export class RqVae {
  readonly params: ParamStore;
  private mean: Float32Array;
  private std: Float32Array;
  private initialised = false;

  constructor(
    readonly config: RqVaeConfig,
    readonly inDim: number,
    readonly name = "rqvae",
  ) {
    this.params = new ParamStore(config.seed);
    this.mean = new Float32Array(inDim);
    this.std = new Float32Array(inDim).fill(1);
    // Build every variable now (the optimizer and checkpoints see the full set).
    tf.tidy(() => {
      this.decode(this.encode(tf.zeros([1, inDim])));
      this.codebooks();
    });
  }

  codebooks(): tf.Tensor2D[] {
    const { levels, codebook, latent } = this.config;
    return Array.from(
      { length: levels },
      (_, l) =>
        this.params.get(
          `codebook${l}`,
          [codebook, latent],
          normal(1 / Math.sqrt(latent)),
        ) as tf.Tensor2D,
    );
  }

  encode(x: tf.Tensor): tf.Tensor2D {
    const { encoder, latent } = this.config;
    const hidden = mlp(x, this.params.scope("encoder"), {
      inDim: this.inDim,
      sizes: encoder.layers,
      activation: encoder.activation,
      activateLast: true,
    });
    const last = encoder.layers.length
      ? encoder.layers[encoder.layers.length - 1]
      : this.inDim;
    return dense(
      hidden,
      this.params.scope("to_latent"),
      last,
      latent,
    ) as tf.Tensor2D;
  }

  decode(z: tf.Tensor): tf.Tensor2D {
    const { encoder, latent } = this.config;
    const mirrored = [...encoder.layers].reverse();
    const hidden = mirrored.length
      ? mlp(z, this.params.scope("decoder"), {
          inDim: latent,
          sizes: mirrored,
          activation: encoder.activation,
          activateLast: true,
        })
      : z;
    const last = mirrored.length ? mirrored[mirrored.length - 1] : latent;
    return dense(
      hidden,
      this.params.scope("to_input"),
      last,
      this.inDim,
    ) as tf.Tensor2D;
  }

  /** Sets the standardisation from the items' vectors (identity when `standardize` is off). */
  fitStandardization(features: ItemFeatures): void {
    const { dim, numItems, vectors } = features;
    this.mean = new Float32Array(dim);
    this.std = new Float32Array(dim).fill(1);
    if (!this.config.standardize || numItems === 0) return;
    const sum = new Float64Array(dim);
    const sq = new Float64Array(dim);
    for (let i = 1; i <= numItems; i++) {
      for (let j = 0; j < dim; j++) {
        const v = vectors[i * dim + j];
        sum[j] += v;
        sq[j] += v * v;
      }
    }
    for (let j = 0; j < dim; j++) {
      const m = sum[j] / numItems;
      this.mean[j] = m;
      const variance = Math.max(0, sq[j] / numItems - m * m);
      // A constant dimension stays as it is rather than blowing up.
      this.std[j] = variance > 1e-12 ? Math.sqrt(variance) : 1;
    }
  }

  /** Standardised input rows of the given items [n, dim]. */
  inputs(features: ItemFeatures, items: ArrayLike<number>): Float32Array {
    const dim = features.dim;
    const out = new Float32Array(items.length * dim);
    for (let r = 0; r < items.length; r++) {
      const i = items[r];
      for (let j = 0; j < dim; j++)
        out[r * dim + j] =
          (features.vectors[i * dim + j] - this.mean[j]) / this.std[j];
    }
    return out;
  }

  /** Loss of a batch of standardised inputs x [B, dim], and the codes of each level. */
  lossOf(x: tf.Tensor2D): {
    loss: tf.Scalar;
    parts: tf.Scalar[];
    codes: tf.Tensor1D[];
  } {
    let codes: tf.Tensor1D[] = [];
    const out = tf.tidy(() => {
      const z = this.encode(x);
      const q = residualQuantize(z, this.codebooks(), this.config.beta);
      codes = q.codes;
      const xHat = this.decode(q.straightThrough);
      const reconstruction = tf.div(
        tf.sum(tf.square(tf.sub(x, xHat))),
        x.shape[0],
      ) as tf.Scalar;
      const loss = tf.add(reconstruction, q.loss) as tf.Scalar;
      return {
        loss,
        parts: [reconstruction, q.codebookLoss, q.commitmentLoss],
      };
    });
    return { ...out, codes };
  }

  /** Latents of standardised inputs, on the host. */
  latents(x: Float32Array, n: number): Float32Array {
    return tf.tidy(
      () =>
        this.encode(tf.tensor2d(x, [n, this.inDim])).dataSync() as Float32Array,
    );
  }

  /** k-means on the first batch, level by level over the residuals (TIGER's initialisation). */
  initialiseCodebooks(x: Float32Array, n: number, rng: Rng): void {
    const { levels, codebook, latent } = this.config;
    let residual = this.latents(x, n);
    const books = this.codebooks();
    for (let l = 0; l < levels; l++) {
      const centroids = kMeans(
        residual,
        latent,
        codebook,
        rng.fork(`kmeans/${l}`),
      );
      tf.tidy(() =>
        (books[l] as unknown as tf.Variable).assign(
          tf.tensor2d(centroids, [codebook, latent]),
        ),
      );
      residual = residualQuantizeHost(residual, latent, [centroids], codebook)
        .residuals[1];
    }
    this.initialised = true;
  }

  /** Trains on the items' vectors as the `train { … }` object says (epochs, or steps). */
  train(
    features: ItemFeatures,
    spec: TrainSpec,
    options: RqVaeTrainOptions = {},
  ): RqVaeEpoch[] {
    const { levels, codebook, latent } = this.config;
    const n = features.numItems;
    if (features.dim !== this.inDim)
      throw new Error(
        `${this.name}: features have dim ${features.dim}, the model ${this.inDim}`,
      );
    if (n === 0) throw new Error(`${this.name}: no items to quantize`);
    this.fitStandardization(features);
    const rng = new Rng(spec.seed).fork(`rqvae/${this.name}`);
    const batch = Math.min(spec.batch, n);
    const perEpoch = Math.ceil(n / batch);
    const epochs =
      spec.epochs ??
      (spec.steps !== null ? Math.ceil(spec.steps / perEpoch) : 10);
    const totalSteps = spec.steps ?? epochs * perEpoch;
    const optimizer = createOptimizer(optimizerConfig(spec.optimizer));
    const schedule = createSchedule(
      scheduleConfig(spec.schedule, spec.optimizer.lr, totalSteps),
    );
    const vars = this.params.variables();
    const history: RqVaeEpoch[] = [];
    let step = 0;
    const order = Int32Array.from({ length: n }, (_, i) => i + 1);
    try {
      for (let epoch = 0; epoch < epochs && step < totalSteps; epoch++) {
        rng.fork(`epoch/${epoch}`).shuffle(order);
        const used = Array.from(
          { length: levels },
          () => new Uint8Array(codebook),
        );
        const sums = [0, 0, 0, 0];
        let batches = 0;
        let lastX: Float32Array | null = null;
        let lastRows = 0;
        for (let first = 0; first < n && step < totalSteps; first += batch) {
          const items = order.subarray(first, Math.min(n, first + batch));
          const x = this.inputs(features, items);
          if (!this.initialised && this.config.init === "kmeans")
            this.initialiseCodebooks(x, items.length, rng);
          this.initialised = true;
          const xt = tf.tensor2d(x, [items.length, this.inDim]);
          let parts: number[] = [];
          let codes: Int32Array[] = [];
          const { grads, loss } = accumulateGradients(
            vars,
            [{ batch: xt, weight: 1 }],
            (b) => {
              const out = this.lossOf(b);
              parts = out.parts.map((p) => p.dataSync()[0]);
              codes = out.codes.map((c) => c.dataSync() as Int32Array);
              for (const c of out.codes) c.dispose();
              return out.loss;
            },
          );
          optimizer.step(grads, vars, schedule(step));
          for (const g of grads.values()) g.dispose();
          xt.dispose();
          step++;
          batches++;
          sums[0] += loss;
          for (let p = 0; p < 3; p++) sums[p + 1] += parts[p];
          codes.forEach((c, l) => c.forEach((k) => (used[l][k] = 1)));
          lastX = x;
          lastRows = items.length;
        }
        const usage = used.map((u) => u.reduce((a, b) => a + b, 0) / codebook);
        let reset = 0;
        if (this.config.dead_code_reset && lastX !== null)
          reset = this.resetDeadCodes(
            used,
            lastX,
            lastRows,
            rng.fork(`reset/${epoch}`),
          );
        const record: RqVaeEpoch = {
          epoch,
          loss: sums[0] / batches,
          reconstruction: sums[1] / batches,
          codebook: sums[2] / batches,
          commitment: sums[3] / batches,
          usage,
          reset,
        };
        history.push(record);
        options.onEpoch?.(record);
        if (
          options.log &&
          (epoch === 0 ||
            epoch === epochs - 1 ||
            (epoch + 1) % Math.max(1, Math.floor(epochs / 10)) === 0)
        ) {
          options.log(
            `${this.name} epoch ${epoch + 1}/${epochs}: loss ${record.loss.toFixed(4)} (recon ${record.reconstruction.toFixed(4)}, codebook ${record.codebook.toFixed(4)}, commit ${record.commitment.toFixed(4)}); ` +
              `usage ${usage.map((u) => `${(100 * u).toFixed(0)}%`).join("/")}${reset ? `; ${reset} dead codes reset` : ""}`,
          );
        }
      }
    } finally {
      optimizer.dispose();
    }
    void latent;
    return history;
  }

  /** Re-seeds unused codes of each level from random residuals of that level on a batch. */
  private resetDeadCodes(
    used: Uint8Array[],
    x: Float32Array,
    rows: number,
    rng: Rng,
  ): number {
    const { codebook, latent } = this.config;
    const books = this.codebooks();
    const hostBooks = books.map((b) => b.dataSync() as Float32Array);
    let residual = this.latents(x, rows);
    let reset = 0;
    for (let l = 0; l < books.length; l++) {
      const values = Float32Array.from(hostBooks[l]);
      let changed = false;
      for (let k = 0; k < codebook; k++) {
        if (used[l][k]) continue;
        const r = rng.int(rows);
        values.set(residual.subarray(r * latent, (r + 1) * latent), k * latent);
        changed = true;
        reset++;
      }
      if (changed) {
        tf.tidy(() =>
          (books[l] as unknown as tf.Variable).assign(
            tf.tensor2d(values, [codebook, latent]),
          ),
        );
        hostBooks[l] = values;
      }
      residual = residualQuantizeHost(
        residual,
        latent,
        [hostBooks[l]],
        codebook,
      ).residuals[1];
    }
    return reset;
  }

  /** Base codes [(numItems + 1) × levels] of every item (row 0 −1). */
  assign(features: ItemFeatures, chunk = 4096): Int32Array {
    const { levels, codebook, latent } = this.config;
    const n = features.numItems;
    const out = new Int32Array((n + 1) * levels).fill(-1);
    const books = this.codebooks().map((b) => b.dataSync() as Float32Array);
    for (let first = 1; first <= n; first += chunk) {
      const items = Int32Array.from(
        { length: Math.min(chunk, n + 1 - first) },
        (_, i) => first + i,
      );
      const z = this.latents(this.inputs(features, items), items.length);
      const { codes } = residualQuantizeHost(z, latent, books, codebook);
      out.set(codes, first * levels);
    }
    return out;
  }

  dispose(): void {
    this.params.dispose();
  }
}
