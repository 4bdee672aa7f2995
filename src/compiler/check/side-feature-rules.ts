// The rule for a tower's `features`: each must be one its data set's reader gives (MovieLens users:
// age, gender, occupation; MovieLens items: genres; Amazon items: attributes), and none twice.
// Takes the tower block, its attributes, the kind of its data set and the rule context; reports
// RS5007 at the offending list item (with the features that data set does have, or the kinds of
// data that have any) or RS2009 for a repeat.
import type { CheckedBlock } from "./blocks.js";
import { attributeExpr, type RuleContext } from "./derive.js";
import { SIDE_FEATURES } from "./signatures/side-features.js";
import type { Value } from "./types.js";

/** Checks `features` of a `user_tower` or `item_tower` over a data set of constructor `kind`. */
export function checkSideFeatures(block: CheckedBlock, a: Record<string, Value>, dataset: string, kind: string, ctx: RuleContext): void {
  const features = (a.features as string[] | undefined) ?? [];
  if (features.length === 0) return;
  const side = block.type === "user_tower" ? "user" : "item";
  const offered: readonly string[] = SIDE_FEATURES[kind]?.[side] ?? [];
  const expr = ctx.inOverride ? undefined : attributeExpr(block, "features");
  const items = expr?.kind === "List" ? expr.items : [];
  const seen = new Set<string>();
  features.forEach((feature, k) => {
    const at = items[k]?.span ?? "features";
    if (seen.has(feature)) {
      ctx.failAt("RS2009", at, { name: feature }, [], `list \`${feature}\` once`);
      return;
    }
    seen.add(feature);
    if (offered.includes(feature)) return;
    ctx.failAt("RS5007", at, { dataset, kind: `\`${kind}\``, side, feature }, [], help(kind, side, offered));
  });
}

function help(kind: string, side: "user" | "item", offered: readonly string[]): string {
  if (offered.length > 0) return `\`${kind}\` data gives its ${side}s ${offered.map((f) => `\`${f}\``).join(", ")}`;
  const others = Object.entries(SIDE_FEATURES)
    .filter(([, sides]) => sides[side].length > 0)
    .map(([other, sides]) => `\`${other}\` (${sides[side].join(", ")})`);
  return `\`${kind}\` data has no ${side} side information; ${others.join(" and ")} data sets do — remove \`features\` here`;
}
