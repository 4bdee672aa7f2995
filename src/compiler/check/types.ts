// The vocabulary of constructor signatures: what type each attribute has, its default and its
// documentation. Signatures are plain data (signatures/*.ts); the checker, the reference docs and the
// IR schema are all derived from them, so adding a constructor is one table entry.
import type { BlockKind } from "../lexer.js";

/** Families of option values: `optimizer = adam(lr: 1e-3)`, `loss = softmax`. */
export type Family =
  | "optimizer"
  | "schedule"
  | "encoder"
  | "attention"
  | "mlp"
  | "loss"
  | "weighting"
  | "decode"
  | "user_token"
  | "item_repr"
  | "sid_embed"
  | "user_repr"
  | "baseline"
  | "teacher_transform"
  | "slice"
  | "candidates";

/** Bodies that are not constructor calls: nested `train { … }`, `evaluate … { … }`, `experiment … { … }`. */
export type BodyKind = "train" | "evaluate" | "experiment";

export type TypeSpec =
  | { readonly kind: "int"; readonly min?: number; readonly max?: number }
  | {
      readonly kind: "number";
      readonly min?: number;
      readonly max?: number;
      /** Open bounds: `min < x`, `x < max`. */
      readonly minExclusive?: boolean;
      readonly maxExclusive?: boolean;
    }
  | { readonly kind: "string" }
  | { readonly kind: "bool" }
  | { readonly kind: "enum"; readonly values: readonly string[] }
  /** A reference to a block of one of `kinds`; `member` names a part such as `beauty.items`. */
  | { readonly kind: "ref"; readonly blockKinds: readonly BlockKind[]; readonly member?: string }
  | { readonly kind: "option"; readonly family: Family }
  | { readonly kind: "list"; readonly of: TypeSpec; readonly minLength?: number }
  /** `recall@10`, `ndcg@5`, or a metric without cut-off (`mrr`, `auc`). */
  | { readonly kind: "metric"; readonly allowLoss?: boolean }
  /** A metric broken down by a slice: `hr@10 by popularity(head: 0.2)`, or a bare metric. */
  | { readonly kind: "report" }
  /** A model block, or one with attributes overridden: `teacher { embedding = 16 }`. */
  | { readonly kind: "model_or_override" }
  /** A dataset split: `beauty.test`. */
  | { readonly kind: "split" };

/** A JSON value as it appears in the IR. */
export type Value = number | string | boolean | null | readonly Value[] | { readonly [key: string]: Value };

export interface Attribute {
  readonly name: string;
  readonly type: TypeSpec;
  /** Absent: required. `null` in the IR means "not set" for optional attributes without a default. */
  readonly default?: Value;
  readonly doc: string;
  /** May be given as the n-th positional argument of the call. */
  readonly positional?: boolean;
}

export interface Signature {
  readonly name: string;
  /** The block kind this constructor builds, the option family it belongs to, or a fixed body kind. */
  readonly of: BlockKind | Family | BodyKind;
  readonly doc: string;
  readonly attributes: readonly Attribute[];
  /** Nested blocks allowed in the body, e.g. `train { … }`. */
  readonly nested?: readonly string[];
  /** Pairs of attributes that cannot both be given. */
  readonly exclusive?: readonly (readonly [string, string])[];
  /** Members reachable with a dot (`beauty.test`), by name → what they are. */
  readonly members?: Readonly<Record<string, string>>;
}
