// How a trainable block trains and is restored: its `train { … }` settings as a typed constant in
// model.ts, and the statements train.ts and infer.ts run. Takes the block; gives those pieces.
import type { IRBlock } from "../../../ir/ir.js";
import { literal } from "../literal.js";
import type { Value } from "../../check/types.js";
import type { EmitContext } from "./block-code.js";

export interface TrainCode {
  readonly declarations: string[];
  readonly exports: string[];
  readonly train: string[];
  readonly restore: string[];
  readonly modelImports: string[];
  readonly modelTypeImports: string[];
  readonly trainImports: string[];
  readonly restoreImports: string[];
}

export function trainCode(block: IRBlock, ctx: EmitContext): TrainCode {
  const data = ctx.variable(block.dataset);
  const name = ctx.exported("training", block.name, (_p, c) => `${c}Training`);
  const variable = ctx.variable(block.name);
  const t = block.train as Record<string, Value>;
  const budget = t.steps !== null ? `${t.steps} steps` : `${t.epochs} epochs`;
  return {
    declarations: [`/** How \`${block.name}\` trains: ${String((t.optimizer as Record<string, Value>).type)}, batches of ${t.batch}, ${budget}. */\nexport const ${name}: TrainSpec = ${literal(t)};`],
    exports: [name],
    train: [`await trainBlock(run, ${variable}, ${data}, ${name});`],
    restore: [`await restoreBlock(run, ${variable});`],
    modelImports: [],
    modelTypeImports: ["TrainSpec"],
    trainImports: ["trainBlock"],
    restoreImports: ["restoreBlock"],
  };
}
