// Rules and shapes of the models over user and item ids: the `user_tower` (a user-ID embedding,
// optionally an MLP) and `matrix_factorization` (user and item factors, BPR or full softmax). Takes
// a checked block's attributes, the facts of its data set and the rule context; fills derived
// defaults (`output`) and gives the block's shapes and facts, or reports what is wrong.
import type { CheckedBlock } from "./blocks.js";
import type { BlockFacts, Derived, RuleContext } from "./derive.js";
import type { Value } from "./types.js";

type Rec = Record<string, Value>;

/** `tower u = user_tower(data) { embedding; layers; output }`: one vector per user. */
export function deriveUserTower(block: CheckedBlock, a: Rec, data: BlockFacts, ctx: RuleContext): Derived | undefined {
  const embedding = a.embedding as number;
  const layers = a.layers as number[];
  const last = layers[layers.length - 1];
  if (a.output !== null && layers.length > 0 && last !== a.output) {
    ctx.fail("RS3008", "output", {
      what: `user tower \`${block.name}\``,
      left: "the last layer",
      leftDim: last,
      right: "`output`",
      rightDim: String(a.output),
    });
  }
  const output = (a.output as number | null) ?? last ?? embedding;
  a.output = output;
  const users = data.users ?? `users(${data.dataset})`;
  return {
    // Row 0 is the out-of-vocabulary row shared by users without training interactions.
    shapes: { users: ["batch"], embedding: [plusOne(users), embedding], output: ["batch", output] },
    facts: { dataset: data.dataset, items: data.items, output },
  };
}

/** `model m = matrix_factorization(data) { dim; loss = bpr | softmax }`. */
export function deriveMatrixFactorization(a: Rec, data: BlockFacts, ctx: RuleContext): Derived | undefined {
  ctx.loss("matrix_factorization", a, ["bpr", "softmax"]);
  const dim = a.dim as number;
  const users = data.users ?? `users(${data.dataset})`;
  const loss = (a.loss as Rec).type;
  const negatives = loss === "bpr" ? ((a.loss as Rec).negatives as number) : 0;
  return {
    shapes: {
      user_factors: [plusOne(users), dim],
      item_factors: [plusOne(data.items), dim],
      logits: loss === "bpr" ? ["batch", 1 + negatives] : ["batch", plusOne(data.items)],
    },
    facts: { dataset: data.dataset, items: data.items, output: dim },
  };
}

function plusOne(d: number | string): number | string {
  return typeof d === "number" ? d + 1 : `${d}+1`;
}
