/**
 * Generated from specs/sid_ranking.recspec by recspec — do not edit (run `recspec compile` again).
 * Makes every block of the spec and trains it, in dependency order.
 */
import {
  trainBlock,
  trainQuantizer,
  type ItemFeatures,
  type PreparedData,
  type Quantizer,
  type RecModel,
  type Run,
} from "recspec/runtime";
import {
  buildRanker,
  buildSid,
  loadBeauty,
  loadContent,
  specBlocks,
  type Blocks,
} from "./model.js";

/** The data sets, item features, quantizers and trained models of the spec. */
export interface Trained {
  readonly beauty: PreparedData;
  readonly content: ItemFeatures;
  readonly sid: Quantizer;
  readonly ranker: RecModel;
}

/** Trains from scratch, or continues from the last complete checkpoint when `run.resume` is set. */
export async function train(run: Run, blocks: Blocks = specBlocks): Promise<Trained> {
  const beauty = await loadBeauty(run, blocks);
  const content = await loadContent(run, blocks, beauty);
  const sid = buildSid(blocks, beauty, content);
  await trainQuantizer(run, sid, blocks.sid, content, beauty.numItems);
  const ranker = buildRanker(blocks, beauty, sid, content);
  await trainBlock(run, ranker, beauty, blocks.ranker);
  return { beauty, content, sid, ranker };
}
