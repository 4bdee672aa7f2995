// Program stages of a `distill` block, for generated code. Takes the IR block (attributes teacher
// {ref}, student {model, type, overrides, attributes}, temperature, alpha, teacher_transform,
// precompute, checkpoint; plus train), the prepared data, the *trained* teacher model and the
// student's parts (a two-tower student's tower blocks, a ranking student's item inputs); gives the
// distilled student as a RecModel (trained with trainBlock like any model), a loader for a teacher
// given by `checkpoint`, and the analysis of what a sequential student took from the teacher,
// written to <run>/<block>/distill-analysis.json.
// Students: sequential (full softmax, DistillModel), two_tower (in-batch softmax,
// TwoTowerDistillModel) and ranking (logistic head, RankingDistillModel); the checker keeps every
// other combination out.
//
// Order a program must keep: teacher built → teacher trained (trainBlock) or restored (restoreBlock,
// or loadTeacherCheckpoint when `checkpoint` is set) → buildDistill → trainBlock(student) →
// evaluate → analyzeDistill. buildDistill runs the teacher over the training split at once when
// `precompute` is set, so the teacher's weights must be final by then.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { DistillModel } from "../distill/distill-model.js";
import { RankingDistillModel } from "../distill/ranking-distill.js";
import { TwoTowerDistillModel } from "../distill/two-tower-distill.js";
import { gradientReweighting, outputSimilarity, type ReweightingAnalysis, type SimilarityAnalysis } from "../distill/analysis.js";
import { loadOrBuildTeacherCache, type TeacherCache } from "../distill/teacher-cache.js";
import { needsTeacherProbabilities, transformLabel, type TeacherTransform } from "../distill/transforms.js";
import type { ModelBlock, SequentialConfig, TwoTowerConfig } from "../models/config.js";
import type { RecModel } from "../models/rec-model.js";
import { SequentialModel, sequentialModel } from "../models/sequential.js";
import { TwoTowerModel, twoTowerModel } from "../models/two-tower.js";
import { RankingModel } from "../ranking/ranking-model.js";
import { loadModel, modelDir } from "../pipeline/model-weights.js";
import type { PreparedData } from "../pipeline/prepare-data.js";
import type { Run } from "./run.js";
import { buildRankingModel } from "./stages.js";
import type { ItemFeatures, Quantizer } from "./stages-tiger.js";
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

/** What a student is built from besides its attributes, as the generated program has it. */
export interface StudentParts {
  /** A two-tower student's tower blocks. */
  towers?: { user: BlockSpec; item: BlockSpec };
  /** A ranking student's item inputs by block name (it picks the ones its `item` names). */
  quantizers?: Record<string, Quantizer>;
  features?: Record<string, ItemFeatures>;
}

/** File name of the precomputed teacher in the block's run folder. */
export const TEACHER_CACHE_FILE = "teacher-cache.bin";
/** File name of the analysis in the block's run folder. */
export const ANALYSIS_FILE = "distill-analysis.json";

/**
 * The distilled student of a distill block. `run` gives the folder for the precompute cache
 * (<run>/<block>/teacher-cache.bin, reused by a later run or resume while the teacher's weights and
 * the data are the same) and the log; without it the cache stays in memory. `parts` are what a
 * two-tower or ranking student is built from.
 */
export function buildDistill(
  block: BlockSpec,
  data: PreparedData,
  teacher: RecModel,
  run?: Run,
  parts: StudentParts = {},
): DistillModel | TwoTowerDistillModel | RankingDistillModel {
  const a = block.attributes as unknown as DistillAttributes;
  if (a.student.type === "two_tower") return buildTwoTowerDistill(block, data, teacher, run, parts.towers);
  if (a.student.type === "ranking") return buildRankingDistill(block, data, teacher, run, parts);
  if (a.student.type !== "sequential") {
    throw new Error(`distill ${block.name}: student type "${a.student.type}" is not supported (sequential, two_tower and ranking only)`);
  }
  const teacherModel = teacherNetwork(teacher, SequentialModel, "sequential", block.name);
  const seed = typeof block.train?.seed === "number" ? block.train.seed : 0;
  const student = sequentialModel(a.student.attributes as unknown as SequentialConfig, data, seed, block.name);
  let cache: TeacherCache | null = null;
  const transform = a.teacher_transform;
  // A cache only when the teacher's forward pass is needed at all (α > 0, a transform that reads it).
  if (a.precompute && a.alpha > 0 && needsTeacherProbabilities(transform)) {
    const path = run ? join(run.dir, block.name, TEACHER_CACHE_FILE) : null;
    const started = performance.now();
    const built = loadOrBuildTeacherCache(teacherModel, student.trainingExamples, student.config.positions, path);
    cache = built.cache;
    run?.log(
      `${block.name}: teacher outputs ${built.loaded ? "loaded from" : "precomputed to"} ${path ?? "memory"} ` +
        `(${cache.rows.toLocaleString("en-US")} positions × ${cache.embedding}, ${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
  }
  run?.log(
    `${block.name}: distilling ${teacherModel.name} → student (τ = ${a.temperature}, α = ${a.alpha}, teacher transform ${transformLabel(transform)}` +
      `${cache ? ", precomputed" : ""})`,
  );
  return new DistillModel(student, teacherModel, { temperature: a.temperature, alpha: a.alpha, transform }, cache, block.name);
}

function buildTwoTowerDistill(
  block: BlockSpec,
  data: PreparedData,
  teacher: RecModel,
  run: Run | undefined,
  towers: { user: BlockSpec; item: BlockSpec } | undefined,
): TwoTowerDistillModel {
  const a = block.attributes as unknown as DistillAttributes;
  if (towers === undefined) throw new Error(`distill ${block.name}: a two-tower student needs its tower blocks`);
  const teacherModel = teacherNetwork(teacher, TwoTowerModel, "two_tower", block.name);
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

function buildRankingDistill(block: BlockSpec, data: PreparedData, teacher: RecModel, run: Run | undefined, parts: StudentParts): RankingDistillModel {
  const a = block.attributes as unknown as DistillAttributes;
  const teacherModel = teacherNetwork(teacher, RankingModel, "ranking", block.name);
  // The student as a ranking block of its own: named and seeded as the distill block.
  const studentBlock: BlockSpec = { ...block, kind: "model", type: "ranking", attributes: a.student.attributes };
  const student = buildRankingModel(studentBlock, data, { quantizers: parts.quantizers ?? {}, features: parts.features ?? {} }) as RankingModel;
  run?.log(
    `${block.name}: distilling ${teacherModel.name} → ranking student (τ = ${a.temperature}, α = ${a.alpha}, ` +
      `teacher transform ${transformLabel(a.teacher_transform)} on the logistic head)`,
  );
  return new RankingDistillModel(student, teacherModel, { temperature: a.temperature, alpha: a.alpha, transform: a.teacher_transform }, block.name);
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
 * Runs both analyses of analysis.ts on the trained student and writes them as JSON to
 * <run>/<block>/distill-analysis.json (plot data: bins of teacher confidence vs gradient ratio; two
 * cosine matrices and their correlation). Two-tower and ranking students have none: null, logged.
 */
export async function analyzeDistill(
  run: Run,
  model: RecModel,
  data: PreparedData,
  block: BlockSpec,
  options: { examples?: number; items?: number } = {},
): Promise<DistillAnalysis | null> {
  if (!(model instanceof DistillModel)) {
    if (!(model instanceof TwoTowerDistillModel || model instanceof RankingDistillModel)) throw new Error(`analyzeDistill: ${block.name} is not a distilled model`);
    // Both analyses read a catalogue softmax and its output layer; two-tower and ranking models have neither.
    run.log(`${block.name}: distillation analysis skipped (it needs a sequential student)`);
    return null;
  }
  const a = block.attributes as unknown as DistillAttributes;
  const seed = typeof block.train?.seed === "number" ? block.train.seed : 0;
  const reweighting = await gradientReweighting(model.student, model.teacher, a.teacher_transform, data.split.train, {
    maxExamples: options.examples ?? 2000,
    seed,
  });
  const similarity = outputSimilarity(model.teacher, model.student, { sample: options.items ?? 100, seed, counts: data.trainCounts });
  const result: DistillAnalysis = {
    block: block.name,
    teacher: model.teacher.name,
    temperature: a.temperature,
    alpha: a.alpha,
    transform: transformLabel(a.teacher_transform),
    reweighting,
    similarity,
  };
  const dir = join(run.dir, block.name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, ANALYSIS_FILE), `${JSON.stringify(result)}\n`);
  run.log(
    `${block.name}: analysis → ${join(dir, ANALYSIS_FILE)} (gradient ratio vs teacher confidence r = ${fmt(reweighting.correlation)}; ` +
      `teacher/student item-similarity correlation ${fmt(similarity.correlation)})`,
  );
  return result;
}

/** The teacher's network, of the student's kind; a distilled model teaches with its student. */
function teacherNetwork<T extends RecModel>(teacher: RecModel, kind: abstract new (...args: never[]) => T, kindName: string, name: string): T {
  const inner =
    teacher instanceof DistillModel || teacher instanceof TwoTowerDistillModel || teacher instanceof RankingDistillModel ? teacher.student : teacher;
  if (!(inner instanceof kind)) {
    throw new Error(`distill ${name}: teacher ${teacher.name} is not a ${kindName} model like the student`);
  }
  return inner;
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toFixed(3) : "n/a";
}
