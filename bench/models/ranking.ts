// SID-ranking training step (Singh et al. 2023, as specs/sid_ranking.recspec): a mean-pooled history
// of 20 items, items embedded by Semantic-ID bigram tables (2 × 32,768 rows of 64), an MLP
// [256, 128] over [u, v, u ⊙ v], logistic loss over each positive and 4 popularity-drawn negatives,
// batch 1024, over a Beauty-size catalogue with seeded random 3-level IDs. The model is the class
// generated/sid_ranking/model.ts defines, so the step is the one `recspec run` trains.
import type { Batch } from "../../src/runtime/data/batching.js";
import { RankerModel } from "../../generated/sid_ranking/model.js";
import type { PreparedData } from "../../src/runtime/pipeline/prepare-data.js";
import type { Quantizer } from "../../src/runtime/quantizers/quantizer.js";
import { buildSemanticIdTable } from "../../src/runtime/quantizers/semantic-id-table.js";
import { Rng } from "../../src/runtime/random.js";
import { SASREC_ITEMS } from "./sasrec.js";
import { makeTrainStep, type TrainStep } from "./train-step.js";

const HISTORY = 20;
const LEVELS = 3;
const CODEBOOK = 256;

export function rankingStep(batch: number): TrainStep {
  const rng = new Rng(5);
  const items = SASREC_ITEMS;
  const codes = Int32Array.from({ length: (items + 1) * LEVELS }, (_, i) => (i < LEVELS ? -1 : rng.nextUint32() % CODEBOOK));
  const table = buildSemanticIdTable(codes, LEVELS, CODEBOOK, "suffix_token");
  // Only what the model's constructor reads: sizes, counts, and no training examples.
  const data = {
    numItems: items,
    history: HISTORY,
    split: { train: [], validation: [], test: [] },
    splitType: "leave_last_out",
    trainCounts: Int32Array.from({ length: items + 1 }, (_, i) => (i === 0 ? 0 : 1 + (rng.nextUint32() % 50))),
    trainTargets: [],
    coldMask: new Uint8Array(items + 1),
  } as unknown as PreparedData;
  // The quantizer as the model reads it: its name and a fitted table.
  const model = new RankerModel(data, { name: "sid", table } as unknown as Quantizer);
  const draw = () => 1 + (rng.nextUint32() % items);
  const part: Batch = {
    size: batch,
    length: HISTORY,
    users: Int32Array.from({ length: batch }, (_, i) => i),
    histories: Int32Array.from({ length: batch * HISTORY }, draw),
    targets: Int32Array.from({ length: batch }, draw),
  };
  return makeTrainStep({
    params: model.params,
    parts: [part],
    examples: batch,
    config: `SID bigrams 2 × 32,768 × 64, history 20, MLP [256, 128], 4 negatives, batch ${batch}`,
    tensors: [],
    loss: (b, ctx) => model.loss(b, { training: true, rng: ctx.rng }),
  });
}
