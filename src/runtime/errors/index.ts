// The run-time diagnostics of the runtime's public API: the RunError base class, its code table,
// the subclasses thrown outside one module, and the text and LSP renderers the CLI uses.
export { RUN_CODES, type RunCode } from "./run-codes.js";
export { RunError, type RunContext, type RunErrorOptions } from "./run-error.js";
export { NoRunError, type NoRunPurpose } from "./no-run-error.js";
export { renderRunError, runErrorToLsp, type RunRenderOptions } from "./render-run-error.js";
export { SpecRunError } from "../spec-run-error.js";
export { UnknownBackendError, BackendUnavailableError } from "../backend/backend-errors.js";
export { MemoryLimitError, passLimitBytes, checkPassFits } from "../pipeline/pass-limit.js";
export { NonFiniteLossError, divergenceHelp, type DivergenceSettings } from "./non-finite-loss-error.js";
