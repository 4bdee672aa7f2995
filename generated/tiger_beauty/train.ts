/**
 * Generated from specs/tiger_beauty.recspec by recspec — do not edit (run `recspec compile` again).
 * Loads the data and trains every model of the spec, in dependency order.
 */
import { unsupported, type PreparedData, type Run } from "recspec/runtime";
import { loadBeauty, specBlocks, type Blocks } from "./model.js";

/** The data sets and trained models of the spec. */
export interface Trained {
  readonly beauty: PreparedData;
}

/** Trains from scratch, or continues from the last complete checkpoint when `run.resume` is set. */
export async function train(run: Run, blocks: Blocks = specBlocks): Promise<Trained> {
  const beauty = await loadBeauty(run, blocks);
  unsupported(
    blocks.content,
    "content features are computed by the Semantic-ID work (TIGER issue)",
  );
  unsupported(blocks.sid, "quantizers (RQ-VAE, random IDs, LSH) arrive with the TIGER issue");
  unsupported(blocks.tiger, "generative retrieval (TIGER) is not implemented yet");
  return { beauty };
}
