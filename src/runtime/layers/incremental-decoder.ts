// Inference-only, step-by-step transformer decoder for beam search. Takes the decoder's scope and
// config, the encoder memory [C, S, d] of C sequences and its padding mask, and per step the
// embedded newest token of B beam slots per sequence ([C·B, d], the slots of a sequence together;
// B may change between steps) with each slot's parent row of the previous step; gives the top-layer (final-normed) hidden state of the newest position
// [C·B, d]. Computes the same function as transformerDecoder's last position, but:
//  - cross-attention keys/values are projected once per call of `prepare`, not once per step and
//    beam: the B beams of a sequence share the memory, their queries grouped as [C, H, B, hd];
//  - self-attention keys/values of earlier positions are cached and reordered by parent slot,
//    so each step runs the stack on one position only.
import * as tf from "@tensorflow/tfjs-core";
import { headDimOf, feedForward, type TransformerConfig } from "./transformer.js";
import { scaledDotProductAttention } from "./attention.js";
import { dense } from "./dense.js";
import { layerNorm } from "./layer-norm.js";
import { paddingBias } from "./masks.js";
import type { ParamStore } from "./params.js";

export class IncrementalDecoder {
  private readonly crossKeys: tf.Tensor[] = [];
  private readonly crossValues: tf.Tensor[] = [];
  private readonly memoryBias: tf.Tensor;
  /** Per layer: self-attention keys/values of the positions so far [C·B, t, H·hd]. */
  private selfKeys: (tf.Tensor | null)[];
  private selfValues: (tf.Tensor | null)[];
  private readonly heads: number;
  private readonly sequences: number;
  private readonly headDim: number;

  constructor(
    private readonly params: ParamStore,
    private readonly config: TransformerConfig,
    memory: tf.Tensor3D,
    memoryMask: tf.Tensor2D,
  ) {
    this.heads = config.heads;
    this.headDim = headDimOf(config);
    const [c, s, keyDim] = memory.shape;
    this.sequences = c;
    const inner = this.heads * this.headDim;
    this.memoryBias = paddingBias(memoryMask);
    for (let i = 0; i < config.layers; i++) {
      const scope = params.scope(`layer${i}`).scope("cross_attention");
      const [kt, vh] = tf.tidy(() => {
        const k = dense(memory, scope.scope("key"), keyDim, inner);
        const v = dense(memory, scope.scope("value"), keyDim, inner);
        return [
          tf.transpose(tf.reshape(k, [c, s, this.heads, this.headDim]), [0, 2, 3, 1]),
          tf.transpose(tf.reshape(v, [c, s, this.heads, this.headDim]), [0, 2, 1, 3]),
        ];
      });
      this.crossKeys.push(kt);
      this.crossValues.push(vh);
    }
    this.selfKeys = Array.from({ length: config.layers }, () => null);
    this.selfValues = Array.from({ length: config.layers }, () => null);
  }

  /**
   * One step: x [C·B, d] embeds each slot's newest token (with its position); parents[j] is the
   * row of the previous step whose cached prefix slot j extends (ignored at the first step).
   * Gives [C·B, d].
   */
  step(x: tf.Tensor2D, parents: Int32Array): tf.Tensor2D {
    const { config } = this;
    const d = config.dModel;
    const n = x.shape[0];
    const c = this.sequences;
    // B = slots per sequence this step (1 at the first step, when each sequence has one beam).
    const b = n / c;
    const h = this.heads;
    const hd = this.headDim;
    const inner = h * hd;
    const pre = (config.norm ?? "pre") === "pre";
    const eps = { eps: config.eps };
    const parentsT = this.selfKeys[0] === null ? null : tf.tensor1d(parents, "int32");
    const out = tf.tidy(() => {
      let hidden: tf.Tensor = x;
      const residual = (norm: ParamStore, f: (y: tf.Tensor) => tf.Tensor) => {
        if (pre) hidden = tf.add(hidden, f(layerNorm(hidden, norm, d, eps)));
        else hidden = layerNorm(tf.add(hidden, f(hidden)), norm, d, eps);
      };
      for (let i = 0; i < config.layers; i++) {
        const layer = this.params.scope(`layer${i}`);
        residual(layer.scope("norm1"), (y) => {
          const scope = layer.scope("self_attention");
          const q = dense(y, scope.scope("query"), d, inner);
          const k = tf.reshape(dense(y, scope.scope("key"), d, inner), [n, 1, inner]);
          const v = tf.reshape(dense(y, scope.scope("value"), d, inner), [n, 1, inner]);
          const oldK = this.selfKeys[i];
          const oldV = this.selfValues[i];
          const keys = oldK === null ? k : tf.concat([tf.gather(oldK, parentsT!), k], 1);
          const values = oldV === null ? v : tf.concat([tf.gather(oldV, parentsT!), v], 1);
          const len = keys.shape[1] as number;
          // Kept past this tidy: replaced (and freed) at the next step or by dispose().
          this.selfKeys[i] = tf.keep(keys);
          this.selfValues[i] = tf.keep(values);
          oldK?.dispose();
          oldV?.dispose();
          const qh = tf.reshape(q, [n, h, 1, hd]);
          const kt = tf.transpose(tf.reshape(keys, [n, len, h, hd]), [0, 2, 3, 1]);
          const vh = tf.transpose(tf.reshape(values, [n, len, h, hd]), [0, 2, 1, 3]);
          // The newest position sees every cached one: no causal bias needed.
          const { output } = scaledDotProductAttention(qh, kt, vh, undefined);
          return dense(tf.reshape(output, [n, inner]), scope.scope("output"), inner, d);
        });
        residual(layer.scope("norm2"), (y) => {
          const scope = layer.scope("cross_attention");
          // The B slots of a sequence query its memory together: [C, B, H, hd] → [C, H, B, hd].
          const q = dense(y, scope.scope("query"), d, inner);
          const qh = tf.transpose(tf.reshape(q, [c, b, h, hd]), [0, 2, 1, 3]);
          const { output } = scaledDotProductAttention(qh, this.crossKeys[i], this.crossValues[i], this.memoryBias);
          const merged = tf.reshape(tf.transpose(output, [0, 2, 1, 3]), [n, inner]);
          return dense(merged, scope.scope("output"), inner, d);
        });
        residual(layer.scope("norm3"), (y) => feedForward(y, layer.scope("ffn"), config));
      }
      if (pre) hidden = layerNorm(hidden, this.params.scope("final_norm"), d, eps);
      return hidden as tf.Tensor2D;
    });
    parentsT?.dispose();
    return out;
  }

  dispose(): void {
    for (const t of [...this.crossKeys, ...this.crossValues, this.memoryBias]) t.dispose();
    for (const t of [...this.selfKeys, ...this.selfValues]) t?.dispose();
  }
}
