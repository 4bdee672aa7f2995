// Sample report inputs shared by the report tests: a small two-epoch run with train and validation
// records, test results with a popularity baseline (one without an interval, like coverage), and a
// three-configuration sweep. Strings include "</script>" to exercise escaping.
import type { ExperimentData, MetricRecord, ReportData } from "../../../src/runtime/report/index.js";

export function sampleMetrics(): MetricRecord[] {
  const out: MetricRecord[] = [];
  let step = 0;
  for (let epoch = 0; epoch < 2; epoch++) {
    for (let i = 0; i < 4; i++) {
      step++;
      out.push({ step, epoch, split: "train", name: "loss", value: 1 / (step + 1), time: 1000 + step });
      out.push({ step, epoch, split: "train", name: "lr", value: 0.01, time: 1000 + step });
    }
    out.push({ step, epoch, split: "valid", name: "ndcg@10", value: 0.1 + 0.05 * epoch, time: 2000 + epoch });
    out.push({ step, epoch, split: "val", name: "loss", value: 0.9 - 0.1 * epoch, time: 2000 + epoch });
  }
  // A non-finite value as metrics.jsonl stores it; it must not reach the charts.
  out.push({ step: 9, epoch: 2, split: "train", name: "loss", value: null, time: 3000 });
  return out;
}

export function sampleReport(): ReportData {
  const slices = ["all", "head", "tail", "cold_start"];
  return {
    title: "quickstart </script><script>alert(1)</script>",
    spec: "specs/quickstart.recspec",
    backend: "wasm (SIMD)",
    metrics: sampleMetrics(),
    results: [
      ...slices.map((slice, i) => ({
        metric: "recall@10",
        slice,
        model: "two_tower",
        mean: 0.2 + 0.01 * i,
        low: 0.18 + 0.01 * i,
        high: 0.22 + 0.01 * i,
        n: 100 * (i + 1),
        baseline: { mean: 0.1, low: 0.09, high: 0.11 },
      })),
      ...slices.map((slice, i) => ({
        metric: "ndcg@10",
        slice,
        model: "two_tower",
        mean: 0.12 + 0.01 * i,
        low: 0.1 + 0.01 * i,
        high: 0.14 + 0.01 * i,
        n: 100 * (i + 1),
        baseline: { mean: 0.13, low: 0.125, high: 0.135 },
      })),
      { metric: "coverage@10", slice: "all", model: "two_tower", mean: 0.4, low: NaN, high: NaN, n: 100, baseline: { mean: 0.01, low: NaN, high: NaN } },
    ],
    config: { model: "two_tower", note: "</script><!-- tricky" },
    notes: ["validation on 2000 sampled users", "evaluation: full catalogue ranking </script>"],
  };
}

export function sampleSweep(): ExperimentData {
  const rows: ExperimentData["rows"] = [];
  for (const dim of [32, 64, 128]) {
    for (const slice of ["all", "tail"]) {
      for (const metric of ["recall@10", "ndcg@10"]) {
        const mean = dim / 1000 + (slice === "tail" ? 0 : 0.05) + (metric === "ndcg@10" ? 0 : 0.02);
        rows.push({ config: { dim, loss: "bpr" }, metric, slice, mean, low: mean - 0.01, high: mean + 0.01, seeds: 3 });
      }
    }
  }
  return { title: "dim sweep </script>", rows, notes: ["3 seeds per configuration"] };
}

/** Every <script> element: its attributes and content, ended at the first `</script`. */
export function scripts(html: string): { attrs: string; body: string }[] {
  return [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script/gi)].map((m) => ({ attrs: m[1], body: m[2] }));
}

/** The inlined chart specs, parsed back from the page. */
export function inlinedSpecs(html: string): Record<string, unknown> {
  const json = scripts(html).find((s) => s.attrs.includes('id="recspec-charts"'));
  if (json === undefined) throw new Error("no recspec-charts script");
  return JSON.parse(json.body) as Record<string, unknown>;
}

/** Places an HTML page could fetch from the network: absolute or protocol-relative URLs in src, href, url(). */
export function remoteReferences(html: string): string[] {
  const patterns = [
    /\b(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?\/\/[^"'\s>]*/gi,
    /url\(\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?\/\/[^)]*\)/gi,
    /@import\s+["']?(?:url\()?\s*["']?\s*(?:https?:)?\/\//gi,
  ];
  return patterns.flatMap((p) => [...html.matchAll(p)].map((m) => m[0]));
}
