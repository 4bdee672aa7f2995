// What generated programs call to load a `features` block's item vectors.
export { itemContentVectors, type ContentVectorSettings, type FeatureRunContext } from "./item-content-vectors.js";
export { readVectorsFile, type VectorsFileSettings } from "./vectors-file.js";
export { readVectorsJsonl, type ReadVectorsResult, type ReadVectorsOptions } from "./read-vectors.js";
export { checkItemFeatures, type ItemFeatures } from "./item-features.js";
export { AGE_BUCKETS, AGE_BUCKET_EDGES, ageBucket, ItemFeatureLists, UserFeatureRows, type FeatureSource } from "./side-features.js";
