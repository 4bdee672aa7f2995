// Emits the generated program from a plan: model.ts (every block as data, a maker per block),
// train.ts (load data, train models in dependency order), infer.ts (restore trained models,
// evaluate, recommend) and index.ts (the entry `recspec run` calls). Built as ts-morph structures in
// memory, then formatted by one prettier pass. Spec text reaches the files only through escape.ts
// (via `literal()` for values); names and numbers the emitters print as they are are checked first.
import { Project, StructureKind, type SourceFileStructure, type StatementStructures } from "ts-morph";
import type { IR } from "../../ir/index.js";
import type { Plan } from "./plan.js";
import { commentText } from "./escape.js";
import { literal } from "./literal.js";
import { checkedName } from "./names.js";
import { isRankingDistill } from "./blocks/distill.js";

const RUNTIME = "recspec/runtime";

export interface EmittedFile {
  readonly name: string;
  readonly text: string;
}

/** The file's opening comment; the spec path is the user's text (a folder may be called `a*`), so it is escaped. */
function banner(plan: Plan, what: string): string {
  return `/**\n * Generated from ${commentText(plan.ir.source)} by recspec. Edit freely and run with \`recspec exec\`; \`recspec compile\` regenerates it.\n * ${what}\n */`;
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
  const evaluations = plan.ir.evaluations.map((e) => literal(e));
  const statements = plan.blocks.flatMap((b) => b.declarations);
  return {
    kind: StructureKind.SourceFile,
    statements: [
      banner(plan, "The spec's data sets and models: how each is read or built, its graph, its loss and its scores."),
      imports(RUNTIME, values, [...types, "IREvaluation"]),
      ...statements,
      `/** The spec's \`evaluate\` blocks, every default explicit. */\nexport const specEvaluations: IREvaluation[] = [${evaluations.join(", ")}];`,
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
  lines.push(
    `return { ${made(plan)
      .map((b) => b.variable)
      .join(", ")} };`,
  );
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
      imports(
        RUNTIME,
        plan.blocks.flatMap((b) => b.trainImports),
        [...valueTypes(plan), "Run"],
      ),
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

/**
 * The models infer.ts recommends with, in spec order: each one's `Trained` expression (a distilled
 * ranker as its student network, as it is evaluated), its data set's, and — for a generative model —
 * its class, which the recommender reads the Semantic IDs and beam search of.
 */
function recommendingModels(plan: Plan): { name: string; model: string; data: string; generativeClass: string | null }[] {
  const variableOf = new Map(plan.blocks.map((b) => [b.block.name, b.variable]));
  return made(plan)
    .filter((b) => b.block.kind === "model" || b.block.kind === "distill")
    .map((b) => {
      const data = variableOf.get(b.block.dataset);
      if (!data) throw new Error(`internal: model ${b.block.name} has no data set variable`);
      const generative = b.block.kind === "model" && b.block.type === "generative";
      return {
        name: b.block.name,
        model: `trained.${b.variable}${isRankingDistill(b.block) ? ".student" : ""}`,
        data: `trained.${data}`,
        generativeClass: generative ? b.exports[0] : null,
      };
    });
}

function inferFile(plan: Plan): SourceFileStructure {
  const body = buildStatements(plan, false);
  const evaluationLines = plan.evaluations.map(
    ({ model, data, ranking }, index) =>
      `results.push(await ${ranking ? "evaluateRankingBlock" : "evaluateBlock"}(run, trained.${model}, trained.${data}, evaluations[${index}]));`,
  );
  const evaluators = [...new Set(plan.evaluations.map((e) => (e.ranking ? "evaluateRankingBlock" : "evaluateBlock")))];
  const models = recommendingModels(plan);
  const entries = models.map((m) =>
    m.generativeClass === null
      ? `${literal(m.name)}: catalogueRecommender(${m.model}, ${m.data}),`
      : `${literal(m.name)}: generativeRecommender(${m.model} as ${m.generativeClass}, ${m.data}),`,
  );
  const recommenderLines = ["return {", ...entries, "};"];
  const recommenderImports = [...new Set(models.map((m) => (m.generativeClass === null ? "catalogueRecommender" : "generativeRecommender")))];
  // The default model: the first the spec evaluates, else its first model.
  const evaluated = plan.ir.evaluations.map((e) => e.model).find((name) => models.some((m) => m.name === name));
  const fallback = evaluated ?? models[0]?.name;
  const recommendOptions = fallback === undefined ? "options" : `{ ...options, model: options.model ?? ${literal(fallback)} }`;
  const defaultDoc =
    fallback === undefined
      ? " (the spec has no model)"
      : ` — by default \`${fallback}\`${evaluated === undefined ? "" : ", the first model the spec evaluates"} —`;
  return {
    kind: StructureKind.SourceFile,
    statements: [
      banner(plan, "Restores a run's trained blocks, evaluates them, and recommends with them."),
      imports(
        RUNTIME,
        [...plan.blocks.flatMap((b) => b.restoreImports), ...evaluators, ...recommenderImports, "recommendItems"],
        ["EvaluationResult", "IREvaluation", "RecommendOptions", "Recommender", "Run", "UserIds", "UserRecommendation"],
      ),
      fromModel(plan, [...body, ...recommenderLines], ["specEvaluations"]),
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
          { name: "evaluations", type: "IREvaluation[]", initializer: "specEvaluations" },
        ],
        returnType: "Promise<EvaluationResult[]>",
        statements: ["const results: EvaluationResult[] = [];", ...evaluationLines, "return results;"],
      },
      {
        kind: StructureKind.Function,
        isExported: true,
        name: "recommenders",
        docs: ["The spec's models by name, each with the data set it learned from, ready to recommend."],
        parameters: [{ name: "trained", type: "Trained" }],
        returnType: "Record<string, Recommender>",
        statements: recommenderLines,
      },
      {
        kind: StructureKind.Function,
        isExported: true,
        name: "recommend",
        docs: [
          `Top-\`k\` items for each user (raw ids, as in the data files) from \`options.model\`${defaultDoc}\nbest first with their scores, the user's own items left out unless \`options.includeSeen\`.\nUsers are scored in batches; each batch's lists come as soon as it is done.`,
        ],
        parameters: [
          { name: "run", type: "Run" },
          { name: "trained", type: "Trained" },
          { name: "users", type: "UserIds" },
          { name: "k", type: "number" },
          { name: "options", type: "RecommendOptions", initializer: "{}" },
        ],
        returnType: "AsyncGenerator<UserRecommendation>",
        statements: [`return recommendItems(run, recommenders(trained), users, k, ${recommendOptions});`],
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
      imports(RUNTIME, ["finishRun", "runIfMain", "startRun"], ["EvaluationResult", "IREvaluation", "Run", "RunOptions"]),
      imports("./infer.js", ["evaluate", "restore"]),
      imports("./model.js", ["specEvaluations"]),
      imports("./train.js", ["train"]),
      {
        kind: StructureKind.Function,
        isExported: true,
        isAsync: true,
        name: "main",
        docs: ['Trains (or restores, with `stage: "eval"`), evaluates, writes the run\'s report and frees the models.'],
        parameters: [{ name: "options", type: "RunOptions" }],
        returnType: "Promise<Run>",
        statements: [
          `const run = await startRun(${literal(plan.ir.spec)}, options);`,
          `const trained = options.stage === "eval" ? await restore(run) : await train(run);`,
          ...(disposable.length > 0
            ? [
                "try {",
                `  const results = options.stage === "train" ? [] : await evaluate(run, trained);`,
                "  await finishRun(run, results);",
                "} finally {",
                // A process may run several programs (tests, `recspec run` then experiments): free the weights.
                ...disposable.map((m) => `  trained.${m}.dispose();`),
                "}",
              ]
            : [`const results = options.stage === "train" ? [] : await evaluate(run, trained);`, `await finishRun(run, results);`]),
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
          { name: "evaluations", type: "IREvaluation[]", initializer: "specEvaluations" },
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

/**
 * Block emitters print names (in doc comments, class names) and numbers (shapes, sizes) straight
 * into code; that is safe only for lexer-shaped names and finite numbers. An IR that breaks this is
 * a compiler bug, stopped here before any file is written.
 */
function checkPrintable(ir: IR): void {
  const numbers = (value: unknown, where: string): void => {
    if (typeof value === "number" && !Number.isFinite(value)) throw new Error(`internal: non-finite number ${value} at ${where} of the IR`);
    if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) numbers(v, `${where}/${k}`);
  };
  const refs = (value: unknown): void => {
    if (value === null || typeof value !== "object") return;
    if (!Array.isArray(value) && typeof (value as { ref?: unknown }).ref === "string") checkedName((value as { ref: string }).ref);
    for (const v of Object.values(value)) refs(v);
  };
  numbers(ir, "");
  for (const b of ir.blocks) {
    [b.name, b.dataset, ...b.dependsOn].forEach(checkedName);
    refs(b.attributes);
  }
  for (const e of ir.evaluations) [e.model, e.dataset].forEach(checkedName);
}

/** The generated files for a plan, formatted, in a stable order. */
export async function emit(plan: Plan, formatText: (text: string) => Promise<string>): Promise<EmittedFile[]> {
  checkPrintable(plan.ir);
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
