// The IR: the contract between the compiler and code generators. Plain JSON with every name
// resolved, every default explicit and every tensor shape annotated; nothing in it is specific to
// TensorFlow.js. ir.schema.json describes it and ajv validates every IR the compiler emits.
import type { BlockKind } from "./lexer.js";
import type { Value } from "./check/types.js";

export const IR_VERSION = 1;

/** A tensor dimension: a number, or a symbol fixed when data loads (`batch`, `items(beauty)`). */
export type Dim = number | string;

export interface IR {
  readonly irVersion: typeof IR_VERSION;
  /** The spec's name (its `spec NAME`, else the file name). */
  readonly spec: string;
  /** The entry file, as given to the compiler. */
  readonly source: string;
  readonly params: Record<string, Value>;
  /** In dependency order: each block after every block it refers to. */
  readonly blocks: IRBlock[];
  readonly evaluations: IREvaluation[];
  readonly experiments: IRExperiment[];
}

export interface IRBlock {
  readonly name: string;
  readonly kind: BlockKind;
  /** The constructor: `amazon`, `rqvae`, `sequential`, … */
  readonly type: string;
  /** Every attribute of the constructor, defaults filled; references are `{ref: name}`. */
  readonly attributes: Record<string, Value>;
  /** How the block is trained, for blocks that train; null otherwise. */
  readonly train: Record<string, Value> | null;
  /** The data set whose items this block represents or ranks. */
  readonly dataset: string;
  readonly shapes: Record<string, Dim[]>;
  readonly dependsOn: string[];
}

export interface IREvaluation {
  readonly model: string;
  readonly dataset: string;
  readonly split: "train" | "valid" | "test";
  readonly metrics: { metric: string; k: number | null }[];
  readonly slices: Record<string, Value>[];
  readonly candidates: Record<string, Value>;
  readonly exclude_history: boolean;
  readonly baseline: boolean;
  readonly bootstrap: number;
}

export interface IRExperiment {
  readonly name: string;
  /** Each `vary`: its target, the checked values, and each value as written in the spec. */
  readonly vary: { target: string; values: Value[]; texts: string[] }[];
  readonly seeds: number;
  readonly report: { metric: string; k: number | null; by: Record<string, Value> | null }[];
  readonly evaluate_on: { dataset: string; split: string } | null;
}
