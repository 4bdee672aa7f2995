// Short constructors for signature tables, so each table reads like the documentation it generates.
import type { Attribute, Family, TypeSpec, Value } from "../types.js";
import type { BlockKind } from "../../lexer.js";

export const int = (min?: number, max?: number): TypeSpec => ({ kind: "int", min, max });
export const num = (min?: number, max?: number, open: { min?: boolean; max?: boolean } = {}): TypeSpec => ({
  kind: "number",
  min,
  max,
  minExclusive: open.min,
  maxExclusive: open.max,
});
/** A probability-like rate in [0, 1). */
export const rate: TypeSpec = num(0, 1, { max: true });
export const positive: TypeSpec = num(0, undefined, { min: true });
export const str: TypeSpec = { kind: "string" };
export const bool: TypeSpec = { kind: "bool" };
export const oneOf = (...values: string[]): TypeSpec => ({ kind: "enum", values });
export const ref = (blockKinds: BlockKind[], member?: string): TypeSpec => ({ kind: "ref", blockKinds, member });
export const option = (family: Family): TypeSpec => ({ kind: "option", family });
export const list = (of: TypeSpec, minLength?: number): TypeSpec => ({ kind: "list", of, minLength });

/** An attribute with a default. */
export function attr(name: string, type: TypeSpec, defaultValue: Value, doc: string): Attribute {
  return { name, type, default: defaultValue, doc };
}

/** An attribute the user must give. */
export function required(name: string, type: TypeSpec, doc: string): Attribute {
  return { name, type, doc };
}

/** An attribute that may also be the call's positional argument (in table order). */
export function positional(attribute: Attribute): Attribute {
  return { ...attribute, positional: true };
}
