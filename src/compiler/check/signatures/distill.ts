// Constructor of `distill` blocks: a student trained against a teacher's softened outputs.
import type { Signature } from "../types.js";
import { attr, bool, num, option, positive, ref, required } from "./helpers.js";

export const distillSignatures: Signature[] = [
  {
    name: "distill",
    of: "distill",
    doc: "Knowledge distillation: loss (1−α)·CE(y, q) + α·τ²·KL(p_τ(teacher) ‖ q_τ), with a teacher transform isolating one effect.",
    attributes: [
      required("teacher", ref(["model"]), "The teacher model (trained first, or loaded from `checkpoint`)."),
      required(
        "student",
        { kind: "model_or_override" },
        "The student: a model, or the teacher with attributes overridden (a `two_tower` teacher's towers too: `retrieval { user = small_users  item = small_items }`). A `sequential` student distils over the catalogue softmax, a `two_tower` one over its in-batch candidates, a `ranking` one on its logistic head (`full` or `label_smoothing` only).",
      ),
      attr("temperature", positive, 2, "Softmax temperature τ for teacher and student."),
      attr("alpha", num(0, 1), 0.5, "Weight α of the distillation term."),
      attr("teacher_transform", option("teacher_transform"), { type: "full" }, "What of the teacher's distribution the student sees."),
      attr("precompute", bool, false, "Cache the teacher's outputs to disk once instead of running it every epoch."),
      attr("checkpoint", { kind: "string" }, null, "Load the teacher from this checkpoint directory instead of training it."),
    ],
    nested: ["train"],
  },
];
