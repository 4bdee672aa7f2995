/**
 * Generated from specs/sid_ranking.recspec by recspec. Edit freely and run with `recspec exec`; `recspec compile` regenerates it.
 * Makes every block of the spec and trains it, in dependency order.
 * recspec content hash: sha256:6e960cf803ceddc7 — recspec overwrites this file only while it is unedited
 */
import {
  fitSemanticIds,
  trainBlock,
  type ItemFeatures,
  type PairwiseRanker,
  type PreparedData,
  type Quantizer,
  type Run,
} from "recspec/runtime";
import { RankerModel, SidQuantizer, loadBeauty, loadContent, rankerTraining } from "./model.js";

/** The data sets, item features, quantizers and trained models of the spec. */
export interface Trained {
  readonly beauty: PreparedData;
  readonly content: ItemFeatures;
  readonly sid: Quantizer;
  readonly ranker: PairwiseRanker;
}

/** Trains from scratch, or continues from the last complete checkpoint when `run.resume` is set. */
export async function train(run: Run): Promise<Trained> {
  const beauty = await loadBeauty(run);
  const content = await loadContent(run, beauty);
  const sid = new SidQuantizer(content);
  await fitSemanticIds(run, sid);
  const ranker = new RankerModel(beauty, sid);
  await trainBlock(run, ranker, beauty, rankerTraining);
  return { beauty, content, sid, ranker };
}
