// Emits the generated program from a plan: model.ts (every block as data, a builder per model),
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

function modelFile(plan: Plan): SourceFileStructure {
  const runtimeValues: string[] = [];
  const runtimeTypes = ["BlockSpec", "ProgramEvaluation"];
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
  for (const step of plan.steps) {
    if (step.kind === "data") {
      runtimeValues.push("loadData");
      runtimeTypes.push("PreparedData", "Run");
      statements.push({
        kind: StructureKind.Function,
        isExported: true,
        name: step.loader,
        docs: [`Reads and splits \`${step.block.name}\`.`],
        parameters: [
          { name: "run", type: "Run" },
          { name: "blocks", type: "Blocks" },
        ],
        returnType: "Promise<PreparedData>",
        statements: [`return loadData(run, blocks.${step.variable});`],
      });
    } else if (step.kind === "model") {
      runtimeValues.push(step.runtime);
      runtimeTypes.push("PreparedData", "RecModel");
      statements.push({
        kind: StructureKind.Function,
        isExported: true,
        name: step.builder,
        docs: [`Builds ${describe(step)} with freshly initialised weights.`],
        parameters: step.params.map((p) => ({ name: p.name, type: p.type })),
        returnType: "RecModel",
        statements: [`return ${step.runtime}(${step.args.join(", ")});`],
      });
    }
  }
  const evaluations = plan.ir.evaluations.map((e) => literal(e as unknown as Value));
  statements.push(constant("specEvaluations", "ProgramEvaluation[]", `[${evaluations.join(", ")}]`, "The spec's `evaluate` blocks."));
  return {
    kind: StructureKind.SourceFile,
    statements: [banner(plan, "Every block of the spec as data, and a builder for each model."), imports(RUNTIME, runtimeValues, runtimeTypes), ...statements],
  };
}

function trainedInterface(plan: Plan): StatementStructures {
  const properties = plan.steps.flatMap((s) =>
    s.kind === "data" ? [{ name: s.variable, type: "PreparedData" }] : s.kind === "model" ? [{ name: s.variable, type: "RecModel" }] : [],
  );
  return {
    kind: StructureKind.Interface,
    isExported: true,
    name: "Trained",
    docs: ["The data sets and trained models of the spec."],
    properties: properties.map((p) => ({ ...p, isReadonly: true })),
  };
}

/** Statements that load every data set and build every model (and train it, when `train`). */
function buildStatements(plan: Plan, train: boolean): string[] {
  const lines: string[] = [];
  for (const step of plan.steps) {
    if (step.kind === "data") lines.push(`const ${step.variable} = await ${step.loader}(run, blocks);`);
    else if (step.kind === "model") {
      lines.push(`const ${step.variable} = ${step.builder}(${step.params.map((p) => p.name).join(", ")});`);
      const data = step.params[1].name;
      const config = `blocks.${step.variable}`;
      lines.push(train ? `await trainBlock(run, ${step.variable}, ${data}, ${config});` : `await restoreBlock(run, ${step.variable}, ${config});`);
    } else if (step.kind === "unsupported") {
      lines.push(`unsupported(blocks.${step.variable}, ${literal(step.reason)});`);
    }
  }
  const members = plan.steps.flatMap((s) => (s.kind === "data" || s.kind === "model" ? [s.variable] : []));
  lines.push(`return { ${members.join(", ")} };`);
  return lines;
}

function importsFromModel(plan: Plan, extra: string[] = []) {
  const names = plan.steps.flatMap((s) => (s.kind === "data" ? [s.loader] : s.kind === "model" ? [s.builder] : []));
  return imports("./model.js", [...names, "specBlocks", ...extra], ["Blocks"]);
}

function hasUnsupported(plan: Plan): boolean {
  return plan.steps.some((s) => s.kind === "unsupported");
}

function hasModels(plan: Plan): boolean {
  return plan.steps.some((s) => s.kind === "model");
}

function trainFile(plan: Plan): SourceFileStructure {
  const runtime = [...(hasModels(plan) ? ["trainBlock"] : []), ...(hasUnsupported(plan) ? ["unsupported"] : [])];
  return {
    kind: StructureKind.SourceFile,
    statements: [
      banner(plan, "Loads the data and trains every model of the spec, in dependency order."),
      imports(RUNTIME, runtime, ["PreparedData", ...(hasModels(plan) ? ["RecModel"] : []), "Run"]),
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
  const runtime = [
    ...(plan.evaluations.length > 0 ? ["evaluateBlock"] : []),
    ...(hasModels(plan) ? ["restoreBlock"] : []),
    ...(hasUnsupported(plan) ? ["unsupported"] : []),
  ];
  const evaluationLines = plan.evaluations.map(
    ({ evaluation, model, data }) => `results.push(await evaluateBlock(run, trained.${model}, trained.${data}, evaluations[${plan.ir.evaluations.indexOf(evaluation)}]));`,
  );
  return {
    kind: StructureKind.SourceFile,
    statements: [
      banner(plan, "Restores trained models from a run and evaluates them."),
      imports(RUNTIME, runtime, ["EvaluationResult", "ProgramEvaluation", "Run"]),
      importsFromModel(plan, ["specEvaluations"]),
      { kind: StructureKind.ImportDeclaration, moduleSpecifier: "./train.js", namedImports: [{ name: "Trained", isTypeOnly: true }] },
      {
        kind: StructureKind.Function,
        isExported: true,
        isAsync: true,
        name: "restore",
        docs: ["Loads the data and every model's trained weights from `run`'s checkpoints."],
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
  const models = plan.steps.flatMap((s) => (s.kind === "model" ? [s.variable] : []));
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
