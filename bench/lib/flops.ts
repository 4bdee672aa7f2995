// Counts the floating-point work of matrix products in a computation, and where its time goes.
// Takes a function; runs it once under tf.profile and gives 2·m·n·k summed over every BatchMatMul
// and _FusedMatMul kernel (forward and backward), plus the per-kernel time breakdown. Used to turn a
// training step's speed into achieved GFLOP/s, and by bench/profile.ts.
import * as tf from "@tensorflow/tfjs-core";

export interface KernelCost {
  name: string;
  calls: number;
  ms: number;
}

export interface StepProfile {
  matmulFlops: number;
  /** Wall time of the profiled run, ms (profiling adds overhead). */
  wallMs: number;
  kernels: KernelCost[];
}

const MATMUL_KERNELS = new Set(["BatchMatMul", "_FusedMatMul"]);

/** 2·m·n·k for a product with output [..., m, n] and first input a = [..., m, k] or [..., k, m]. */
export function matmulFlops(aShape: number[], outShape: number[]): number {
  const m = outShape[outShape.length - 2];
  const outSize = outShape.reduce((x, y) => x * y, 1);
  const k = aShape[aShape.length - 2] === m ? aShape[aShape.length - 1] : aShape[aShape.length - 2];
  return 2 * outSize * k;
}

export async function profileRun(fn: () => unknown): Promise<StepProfile> {
  const t0 = performance.now();
  const info = await tf.profile(async () => {
    await fn();
  });
  const wallMs = performance.now() - t0;
  let flops = 0;
  const byName = new Map<string, KernelCost>();
  for (const k of info.kernels) {
    if (MATMUL_KERNELS.has(k.name) && k.inputShapes[0] !== undefined && k.outputShapes[0] !== undefined) {
      flops += matmulFlops(k.inputShapes[0], k.outputShapes[0]);
    }
    const cost = byName.get(k.name) ?? { name: k.name, calls: 0, ms: 0 };
    cost.calls++;
    cost.ms += typeof k.kernelTimeMs === "number" ? k.kernelTimeMs : 0;
    byName.set(k.name, cost);
  }
  const kernels = [...byName.values()].sort((a, b) => b.ms - a.ms);
  return { matmulFlops: flops, wallMs, kernels };
}
