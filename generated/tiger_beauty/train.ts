/**
 * Generated from specs/tiger_beauty.recspec by recspec — do not edit (run `recspec compile` again).
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
  buildLshSid,
  buildRandomSid,
  buildSasrec,
  buildSid,
  buildTiger,
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
  readonly randomSid: Quantizer;
  readonly lshSid: Quantizer;
  readonly tiger: RecModel;
  readonly sasrec: RecModel;
}

/** Trains from scratch, or continues from the last complete checkpoint when `run.resume` is set. */
export async function train(run: Run, blocks: Blocks = specBlocks): Promise<Trained> {
  const beauty = await loadBeauty(run, blocks);
  const content = await loadContent(run, blocks, beauty);
  const sid = buildSid(blocks, beauty, content);
  await trainQuantizer(run, sid, blocks.sid, content, beauty.numItems);
  const randomSid = buildRandomSid(blocks, beauty);
  await trainQuantizer(run, randomSid, blocks.randomSid, null, beauty.numItems);
  const lshSid = buildLshSid(blocks, beauty, content);
  await trainQuantizer(run, lshSid, blocks.lshSid, content, beauty.numItems);
  const tiger = buildTiger(blocks, beauty, sid, randomSid, lshSid);
  await trainBlock(run, tiger, beauty, blocks.tiger);
  const sasrec = buildSasrec(blocks, beauty);
  await trainBlock(run, sasrec, beauty, blocks.sasrec);
  return { beauty, content, sid, randomSid, lshSid, tiger, sasrec };
}
