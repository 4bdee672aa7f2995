// Timing for benchmarks. Takes a function to time and how often; gives the samples, and turns them
// into the result objects every case writes ({case, backend, config, n, median, p10, p90, unit,
// rss_mb, gflops?}). Warm-up runs are discarded (first calls pay for XNNPACK operator creation,
// heap growth and JIT); a time budget stops long cases early, but never below one sample.
export interface BenchResult {
  case: string;
  backend: string;
  config: string;
  /** Samples behind the statistics. */
  n: number;
  median: number;
  p10: number;
  p90: number;
  unit: string;
  /** Resident set size of the bench process after the case, MiB. */
  rss_mb: number;
  /** Achieved GFLOP/s of the matrix products, at the median, for matmul-bound cases. */
  gflops?: number;
  /** Free-form: why skipped, micro-batching used, ... */
  note?: string;
}

export interface MeasureOptions {
  warmup: number;
  repeats: number;
  /** Stop repeating once this many seconds have been spent measuring (default: no limit). */
  budgetSeconds?: number;
}

/** Seconds per call, one sample per repeat. */
export async function timeRuns(fn: () => unknown, options: MeasureOptions): Promise<number[]> {
  for (let i = 0; i < options.warmup; i++) await fn();
  const samples: number[] = [];
  const started = performance.now();
  for (let i = 0; i < options.repeats; i++) {
    const t0 = performance.now();
    await fn();
    samples.push((performance.now() - t0) / 1000);
    if (options.budgetSeconds !== undefined && (performance.now() - started) / 1000 > options.budgetSeconds) break;
  }
  return samples;
}

/** The q-quantile (0..1) of sorted values, linearly interpolated. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function rssMb(): number {
  return Math.round(process.memoryUsage().rss / 2 ** 20);
}

export interface Describe {
  case: string;
  backend: string;
  config: string;
  note?: string;
}

/** A result in milliseconds per run. */
export function msResult(d: Describe, secondsSamples: number[]): BenchResult {
  const ms = secondsSamples.map((s) => s * 1000).sort((a, b) => a - b);
  return { ...d, n: ms.length, median: quantile(ms, 0.5), p10: quantile(ms, 0.1), p90: quantile(ms, 0.9), unit: "ms", rss_mb: rssMb() };
}

/** A result as a rate: `work` units per run (examples, users, ...) divided by each run's seconds;
 * with `flopsPerRun`, the GFLOP/s achieved at the median too. */
export function rateResult(d: Describe, secondsSamples: number[], work: number, unit: string, flopsPerRun?: number): BenchResult {
  const rates = secondsSamples.map((s) => work / s).sort((a, b) => a - b);
  const result: BenchResult = {
    ...d,
    n: rates.length,
    median: quantile(rates, 0.5),
    p10: quantile(rates, 0.1),
    p90: quantile(rates, 0.9),
    unit,
    rss_mb: rssMb(),
  };
  if (flopsPerRun !== undefined) {
    const medianSeconds = quantile(
      [...secondsSamples].sort((a, b) => a - b),
      0.5,
    );
    result.gflops = flopsPerRun / medianSeconds / 1e9;
  }
  return result;
}

/** A case that could not run with this backend (addon not built, out of memory, ...). */
export function skippedResult(d: Describe, unit: string, why: string): BenchResult {
  return { ...d, n: 0, median: Number.NaN, p10: Number.NaN, p90: Number.NaN, unit, rss_mb: rssMb(), note: why };
}
