// Program stages of a `distill` block, for generated code. The compiler emits the student and the
// distilled model itself (blocks/distill.ts: the student is a class of model.ts, τ, α and the
// teacher transform literals); these are the steps around it: the teacher's hidden states
// precomputed over the training split (`precomputeTeacher`, cached in <run>/<block>/teacher-cache.bin),
// a teacher loaded from a checkpoint folder, and the analysis of what a sequential student took from
// the teacher, written to <run>/<block>/distill-analysis.json. Takes typed values, never an IR block.
//
// Order a program must keep: teacher built → teacher trained (trainBlock) or restored (restoreBlock,
// or loadTeacherCheckpoint for a `checkpoint`) → the distilled model (precomputeTeacher runs the
// teacher over the training split at once, so its weights must be final by then) →
// trainBlock(student) → evaluate → analyzeDistill.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import type { DistillModel } from "../distill/distill-model.js";
import { gradientReweighting, outputSimilarity, type ReweightingAnalysis, type SimilarityAnalysis } from "../distill/analysis.js";
import { loadOrBuildTeacherCache, type TeacherCache } from "../distill/teacher-cache.js";
import type { SequenceNetwork } from "../distill/sequence-network.js";
import type { Example } from "../data/split.js";
import type { RecModel } from "../models/rec-model.js";
import { loadModel, modelDir } from "../pipeline/model-weights.js";
import type { PreparedData } from "../pipeline/prepare-data.js";
import type { Run } from "./run.js";

/** File name of the precomputed teacher in the block's run folder. */
export const TEACHER_CACHE_FILE = "teacher-cache.bin";
/** File name of the analysis in the block's run folder. */
export const ANALYSIS_FILE = "distill-analysis.json";

/**
 * The teacher's hidden states at the positions the student trains, over its training examples:
 * read from <run>/<block>/teacher-cache.bin while the teacher's weights and the data are the same,
 * else computed (and saved there). Without a run the cache stays in memory. Async: the teacher's
 * outputs are read back awaited.
 */
export async function precomputeTeacher(
  run: Run | undefined,
  block: string,
  teacher: SequenceNetwork,
  examples: readonly Example[],
  positions: "all" | "last",
): Promise<TeacherCache> {
  const path = run ? join(run.dir, block, TEACHER_CACHE_FILE) : null;
  const started = performance.now();
  const built = await loadOrBuildTeacherCache(teacher, examples, positions, path);
  run?.log(
    `${block}: teacher outputs ${built.loaded ? "loaded from" : "precomputed to"} ${path ?? "memory"} ` +
      `(${built.cache.rows.toLocaleString("en-US")} positions × ${built.cache.embedding}, ${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  return built.cache;
}

/**
 * Loads the teacher's weights from the distill block's `checkpoint` (a weights folder with
 * model.json, or a run folder of the teacher with model/ inside), resolved from the spec's folder.
 * `block` names the distill block in the log.
 */
export function loadTeacherCheckpoint(run: Run, teacher: RecModel, checkpoint: string, block: string): void {
  const dir = isAbsolute(checkpoint) ? checkpoint : resolve(run.specDir, checkpoint);
  const weights = existsSync(join(dir, "model.json")) ? dir : modelDir(dir);
  loadModel(teacher, weights);
  run.log(`${block}: teacher ${teacher.name} loaded from ${weights}`);
}

export interface DistillAnalysis {
  block: string;
  teacher: string;
  temperature: number;
  alpha: number;
  transform: string;
  /** (a) instance re-weighting over a seeded sample of training examples (last position). */
  reweighting: ReweightingAnalysis;
  /** (b) output-layer similarity structure of a seeded item sample. */
  similarity: SimilarityAnalysis;
}

/**
 * Runs both analyses of analysis.ts on the trained sequential student and writes them as JSON to
 * <run>/<block>/distill-analysis.json (plot data: bins of teacher confidence vs gradient ratio; two
 * cosine matrices and their correlation). `seed` picks the examples and items analysed (at most
 * `examples`, default 2000, and `items`, default 100).
 */
export async function analyzeDistill(
  run: Run,
  model: DistillModel,
  data: PreparedData,
  options: { seed: number; examples?: number; items?: number },
): Promise<DistillAnalysis> {
  const { temperature, alpha, target } = model.settings;
  const seed = options.seed;
  const reweighting = await gradientReweighting(model.student, model.teacher, target, data.split.train, {
    maxExamples: options.examples ?? 2000,
    seed,
  });
  const similarity = await outputSimilarity(model.teacher, model.student, { sample: options.items ?? 100, seed, counts: data.trainCounts });
  const result: DistillAnalysis = {
    block: model.name,
    teacher: model.teacher.name,
    temperature,
    alpha,
    transform: target.label,
    reweighting,
    similarity,
  };
  const dir = join(run.dir, model.name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, ANALYSIS_FILE), `${JSON.stringify(result)}\n`);
  run.log(
    `${model.name}: analysis → ${join(dir, ANALYSIS_FILE)} (gradient ratio vs teacher confidence r = ${fmt(reweighting.correlation)}; ` +
      `teacher/student item-similarity correlation ${fmt(similarity.correlation)})`,
  );
  return result;
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toFixed(3) : "n/a";
}
