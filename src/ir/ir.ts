// The IR: the contract between the compiler and code generators and the runtime. Plain JSON with
// every name resolved, every default explicit and every tensor shape annotated; nothing in it is
// specific to TensorFlow.js. ir.schema.json describes it and ajv validates every IR the compiler
// emits. Takes nothing; gives the document types. Attribute types per constructor are generated
// from the signature tables into attributes.generated.ts; this file holds the hand-written frame.
import type { BlockKind, EvaluateAttributes, ExperimentAttributes, TrainAttributes } from "./attributes.generated.js";

export const IR_VERSION = 1;

/** A JSON value as it appears in the IR (the compiler's checked values have the same shape). */
export type Value = number | string | boolean | null | readonly Value[] | { readonly [key: string]: Value };

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

/**
 * A block with loosely typed attributes. Narrow it with `isBlock` or `typed` (narrow.ts) to get
 * the constructor's generated attribute type.
 */
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

/** A block of constructor `T` of kind `K`, with its attributes `A` and its `train` (or null). */
export interface IRBlockOf<K extends BlockKind, T extends string, A, R extends TrainAttributes | null = TrainAttributes | null> {
  readonly name: string;
  readonly kind: K;
  readonly type: T;
  readonly attributes: A;
  readonly train: R;
  readonly dataset: string;
  readonly shapes: Record<string, Dim[]>;
  readonly dependsOn: string[];
}

/** `evaluate MODEL on DATA.SPLIT { … }`: the model and split, and the evaluate attributes. */
export type IREvaluation = {
  readonly model: string;
  readonly dataset: string;
  readonly split: "train" | "valid" | "test";
  /** Absent in evaluations written by hand before it existed: `baseline` decides then. */
  readonly baselines?: EvaluateAttributes["baselines"];
} & Omit<EvaluateAttributes, "baselines">;

/** `experiment NAME { vary …; seeds = …; report = […] }`, with every cell of its grid expanded. */
export type IRExperiment = {
  readonly name: string;
  /** Each `vary`: its target, the checked values, and each value as written in the spec. */
  readonly vary: { target: string; values: Value[]; texts: string[] }[];
  /** Every (configuration, seed) pair: configurations in grid order, seeds within each. */
  readonly cells: IRCell[];
} & ExperimentAttributes;

/** One run of an experiment: a configuration of the `vary` grid with one seed, compiled. */
export interface IRCell {
  /** Position in the vary grid (0-based, the last `vary` changes fastest). */
  readonly index: number;
  /** 0 .. seeds-1. */
  readonly seed: number;
  /** Label (the target without its block name) → the value as written in the spec. */
  readonly config: Record<string, string>;
  /** The `target=value` overrides, then the seed overrides, that make this cell from the spec. */
  readonly sets: string[];
  /** The cell's blocks, compiled with those overrides. */
  readonly blocks: IRBlock[];
  /** The cell's evaluations, extended with every metric and slice the experiment reports. */
  readonly evaluations: IREvaluation[];
}
