// Decides what the generated program does with each IR block, before any code is printed: how each
// block is loaded or built (a runtime stage call), how it is trained and how it is restored, and
// what TypeScript type its value has. Takes the IR; gives a plan the file emitters walk, with every
// identifier already allocated. Spec strings reach code only through `literal()`.
import type { IR, IRBlock, IREvaluation } from "../ir.js";
import { literal } from "./literal.js";
import { camel, Names, pascal, variableName } from "./names.js";

export interface Step {
  readonly block: IRBlock;
  /** Identifier of the block's config constant (`sasrecConfig`). */
  readonly config: string;
  /** The block's variable, and its key in the generated `Blocks` object. */
  readonly variable: string;
  /** What the step makes: data, features, a quantizer or a model; `config` steps make nothing. */
  readonly role: "data" | "features" | "quantizer" | "model" | "config";
  /** Runtime type of the variable. */
  readonly type: string;
  /** model.ts function that makes the value (`loadBeauty`, `buildSasrec`), its parameters and body. */
  readonly maker: string | null;
  readonly makerParams: readonly { name: string; type: string }[];
  readonly makerBody: string;
  readonly makerAsync: boolean;
  readonly makerDoc: string;
  /** Statements after making it, when training / when restoring a trained run. */
  readonly train: readonly string[];
  readonly restore: readonly string[];
  /** Runtime functions the maker (model.ts) and the statements (train.ts, infer.ts) call. */
  readonly makerImports: readonly string[];
  readonly stageImports: readonly string[];
}

export interface Plan {
  readonly ir: IR;
  readonly steps: readonly Step[];
  readonly evaluations: readonly { evaluation: IREvaluation; index: number; model: string; data: string }[];
}

const refName = (value: unknown): string => (value as { ref: string }).ref;

export function plan(ir: IR): Plan {
  const names = new Names();
  const byName = new Map<string, Step>();
  const steps: Step[] = [];
  const variableOf = (name: string) => names.get("var", name, variableName);

  for (const block of ir.blocks) {
    const config = names.get("config", block.name, (n) => `${camel(n)}Config`);
    const variable = variableOf(block.name);
    const key = `blocks.${variable}`;
    const dataVar = variableOf(block.dataset);
    const base = { block, config, variable, train: [] as string[], restore: [] as string[], makerAsync: false };
    let step: Step;
    switch (block.kind) {
      case "dataset":
        step = {
          ...base,
          role: "data",
          type: "PreparedData",
          maker: names.get("make", block.name, (n) => `load${pascal(n)}`),
          makerParams: [{ name: "run", type: "Run" }, { name: "blocks", type: "Blocks" }],
          makerBody: `return loadData(run, ${key});`,
          makerAsync: true,
          makerDoc: `Reads and splits \`${block.name}\`.`,
          makerImports: ["loadData"],
          stageImports: [],
        };
        break;
      case "features":
        step = {
          ...base,
          role: "features",
          type: "ItemFeatures",
          maker: names.get("make", block.name, (n) => `load${pascal(n)}`),
          makerParams: [{ name: "run", type: "Run" }, { name: "blocks", type: "Blocks" }, { name: dataVar, type: "PreparedData" }],
          makerBody: `return loadFeatures(run, ${key}, ${dataVar});`,
          makerAsync: true,
          makerDoc: `Computes (or reads from the cache) the item vectors of \`${block.name}\`.`,
          makerImports: ["loadFeatures"],
          stageImports: [],
        };
        break;
      case "quantizer": {
        const features = block.type === "random_ids" ? null : variableOf(refName(block.attributes.features));
        step = {
          ...base,
          role: "quantizer",
          type: "Quantizer",
          maker: names.get("make", block.name, (n) => `build${pascal(n)}`),
          makerParams: [
            { name: "blocks", type: "Blocks" },
            { name: dataVar, type: "PreparedData" },
            ...(features ? [{ name: features, type: "ItemFeatures" }] : []),
          ],
          makerBody: `return buildQuantizer(${key}, ${dataVar}, ${features ?? "null"});`,
          makerDoc: `Builds the quantizer \`${block.name}\` (${block.type}); training gives every item its Semantic ID.`,
          makerImports: ["buildQuantizer"],
          train: [`await trainQuantizer(run, ${variable}, ${key}, ${features ?? "null"}, ${dataVar}.numItems);`],
          restore: [`await restoreQuantizer(run, ${variable}, ${key});`],
          stageImports: ["trainQuantizer", "restoreQuantizer"],
        };
        break;
      }
      case "tower":
        // A tower is part of a two-tower model: its configuration is passed to the model's builder.
        step = { ...base, role: "config", type: "", maker: null, makerParams: [], makerBody: "", makerDoc: "", makerImports: [], stageImports: [] };
        break;
      default:
        step = modelStep(block, base, key, dataVar, names, byName, variableOf);
    }
    byName.set(block.name, step);
    steps.push(step);
  }

  const evaluations = ir.evaluations.map((evaluation, index) => ({
    evaluation,
    index,
    model: byName.get(evaluation.model)!.variable,
    data: byName.get(evaluation.dataset)!.variable,
  }));
  return { ir, steps, evaluations };
}

type StepBase = Pick<Step, "block" | "config" | "variable" | "train" | "restore" | "makerAsync">;

/** Models and distilled students: built from their dependencies, trained by `trainBlock`. */
function modelStep(
  block: IRBlock,
  base: StepBase,
  key: string,
  dataVar: string,
  names: Names,
  byName: Map<string, Step>,
  variableOf: (name: string) => string,
): Step {
  const maker = names.get("make", block.name, (n) => `build${pascal(n)}`);
  const params: { name: string; type: string }[] = [{ name: "blocks", type: "Blocks" }, { name: dataVar, type: "PreparedData" }];
  let body: string;
  let imports: string[];
  const train = [`await trainBlock(run, ${base.variable}, ${dataVar}, ${key});`];
  const restore = [`await restoreBlock(run, ${base.variable}, ${key});`];
  const stageImports = ["trainBlock", "restoreBlock"];
  const sameData = (role: Step["role"]) => [...byName.values()].filter((s) => s.role === role && s.block.dataset === block.dataset);
  const table = (list: Step[]) => `{ ${list.map((s) => `${literal(s.block.name)}: ${s.variable}`).join(", ")} }`;

  switch (block.type) {
    case "sequential":
      body = `return buildSequential(${key}, ${dataVar});`;
      imports = ["buildSequential"];
      break;
    case "two_tower": {
      const user = variableOf(refName(block.attributes.user));
      const item = variableOf(refName(block.attributes.item));
      body = `return buildTwoTower(${key}, { user: blocks.${user}, item: blocks.${item} }, ${dataVar});`;
      imports = ["buildTwoTower"];
      break;
    }
    case "generative": {
      // An experiment may swap the Semantic IDs (the random / LSH / RQ-VAE ablation): every
      // quantizer of the data set is on hand, and the builder picks the one the block names.
      const quantizers = sameData("quantizer");
      for (const s of quantizers) params.push({ name: s.variable, type: s.type });
      body = `return buildGenerative(${key}, ${dataVar}, ${table(quantizers)});`;
      imports = ["buildGenerative"];
      break;
    }
    case "ranking": {
      // An experiment may swap the item representation: every quantizer and feature set of the
      // model's data set is on hand, and the builder picks what the block names.
      const quantizers = sameData("quantizer");
      const features = sameData("features");
      for (const s of [...quantizers, ...features]) params.push({ name: s.variable, type: s.type });
      body = `return buildRankingModel(${key}, ${dataVar}, { quantizers: ${table(quantizers)}, features: ${table(features)} });`;
      imports = ["buildRankingModel"];
      break;
    }
    default: {
      // distill: the teacher is a model of the spec, trained (or loaded from a checkpoint) first.
      const teacher = variableOf(refName(block.attributes.teacher));
      params.push({ name: teacher, type: "RecModel" });
      params.push({ name: "run", type: "Run" });
      // A two-tower student is built from tower blocks, which may differ from the teacher's; a
      // ranking student picks its item inputs from the data set's quantizers and feature sets.
      const student = block.attributes.student as { type: string; attributes: Record<string, unknown> };
      let parts = "";
      if (student.type === "two_tower") {
        const user = variableOf(refName(student.attributes.user));
        const item = variableOf(refName(student.attributes.item));
        parts = `, { towers: { user: blocks.${user}, item: blocks.${item} } }`;
      } else if (student.type === "ranking") {
        const quantizers = sameData("quantizer");
        const features = sameData("features");
        for (const s of [...quantizers, ...features]) params.push({ name: s.variable, type: s.type });
        parts = `, { quantizers: ${table(quantizers)}, features: ${table(features)} }`;
      }
      body = `return buildDistill(${key}, ${dataVar}, ${teacher}, run${parts});`;
      imports = ["buildDistill"];
      train.push(`await analyzeDistill(run, ${base.variable}, ${dataVar}, ${key});`);
      stageImports.push("analyzeDistill");
      break;
    }
  }
  return {
    ...base,
    role: "model",
    type: "RecModel",
    maker,
    makerParams: params,
    makerBody: body,
    makerDoc: `Builds \`${block.kind} ${block.name} = ${block.type}(…)\` with freshly initialised weights.`,
    makerImports: imports,
    train,
    restore,
    stageImports,
  };
}
