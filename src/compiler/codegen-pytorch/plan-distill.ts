// The PyTorch plan of a `distill` block with a sequential student. Takes the IR and the block's
// name; gives the student network as a sequential plan (the SASRec module model.py already
// spells out, under the class `<Name>Network`), the teacher it reads (a sequential model of the
// same spec, trained before it in the same run) and τ, α and the teacher transform with its
// parameter. The teacher's outputs are computed in PyTorch from the trained teacher, in eval mode
// and without gradients, at every step: the same values the TypeScript target's `precompute`
// cache holds, so precompute changes nothing on this side.
import type { TeacherTransformOption } from "../../ir/attributes.generated.js";
import type { IR } from "../../ir/index.js";
import { blockOf, typed } from "../../ir/narrow.js";
import { resolvedEncoder } from "../codegen/blocks/encoder.js";
import { PytorchTargetError, type PySequential } from "./plan.js";
import { pyClass } from "./python.js";

export interface PyDistill {
  readonly family: "distill";
  readonly name: string;
  /** The nn.Module class trained (`StudentModel`): the network class plus the distillation loss. */
  readonly cls: string;
  readonly dataset: string;
  /** The student network: a sequential model whose class is `<Name>Network`. */
  readonly student: PySequential;
  readonly teacher: string;
  readonly teacherCls: string;
  readonly temperature: number;
  readonly alpha: number;
  readonly transform: TeacherTransformOption;
  readonly train: PySequential["train"];
}

export function distillPlan(ir: IR, name: string): PyDistill {
  const block = blockOf(
    ir.blocks.find((b) => b.name === name)!,
    "distill",
    "distill",
  );
  const a = block.attributes;
  const student = a.student;
  if (student.type !== "sequential") {
    throw new PytorchTargetError(`distill \`${name}\` has a ${student.type} student: the PyTorch target distils into sequential students so far`);
  }
  const teacher = ir.blocks.find((b) => b.name === a.teacher.ref)!;
  if (teacher.kind !== "model" || teacher.type !== "sequential") {
    throw new PytorchTargetError(
      `distill \`${name}\`: its teacher \`${teacher.name}\` is ${teacher.kind} ${teacher.type}; the PyTorch target distils from sequential models so far`,
    );
  }
  if (a.checkpoint !== null) {
    throw new PytorchTargetError(`distill \`${name}\`: a teacher loaded from a checkpoint is not covered by the PyTorch target; let the spec train it`);
  }
  const s = student.attributes;
  if (s.loss.type !== "softmax") throw new Error(`internal: distill ${name}: the student needs loss = softmax (the checker reports this)`);
  const train = typed(block).train;
  if (train === null) throw new Error(`internal: distill ${name} has no train settings`);
  const optimizer = train.optimizer.type;
  if (optimizer !== "adam" && optimizer !== "adamw" && optimizer !== "sgd") {
    throw new PytorchTargetError(`distill \`${name}\` uses the ${optimizer} optimizer: the PyTorch target covers adam, adamw and sgd so far`);
  }
  const data = ir.blocks.find((b) => b.name === block.dataset)!;
  const network: PySequential = {
    family: "sequential",
    name,
    cls: pyClass(name, "Network"),
    dataset: data.name,
    embedding: s.embedding,
    history: Number(data.attributes.history),
    encoder: resolvedEncoder(s.encoder, s.embedding),
    labelSmoothing: s.loss.label_smoothing,
    positions: s.positions,
    train,
  };
  return {
    family: "distill",
    name,
    cls: pyClass(name, "Model"),
    dataset: data.name,
    student: network,
    teacher: teacher.name,
    teacherCls: pyClass(teacher.name, "Model"),
    temperature: a.temperature,
    alpha: a.alpha,
    transform: a.teacher_transform,
    train,
  };
}
