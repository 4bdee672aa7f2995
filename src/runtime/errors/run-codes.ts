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
  RS6010: { title: "GPU device error", summary: "the WebGPU device rejected or lost work (an op over its limits, or the device was lost)" },
  RS6030: {
    title: "run configuration changed",
    summary: "`--resume` on a run whose recorded configuration differs from the spec's (add --force to continue anyway)",
  },
  RS6031: { title: "run in use", summary: "another live process holds the run folder's lock (training, resuming or evaluating it)" },
  RS6032: { title: "run of another spec file", summary: "the runs folder's runs of this spec name were made from a different spec file" },
  RS6033: { title: "cannot write the run", summary: "the disk holding the runs folder is full, read-only or over its quota" },
  RS6040: { title: "unknown user", summary: "`recommend` was given a user id that the run's data set does not hold" },
  RS6041: { title: "model cannot be exported", summary: "`export` was asked for a model whose scores are not dot products of user and item vectors" },
  RS6014: { title: "training interrupted", summary: "Ctrl-C or SIGTERM stopped training after a checkpoint; `--resume` continues it" },
  RS6020: { title: "no examples left", summary: "a data set leaves no users to train on, or none to validate on where `early_stop` needs them" },
  RS6021: { title: "data too large", summary: "a data file or generated data set needs more memory than the process can hold" },
} as const satisfies Record<`RS6${string}`, { title: string; summary: string }>;

export type RunCode = keyof typeof RUN_CODES;
