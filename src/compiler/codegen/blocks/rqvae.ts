// `quantizer NAME = rqvae(features) {…}`: TIGER's RQ-VAE spelled out as a class in model.ts. Its
// `encode` is the encoder MLP layer by layer then the projection to the latent, `codebooks` the
// levels' code tables, `decode` the mirrored MLP back to the input, `loss` the reconstruction plus
// the residual quantization's codebook and β-weighted commitment terms; `fit` trains it through the
// runtime (k-means initialisation, dead-code reset, standardisation as literal settings) and
// assembles the Semantic-ID table. Parameter names are the runtime's RQ-VAE's (encoder/layerI,
// to_latent, decoder/layerI, to_input, codebookL). Takes the block; gives its code.
import type { IRBlock } from "../../../ir/ir.js";
import { blockOf } from "../../../ir/narrow.js";
import { commentText } from "../escape.js";
import { literal } from "../literal.js";
import { type BlockCode, type EmitContext, describe, refName } from "./block-code.js";
import { quantizerBlockCode, semanticIdTableCode } from "./semantic-ids.js";

/** `let h = dense(…)` lines of an MLP in scope `scope`, from `input` through `sizes`, each activated. */
function mlpLines(input: string, scope: string, inDim: number, sizes: readonly number[], activation: string): string[] {
  let width = inDim;
  return sizes.map((size, i) => {
    const line = `${i === 0 ? "let h: tf.Tensor = " : "h = "}dense(${i === 0 ? input : "h"}, ${scope}.scope("layer${i}"), ${width}, ${size}, { activation: ${literal(activation)} }); // [B, ${size}]`;
    width = size;
    return line;
  });
}

/** A method body: the MLP (when it has layers) then a linear projection `to` from its last width. */
function stackBody(input: string, scope: string, inDim: number, sizes: readonly number[], activation: string, to: string, outDim: number): string {
  const last = sizes.length ? sizes[sizes.length - 1] : inDim;
  const lines = sizes.length ? [`const ${scope} = this.params.scope(${literal(scope)});`, ...mlpLines(input, scope, inDim, sizes, activation)] : [];
  lines.push(`return dense(${sizes.length ? "h" : input}, this.params.scope(${literal(to)}), ${last}, ${outDim}) as tf.Tensor2D; // [B, ${outDim}]`);
  return lines.join("\n      ");
}

export function rqvaeCode(block: IRBlock, ctx: EmitContext): BlockCode {
  const rqvae = blockOf(block, "quantizer", "rqvae");
  const a = rqvae.attributes;
  const t = rqvae.train;
  if (t === null) throw new Error(`internal: quantizer \`${block.name}\` trains but has no train settings`);
  const features = ctx.variable(refName(a.features));
  const featuresBlock = ctx.block(refName(a.features));
  const inDim = Number(featuresBlock.attributes.dim);
  const cls = ctx.exported("class", block.name, (p) => `${p}Quantizer`);
  const trainingConst = ctx.exported("training", block.name, (_p, c) => `${c}Training`);
  const { layers, activation } = a.encoder;
  const mirrored = [...layers].reverse();
  const table = semanticIdTableCode(a.levels, a.codebook, a.collisions);
  // `256 → 512 → 128 (relu) → 32`: the activation follows every MLP layer, not the projection.
  const arrow = (from: number, sizes: readonly number[], to: number) => `${[from, ...sizes].join(" → ")}${sizes.length ? ` (${activation})` : ""} → ${to}`;
  const budget = t.steps !== null ? `${t.steps} steps` : `${t.epochs ?? 10} epochs`;
  const training = {
    optimizer: t.optimizer,
    schedule: t.schedule,
    epochs: t.epochs,
    steps: t.steps,
    batch: t.batch,
    seed: t.seed,
    standardize: a.standardize,
    kmeansInit: a.init === "kmeans",
    deadCodeReset: a.dead_code_reset,
  };
  const steps = [
    a.standardize ? "standardised inputs" : "raw inputs",
    a.init === "kmeans" ? "codebooks initialised by k-means on the first batch" : "randomly initialised codebooks",
    ...(a.dead_code_reset ? ["codes unused in an epoch re-seeded"] : []),
  ];
  const declarations = [
    `/**
 * ${describe(block)}: the RQ-VAE of TIGER over \`${commentText(featuresBlock.name)}\`. Encoder: ${arrow(inDim, layers, a.latent)};
 * residual quantization over ${a.levels} codebooks of ${a.codebook} codes; decoder: ${arrow(a.latent, mirrored, inDim)}.
 * Loss: ||x − x̂||² + Σ_levels ||sg[r] − e||² + ${a.beta}·||r − sg[e]||², straight through from ẑ to z.
 * ${table.doc}
 */
export class ${cls} implements Quantizer, RqVaeNetwork {
  readonly name = ${literal(block.name)};
  readonly method = "rqvae";
  readonly levels = ${a.levels};
  readonly codebook = ${a.codebook};
  readonly inDim = ${inDim};
  readonly latent = ${a.latent};
  /** Every weight, initialised from the quantizer's seed (${a.seed}) and its name. */
  readonly params = new ParamStore(${a.seed});
  table: SemanticIdTable | null = null;

  constructor(private readonly features: ItemFeatures) {
    // Build every parameter now, so the optimizer sees the full set from the start.
    tf.tidy(() => {
      this.decode(this.encode(tf.zeros([1, ${inDim}])));
      this.codebooks();
    });
  }

  /** Latents z [B, ${a.latent}] of standardised inputs x [B, ${inDim}]. */
  encode(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      ${stackBody("x", "encoder", inDim, layers, activation, "to_latent", a.latent)}
    });
  }

  /** Reconstructions x̂ [B, ${inDim}] of latents z [B, ${a.latent}]: the encoder mirrored. */
  decode(z: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      ${stackBody("z", "decoder", a.latent, mirrored, activation, "to_input", inDim)}
    });
  }

  /** The codebook of each level: ${a.levels} × [${a.codebook}, ${a.latent}], drawn from N(0, 1/√${a.latent}) until training initialises them. */
  codebooks(): tf.Tensor2D[] {
    return Array.from({ length: ${a.levels} }, (_, l) => this.params.get(\`codebook\${l}\`, [${a.codebook}, ${a.latent}], normal(1 / Math.sqrt(${a.latent}))) as tf.Tensor2D);
  }

  /** Loss of standardised inputs x [B, ${inDim}], its terms, and each level's codes. */
  loss(x: tf.Tensor2D): RqVaeLoss {
    let codes: tf.Tensor1D[] = [];
    const terms = tf.tidy(() => {
      const z = this.encode(x); // [B, ${a.latent}]
      // Each level codes what the levels before it left: codes ${a.levels} × [B], ẑ [B, ${a.latent}].
      const q = residualQuantize(z, this.codebooks());
      codes = q.codes;
      const xHat = this.decode(q.straightThrough); // [B, ${inDim}]: ẑ's values, z's gradient
      const reconstruction = tf.div(tf.sum(tf.square(tf.sub(x, xHat))), x.shape[0]) as tf.Scalar; // mean over the batch
      const quantization = tf.add(q.codebookLoss, tf.mul(q.commitmentLoss, ${literal(a.beta)})); // codebook + β · commitment
      return { loss: tf.add(reconstruction, quantization) as tf.Scalar, reconstruction, codebook: q.codebookLoss, commitment: q.commitmentLoss };
    });
    return { ...terms, codes };
  }

  /** Trains on \`${commentText(featuresBlock.name)}\` as \`${trainingConst}\` says, then ${table.fitDoc}. */
  async fit(log: (line: string) => void): Promise<SemanticIdTable> {
    const { standardization } = await trainRqVae(this, this.features, ${trainingConst}, { log });
    const codes = await rqVaeCodes(this, this.features, standardization); // [N + 1, ${a.levels}], row 0 −1
    ${table.statement}
  }

  dispose(): void {
    this.params.dispose();
  }
}`,
    `/** How \`${commentText(block.name)}\` trains: ${t.optimizer.type}, batches of ${t.batch}, ${budget}; ${steps.join(", ")}. */
export const ${trainingConst}: RqVaeTraining = ${literal(training)};`,
  ];
  return quantizerBlockCode(block, ctx, {
    cls,
    declarations,
    make: `new ${cls}(${features})`,
    exports: [cls],
    modelImports: ["tf", "ParamStore", "dense", "normal", "residualQuantize", "trainRqVae", "rqVaeCodes"],
    modelTypeImports: ["ItemFeatures", "RqVaeNetwork", "RqVaeLoss", "RqVaeTraining"],
  });
}
