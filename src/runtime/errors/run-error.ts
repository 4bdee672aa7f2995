// The base class of every run-time failure the user can act on (bad data, a missing run, a
// diverging loss, …). Takes a code from run-codes.ts, a message, an optional help line and the run
// context known where it is thrown; outer layers add what they know (spec, run folder, block) with
// withContext. The CLI reports a RunError as a diagnostic (exit 1); any other Error is a bug.
import type { RunCode } from "./run-codes.js";

/** Where a run was when it failed; each part only when known. Lines, columns, steps and epochs
 * count from 1. */
export interface RunContext {
  spec?: string;
  runDir?: string;
  block?: string;
  step?: number;
  epoch?: number;
  file?: string;
  line?: number;
  column?: number;
}

export interface RunErrorOptions {
  help?: string;
  context?: RunContext;
  cause?: unknown;
}

export class RunError extends Error {
  readonly code: RunCode;
  readonly help?: string;
  private ownContext: RunContext;

  constructor(code: RunCode, message: string, options: RunErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    if (options.help !== undefined) this.help = options.help;
    this.ownContext = definedOnly(options.context ?? {});
  }

  get context(): Readonly<RunContext> {
    return this.ownContext;
  }

  /** Fills in context parts not yet known; what the thrower (the inner layer) set wins. */
  withContext(outer: RunContext): this {
    this.ownContext = { ...definedOnly(outer), ...this.ownContext };
    return this;
  }
}

function definedOnly(context: RunContext): RunContext {
  return Object.fromEntries(Object.entries(context).filter(([, v]) => v !== undefined)) as RunContext;
}
