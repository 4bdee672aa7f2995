// Constructors of `quantizer` blocks: items → Semantic ID tuples.
import type { Attribute, Signature } from "../types.js";
import { attr, bool, int, num, oneOf, option, positional, ref, required } from "./helpers.js";

const codes: Attribute[] = [
  attr("levels", int(1, 16), 3, "Tokens per Semantic ID before the collision suffix."),
  attr("codebook", int(2, 65_536), 256, "Codes per level."),
  attr("collisions", oneOf("suffix_token", "none"), "suffix_token", "Append a token numbering items that share the same codes, so every ID is unique."),
  attr("seed", int(), 0, "Random seed."),
];

export const quantizerSignatures: Signature[] = [
  {
    name: "rqvae",
    of: "quantizer",
    doc: "Residual-quantized VAE over content vectors (TIGER): encoder MLP, L residual codebooks, decoder MLP.",
    attributes: [
      positional(required("features", ref(["features"]), "The content vectors to quantize.")),
      attr(
        "encoder",
        option("mlp"),
        { type: "mlp", layers: [512, 256, 128], activation: "relu", dropout: 0 },
        "Encoder MLP; its output is projected to `latent`, and the decoder mirrors it.",
      ),
      attr("latent", int(1), 32, "Dimension of the latent space and of every codebook vector."),
      ...codes,
      attr("beta", num(0), 0.25, "Weight of the commitment loss."),
      attr("init", oneOf("kmeans", "random"), "kmeans", "Codebook initialisation: k-means on the first batch, or random."),
      attr("standardize", bool, true, "Standardise input vectors (avoids codebook collapse)."),
      attr("dead_code_reset", bool, true, "Re-seed codes unused during an epoch from random residuals."),
    ],
    nested: ["train"],
  },
  {
    name: "random_ids",
    of: "quantizer",
    doc: "Random code tuples per item: the ablation baseline for Semantic IDs.",
    attributes: [positional(required("items", ref(["dataset"], "items"), "The item catalogue.")), ...codes],
  },
  {
    name: "lsh",
    of: "quantizer",
    doc: "Locality-sensitive hashing with random hyperplanes: log2(codebook) bits per level.",
    attributes: [positional(required("features", ref(["features"]), "The content vectors to hash.")), ...codes],
  },
];
