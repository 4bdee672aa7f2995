// `distill NAME = distill(teacher: …, student: …) {…}`: the distilled student, its kind decided
// here and spelled out: its own class (blocks/sequential.ts, blocks/ranking.ts, blocks/two-tower.ts)
// and the runtime's DistillModel / RankingDistillModel / TwoTowerDistillModel with τ, α and the
// teacher transform inline — the transform as the one target function that computes it
// (`topkTarget(rows, 10)`, runtime distill/transforms.ts and binary-targets.ts) — the teacher passed
// directly (a distilled teacher teaches with its student); a sequential student also gets the
// teacher's precomputed outputs and the analysis after training. Takes the block; gives its code.
import type { TeacherTransformOption } from "../../../ir/attributes.generated.js";
import type { IRBlock } from "../../../ir/ir.js";
import { type BlockOf, isBlock } from "../../../ir/narrow.js";
import { literal } from "../literal.js";
import { type BlockCode, type EmitContext, describe } from "./block-code.js";
import { rankingClass } from "./ranking.js";
import { sequentialClass } from "./sequential.js";
import { trainCode, trainedModelCode } from "./train.js";
import { twoTowerClass } from "./two-tower.js";

type DistillBlock = IRBlock & BlockOf<"distill", "distill">;
type Student = DistillBlock["attributes"]["student"];

function studentType(block: IRBlock): Student["type"] | null {
  return isBlock(block, "distill", "distill") ? block.attributes.student.type : null;
}

/** Whether a block's value is a distilled ranker (evaluated, and teaching, through its student). */
export function isRankingDistill(block: IRBlock): boolean {
  return studentType(block) === "ranking";
}

/** How a teacher transform reads in logs and analysis files: `full`, `topk(k=10)`. */
function transformLabel(t: TeacherTransformOption): string {
  switch (t.type) {
    case "label_smoothing":
      return `label_smoothing(epsilon=${t.epsilon})`;
    case "sim":
      return `sim(rho=${t.rho})`;
    case "topk":
      return `topk(k=${t.k})`;
    default:
      return t.type;
  }
}

/** A softmax student's teacher transform: the TeacherTarget literal and the runtime function it calls. */
function teacherTarget(t: TeacherTransformOption): { code: string; fn: string; readsProbabilities: boolean } {
  const label = literal(transformLabel(t));
  const made = (fn: string, call: string, readsProbabilities: boolean) => ({
    code: `{ label: ${label}, readsProbabilities: ${readsProbabilities}, of: ${call} }`,
    fn,
    readsProbabilities,
  });
  switch (t.type) {
    case "full":
      return made("fullTarget", "fullTarget", true);
    case "label_smoothing":
      return made("labelSmoothingTarget", `(rows) => labelSmoothingTarget(rows, ${literal(t.epsilon)})`, false);
    case "pt":
      return made("ptTarget", "ptTarget", true);
    case "sim":
      return made("simTarget", `(rows) => simTarget(rows, ${literal(t.rho)})`, false);
    case "topk":
      return made("topkTarget", `(rows) => topkTarget(rows, ${literal(t.k)})`, true);
  }
}

/** A ranking student's teacher transform on its logistic head (the checker allows full and label_smoothing only). */
function binaryTeacherTarget(t: TeacherTransformOption, temperature: number, block: string): { code: string; fn: string } {
  const label = literal(transformLabel(t));
  if (t.type === "full") return { code: `{ label: ${label}, of: (pairs) => fullBinaryTarget(pairs, ${literal(temperature)}) }`, fn: "fullBinaryTarget" };
  if (t.type === "label_smoothing")
    return { code: `{ label: ${label}, of: (pairs) => labelSmoothingBinaryTarget(pairs, ${literal(t.epsilon)}) }`, fn: "labelSmoothingBinaryTarget" };
  throw new Error(`internal: distill ${block}: teacher_transform ${t.type} has no form for a logistic head`);
}

/** The student network's class name: `StudentNetwork` for `distill student`. */
function networkClass(block: IRBlock, ctx: EmitContext): string {
  return ctx.exported("class", block.name, (p) => `${p}Network`);
}

function distillBlock(block: IRBlock): DistillBlock {
  if (!isBlock(block, "distill", "distill")) throw new Error(`internal: ${block.name} is not a distill block`);
  return block;
}

/** The parts every student shares: its data, its teacher (a distilled teacher teaches with its student), training, names. */
function studentParts(block: DistillBlock, ctx: EmitContext) {
  const data = ctx.block(block.dataset);
  const teacherBlock = ctx.block(block.attributes.teacher.ref);
  const teacher = ctx.variable(teacherBlock.name);
  const training = trainCode(block, ctx);
  return {
    data,
    dataVar: ctx.variable(data.name),
    teacherBlock,
    teacher,
    teacherNet: teacherBlock.kind === "distill" ? `${teacher}.student` : teacher,
    training,
    cls: networkClass(block, ctx),
    maker: ctx.exported("make", block.name, (p) => `build${p}`),
  };
}

function sequentialDistillCode(block: DistillBlock, student: Extract<Student, { type: "sequential" }>, ctx: EmitContext): BlockCode {
  const a = block.attributes;
  const { dataVar, teacherBlock, teacher, teacherNet, training, cls, maker } = studentParts(block, ctx);
  const encoderConst = ctx.exported("encoder", block.name, (_p, c) => `${c}Encoder`);
  // The teacher's transformer constant, emitted with its class (or its student's) earlier in model.ts.
  const teacherEncoder = ctx.exported("encoder", teacherBlock.name, (_p, c) => `${c}Encoder`);
  const made = sequentialClass(student.attributes, block.name, training.seed, `The student network of ${describe(block)}`, cls, encoderConst, ctx);
  const loss = student.attributes.loss;
  if (loss.type !== "softmax") throw new Error(`internal: distill ${block.name}: the student needs loss = softmax (the checker reports this)`);
  const label = transformLabel(a.teacher_transform);
  const target = teacherTarget(a.teacher_transform);
  const positions = student.attributes.positions;
  // The teacher's pass is needed only with α > 0 and a transform that reads its probabilities.
  const precompute = a.precompute && a.alpha > 0 && target.readsProbabilities;
  const settings = `{
    temperature: ${literal(a.temperature)},
    alpha: ${literal(a.alpha)},
    target: ${target.code},
    positions: ${literal(positions)},
    labelSmoothing: ${literal(loss.label_smoothing)},
    teacherEncoder: ${teacherEncoder},
  }`;
  const message = `${block.name}: distilling ${teacherBlock.name} → student (τ = ${a.temperature}, α = ${a.alpha}, teacher transform ${label}${precompute ? ", precomputed" : ""})`;
  const fn = `/**
 * ${describe(block)}: the student trains on L = (1−α)·CE(y, q) + α·τ²·KL(T(p^t_τ) ‖ q_τ) at ${positions === "all" ? "every position" : "the last position"},
 * τ = ${a.temperature}, α = ${a.alpha}, T = \`${label}\` of the teacher's softmax${precompute ? "; the teacher's hidden states are computed once over the training split" : ""}.
 */
export ${precompute ? "async " : ""}function ${maker}(${dataVar}: PreparedData, ${teacher}: ${teacherBlock.kind === "distill" ? "DistillModel" : "SequenceNetwork"}, run: Run): ${precompute ? "Promise<DistillModel>" : "DistillModel"} {
  const student = new ${cls}(${dataVar});
  const cache = ${precompute ? `await precomputeTeacher(run, ${literal(block.name)}, ${teacherNet}, student.trainingExamples, ${literal(positions)})` : "null"};
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
      // Precomputing reads the teacher's outputs back awaited, so that maker is async.
      make: `${precompute ? "await " : ""}${maker}(${dataVar}, ${teacher}, run)`,
      modelImports: [...made.modelImports, "DistillModel", target.fn, ...(precompute ? ["precomputeTeacher"] : [])],
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

function rankingDistillCode(block: DistillBlock, student: Extract<Student, { type: "ranking" }>, ctx: EmitContext): BlockCode {
  const a = block.attributes;
  const { dataVar, teacherBlock, teacher, teacherNet, training, cls, maker } = studentParts(block, ctx);
  const made = rankingClass(student.attributes, cls, block.name, training.seed, ctx, `The ranking student of ${describe(block)}.`);
  const label = transformLabel(a.teacher_transform);
  const target = binaryTeacherTarget(a.teacher_transform, a.temperature, block.name);
  const settings = `{ temperature: ${literal(a.temperature)}, alpha: ${literal(a.alpha)}, target: ${target.code} }`;
  const params = [
    `${dataVar}: PreparedData`,
    `${teacher}: ${teacherBlock.kind === "distill" ? "RankingDistillModel" : "PairwiseRanker"}`,
    ...made.inputs.map((i) => `${i.name}: ${i.type}`),
    "run: Run",
  ];
  const message = `${block.name}: distilling ${teacherBlock.name} → ranking student (τ = ${a.temperature}, α = ${a.alpha}, teacher transform ${label} on the logistic head)`;
  const fn = `/**
 * ${describe(block)}: the student trains on (1−α)·BCE + α·τ²·KL(Bernoulli(p_t) ‖ Bernoulli(σ(z_s/τ)))
 * over its own pairs, with τ = ${a.temperature}, α = ${a.alpha} and the teacher's pair probabilities through \`${label}\`.
 */
export function ${maker}(${params.join(", ")}): RankingDistillModel {
  const student = new ${cls}(${[dataVar, ...made.inputs.map((i) => i.name)].join(", ")});
  run.log(${literal(message)});
  return new RankingDistillModel(student, ${teacherNet}, ${settings}, ${literal(block.name)});
}`;
  return trainedModelCode(
    block,
    ctx,
    {
      type: "RankingDistillModel",
      declarations: [made.declaration, fn],
      exports: [cls, maker],
      make: `${maker}(${[dataVar, teacher, ...made.inputs.map((i) => i.name), "run"].join(", ")})`,
      modelImports: [...made.modelImports, "RankingDistillModel", target.fn],
      modelTypeImports: [...made.modelTypeImports, "Run"],
    },
    training,
  );
}

function twoTowerDistillCode(block: DistillBlock, student: Extract<Student, { type: "two_tower" }>, ctx: EmitContext): BlockCode {
  const a = block.attributes;
  const { data, dataVar, teacherBlock, teacher, teacherNet, training, cls, maker } = studentParts(block, ctx);
  const made = twoTowerClass(
    {
      attributes: student.attributes,
      name: block.name,
      cls,
      seed: training.seed,
      history: Number(data.attributes.history),
      heading: `The two-tower student of ${describe(block)}`,
      student: true,
    },
    ctx,
  );
  const label = transformLabel(a.teacher_transform);
  const target = teacherTarget(a.teacher_transform);
  const settings = `{ temperature: ${literal(a.temperature)}, alpha: ${literal(a.alpha)}, target: ${target.code} }`;
  const towers = `${student.attributes.user.ref}, ${student.attributes.item.ref}`;
  const message = `${block.name}: distilling ${teacherBlock.name} → two-tower student (towers ${towers}; τ = ${a.temperature}, α = ${a.alpha}, teacher transform ${label} on the in-batch candidates)`;
  const fn = `/**
 * ${describe(block)}: the student trains on L = (1−α)·CE(y, q) + α·τ²·KL(T(p^t_τ) ‖ q_τ) over each batch's in-batch candidates,
 * τ = ${a.temperature}, α = ${a.alpha}, T = \`${label}\` of the teacher's softmax over the same candidates.
 */
export function ${maker}(${dataVar}: PreparedData, ${teacher}: ${teacherBlock.kind === "distill" ? "TwoTowerDistillModel" : "InBatchTeacher"}, run: Run): TwoTowerDistillModel {
  const student = new ${cls}(${dataVar});
  run.log(${literal(message)});
  return new TwoTowerDistillModel(student, ${teacherNet}, ${settings}, ${literal(block.name)});
}`;
  return trainedModelCode(
    block,
    ctx,
    {
      type: "TwoTowerDistillModel",
      declarations: [made.declaration, fn],
      exports: [cls, maker],
      make: `${maker}(${dataVar}, ${teacher}, run)`,
      modelImports: [...made.modelImports, "TwoTowerDistillModel", target.fn],
      modelTypeImports: [...made.modelTypeImports, "Run", "InBatchTeacher"],
    },
    training,
  );
}

export function distillCode(block: IRBlock, ctx: EmitContext): BlockCode {
  const distill = distillBlock(block);
  const student = distill.attributes.student;
  switch (student.type) {
    case "sequential":
      return sequentialDistillCode(distill, student, ctx);
    case "ranking":
      return rankingDistillCode(distill, student, ctx);
    case "two_tower":
      return twoTowerDistillCode(distill, student, ctx);
    default:
      throw new Error(`internal: distill ${block.name}: a ${student.type} student (the checker reports this)`);
  }
}
