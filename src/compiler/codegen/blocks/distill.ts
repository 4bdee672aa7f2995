// `distill NAME = distill(teacher: …, student: …) {…}`: the distilled student, its kind decided
// here. A sequential or ranking student is spelled out: its own class (blocks/sequential.ts,
// blocks/ranking.ts) and the runtime's DistillModel / RankingDistillModel with τ, α and the teacher
// transform inline, the teacher passed directly (a distilled teacher teaches with its student); a
// sequential student also gets the teacher's precomputed outputs and the analysis after training.
// Two-tower students are still built by the runtime from the block's constant. Takes the block;
// gives its code.
import type { IRBlock } from "../../../ir/ir.js";
import type { Value } from "../../check/types.js";
import { literal } from "../literal.js";
import { type BlockCode, type EmitContext, describe, refName } from "./block-code.js";
import { blockConstant, configuredCode } from "./configured.js";
import { rankingClass } from "./ranking.js";
import { sequentialClass } from "./sequential.js";
import { trainCode, trainedModelCode } from "./train.js";

interface Student {
  type: string;
  attributes: Record<string, Value>;
}

function studentType(block: IRBlock): string | null {
  return block.kind === "distill" ? (block.attributes.student as unknown as Student).type : null;
}

/** Whether a block's value is a distilled ranker (evaluated, and teaching, through its student). */
export function isRankingDistill(block: IRBlock): boolean {
  return studentType(block) === "ranking";
}

/** How a teacher transform reads in logs (as the runtime's transformLabel): `full`, `topk(k=10)`. */
function transformLabel(transform: Record<string, Value>): string {
  const settings = Object.entries(transform).filter(([k]) => k !== "type");
  return settings.length === 0 ? String(transform.type) : `${String(transform.type)}(${settings.map(([k, v]) => `${k}=${String(v)}`).join(", ")})`;
}

/** The student network's class name: `StudentNetwork` for `distill student`. */
function networkClass(block: IRBlock, ctx: EmitContext): string {
  return ctx.exported("class", block.name, (p) => `${p}Network`);
}

function sequentialDistillCode(block: IRBlock, ctx: EmitContext): BlockCode {
  const a = block.attributes;
  const student = a.student as unknown as Student;
  const data = ctx.block(block.dataset);
  const dataVar = ctx.variable(data.name);
  const teacherBlock = ctx.block(refName(a.teacher));
  const teacher = ctx.variable(teacherBlock.name);
  const teacherNet = studentType(teacherBlock) === "sequential" ? `${teacher}.student` : teacher;
  const training = trainCode(block, ctx);
  const seed = training.seed;
  const cls = networkClass(block, ctx);
  const encoderConst = ctx.exported("encoder", block.name, (_p, c) => `${c}Encoder`);
  // The teacher's transformer constant, emitted with its class (or its student's) earlier in model.ts.
  const teacherEncoder = ctx.exported("encoder", teacherBlock.name, (_p, c) => `${c}Encoder`);
  const maker = ctx.exported("make", block.name, (p) => `build${p}`);
  const made = sequentialClass(student.attributes, block.name, seed, `The student network of ${describe(block)}`, cls, encoderConst, ctx);
  const loss = student.attributes.loss as Record<string, Value>;
  if (loss.type !== "softmax") throw new Error(`distill ${block.name}: the student needs loss = softmax (the distillation term is over the whole catalogue)`);
  const transform = a.teacher_transform as Record<string, Value>;
  const label = transformLabel(transform);
  const alpha = Number(a.alpha);
  const positions = String(student.attributes.positions);
  // The teacher's pass is needed only with α > 0 and a transform that reads its probabilities.
  const precompute = a.precompute === true && alpha > 0 && ["full", "pt", "topk"].includes(String(transform.type));
  const settings = `{ temperature: ${literal(a.temperature)}, alpha: ${literal(a.alpha)}, transform: ${literal(transform as Value)}, positions: ${literal(positions)}, labelSmoothing: ${literal(loss.label_smoothing)}, teacherEncoder: ${teacherEncoder} }`;
  const message = `${block.name}: distilling ${teacherBlock.name} → student (τ = ${String(a.temperature)}, α = ${String(a.alpha)}, teacher transform ${label}${precompute ? ", precomputed" : ""})`;
  const fn = `/**
 * ${describe(block)}: the student trains on L = (1−α)·CE(y, q) + α·τ²·KL(T(p^t_τ) ‖ q_τ) at ${positions === "all" ? "every position" : "the last position"},
 * τ = ${String(a.temperature)}, α = ${String(a.alpha)}, T = \`${label}\` of the teacher's softmax${precompute ? "; the teacher's hidden states are computed once over the training split" : ""}.
 */
export function ${maker}(${dataVar}: PreparedData, ${teacher}: ${teacherBlock.kind === "distill" ? "DistillModel" : "SequenceNetwork"}, run: Run): DistillModel {
  const student = new ${cls}(${dataVar});
  const cache = ${precompute ? `precomputeTeacher(run, ${literal(block.name)}, ${teacherNet}, student.trainingExamples, ${literal(positions)})` : "null"};
  run.log(${literal(message)});
  return new DistillModel(student, ${teacherNet}, ${settings}, cache, ${literal(block.name)});
}`;
  const code = trainedModelCode(
    block,
    ctx,
    {
      type: "DistillModel",
      declarations: [...made.declarations, fn],
      exports: [cls, maker],
      make: `${maker}(${dataVar}, ${teacher}, run)`,
      modelImports: [...made.modelImports, "DistillModel", ...(precompute ? ["precomputeTeacher"] : [])],
      modelTypeImports: [...made.modelTypeImports, "Run", "SequenceNetwork"],
    },
    training,
  );
  // After training, how the student's output layer and predictions relate to the teacher's.
  return {
    ...code,
    train: [...code.train, `await analyzeDistill(run, ${code.variable}, ${dataVar}, { seed: ${training.seed} });`],
    trainImports: [...code.trainImports, "analyzeDistill"],
  };
}

function rankingDistillCode(block: IRBlock, ctx: EmitContext): BlockCode {
  const a = block.attributes;
  const student = a.student as unknown as Student;
  const data = ctx.block(block.dataset);
  const dataVar = ctx.variable(data.name);
  const teacherBlock = ctx.block(refName(a.teacher));
  const teacher = ctx.variable(teacherBlock.name);
  // A distilled teacher teaches with its student network.
  const teacherNet = isRankingDistill(teacherBlock) ? `${teacher}.student` : teacher;
  const training = trainCode(block, ctx);
  const seed = training.seed;
  const cls = networkClass(block, ctx);
  const maker = ctx.exported("make", block.name, (p) => `build${p}`);
  const made = rankingClass(student.attributes, cls, block.name, seed, Number(data.attributes.history), ctx, `The ranking student of ${describe(block)}.`);
  const transform = a.teacher_transform as Record<string, Value>;
  const settings = { temperature: a.temperature, alpha: a.alpha, transform };
  const label = transformLabel(transform);
  const params = [`${dataVar}: PreparedData`, `${teacher}: ${teacherBlock.kind === "distill" ? "RankingDistillModel" : "PairwiseRanker"}`, ...made.inputs.map((i) => `${i.name}: ${i.type}`), "run: Run"];
  const message = `${block.name}: distilling ${teacherBlock.name} → ranking student (τ = ${String(a.temperature)}, α = ${String(a.alpha)}, teacher transform ${label} on the logistic head)`;
  const fn = `/**
 * ${describe(block)}: the student trains on (1−α)·BCE + α·τ²·KL(Bernoulli(p_t) ‖ Bernoulli(σ(z_s/τ)))
 * over its own pairs, with τ = ${String(a.temperature)}, α = ${String(a.alpha)} and the teacher's pair probabilities through \`${label}\`.
 */
export function ${maker}(${params.join(", ")}): RankingDistillModel {
  const student = new ${cls}(${[dataVar, ...made.inputs.map((i) => i.name)].join(", ")});
  run.log(${literal(message)});
  return new RankingDistillModel(student, ${teacherNet}, ${literal(settings as Value)}, ${literal(block.name)});
}`;
  return trainedModelCode(
    block,
    ctx,
    {
      type: "RankingDistillModel",
      declarations: [made.declaration, fn],
      exports: [cls, maker],
      make: `${maker}(${[dataVar, teacher, ...made.inputs.map((i) => i.name), "run"].join(", ")})`,
      modelImports: [...made.modelImports, "RankingDistillModel"],
      modelTypeImports: [...made.modelTypeImports, "Run"],
    },
    training,
  );
}

export function distillCode(block: IRBlock, ctx: EmitContext): BlockCode {
  if (studentType(block) === "sequential") return sequentialDistillCode(block, ctx);
  if (studentType(block) === "ranking") return rankingDistillCode(block, ctx);
  const data = ctx.variable(block.dataset);
  const teacher = ctx.variable(refName(block.attributes.teacher));
  const student = block.attributes.student as unknown as Student;
  const params = [{ name: data, type: "PreparedData" }, { name: teacher, type: "RecModel" }, { name: "run", type: "Run" }];
  const user = blockConstant(ctx.block(refName(student.attributes.user)), ctx).name;
  const item = blockConstant(ctx.block(refName(student.attributes.item)), ctx).name;
  const parts = `, { user: ${user}, item: ${item} }`;
  const code = configuredCode(block, ctx, {
    type: "RecModel",
    verb: "build",
    params,
    body: (config) => `return buildTwoTowerDistill(${config}, ${data}, ${teacher}, run${parts});`,
    doc: `Builds ${describe(block)} with freshly initialised weights.`,
    runtime: ["buildTwoTowerDistill"],
    // Training is added by trainedModelCode.
    train: () => [],
    restore: () => [],
    trainImports: [],
    restoreImports: [],
    disposable: true,
  });
  return trainedModelCode(block, ctx, code);
}
