// The stage a generated loader calls between reading a data set and splitting it, when its block
// sets `min_rating`, `k_core`, `min_user_interactions` or `min_item_interactions`. Takes the run,
// the block's name, the store read and the thresholds; logs what the filters removed and gives the
// filtered store, or a RunError (RS6020) when they leave no interaction, naming the attributes.
import { filterInteractions, describeFilter, type FilterOptions } from "../data/filter-interactions.js";
import type { InteractionStore } from "../data/interactions.js";
import { RunError } from "../errors/run-error.js";
import type { Run } from "./run.js";

export function filterData(run: Run, name: string, store: InteractionStore, options: FilterOptions): InteractionStore {
  const { store: filtered, summary } = filterInteractions(store, options);
  run.log(`data ${name}: ${describeFilter(summary, options)}`);
  if (filtered.numInteractions === 0) {
    const set = [options.minRating !== null ? "min_rating" : null, summary.rounds > 0 ? "k_core" : null].filter((a) => a !== null);
    const verb = set.length === 1 ? "leaves" : "leave";
    throw new RunError(
      "RS6020",
      `dataset \`${name}\`: ${set.map((a) => `\`${a}\``).join(" and ")} ${verb} none of its ${summary.before.interactions} interactions`,
      {
        help: `lower ${set.map((a) => `\`${name}.${a}\``).join(" or ")}`,
      },
    );
  }
  return filtered;
}
