// Public entry of the IR contract: the IR document types, the attribute types generated from the
// signature tables, narrowing from loose to typed blocks, experiment cells, and the validator. Both
// the compiler and the runtime import from here; nothing reachable from it imports compiler code.
export * from "./ir.js";
export * from "./attributes.generated.js";
export { isBlock, blockOf, typed, type BlockOf, type ConstructorOf } from "./narrow.js";
export { blockProblems, evaluationProblems } from "./conformance.js";
export { validateIr, assertValidIr, type IrValidation } from "./validate-ir.js";
export { interactionsFormat, type InteractionsFormat } from "./interactions-format.js";
export { dataPathCandidates, PACKAGE_ROOT } from "./data-path-candidates.js";
export { gridConfigurations, seedSets, reportEvaluations, type GridConfiguration } from "./experiment-grid.js";
