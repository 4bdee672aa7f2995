// Rules of a block's `train { … }` that single attributes cannot say: a cosine schedule's warm-up
// must end before training does. Takes a checked block (its train as checked and overridden);
// reports RS4002 at the schedule as written. With `epochs` the number of steps depends on the data,
// so only a length in `steps` is checked here.
import type { Body, Expr } from "../ast.js";
import type { CheckedBlock } from "./blocks.js";
import type { ValueChecker } from "./values.js";

export function checkTrain(block: CheckedBlock, vc: ValueChecker): void {
  const train = block.train;
  const schedule = train?.schedule as { type: string; warmup?: number } | undefined;
  const steps = train?.steps as number | null | undefined;
  if (!train || schedule?.type !== "cosine" || typeof steps !== "number") return;
  const warmup = schedule.warmup ?? 0;
  if (warmup < steps) return;
  const trainBody = nestedTrain(block.node.body);
  const span = assigned(trainBody, "schedule")?.span ?? block.node.name.span;
  const stepsSpan = assigned(trainBody, "steps")?.span;
  vc.report(
    "RS4002",
    block.file,
    span,
    { name: "cosine(warmup)", range: `< \`steps\` (${steps})`, value: String(warmup) },
    {
      labels: stepsSpan ? [{ file: block.file, span: stepsSpan, message: `training stops after ${steps} steps` }] : [],
      help: `shorten the warm-up (e.g. \`warmup: ${Math.floor(steps / 10)}\`) or train for more steps`,
    },
  );
}

function nestedTrain(body: Body | null): Body | null {
  for (const item of body?.items ?? []) if (item.kind === "NestedBlock" && item.name.name === "train") return item.body;
  return null;
}

function assigned(body: Body | null, name: string): Expr | undefined {
  for (const item of body?.items ?? []) {
    if (item.kind === "Assignment" && item.target.parts.length === 1 && item.target.parts[0].name === name) return item.value;
  }
  return undefined;
}
