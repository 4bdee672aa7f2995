// Walks a dotted attribute path through the signature tables: `encoder.layers` of a sequential
// model is the `layers` of its encoder's constructor (transformer, from the attribute's default),
// `train.steps` is the train body's. Takes a signature and path parts; gives the attribute and the
// signature it belongs to, or undefined where the path leaves the tables.
import { NESTED_SIGNATURES, signatureOf } from "../compiler/check/signatures/index.js";
import type { Attribute, Signature, TypeSpec } from "../compiler/check/types.js";

export interface PathEnd {
  readonly owner: Signature;
  readonly attribute: Attribute | undefined;
}

export function attributeAt(sig: Signature, parts: readonly string[]): PathEnd | undefined {
  let owner = sig;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = memberSignature(owner, parts[i]);
    if (!next) return undefined;
    owner = next;
  }
  const last = parts[parts.length - 1];
  return { owner, attribute: owner.attributes.find((a) => a.name === last) };
}

/** The signature a part of `sig` opens: its nested `train`, or the constructor of an option attribute's default. */
export function memberSignature(sig: Signature, name: string): Signature | undefined {
  if (sig.nested?.includes(name)) return NESTED_SIGNATURES[name];
  const attribute = sig.attributes.find((a) => a.name === name);
  if (!attribute || attribute.type.kind !== "option") return undefined;
  const dflt = attribute.default;
  const type = dflt !== null && typeof dflt === "object" && !Array.isArray(dflt) ? (dflt as { type?: unknown }).type : undefined;
  return typeof type === "string" ? signatureOf(attribute.type.family, type) : undefined;
}

/** The type of one element: a list's element type, any other type itself. */
export function elementType(type: TypeSpec | undefined): TypeSpec | undefined {
  return type?.kind === "list" ? type.of : type;
}
