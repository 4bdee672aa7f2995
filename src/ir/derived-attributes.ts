// The attributes whose signature default is null ("derive it") but which lowering always fills, so
// they are never null in the IR: the generated types drop their `| null` and the schema rejects a
// null there. Takes nothing; gives the table keyed `<kind or family>.<constructor>` → attribute names.
// Keep it in step with src/compiler/check/derive.ts: the schema check on every compile catches a gap.
export const DERIVED_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  // Every transformer sits in a model or tower whose derivation fills its widths.
  "encoder.transformer": ["head_dim", "d_model", "d_ff"],
  "tower.item_tower": ["output"],
  "tower.multi_interest": ["output"],
  "tower.sequence_encoder": ["output"],
  // history_pool is only a ranking model's `user`, whose history defaults to the data set's.
  "user_repr.history_pool": ["history"],
  // exclude_history follows the evaluated model's kind (check/evaluation-protocol.ts).
  "evaluate.evaluate": ["exclude_history"],
  // An experiment's report defaults to the evaluated metrics (check/report-defaults.ts).
  "experiment.experiment": ["report"],
};

/** Whether lowering always fills `attribute` of constructor `name` of `owner` (a block kind or option family). */
export function isDerived(owner: string, name: string, attribute: string): boolean {
  return DERIVED_ATTRIBUTES[`${owner}.${name}`]?.includes(attribute) ?? false;
}
