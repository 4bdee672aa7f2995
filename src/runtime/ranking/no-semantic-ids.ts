// The error of a ranking model whose quantizer has no Semantic IDs yet. Takes the model's and the
// quantizer's names; never returns (generated code writes `sid.table ?? noSemanticIds(…)`).
export function noSemanticIds(model: string, quantizer: string): never {
  throw new Error(`model ${model}: quantizer ${quantizer} has no Semantic IDs (train or restore it first)`);
}
