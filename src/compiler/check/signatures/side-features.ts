// Which side features each data-set constructor offers its towers. Takes nothing; gives the feature
// names of each side, the ones each data-set kind has (MovieLens: `u.user` and the genres of
// `u.item`; Amazon: the item2attributes ids), and the reason a kind has none, for the checker's
// messages and the reference.

/** Every user-side feature name a `user_tower` may list. */
export const USER_FEATURES = ["age", "gender", "occupation"] as const;
/** Every item-side feature name an `item_tower` may list. */
export const ITEM_FEATURES = ["genres", "attributes"] as const;

export type UserFeature = (typeof USER_FEATURES)[number];
export type ItemFeature = (typeof ITEM_FEATURES)[number];

/** The features of each side a data-set constructor's reader gives. */
export const SIDE_FEATURES: Readonly<Record<string, { readonly user: readonly UserFeature[]; readonly item: readonly ItemFeature[] }>> = {
  movielens: { user: ["age", "gender", "occupation"], item: ["genres"] },
  amazon: { user: [], item: ["attributes"] },
  interactions: { user: [], item: [] },
  synthetic: { user: [], item: [] },
};
