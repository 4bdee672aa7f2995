// Checks at run time that IR data has the key sets the generated attribute types promise: each
// block's attributes, the options inside them (by `type`), its `train`, and a distillation student.
// Takes an IR block or evaluation; gives the problems found, as `path: message` lines (none: conforms).
// Value types are the JSON schema's job; this catches a generated type drifting from what lowering emits.
import { ATTRIBUTE_NAMES, OPTION_ATTRIBUTES, TRAINED_BLOCKS } from "./attributes.generated.js";
import type { IRBlock, IREvaluation, Value } from "./ir.js";

type Owner = keyof typeof ATTRIBUTE_NAMES;
type Rec = Readonly<Record<string, Value>>;

const isRecord = (v: unknown): v is Rec => typeof v === "object" && v !== null && !Array.isArray(v);

function namesOf(owner: string, type: string): readonly string[] | undefined {
  const group = (ATTRIBUTE_NAMES as Record<string, Record<string, readonly string[]>>)[owner];
  return group && Object.hasOwn(group, type) ? group[type] : undefined;
}

/** Problems of `attributes` against constructor `type` of `owner`; `extra` keys (an option's `type`) are expected too. */
function check(owner: string, type: string, attributes: Rec, path: string, extra: readonly string[] = []): string[] {
  const names = namesOf(owner, type);
  if (!names) return [`${path}: no ${owner} constructor \`${type}\``];
  const problems: string[] = [];
  const expected = [...extra, ...names];
  const actual = Object.keys(attributes);
  const missing = expected.filter((k) => !actual.includes(k));
  const unknown = actual.filter((k) => !expected.includes(k));
  if (missing.length > 0) problems.push(`${path}: missing ${missing.join(", ")}`);
  if (unknown.length > 0) problems.push(`${path}: unexpected ${unknown.join(", ")}`);
  for (const [name, family] of Object.entries(OPTION_ATTRIBUTES[`${owner}.${type}`] ?? {})) {
    const value = attributes[name];
    // An option attribute left null (a list not written, e.g. `baselines`) holds no option to check.
    const options = value === null ? [] : Array.isArray(value) ? value : [value];
    options.forEach((option, i) => {
      const at = Array.isArray(value) ? `${path}.${name}[${i}]` : `${path}.${name}`;
      if (!isRecord(option) || typeof option.type !== "string") problems.push(`${at}: not a ${family} option`);
      else problems.push(...check(family, option.type, option, at, ["type"]));
    });
  }
  return problems;
}

/** Problems of a block: its attributes, options, `train`, and a distillation student's attributes. */
export function blockProblems(block: IRBlock): string[] {
  const at = block.name;
  const problems = check(block.kind, block.type, block.attributes, `${at}.attributes`);
  // An unknown constructor has no train rule or student to compare with.
  if (!namesOf(block.kind, block.type)) return problems;
  const trains = TRAINED_BLOCKS.includes(`${block.kind}.${block.type}`);
  if (trains && block.train === null) problems.push(`${at}.train: missing`);
  if (!trains && block.train !== null) problems.push(`${at}.train: a ${block.type} block does not train`);
  if (block.train !== null) problems.push(...check("train" satisfies Owner, "train", block.train, `${at}.train`));
  const student = block.kind === "distill" ? block.attributes.student : undefined;
  if (isRecord(student) && typeof student.type === "string" && isRecord(student.attributes)) {
    problems.push(...check("model", student.type, student.attributes, `${at}.attributes.student.attributes`));
  }
  return problems;
}

/** Problems of an evaluation's attribute part (everything but model, dataset and split). */
export function evaluationProblems(evaluation: IREvaluation, at = "evaluation"): string[] {
  const { model: _m, dataset: _d, split: _s, ...attributes } = evaluation;
  return check("evaluate", "evaluate", attributes as Rec, at);
}
