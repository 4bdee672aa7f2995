// A `quantizer` block at run time: what kind it is, its sizes, and once trained (or restored) the
// Semantic-ID table. Takes the block's IR attributes (and, for rqvae and lsh, the input width);
// gives a Quantizer whose fit(features, train) makes the table: RQ-VAE trains then assigns codes,
// random_ids draws them, lsh hashes the features; every kind appends the collision suffix when
// `collisions = suffix_token`.
import type { ItemFeatures } from "../features/item-features.js";
import type { TrainSpec } from "../pipeline/specs.js";
import { lshCodes } from "./lsh.js";
import { randomIdCodes } from "./random-ids.js";
import { RqVae, type RqVaeConfig, type RqVaeTrainOptions } from "./rqvae.js";
import {
  buildSemanticIdTable,
  type CollisionMode,
  type SemanticIdTable,
} from "./semantic-id-table.js";

export type QuantizerType = "rqvae" | "random_ids" | "lsh";

export interface Quantizer {
  readonly name: string;
  readonly type: QuantizerType;
  readonly levels: number;
  readonly codebook: number;
  readonly collisions: CollisionMode;
  /** Whether fit needs item features. */
  readonly needsFeatures: boolean;
  /** The trained RQ-VAE (rqvae only; null until built with features). */
  readonly rqvae: RqVae | null;
  /** Set by fit or by restoring a saved table. */
  table: SemanticIdTable | null;
  /** Makes (and keeps) the table. `numItems` serves random_ids, which reads no features. */
  fit(input: {
    features: ItemFeatures | null;
    numItems: number;
    train: TrainSpec | null;
    options?: RqVaeTrainOptions;
  }): SemanticIdTable;
  dispose(): void;
}

export function createQuantizer(
  name: string,
  type: string,
  attributes: Readonly<Record<string, unknown>>,
  inDim: number | null,
): Quantizer {
  const levels = attributes.levels as number;
  const codebook = attributes.codebook as number;
  const collisions = ((attributes.collisions as string | undefined) ??
    "suffix_token") as CollisionMode;
  const seed = (attributes.seed as number | undefined) ?? 0;
  if (type !== "rqvae" && type !== "random_ids" && type !== "lsh")
    throw new Error(`quantizer ${name}: unknown type "${type}"`);
  if ((type === "rqvae" || type === "lsh") && inDim === null)
    throw new Error(`quantizer ${name}: ${type} needs item features`);
  const rqvae =
    type === "rqvae"
      ? new RqVae(attributes as unknown as RqVaeConfig, inDim!, name)
      : null;
  const quantizer: Quantizer = {
    name,
    type,
    levels,
    codebook,
    collisions,
    needsFeatures: type !== "random_ids",
    rqvae,
    table: null,
    fit({ features, numItems, train, options }) {
      let base: Int32Array;
      if (type === "random_ids")
        base = randomIdCodes(numItems, levels, codebook, seed);
      else {
        if (features === null)
          throw new Error(`quantizer ${name}: ${type} needs item features`);
        if (type === "lsh") base = lshCodes(features, levels, codebook, seed);
        else {
          if (train === null)
            throw new Error(`quantizer ${name}: rqvae needs a train block`);
          rqvae!.train(features, train, options);
          base = rqvae!.assign(features);
        }
      }
      quantizer.table = buildSemanticIdTable(
        base,
        levels,
        codebook,
        collisions,
      );
      return quantizer.table;
    },
    dispose() {
      rqvae?.dispose();
    },
  };
  return quantizer;
}
