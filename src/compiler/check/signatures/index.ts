// The registry of every signature: look-ups by block kind or option family and name.
import type { BlockKind } from "../../lexer.js";
import type { BodyKind, Family, Signature } from "../types.js";
import { datasetSignatures } from "./datasets.js";
import { distillSignatures } from "./distill.js";
import { featureSignatures } from "./features.js";
import { modelSignatures } from "./models.js";
import { evaluateSignature, experimentSignature, optionSignatures, trainSignature } from "./options.js";
import { quantizerSignatures } from "./quantizers.js";
import { towerSignatures } from "./towers.js";

export const ALL_SIGNATURES: readonly Signature[] = [
  ...datasetSignatures,
  ...featureSignatures,
  ...quantizerSignatures,
  ...towerSignatures,
  ...modelSignatures,
  ...distillSignatures,
  ...optionSignatures,
  trainSignature,
  evaluateSignature,
  experimentSignature,
];

const byOwner = new Map<string, Map<string, Signature>>();
for (const sig of ALL_SIGNATURES) {
  let group = byOwner.get(sig.of);
  if (!group) byOwner.set(sig.of, (group = new Map()));
  if (group.has(sig.name)) throw new Error(`duplicate signature ${sig.of}/${sig.name}`);
  group.set(sig.name, sig);
}

/** Constructors of a block kind or an option family, by name. */
export function constructorsOf(owner: BlockKind | Family | BodyKind): ReadonlyMap<string, Signature> {
  return byOwner.get(owner) ?? new Map();
}

export function signatureOf(owner: BlockKind | Family | BodyKind, name: string): Signature | undefined {
  return byOwner.get(owner)?.get(name);
}

/** Nested body kinds by name (`train`). */
export const NESTED_SIGNATURES: Readonly<Record<string, Signature>> = { train: trainSignature };

export { evaluateSignature, experimentSignature, trainSignature };
