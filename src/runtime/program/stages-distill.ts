// Program stages of a `distill` block, for generated code. The compiler emits the student and the
// distilled model itself (blocks/distill.ts: a sequential or ranking student is a class of
// model.ts); these are the steps around it: the teacher's hidden states precomputed over the
// training split (`precomputeTeacher`, cached in <run>/<block>/teacher-cache.bin), a teacher given
// by `checkpoint`, the analysis of what a sequential student took from the teacher, written to
// <run>/<block>/distill-analysis.json, and the two-tower student, still built from its IR block.
// `buildDistill` builds a sequential (runtime SequentialModel) or two-tower student from the block,
// for library users and tests.
//
// Order a program must keep: teacher built → teacher trained (trainBlock) or restored (restoreBlock,
// or loadTeacherCheckpoint when `checkpoint` is set) → the distilled model (precomputeTeacher runs
// the teacher over the training split at once, so its weights must be final by then) →
// trainBlock(student) → evaluate → analyzeDistill.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { DistillModel } from "../distill/distill-model.js";
import { isInBatchTeacher, TwoTowerDistillModel } from "../distill/two-tower-distill.js";
import { gradientReweighting, outputSimilarity, type ReweightingAnalysis, type SimilarityAnalysis } from "../distill/analysis.js";
import { loadOrBuildTeacherCache, type TeacherCache } from "../distill/teacher-cache.js";
import type { SequenceNetwork } from "../distill/sequence-network.js";
import { needsTeacherProbabilities, transformLabel, type TeacherTransform } from "../distill/transforms.js";
import type { Example } from "../data/split.js";
import { transformerConfig } from "../models/sequence-encoder.js";
import type { ModelBlock, SequentialConfig, TwoTowerConfig } from "../models/config.js";
import type { RecModel } from "../models/rec-model.js";
import { SequentialModel, sequentialModel } from "../models/sequential.js";
import { twoTowerModel } from "../models/two-tower.js";
import { loadModel, modelDir } from "../pipeline/model-weights.js";
import type { PreparedData } from "../pipeline/prepare-data.js";
import type { Run } from "./run.js";
import type { BlockSpec } from "./types.js";

/** The attributes of a distill block as the IR has them. */
export interface DistillAttributes {
  teacher: { ref: string };
  student: { model: string; type: string; overrides: Record<string, unknown>; attributes: Record<string, unknown> };
  temperature: number;
  alpha: number;
  teacher_transform: TeacherTransform;
  precompute: boolean;
  checkpoint: string | null;
}

/** What a student is built from besides its attributes. */
export interface StudentParts {
  /** A two-tower student's tower blocks. */
  towers?: { user: BlockSpec; item: BlockSpec };
}

/** File name of the precomputed teacher in the block's run folder. */
export const TEACHER_CACHE_FILE = "teacher-cache.bin";
/** File name of the analysis in the block's run folder. */
export const ANALYSIS_FILE = "distill-analysis.json";

/**
 * The teacher's hidden states at the positions the student trains, over its training examples:
 * read from <run>/<block>/teacher-cache.bin while the teacher's weights and the data are the same,
 * else computed (and saved there). Without a run the cache stays in memory.
 */
export function precomputeTeacher(
  run: Run | undefined,
  block: string,
  teacher: SequenceNetwork,
  examples: readonly Example[],
  positions: "all" | "last",
): TeacherCache {
  const path = run ? join(run.dir, block, TEACHER_CACHE_FILE) : null;
  const started = performance.now();
  const built = loadOrBuildTeacherCache(teacher, examples, positions, path);
  run?.log(
    `${block}: teacher outputs ${built.loaded ? "loaded from" : "precomputed to"} ${path ?? "memory"} ` +
      `(${built.cache.rows.toLocaleString("en-US")} positions × ${built.cache.embedding}, ${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  return built.cache;
}

/**
 * The distilled student of a distill block whose student is sequential (the runtime's
 * SequentialModel) or two-tower, from the block's IR data. `run` gives the folder for the
 * precompute cache and the log. A distilled teacher teaches with its student.
 */
export function buildDistill(
  block: BlockSpec,
  data: PreparedData,
  teacher: RecModel,
  run?: Run,
  parts: StudentParts = {},
): DistillModel | TwoTowerDistillModel {
  const a = block.attributes as unknown as DistillAttributes;
  if (a.student.type === "two_tower") return buildTwoTowerDistill(block, data, teacher, run, parts.towers);
  if (a.student.type !== "sequential") {
    throw new Error(`distill ${block.name}: student type "${a.student.type}" is not built here (sequential and two_tower only; the compiler emits ranking students)`);
  }
  const teacherModel = teacherNetwork(teacher, SequentialModel, "sequential", block.name);
  const seed = typeof block.train?.seed === "number" ? block.train.seed : 0;
  const student = sequentialModel(a.student.attributes as unknown as SequentialConfig, data, seed, block.name);
  if (student.config.loss.type !== "softmax") {
    throw new Error(`distill ${block.name}: the student needs loss = softmax (the distillation term is over the whole catalogue), got ${student.config.loss.type}`);
  }
  const transform = a.teacher_transform;
  // A cache only when the teacher's forward pass is needed at all (α > 0, a transform that reads it).
  const cache =
    a.precompute && a.alpha > 0 && needsTeacherProbabilities(transform) ? precomputeTeacher(run, block.name, teacherModel, student.trainingExamples, student.config.positions) : null;
  run?.log(
    `${block.name}: distilling ${teacherModel.name} → student (τ = ${a.temperature}, α = ${a.alpha}, teacher transform ${transformLabel(transform)}` +
      `${cache ? ", precomputed" : ""})`,
  );
  const settings = {
    temperature: a.temperature,
    alpha: a.alpha,
    transform,
    positions: student.config.positions,
    labelSmoothing: student.config.loss.label_smoothing,
    teacherEncoder: transformerConfig(teacherModel.config.encoder, teacherModel.config.embedding),
  };
  return new DistillModel(student, teacherModel, settings, cache, block.name);
}

/** A two-tower student from its (smaller) tower blocks, distilled on the in-batch candidates. */
export function buildTwoTowerDistill(
  block: BlockSpec,
  data: PreparedData,
  teacher: RecModel,
  run: Run | undefined,
  towers: { user: BlockSpec; item: BlockSpec } | undefined,
): TwoTowerDistillModel {
  const a = block.attributes as unknown as DistillAttributes;
  if (towers === undefined) throw new Error(`distill ${block.name}: a two-tower student needs its tower blocks`);
  const inner = teacher instanceof TwoTowerDistillModel ? teacher.student : teacher;
  if (!isInBatchTeacher(inner)) throw new Error(`distill ${block.name}: teacher ${teacher.name} is not a two_tower model like the student`);
  const teacherModel = inner;
  const seed = typeof block.train?.seed === "number" ? block.train.seed : 0;
  const tower = (b: BlockSpec) => ({ type: b.type, attributes: b.attributes }) as never;
  const config = a.student.attributes as unknown as TwoTowerConfig | ModelBlock<TwoTowerConfig>;
  const student = twoTowerModel(config, { user: tower(towers.user), item: tower(towers.item) }, data, seed, block.name);
  run?.log(
    `${block.name}: distilling ${teacherModel.name} → two-tower student (towers ${towers.user.name}, ${towers.item.name}; ` +
      `τ = ${a.temperature}, α = ${a.alpha}, teacher transform ${transformLabel(a.teacher_transform)} on the in-batch candidates)`,
  );
  return new TwoTowerDistillModel(student, teacherModel, { temperature: a.temperature, alpha: a.alpha, transform: a.teacher_transform }, block.name);
}

/**
 * Loads the teacher's weights from the block's `checkpoint` (a weights folder with model.json, or a
 * run folder of the teacher with model/ inside), resolved from the spec's folder. Returns false
 * when the block has no checkpoint, so the program trains the teacher instead.
 */
export function loadTeacherCheckpoint(run: Run, teacher: RecModel, block: BlockSpec): boolean {
  const checkpoint = (block.attributes as unknown as DistillAttributes).checkpoint;
  if (checkpoint === null || checkpoint === undefined) return false;
  const dir = isAbsolute(checkpoint) ? checkpoint : resolve(run.specDir, checkpoint);
  const weights = existsSync(join(dir, "model.json")) ? dir : modelDir(dir);
  loadModel(teacher, weights);
  run.log(`${block.name}: teacher ${teacher.name} loaded from ${weights}`);
  return true;
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
  const { temperature, alpha, transform } = model.settings;
  const seed = options.seed;
  const reweighting = await gradientReweighting(model.student, model.teacher, transform, data.split.train, {
    maxExamples: options.examples ?? 2000,
    seed,
  });
  const similarity = outputSimilarity(model.teacher, model.student, { sample: options.items ?? 100, seed, counts: data.trainCounts });
  const result: DistillAnalysis = {
    block: model.name,
    teacher: model.teacher.name,
    temperature,
    alpha,
    transform: transformLabel(transform),
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

/** The teacher's network, of the student's kind; a distilled model teaches with its student. */
function teacherNetwork<T extends RecModel>(teacher: RecModel, kind: abstract new (...args: never[]) => T, kindName: string, name: string): T {
  const inner =
    teacher instanceof DistillModel || teacher instanceof TwoTowerDistillModel ? teacher.student : teacher;
  if (!(inner instanceof kind)) {
    throw new Error(`distill ${name}: teacher ${teacher.name} is not a ${kindName} model like the student`);
  }
  return inner;
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toFixed(3) : "n/a";
}
