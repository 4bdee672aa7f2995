// Top-K recommendations for a stream of users, named by their raw ids. Takes the program's
// recommenders (one per model of the spec, by block name), the user ids (a list, or an async
// stream such as a file's lines), K and options; gives one entry per id in input order, batch by
// batch as each batch is scored: the user's items (raw ids) with scores, best first — or, for an
// id the data set does not hold, an error entry (RS6040) in its place, so one unknown id does not
// stop a whole file. Seen items (everything of the user's in the data set) are left out unless
// `includeSeen`.
import type { Run } from "../program/run.js";
import type { Recommender } from "./recommender.js";
import { resolveUsers } from "./user-histories.js";

export type UserIds = Iterable<string> | AsyncIterable<string>;

export interface RecommendOptions {
  /** The model to ask (a block name of the spec); the program's default when absent. */
  readonly model?: string;
  /** Keep the user's own items in the lists (default false: they are left out). */
  readonly includeSeen?: boolean;
  /** Users scored per forward pass (default 256). */
  readonly batchSize?: number;
}

export interface RecommendedItem {
  /** The item's raw id, as in the data files. */
  readonly item: string;
  readonly score: number;
  /** Generative models: the item's Semantic ID (its codes, the collision suffix last). */
  readonly semanticId?: number[];
}

export interface Recommendation {
  readonly user: string;
  readonly model: string;
  /** Best first; fewer than K when fewer items can be recommended. */
  readonly items: readonly RecommendedItem[];
}

export interface UnknownUser {
  readonly user: string;
  readonly error: { readonly code: "RS6040"; readonly message: string };
}

export type UserRecommendation = Recommendation | UnknownUser;

export function isUnknownUser(entry: UserRecommendation): entry is UnknownUser {
  return "error" in entry;
}

/** The recommender `options.model` names, with a plain Error (a caller's bug) for any other name. */
export function pickRecommender(recommenders: Readonly<Record<string, Recommender>>, model: string | undefined): [string, Recommender] {
  const names = Object.keys(recommenders);
  const name = model ?? names[0];
  if (name === undefined || !Object.hasOwn(recommenders, name)) {
    throw new Error(
      name === undefined ? "the spec has no model to recommend with" : `no model \`${name}\` to recommend with (the spec's: ${names.join(", ")})`,
    );
  }
  return [name, recommenders[name]];
}

export async function* recommendItems(
  run: Run,
  recommenders: Readonly<Record<string, Recommender>>,
  users: UserIds,
  k: number,
  options: RecommendOptions = {},
): AsyncGenerator<UserRecommendation> {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, not ${k}`);
  const [name, recommender] = pickRecommender(recommenders, options.model);
  const batchSize = Math.max(1, options.batchSize ?? 256);
  const excludeSeen = !options.includeSeen;
  const { data } = recommender;
  run.log(`recommending with ${name}: ${k} of ${data.numItems} items per user${excludeSeen ? ", the user's own items left out" : ""}`);
  let batch: string[] = [];
  const flush = async function* (): AsyncGenerator<UserRecommendation> {
    const resolved = resolveUsers(data, batch);
    batch = [];
    const lists = resolved.known.length === 0 ? [] : await recommender.recommend(resolved.known, k, excludeSeen);
    let next = 0;
    for (const [i, user] of resolved.users.entries()) {
      if (user === null) {
        const id = resolved.ids[i];
        yield {
          user: id,
          error: {
            code: "RS6040",
            message: `unknown user \`${id}\`: the data set ${data.name} has no such user (its ${data.store.numUsers} users are named as in its data files)`,
          },
        };
        continue;
      }
      const list = lists[next++];
      yield {
        user: user.id,
        model: name,
        items: Array.from(list.items, (item, r) => ({
          item: data.store.itemIds[item],
          score: list.scores[r],
          ...(list.semanticIds ? { semanticId: Array.from(list.semanticIds[r]) } : {}),
        })),
      };
    }
  };
  for await (const id of users) {
    batch.push(id);
    if (batch.length >= batchSize) yield* flush();
  }
  if (batch.length > 0) yield* flush();
}
