// Public API of distillation that generated programs call: the distilled models (a student
// trained on the teacher's transformed outputs) and the teacher transforms.
export { DistillModel, type SequenceDistillSettings } from "./distill-model.js";
export { RankingDistillModel } from "./ranking-distill.js";
export { outputTable, embeddingOf, type SequenceNetwork } from "./sequence-network.js";
export { DistilledStudent, type DistillSettings } from "./distilled-student.js";
export { type TeacherTransform } from "./transforms.js";
