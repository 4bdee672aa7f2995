// The error for `recspec eval` or `train --resume` when there is nothing to work from: no earlier
// run of the spec, or a run without a block's trained weights. Takes what was wanted and where it
// was looked for; gives a RunError (RS6004 to resume, RS6005 to evaluate).
import { RunError, type RunContext } from "./run-error.js";

export type NoRunPurpose = "resume" | "evaluate";

export class NoRunError extends RunError {
  constructor(purpose: NoRunPurpose, message: string, context: RunContext = {}) {
    super(purpose === "resume" ? "RS6004" : "RS6005", message, {
      help:
        purpose === "resume"
          ? "start a fresh run with `recspec train FILE` (without --resume)"
          : "train first with `recspec run FILE` or `recspec train FILE`, or point --runs at the folder that holds the runs",
      context,
    });
  }
}
