// What each block of a spec contributes to the generated program, decided by one emitter per block
// family (dataset, sequential model, …): the declarations of model.ts (its graph as code), the
// expression that makes its value, and the statements that train it or restore it. Takes nothing;
// gives the types the emitters share and a context that allocates identifiers.
import type { IR, IRBlock } from "../../../ir/ir.js";
import { commentText } from "../escape.js";
import { literal } from "../literal.js";
import type { Value } from "../../check/types.js";
import { camel, Names, pascal, variableName } from "../names.js";

export interface BlockCode {
  readonly block: IRBlock;
  /** The variable holding the block's value in train.ts / infer.ts; null when the block makes none (a tower). */
  readonly variable: string | null;
  /** The value's runtime type (`PreparedData`, `RecModel`, …). */
  readonly type: string;
  /** Top-level statements of model.ts, in order (constants, classes, functions). */
  readonly declarations: readonly string[];
  /** Names model.ts exports that `make` uses. */
  readonly exports: readonly string[];
  /** Expression that makes the value (it may `await`); variables of earlier blocks are in scope. */
  readonly make: string;
  /** Statements after making it: when training, and when restoring a trained run. */
  readonly train: readonly string[];
  readonly restore: readonly string[];
  /** Runtime names model.ts uses (values and types), and those train.ts / infer.ts statements use. */
  readonly modelImports: readonly string[];
  readonly modelTypeImports: readonly string[];
  readonly trainImports: readonly string[];
  readonly restoreImports: readonly string[];
  /** Whether the value holds tensors to free when an experiment cell ends. */
  readonly disposable: boolean;
}

/** Identifiers and look-ups every emitter needs. */
export class EmitContext {
  readonly names = new Names();
  private readonly byName: Map<string, IRBlock>;

  constructor(
    readonly ir: IR,
    runtimeImports: readonly string[] = [],
  ) {
    this.byName = new Map(ir.blocks.map((b) => [b.name, b]));
    this.names.reserve("tf", ...runtimeImports);
  }

  block(name: string): IRBlock {
    const b = this.byName.get(name);
    if (!b) throw new Error(`internal: no block ${name} in the IR`);
    return b;
  }

  /** The variable of a block's value (`beauty`, `sasrec`). */
  variable(name: string): string {
    return this.names.get("var", name, variableName);
  }

  /** An exported identifier of model.ts for a block: `load` + Beauty, Sasrec + `Model`, … */
  exported(role: string, name: string, make: (pascalName: string, camelName: string) => string): string {
    return this.names.get(role, name, (n) => make(pascal(n), camel(n)));
  }
}

/** The block's reference attribute (`{ref: name}`) as a name. */
export function refName(value: Value | undefined): string {
  return (value as { ref: string }).ref;
}

/** `model sasrec = sequential(…)`: how a block reads in the spec, for doc comments. */
export function describe(block: IRBlock): string {
  return commentText(`\`${block.kind} ${block.name} = ${block.type}(…)\``);
}

/** `export const NAME: TYPE = VALUE;` with a doc comment. */
export function constant(name: string, type: string, value: Value | Record<string, Value>, doc: string): string {
  return `/** ${commentText(doc)} */\nexport const ${name}: ${type} = ${literal(value as Value)};`;
}
