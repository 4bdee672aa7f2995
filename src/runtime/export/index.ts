// Exporting a trained model for a browser page: its query and item vectors in the TensorFlow.js
// weights format, beside a small inference module, the TensorFlow.js bundles and a demo page.
export { vectorScoring, type VectorScoring } from "./vector-scoring.js";
export { exportVectors, type ExportedVectors } from "./export-vectors.js";
export { exportManifest, type ExportManifest, type ExportInfo, type WeightSpec } from "./export-manifest.js";
export { exportReadme } from "./export-readme.js";
export { writeExport, nonEmptyFolder } from "./write-export.js";
