// From the loose IRBlock (attributes as a record of values) to the generated, typed blocks.
// Takes an IR block; gives it narrowed: `isBlock(b, "model", "sequential")` as a type guard, or
// `blockOf(b, kind, type)` narrowed or an internal error, `typed(b)` as the TypedBlock union after
// checking its key sets (conformance.ts).
import type { BlockKind, TypedBlock } from "./attributes.generated.js";
import { blockProblems } from "./conformance.js";
import type { IRBlock } from "./ir.js";

/** The constructor names of block kind `K`: `ConstructorOf<"model">` is `"sequential" | "two_tower" | …`. */
export type ConstructorOf<K extends BlockKind> = Extract<TypedBlock, { kind: K }>["type"];

/** The typed block of constructor `T` of kind `K`: `BlockOf<"model", "sequential">`. */
export type BlockOf<K extends BlockKind, T extends string> = Extract<TypedBlock, { kind: K; type: T }>;

/** Whether `block` is of kind `kind` and constructor `type`; narrows its attributes and `train`. */
export function isBlock<K extends BlockKind, T extends ConstructorOf<K>>(block: IRBlock, kind: K, type: T): block is IRBlock & BlockOf<K, T> {
  return block.kind === kind && block.type === type;
}

/** `block` narrowed to kind `kind` and constructor `type`; an internal error when it is another. */
export function blockOf<K extends BlockKind, T extends ConstructorOf<K>>(block: IRBlock, kind: K, type: T): IRBlock & BlockOf<K, T> {
  if (block.kind !== kind || block.type !== type)
    throw new Error(`internal: block \`${block.name}\` is ${block.kind} \`${block.type}\`, not ${kind} \`${type}\``);
  return block as IRBlock & BlockOf<K, T>;
}

/**
 * The block as the typed union, to `switch` on `kind` and `type`. Throws when its attribute keys
 * are not those of its constructor, which means the IR came from another compiler version.
 */
export function typed(block: IRBlock): TypedBlock {
  const problems = blockProblems(block);
  if (problems.length > 0) throw new Error(`IR block \`${block.name}\` does not match its ${block.kind} type \`${block.type}\`:\n${problems.join("\n")}`);
  return block as unknown as TypedBlock;
}
