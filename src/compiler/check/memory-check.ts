// Refuses blocks that cannot run for want of memory, before a run allocates anything: a tensor with
// more values than one array can hold (RS4013, on any machine), or tensors or generated data beyond
// the limits (RS4012). Takes the derived blocks, the `--set`s (a size given there is reported there)
// and the limits; reports at the attribute that decides the largest allocation, with the fix.
import type { Span } from "../ast.js";
import type { DerivedBlock } from "./derive.js";
import { estimateMemory, formatBytes, MAX_TENSOR_VALUES, valuesOf, type Allocation } from "./memory-estimate.js";
import type { MemoryLimits } from "./memory-limit.js";
import type { Override } from "./overrides.js";
import type { ValueChecker } from "./values.js";

/** Allocations listed in a diagnostic's notes, largest first. */
const LISTED = 3;

export function checkMemory(blocks: readonly DerivedBlock[], overrides: readonly Override[], vc: ValueChecker, limits: MemoryLimits): void {
  const byName = new Map(blocks.map((b) => [b.block.name, b]));
  const where = new Where(byName, overrides);
  for (const derived of blocks) {
    const { allocations, partial } = estimateMemory(derived, (name) => byName.get(name));
    const name = derived.block.name;
    const huge = allocations.filter((a) => valuesOf(a.shape) > MAX_TENSOR_VALUES).sort((a, b) => valuesOf(b.shape) - valuesOf(a.shape))[0];
    if (huge) {
      const { file, span } = where.of(huge);
      vc.report(
        "RS4013",
        file,
        span,
        { what: `${huge.what} ${shapeText(huge.shape)}`, block: name, elements: count(valuesOf(huge.shape)), max: count(MAX_TENSOR_VALUES) },
        {
          help: `lower ${attributeText(huge)}: no machine can hold this tensor`,
        },
      );
      continue;
    }
    for (const memory of ["tensors", "heap"] as const) {
      const parts = allocations.filter((a) => a.memory === memory).sort((a, b) => b.bytes - a.bytes);
      const total = parts.reduce((sum, a) => sum + a.bytes, 0);
      const limit = memory === "tensors" ? limits.tensors : limits.heap;
      if (parts.length === 0 || total <= limit) continue;
      const largest = parts[0];
      const { file, span } = where.of(largest);
      const limitText = memory === "tensors" ? `${formatBytes(limit)} (${limits.tensorsFrom})` : `${formatBytes(limit)} (half of Node's heap limit)`;
      vc.report(
        "RS4012",
        file,
        span,
        {
          block: name,
          estimate: `${partial ? "at least" : "about"} ${formatBytes(total)}`,
          memory: memory === "tensors" ? "memory for its tensors" : "JavaScript heap for its generated data",
          limit: limitText,
        },
        {
          help:
            memory === "tensors"
              ? `lower ${attributeText(largest)} (to check for a larger machine than this one, give its size: \`--memory-limit 64GB\`)`
              : `lower ${attributeText(largest)} or \`length\` (or raise Node's heap limit: NODE_OPTIONS=--max-old-space-size=MB)`,
          notes: parts.slice(0, LISTED).map(describe),
        },
      );
    }
  }
}

/** "item embedding table: [12102 × 64] + 2 optimizer slots, 9.3 MB". */
export function describe(a: Allocation): string {
  const times = a.count > 1 ? `${a.count} × ` : "";
  const slots = a.copies - 1;
  const copies = slots > 0 ? ` + ${slots} optimizer slot${slots > 1 ? "s" : ""}${a.count > 1 ? " each" : ""}` : "";
  const shape = a.memory === "heap" ? `${a.shape[0]} users × ${a.shape[1]} items` : shapeText(a.shape);
  return `${a.what}: ${times}${shape}${copies}, ${formatBytes(a.bytes)}`;
}

/** 2,147,483,647; past 10^15 in powers of ten (5.0e+303), where digits stop meaning anything. */
export function count(n: number): string {
  return n < 1e15 ? n.toLocaleString("en-US") : n.toExponential(1);
}

function shapeText(shape: readonly number[]): string {
  return `[${shape.join(" × ")}]`;
}

function attributeText(a: Allocation): string {
  return `\`${a.attribute}\`${a.block ? ` of \`${a.block}\`` : ""}`;
}

/** Finds where an allocation's attribute was given: a `--set` of it, else the spec, else the block's name. */
class Where {
  constructor(
    private readonly blocks: ReadonlyMap<string, DerivedBlock>,
    private readonly overrides: readonly Override[],
  ) {}

  of(a: Allocation): { file: string; span: Span } {
    const key = `${a.block}.${a.attribute}`;
    // The last `--set` of the attribute (or of a part of it) is the value in force.
    const set = [...this.overrides].reverse().find((o) => {
      const path = o.path.parts.map((p) => p.name).join(".");
      return path === key || path.startsWith(`${key}.`);
    });
    if (set) return { file: set.file, span: { start: set.path.span.start, end: set.value.span.end } };
    const block = this.blocks.get(a.block)?.block;
    if (!block) return { file: "", span: { start: 0, end: 0 } };
    const span = block.spans.get(a.attribute.split(".")[0]) ?? block.node.name.span;
    return { file: block.file, span };
  }
}
