// Emits the generated program from a plan: model.ts (every block as data, a maker per block),
// train.ts (load data, train models in dependency order), infer.ts (restore trained models,
// evaluate, recommend) and index.ts (the entry `recspec run` calls). Built as ts-morph structures in
// memory, then formatted by one prettier pass. Spec strings only ever appear inside `literal()`.
import { Project, StructureKind, VariableDeclarationKind, type SourceFileStructure, type StatementStructures } from "ts-morph";
import type { Step, Plan } from "./plan.js";
import { literal } from "./literal.js";
import type { Value } from "../check/types.js";

const RUNTIME = "recspec/runtime";

export interface EmittedFile {
  readonly name: string;
  readonly text: string;
}

function banner(plan: Plan, what: string): string {
  return `/**\n * Generated from ${plan.ir.source} by recspec — do not edit (run \`recspec compile\` again).\n * ${what}\n */`;
}

function imports(module: string, values: string[], types: string[] = []) {
  const named = [...new Set(values)].sort().map((name) => ({ name }));
  const typeNamed = [...new Set(types)].sort().map((name) => ({ name, isTypeOnly: true }));
  return { kind: StructureKind.ImportDeclaration as const, moduleSpecifier: module, namedImports: [...named, ...typeNamed] };
}

function constant(name: string, type: string, value: string, doc: string): StatementStructures {
  return {
    kind: StructureKind.VariableStatement,
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    docs: [doc],
    declarations: [{ name, type, initializer: value }],
  };
}

/** `dataset beauty = amazon(…)`: how a block reads in the spec, for doc comments. */
function describe(step: Step): string {
  return `\`${step.block.kind} ${step.block.name} = ${step.block.type}(…)\``;
}

function blockConfig(step: Step): string {
  const b = step.block;
  const record: Record<string, Value> = { name: b.name, kind: b.kind, type: b.type, dataset: b.dataset, attributes: b.attributes, train: b.train };
  return literal(record);
}

/** Steps that make a value (everything but tower configurations). */
const made = (plan: Plan) => plan.steps.filter((s) => s.role !== "config");
const types = (plan: Plan) => [...new Set(made(plan).map((s) => s.type))];

function modelFile(plan: Plan): SourceFileStructure {
  const statements: StatementStructures[] = [];
  for (const step of plan.steps) {
    statements.push(constant(step.config, "BlockSpec", blockConfig(step), `${describe(step)}, every default explicit.`));
  }
  statements.push({
    kind: StructureKind.Interface,
    isExported: true,
    name: "Blocks",
    docs: ["Every block of the spec by name: an experiment passes variants of these."],
    properties: plan.steps.map((s) => ({ name: s.variable, type: "BlockSpec", isReadonly: true })),
  });
  statements.push(
    constant("specBlocks", "Blocks", `{ ${plan.steps.map((s) => `${s.variable}: ${s.config}`).join(", ")} }`, "The blocks as the spec writes them."),
  );
  for (const step of made(plan)) {
    statements.push({
      kind: StructureKind.Function,
      isExported: true,
      name: step.maker!,
      docs: [step.makerDoc],
      parameters: step.makerParams.map((p) => ({ name: p.name, type: p.type })),
      returnType: step.makerAsync ? `Promise<${step.type}>` : step.type,
      statements: [step.makerBody],
    });
  }
  const evaluations = plan.ir.evaluations.map((e) => literal(e as unknown as Value));
  statements.push(constant("specEvaluations", "ProgramEvaluation[]", `[${evaluations.join(", ")}]`, "The spec's `evaluate` blocks."));
  const paramTypes = made(plan).flatMap((s) => s.makerParams.map((p) => p.type));
  return {
    kind: StructureKind.SourceFile,
    statements: [
      banner(plan, "Every block of the spec as data, and a function that loads or builds each."),
      imports(RUNTIME, made(plan).flatMap((s) => s.makerImports), ["BlockSpec", "ProgramEvaluation", ...types(plan), ...paramTypes].filter((t) => t !== "Blocks")),
      ...statements,
    ],
  };
}

function trainedInterface(plan: Plan): StatementStructures {
  return {
    kind: StructureKind.Interface,
    isExported: true,
    name: "Trained",
    docs: ["The data sets, item features, quantizers and trained models of the spec."],
    properties: made(plan).map((s) => ({ name: s.variable, type: s.type, isReadonly: true })),
  };
}

/** Statements that make every value in dependency order, then train it (or restore it). */
function buildStatements(plan: Plan, train: boolean): string[] {
  const lines: string[] = [];
  for (const step of made(plan)) {
    const call = `${step.maker}(${step.makerParams.map((p) => p.name).join(", ")})`;
    lines.push(`const ${step.variable} = ${step.makerAsync ? "await " : ""}${call};`);
    lines.push(...(train ? step.train : step.restore));
  }
  lines.push(`return { ${made(plan).map((s) => s.variable).join(", ")} };`);
  return lines;
}

function importsFromModel(plan: Plan, extra: string[] = []) {
  return imports("./model.js", [...made(plan).map((s) => s.maker!), "specBlocks", ...extra], ["Blocks"]);
}

function trainFile(plan: Plan): SourceFileStructure {
  return {
    kind: StructureKind.SourceFile,
    statements: [
      banner(plan, "Makes every block of the spec and trains it, in dependency order."),
      imports(RUNTIME, made(plan).flatMap((s) => (s.train.length > 0 ? s.stageImports.filter((f) => f !== "restoreBlock" && f !== "restoreQuantizer") : [])), [
        ...types(plan),
        "Run",
      ]),
      importsFromModel(plan),
      trainedInterface(plan),
      {
        kind: StructureKind.Function,
        isExported: true,
        isAsync: true,
        name: "train",
        docs: ["Trains from scratch, or continues from the last complete checkpoint when `run.resume` is set."],
        parameters: [
          { name: "run", type: "Run" },
          { name: "blocks", type: "Blocks", initializer: "specBlocks" },
        ],
        returnType: "Promise<Trained>",
        statements: buildStatements(plan, true),
      },
    ],
  };
}

function inferFile(plan: Plan): SourceFileStructure {
  const restoring = made(plan).flatMap((s) => s.stageImports.filter((f) => f === "restoreBlock" || f === "restoreQuantizer"));
  const evaluationLines = plan.evaluations.map(
    ({ index, model, data }) => `results.push(await evaluateBlock(run, trained.${model}, trained.${data}, evaluations[${index}]));`,
  );
  return {
    kind: StructureKind.SourceFile,
    statements: [
      banner(plan, "Restores a run's trained blocks and evaluates them."),
      imports(RUNTIME, [...restoring, ...(plan.evaluations.length > 0 ? ["evaluateBlock"] : [])], ["EvaluationResult", "ProgramEvaluation", "Run"]),
      importsFromModel(plan, ["specEvaluations"]),
      { kind: StructureKind.ImportDeclaration, moduleSpecifier: "./train.js", namedImports: [{ name: "Trained", isTypeOnly: true }] },
      {
        kind: StructureKind.Function,
        isExported: true,
        isAsync: true,
        name: "restore",
        docs: ["Loads the data and every block's trained state from `run`'s folder."],
        parameters: [
          { name: "run", type: "Run" },
          { name: "blocks", type: "Blocks", initializer: "specBlocks" },
        ],
        returnType: "Promise<Trained>",
        statements: buildStatements(plan, false),
      },
      {
        kind: StructureKind.Function,
        isExported: true,
        isAsync: true,
        name: "evaluate",
        docs: ["Runs every `evaluate` block of the spec (or the variants an experiment passes)."],
        parameters: [
          { name: "run", type: "Run" },
          { name: "trained", type: "Trained" },
          { name: "evaluations", type: "ProgramEvaluation[]", initializer: "specEvaluations" },
        ],
        returnType: "Promise<EvaluationResult[]>",
        statements: ["const results: EvaluationResult[] = [];", ...evaluationLines, "return results;"],
      },
    ],
  };
}

function indexFile(plan: Plan): SourceFileStructure {
  const models = plan.steps.flatMap((s) => (s.role === "model" || s.role === "quantizer" ? [s.variable] : []));
  return {
    kind: StructureKind.SourceFile,
    statements: [
      banner(plan, "The program's entry: `recspec run|train|eval` call `main`; experiments call `trainAndEvaluate`."),
      imports(RUNTIME, ["finishRun", "startRun"], ["BlockSpec", "EvaluationResult", "ProgramEvaluation", "Run", "RunOptions"]),
      imports("./infer.js", ["evaluate", "restore"]),
      imports("./model.js", [], ["Blocks"]),
      imports("./train.js", ["train"]),
      {
        kind: StructureKind.Function,
        isExported: true,
        isAsync: true,
        name: "main",
        docs: ["Trains (or restores, with `stage: \"eval\"`), evaluates and writes the run's report."],
        parameters: [{ name: "options", type: "RunOptions" }],
        returnType: "Promise<Run>",
        statements: [
          `const run = await startRun(${literal(plan.ir.spec)}, options);`,
          `const trained = options.stage === "eval" ? await restore(run) : await train(run);`,
          `const results = options.stage === "train" ? [] : await evaluate(run, trained);`,
          `await finishRun(run, results);`,
          `return run;`,
        ],
      },
      {
        kind: StructureKind.Function,
        isExported: true,
        name: "blocksOf",
        docs: ["An experiment cell's `Blocks`, from its blocks by spec name."],
        parameters: [{ name: "byName", type: "Record<string, BlockSpec>" }],
        returnType: "Blocks",
        statements: [`return { ${plan.steps.map((s) => `${s.variable}: byName[${literal(s.block.name)}]`).join(", ")} };`],
      },
      {
        kind: StructureKind.Function,
        isExported: true,
        isAsync: true,
        name: "trainAndEvaluate",
        docs: ["One cell of an experiment: trains `blocks` from scratch in `run`, evaluates, frees the models."],
        parameters: [
          { name: "run", type: "Run" },
          { name: "blocks", type: "Blocks" },
          { name: "evaluations", type: "ProgramEvaluation[]" },
        ],
        returnType: "Promise<EvaluationResult[]>",
        statements: [
          "const trained = await train(run, blocks);",
          ...(models.length > 0 ? ["try {", "  return await evaluate(run, trained, evaluations);", "} finally {", ...models.map((m) => `  trained.${m}.dispose();`), "}"] : ["return evaluate(run, trained, evaluations);"]),
        ],
      },
    ],
  };
}

/** A blank line before each top-level doc comment, as a person would leave between declarations. */
function spaced(text: string): string {
  return text.replace(/([^\n])\n\/\*\*/g, "$1\n\n/**");
}

/** The generated files for a plan, formatted, in a stable order. */
export async function emit(plan: Plan, formatText: (text: string) => Promise<string>): Promise<EmittedFile[]> {
  const project = new Project({ useInMemoryFileSystem: true });
  const structures: [string, SourceFileStructure][] = [
    ["model.ts", modelFile(plan)],
    ["train.ts", trainFile(plan)],
    ["infer.ts", inferFile(plan)],
    ["index.ts", indexFile(plan)],
  ];
  const files: EmittedFile[] = [];
  for (const [name, structure] of structures) {
    const text = spaced(project.createSourceFile(name, structure, { overwrite: true }).getFullText());
    files.push({ name, text: await formatText(text) });
  }
  files.push({ name: "ir.json", text: `${JSON.stringify(plan.ir, null, 2)}\n` });
  return files;
}
