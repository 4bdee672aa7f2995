// How many users a data set loses before training, and why, in words a spec author acts on. Takes
// the store, `min_length` and the split that was made; gives the counts, the RunError (RS6020) for
// a data set that leaves nothing to train on or nothing to validate on where `early_stop` needs it,
// and the warning for a split that came out empty while training still can go on. Messages name
// the dataset block and the attribute to change (`events.min_length`), never internal fields.
import { RunError } from "../errors/run-error.js";
import type { InteractionStore } from "./interactions.js";
import type { Split } from "./split.js";

/** Items a user needs to give a train, a validation and a test example. */
export const EVAL_LENGTH = 3;

export interface UserCoverage {
  /** Users in the data. */
  readonly users: number;
  readonly minLength: number;
  /** Users dropped for having fewer than minLength interactions. */
  readonly belowMinLength: number;
  /** Users kept who have fewer than EVAL_LENGTH interactions: training only. */
  readonly trainOnly: number;
  /** Most interactions any user has. */
  readonly longest: number;
}

export function userCoverage(store: InteractionStore, minLength: number): UserCoverage {
  let belowMinLength = 0;
  let trainOnly = 0;
  let longest = 0;
  for (let u = 0; u < store.numUsers; u++) {
    const n = store.offsets[u + 1] - store.offsets[u];
    longest = Math.max(longest, n);
    if (n < minLength) belowMinLength++;
    else if (n < EVAL_LENGTH) trainOnly++;
  }
  return { users: store.numUsers, minLength, belowMinLength, trainOnly, longest };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** Nothing to train on: every user dropped by min_length (or every training item held out cold). */
export function noTrainingError(dataset: string, c: UserCoverage, coldStart: number): RunError {
  if (c.belowMinLength === c.users) {
    return new RunError(
      "RS6020",
      `dataset \`${dataset}\`: min_length = ${c.minLength} drops all ${plural(c.users, "user")} (the longest has ${plural(c.longest, "interaction")}); nothing to train on`,
      { help: `lower \`${dataset}.min_length\` to ${c.longest} or less` },
    );
  }
  return new RunError(
    "RS6020",
    `dataset \`${dataset}\`: cold_start = ${coldStart} holds out every item of the training examples of the ${plural(c.users - c.belowMinLength, "user")} kept; nothing to train on`,
    { help: `lower \`${dataset}.cold_start\`` },
  );
}

/** Why the users kept give no validation or test example, or "" when some do. */
function whyNoEvaluation(c: UserCoverage): string {
  const kept = c.users - c.belowMinLength;
  const dropped = c.belowMinLength > 0 ? `; min_length = ${c.minLength} dropped ${c.belowMinLength} of ${plural(c.users, "user")}` : "";
  return `${kept === c.trainOnly ? "all" : c.trainOnly} of the ${plural(kept, "user")} kept have fewer than ${EVAL_LENGTH} interactions, the least that gives a validation and a test example${dropped}`;
}

/** The splits that came out empty while training has examples, as one warning line (null: none). */
export function emptySplitWarning(dataset: string, split: Split, c: UserCoverage): string | null {
  const empty = (["validation", "test"] as const).filter((s) => split[s].length === 0);
  if (empty.length === 0) return null;
  return `dataset \`${dataset}\`: no ${empty.join(" and no ")} examples: ${whyNoEvaluation(c)}; evaluations of ${empty.map((s) => `${dataset}.${s}`).join(" and ")} will be empty`;
}

/** What needs the validation examples: a model's `early_stop`, or IDW weighting's stopping rule. */
export type ValidationUse = "early_stop" | "idw";

/** A model's `early_stop` (or IDW weighting) needs validation examples the data set did not give. */
export function noValidationError(model: string, dataset: string, c: UserCoverage | undefined, use: ValidationUse = "early_stop"): RunError {
  const why = c === undefined ? "" : `: ${whyNoEvaluation(c)}`;
  const need = use === "early_stop" ? "early_stop needs validation examples" : "IDW weighting stops on a validation hit rate and needs validation examples";
  const longer = `use data whose users have at least ${EVAL_LENGTH} interactions`;
  return new RunError("RS6020", `model \`${model}\`: ${need}, and dataset \`${dataset}\` gives none${why}`, {
    help:
      use === "early_stop" ? `remove \`${model}.train.early_stop\` (and train a fixed number of epochs), or ${longer}` : `${longer}, or another \`weighting\``,
  });
}

/** A model that finds no training example in the data set's training split. */
export function noModelExamplesError(model: string, dataset: string, c: UserCoverage | undefined): RunError {
  const kept = c === undefined ? "" : ` (${plural(c.users - c.belowMinLength, "user")} kept, the longest with ${plural(c.longest, "interaction")})`;
  return new RunError(
    "RS6020",
    `model \`${model}\` has no training examples in dataset \`${dataset}\`${kept}: each needs a history of at least one item before its target`,
    {
      help: `use data whose users have at least 2 interactions (and \`${dataset}.min_length\` ≥ 2 to drop the others)`,
    },
  );
}
