// The diagnostic codes of run-time errors: RS6xxx, the range after the compiler's 1xxx–5xxx (which
// live in src/compiler/diagnostics/codes.ts). Takes nothing; gives the table of codes and titles,
// so docs and tools can list every failure a run can report and a code never changes meaning.

export const RUN_CODES = {
  RS6001: { title: "bad data", summary: "a data file holds a row or value that cannot be used" },
  RS6002: { title: "data file missing or unreadable", summary: "a file the spec names cannot be found or read" },
  RS6003: { title: "non-finite loss", summary: "training diverged: the loss or its gradient became NaN or infinite" },
  RS6004: { title: "nothing to resume", summary: "`--resume` found no earlier run of this spec" },
  RS6005: { title: "no run to evaluate", summary: "`eval` found no run of this spec, or the run has no trained weights" },
  RS6006: { title: "over the memory limit", summary: "a training step needs more memory than the machine can hold" },
  RS6007: { title: "unknown backend", summary: "`--backend` names no backend recspec knows" },
  RS6008: { title: "backend unavailable", summary: "the backend asked for (or every backend) cannot start on this machine" },
  RS6009: { title: "spec does not fit its data", summary: "the spec asks for something its data or trained results cannot give" },
} as const satisfies Record<`RS6${string}`, { title: string; summary: string }>;

export type RunCode = keyof typeof RUN_CODES;
