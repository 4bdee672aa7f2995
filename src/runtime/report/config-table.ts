// The run's configuration as the compiler resolved it: one collapsible table per block (every
// attribute with its default filled, the `train` settings as `train.…`), per evaluation and for the
// params, read from the run's IR. Takes the IR as recorded (any version: it is read loosely, and
// what is not there is left out); gives HTML, or "" when the IR holds none of these.
import { escapeHtml } from "./escape.js";

type Loose = Record<string, unknown>;

export function configTables(ir: unknown): string {
  if (!isRecord(ir)) return "";
  const out: string[] = [];
  const params = isRecord(ir.params) ? Object.entries(ir.params) : [];
  if (params.length > 0) out.push(section("params", params));
  for (const block of records(ir.blocks)) {
    const rows: [string, unknown][] = Object.entries(isRecord(block.attributes) ? block.attributes : {});
    if (isRecord(block.train)) rows.push(...Object.entries(block.train).map(([k, v]): [string, unknown] => [`train.${k}`, v]));
    out.push(section(`${String(block.kind)} ${String(block.name)} = ${String(block.type)}`, rows));
  }
  for (const e of records(ir.evaluations)) {
    const { model, dataset, split, ...rest } = e;
    out.push(section(`evaluate ${String(model)} on ${String(dataset)}.${String(split)}`, Object.entries(rest)));
  }
  return out.join("\n");
}

/** A `<details>` whose summary names the block and whose table lists its settings. */
function section(title: string, rows: readonly [string, unknown][]): string {
  const body = rows.map(([k, v]) => `<tr><td><code>${escapeHtml(k)}</code></td><td><code>${escapeHtml(valueText(v))}</code></td></tr>`);
  return [
    `<details class="config"><summary><code>${escapeHtml(title)}</code></summary>`,
    '<table class="results config"><thead><tr><th>setting</th><th>value</th></tr></thead>',
    `<tbody>\n${body.join("\n")}\n</tbody></table></details>`,
  ].join("\n");
}

/** An IR value as a spec would write it: `adam(lr: 0.001)`, `beauty`, `ndcg@10`, `[a, b]`; null is "–" (not set). */
export function valueText(v: unknown): string {
  if (v === null || v === undefined) return "–";
  if (Array.isArray(v)) return `[${v.map(valueText).join(", ")}]`;
  if (typeof v === "string") return JSON.stringify(v);
  if (!isRecord(v)) return String(v);
  if (typeof v.ref === "string" && Object.keys(v).length === 1) return v.ref;
  if (typeof v.metric === "string") {
    const metric = v.k === null || v.k === undefined ? v.metric : `${v.metric}@${String(v.k)}`;
    return isRecord(v.by) ? `${metric} by ${valueText(v.by)}` : metric;
  }
  const { type, ...rest } = v;
  const args = Object.entries(rest).map(([k, x]) => `${k}: ${valueText(x)}`);
  if (typeof type === "string") return args.length === 0 ? type : `${type}(${args.join(", ")})`;
  return `{ ${args.join(", ")} }`;
}

function isRecord(x: unknown): x is Loose {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function records(x: unknown): Loose[] {
  return Array.isArray(x) ? x.filter(isRecord) : [];
}
