// Rules about a data set's filters and split. Takes a dataset block (and, for models, the data set
// a model trains on); reports `min_rating` on data without ratings (RS5005), split shares that leave
// nothing to train on (RS4009), and a model family that cannot be evaluated on the split (RS5006).
import type { CheckedBlock } from "./blocks.js";
import type { RuleContext } from "./derive.js";
import type { Value } from "./types.js";

type Rec = Record<string, Value>;

/** Readers that keep a rating per interaction: what `min_rating` can threshold. */
const RATED = new Set(["movielens", "interactions"]);

/** Splits that hold out several items per user: their examples have several targets. */
export const SHARE_SPLITS = new Set(["ratio", "random"]);

export function checkDatasetRules(block: CheckedBlock, a: Rec, ctx: RuleContext): void {
  if (a.min_rating !== null && a.min_rating !== undefined && !RATED.has(block.type)) {
    const kind = `${/^[aeiou]/.test(block.type) ? "an" : "a"} \`${block.type}\``;
    ctx.fail("RS5005", "min_rating", { dataset: block.name, kind }, "remove `min_rating`; `movielens` and `interactions` with a `rating` column have ratings");
  }
  const valid = a.valid_share as number;
  const test = a.test_share as number;
  if (SHARE_SPLITS.has(a.split as string) && valid + test >= 1) {
    ctx.fail(
      "RS4009",
      block.spans.has("test_share") ? "test_share" : "valid_share",
      { what: `\`valid_share\` + \`test_share\` is ${valid + test}, which leaves no item to train on` },
      "keep their sum below 1",
    );
  }
}

/**
 * Ranking models score one target per user against sampled candidates (evaluate-ranking.ts), so
 * a split that holds out several items per user would be scored on its first only.
 */
export function checkModelSplit(model: CheckedBlock, dataset: CheckedBlock | undefined, ctx: RuleContext): void {
  if (model.type !== "ranking" || dataset === undefined) return;
  const split = dataset.attributes.split as string;
  if (!SHARE_SPLITS.has(split)) return;
  const at = dataset.spans.get("split") ?? dataset.node.constructorName.span;
  ctx.failWith(
    "RS5006",
    "data",
    {
      type: model.type,
      dataset: dataset.name,
      reason: `its \`split = ${split}\` holds out several items per user, and a ranking model scores one target per user`,
    },
    [{ file: dataset.file, span: at, message: `\`${dataset.name}\` is split here` }],
    `split \`${dataset.name}\` with \`leave_last_out\` (or \`temporal_window\`), or train a \`sequential\`, \`two_tower\`, \`generative\` or \`matrix_factorization\` model on it`,
  );
}
