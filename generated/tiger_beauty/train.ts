/**
 * Generated from specs/tiger_beauty.recspec by recspec. Edit freely and run with `recspec exec`; `recspec compile` regenerates it.
 * Makes every block of the spec and trains it, in dependency order.
 * recspec content hash: sha256:e3ececbc54203d82 — recspec overwrites this file only while it is unedited
 */
import {
  fitSemanticIds,
  trainBlock,
  type ItemFeatures,
  type PreparedData,
  type Quantizer,
  type RecModel,
  type Run,
} from "recspec/runtime";
import {
  LshSidQuantizer,
  RandomSidQuantizer,
  SasrecModel,
  SidQuantizer,
  TigerModel,
  loadBeauty,
  loadContent,
  sasrecTraining,
  tigerTraining,
} from "./model.js";

/** The data sets, item features, quantizers and trained models of the spec. */
export interface Trained {
  readonly beauty: PreparedData;
  readonly content: ItemFeatures;
  readonly sid: Quantizer;
  readonly randomSid: Quantizer;
  readonly lshSid: Quantizer;
  readonly tiger: RecModel;
  readonly sasrec: RecModel;
}

/** Trains from scratch, or continues from the last complete checkpoint when `run.resume` is set. */
export async function train(run: Run): Promise<Trained> {
  const beauty = await loadBeauty(run);
  const content = await loadContent(run, beauty);
  const sid = new SidQuantizer(content);
  await fitSemanticIds(run, sid);
  const randomSid = new RandomSidQuantizer(beauty.numItems);
  await fitSemanticIds(run, randomSid);
  const lshSid = new LshSidQuantizer(content);
  await fitSemanticIds(run, lshSid);
  const tiger = new TigerModel(beauty, sid);
  await trainBlock(run, tiger, beauty, tigerTraining, { excludeHistory: true });
  const sasrec = new SasrecModel(beauty);
  // Batches of similar history length: each counts by its target positions, so every position weighs the same.
  await trainBlock(run, sasrec, beauty, sasrecTraining, {
    excludeHistory: true,
    weighBatchesByTargets: true,
  });
  return { beauty, content, sid, randomSid, lshSid, tiger, sasrec };
}
