// Run by bench/cases/memory.ts in a fresh process: one TIGER training step, then prints the peak
// RSS (process.resourceUsage().maxRSS) as JSON, so the number belongs to that step alone.
// Args: paper|small, batch, micro-batch, variant.
import { useVariant, type Variant } from "./lib/variants.js";
import { TIGER_PAPER, TIGER_SMALL, tigerStep } from "./models/tiger.js";

const [size, batch, micro, variant] = process.argv.slice(2);
const unavailable = await useVariant(variant as Variant);
if (unavailable !== undefined) {
  console.log(JSON.stringify({ error: unavailable }));
} else {
  const step = tigerStep(size === "paper" ? TIGER_PAPER : TIGER_SMALL, Number(batch), Number(micro));
  await step.step();
  await step.step();
  console.log(JSON.stringify({ peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), config: step.config }));
  step.dispose();
}
