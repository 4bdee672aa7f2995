// Emits the generated program from a plan: model.ts (every block as data, a maker per block),
// train.ts (load data, train models in dependency order), infer.ts (restore trained models,
// evaluate, recommend) and index.ts (the entry `recspec run` calls). Built as ts-morph structures in
// memory, then formatted by one prettier pass. Spec strings only ever appear inside `literal()`.
import { Project, StructureKind, type SourceFileStructure, type StatementStructures } from "ts-morph";
import type { Plan } from "./plan.js";
import { literal } from "./literal.js";
import type { Value } from "../check/types.js";

const RUNTIME = "recspec/runtime";

export interface EmittedFile {
  readonly name: string;
  readonly text: string;
}

function banner(plan: Plan, what: string): string {
  return `/**\n * Generated from ${plan.ir.source} by recspec. Edit freely and run with \`recspec exec\`; \`recspec compile\` regenerates it.\n * ${what}\n */`;
}

function imports(module: string, values: string[], types: string[] = []) {
  const named = [...new Set(values)].sort().map((name) => ({ name }));
  const typeNamed = [...new Set(types)].sort().map((name) => ({ name, isTypeOnly: true }));
  return { kind: StructureKind.ImportDeclaration as const, moduleSpecifier: module, namedImports: [...named, ...typeNamed] };
}

/** model.ts: every block's loader or graph, its training settings, and the spec's evaluations. */
function modelFile(plan: Plan): SourceFileStructure {
  const values = plan.blocks.flatMap((b) => b.modelImports);
  const types = plan.blocks.flatMap((b) => b.modelTypeImports);
  const evaluations = plan.ir.evaluations.map((e) => literal(e as unknown as Value));
  const statements: StatementStructures[] = plan.blocks.flatMap((b) => b.declarations).map((text) => text as unknown as StatementStructures);
  return {
    kind: StructureKind.SourceFile,
    statements: [
      banner(plan, "The spec's data sets and models: how each is read or built, its graph, its loss and its scores."),
      imports(RUNTIME, values, [...types, "ProgramEvaluation"]),
      ...statements,
      `/** The spec's \`evaluate\` blocks, every default explicit. */\nexport const specEvaluations: ProgramEvaluation[] = [${evaluations.join(", ")}];`,
    ],
  };
}

/** Blocks that make a value (every block but towers, which only configure a two-tower model). */
const made = (plan: Plan) => plan.blocks.filter((b) => b.variable !== null);

function trainedInterface(plan: Plan): StatementStructures {
  return {
    kind: StructureKind.Interface,
    isExported: true,
    name: "Trained",
    docs: ["The data sets, item features, quantizers and trained models of the spec."],
    properties: made(plan).map((b) => ({ name: b.variable!, type: b.type, isReadonly: true })),
  };
}

/** Statements that make every value in dependency order, then train it (or restore it). */
function buildStatements(plan: Plan, train: boolean): string[] {
  const lines: string[] = [];
  for (const b of made(plan)) {
    lines.push(`const ${b.variable} = ${b.make};`);
    lines.push(...(train ? b.train : b.restore));
  }
  lines.push(`return { ${made(plan).map((b) => b.variable).join(", ")} };`);
  return lines;
}

/** The names of model.ts a file's statements use. */
function fromModel(plan: Plan, statements: string[], extra: string[] = []) {
  const text = statements.join("\n");
  const used = plan.blocks.flatMap((b) => b.exports).filter((name) => new RegExp(`\\b${name}\\b`).test(text));
  return imports("./model.js", [...used, ...extra]);
}

const valueTypes = (plan: Plan) => [...new Set(made(plan).map((b) => b.type))];

function trainFile(plan: Plan): SourceFileStructure {
  const body = buildStatements(plan, true);
  return {
    kind: StructureKind.SourceFile,
    statements: [
      banner(plan, "Makes every block of the spec and trains it, in dependency order."),
      imports(RUNTIME, plan.blocks.flatMap((b) => b.trainImports), [...valueTypes(plan), "Run"]),
      fromModel(plan, body),
      trainedInterface(plan),
      {
        kind: StructureKind.Function,
        isExported: true,
        isAsync: true,
        name: "train",
        docs: ["Trains from scratch, or continues from the last complete checkpoint when `run.resume` is set."],
        parameters: [{ name: "run", type: "Run" }],
        returnType: "Promise<Trained>",
        statements: body,
      },
    ],
  };
}

function inferFile(plan: Plan): SourceFileStructure {
  const body = buildStatements(plan, false);
  const evaluationLines = plan.evaluations.map(
    ({ model, data, ranking }, index) =>
      `results.push(await ${ranking ? "evaluateRankingBlock" : "evaluateBlock"}(run, trained.${model}, trained.${data}, evaluations[${index}]));`,
  );
  const evaluators = [...new Set(plan.evaluations.map((e) => (e.ranking ? "evaluateRankingBlock" : "evaluateBlock")))];
  return {
    kind: StructureKind.SourceFile,
    statements: [
      banner(plan, "Restores a run's trained blocks and evaluates them."),
      imports(RUNTIME, [...plan.blocks.flatMap((b) => b.restoreImports), ...evaluators], ["EvaluationResult", "ProgramEvaluation", "Run"]),
      fromModel(plan, body, ["specEvaluations"]),
      { kind: StructureKind.ImportDeclaration, moduleSpecifier: "./train.js", namedImports: [{ name: "Trained", isTypeOnly: true }] },
      {
        kind: StructureKind.Function,
        isExported: true,
        isAsync: true,
        name: "restore",
        docs: ["Loads the data and every block's trained state from `run`'s folder."],
        parameters: [{ name: "run", type: "Run" }],
        returnType: "Promise<Trained>",
        statements: body,
      },
      {
        kind: StructureKind.Function,
        isExported: true,
        isAsync: true,
        name: "evaluate",
        docs: ["Runs every `evaluate` block of the spec (an experiment cell passes them with its report's metrics added)."],
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
  const disposable = plan.blocks.filter((b) => b.disposable && b.variable !== null).map((b) => b.variable!);
  return {
    kind: StructureKind.SourceFile,
    statements: [
      banner(plan, "The program's entry: `recspec run|train|eval|exec` call `main`; an experiment cell calls `trainAndEvaluate`."),
      imports(RUNTIME, ["finishRun", "runIfMain", "startRun"], ["EvaluationResult", "ProgramEvaluation", "Run", "RunOptions"]),
      imports("./infer.js", ["evaluate", "restore"]),
      imports("./model.js", ["specEvaluations"]),
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
        isAsync: true,
        name: "trainAndEvaluate",
        docs: ["One experiment cell (this program is compiled for it): trains from scratch in `run`, evaluates, frees the models."],
        parameters: [
          { name: "run", type: "Run" },
          { name: "evaluations", type: "ProgramEvaluation[]", initializer: "specEvaluations" },
        ],
        returnType: "Promise<EvaluationResult[]>",
        statements: [
          "const trained = await train(run);",
          ...(disposable.length > 0
            ? ["try {", "  return await evaluate(run, trained, evaluations);", "} finally {", ...disposable.map((m) => `  trained.${m}.dispose();`), "}"]
            : ["return evaluate(run, trained, evaluations);"]),
        ],
      },
      "// Run as a script (`npx tsx index.ts [--stage train|eval] [--resume] [--runs DIR]`): calls main.",
      "runIfMain(import.meta, main);",
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
