// Public API of distillation that generated programs call: the distilled models (a student
// trained on the teacher's transformed outputs) and the teacher transforms, one function each.
export { DistillModel, type SequenceDistillSettings } from "./distill-model.js";
export { RankingDistillModel } from "./ranking-distill.js";
export { TwoTowerDistillModel, type InBatchStudent, type InBatchTeacher } from "./two-tower-distill.js";
export { outputTable, embeddingOf, type SequenceNetwork } from "./sequence-network.js";
export { DistilledStudent, type DistillSettings } from "./distilled-student.js";
export { fullTarget, labelSmoothingTarget, ptTarget, simTarget, topkTarget, type TargetRows, type TeacherTarget } from "./transforms.js";
export { fullBinaryTarget, labelSmoothingBinaryTarget, type BinaryTeacherTarget, type TargetPairs } from "./binary-targets.js";
