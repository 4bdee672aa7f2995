// A problem with a spec or its inputs that shows only when the program runs (it depends on the
// data or on trained results), such as Semantic IDs that do not separate the catalogue, or content
// vectors asked of a data set without item text. Takes a message (and optional help and context);
// gives a RunError with code RS6009, which the CLI prints as a diagnostic and exits 1.
import { RunError, type RunErrorOptions } from "./errors/run-error.js";

export class SpecRunError extends RunError {
  constructor(message: string, options: RunErrorOptions = {}) {
    super("RS6009", message, options);
  }
}
