/**
 * Generated from specs/tiger_beauty.recspec by recspec. Edit freely and run with `recspec exec`; `recspec compile` regenerates it.
 * Makes every block of the spec and trains it, in dependency order.
 * recspec content hash: sha256:91a4b7e7da0979c9 — recspec overwrites this file only while it is unedited
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
  SasrecModel,
  TigerModel,
  buildLshSid,
  buildRandomSid,
  buildSid,
  loadBeauty,
  loadContent,
  lshSidConfig,
  randomSidConfig,
  sasrecTraining,
  sidConfig,
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
  const sid = buildSid(beauty, content);
  await trainQuantizer(run, sid, sidConfig, content, beauty.numItems);
  const randomSid = buildRandomSid(beauty);
  await trainQuantizer(run, randomSid, randomSidConfig, null, beauty.numItems);
  const lshSid = buildLshSid(beauty, content);
  await trainQuantizer(run, lshSid, lshSidConfig, content, beauty.numItems);
  const tiger = new TigerModel(beauty, sid);
  await trainBlock(run, tiger, beauty, tigerTraining);
  const sasrec = new SasrecModel(beauty);
  await trainBlock(run, sasrec, beauty, sasrecTraining);
  return { beauty, content, sid, randomSid, lshSid, tiger, sasrec };
}
