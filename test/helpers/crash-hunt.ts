// The crash hunt's cases and runner, shared by test/compiler/crash-hunt-*.test.ts (split so vitest
// runs them side by side). Each case is an example spec (specs/, test/fixtures/) with mutations of
// its text (half the cases) or of its meaning (four in ten: still parseable, so the checker runs), or
// a spec of random words, sometimes with a `--set`, derived from its index alone; the runner feeds it to
// `recspec check` and `recspec fmt` through main() and gives what went wrong, if anything.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import type { CommandIO } from "../../src/cli/io.js";
import { Rng } from "../../src/runtime/random.js";
import { mutate, mutateMeaning, randomSet, randomSpec } from "./spec-mutations.js";

export const CASES = 10_000;
/** The most CPU time one command may take on one input; a slower one is timed again before it counts. */
export const SLOW_MS = 1_000;

const ROOT = join(import.meta.dirname, "..", "..");

function recspecFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...recspecFiles(path));
    else if (name.endsWith(".recspec")) out.push(path);
  }
  return out;
}

/** Every example spec and fixture, in a fixed order. */
export const SEEDS: string[] = [...recspecFiles(join(ROOT, "specs")), ...recspecFiles(join(ROOT, "test", "fixtures"))].map((f) => readFileSync(f, "utf8"));
/** The seeds without syntax errors (examples, format and AST fixtures), for mutations of meaning. */
const VALID_SEEDS: string[] = [
  ...recspecFiles(join(ROOT, "specs")),
  ...["specs", "format", "ast", "check"].flatMap((d) => recspecFiles(join(ROOT, "test", "fixtures", d))),
].map((f) => readFileSync(f, "utf8"));

export interface HuntCase {
  readonly index: number;
  readonly text: string;
  readonly set: string[];
}

/** Case `index`: the same text and `--set`s on every run and machine. */
export function huntCase(index: number): HuntCase {
  const rng = new Rng(17_000 + index);
  let text: string;
  if (index % 10 === 0) text = randomSpec(rng);
  else if (index % 10 <= 4) {
    // Parseable specs with odd meanings, for the checker, the memory estimate and the formatter.
    text = VALID_SEEDS[index % VALID_SEEDS.length];
    const rounds = 1 + rng.int(4);
    for (let r = 0; r < rounds; r++) text = mutateMeaning(text, rng);
  } else {
    text = SEEDS[index % SEEDS.length];
    const rounds = 1 + rng.int(3);
    for (let r = 0; r < rounds; r++) text = mutate(text, rng);
  }
  const set = index % 7 === 0 ? [randomSet(text, rng)] : [];
  return { index, text, set };
}

interface Outcome {
  status: number;
  stderr: string;
  stdout: string;
  ms: number;
}

async function recspec(argv: string[]): Promise<Outcome> {
  let stdout = "";
  let stderr = "";
  const io: CommandIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), color: false, cwd: ROOT };
  // CPU time of this process, not wall time: other processes on a loaded machine do not count.
  const started = process.cpuUsage();
  const status = await main(argv, io);
  const used = process.cpuUsage(started);
  return { status, stderr, stdout, ms: (used.user + used.system) / 1000 };
}

/** What is wrong with one command's outcome, or undefined when it is a clean success or a clean error. */
function fault(o: Outcome): string | undefined {
  if (o.status !== 0 && o.status !== 1) return `exit status ${o.status}`;
  if (/internal error/.test(o.stderr)) return "internal error";
  if (/^\s+at .+:\d+:\d+\)?$/m.test(o.stderr)) return "stack trace";
  if (o.stderr.length + o.stdout.length > 2_000_000) return `${o.stderr.length + o.stdout.length} characters of output`;
  return undefined;
}

/** A folder of its own for this process's case files. */
export function huntFolder(part: number): string {
  const dir = join(tmpdir(), `recspec-crash-hunt-${process.pid}-${part}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Runs `check` and `fmt` on a case; gives a description of the first problem, or undefined. */
export async function runCase(c: HuntCase, dir: string): Promise<string | undefined> {
  const path = join(dir, `case-${c.index}.recspec`);
  writeFileSync(path, c.text);
  const commands = [
    ["check", path, ...c.set.flatMap((s) => ["--set", s])],
    ["fmt", path],
  ];
  for (const argv of commands) {
    let o = await recspec(argv);
    const bad = fault(o);
    if (bad)
      return `case ${c.index}: \`${argv[0]}\` ${bad}\n${o.stderr.slice(0, 3000)}\n--- input (${c.text.length} chars, set ${JSON.stringify(c.set)}):\n${c.text.slice(0, 3000)}`;
    // A scheduler hiccup does not repeat; a slow input does.
    if (o.ms > SLOW_MS) o = await recspec(argv);
    if (o.ms > SLOW_MS)
      return `case ${c.index}: \`${argv[0]}\` took ${o.ms.toFixed(0)} ms of CPU\n--- input (${c.text.length} chars):\n${c.text.slice(0, 3000)}`;
  }
  return undefined;
}

/** Cases `from` ≤ index < `to`: "" when all pass, else the count and the first three failures. */
export async function hunt(from: number, to: number, dir: string): Promise<string> {
  const failures: string[] = [];
  for (let i = from; i < to; i++) {
    const failure = await runCase(huntCase(i), dir);
    if (failure) failures.push(failure);
  }
  if (failures.length === 0) return "";
  return `${failures.length} of ${to - from} cases failed; the first:\n\n${failures.slice(0, 3).join("\n\n=====\n")}`;
}

/**
 * The tests of one part of `parts` (each a file, so that vitest runs the parts side by side): its
 * cases in chunks of `chunk`, each chunk a test that fails with the report of its failed cases.
 */
export function describeHuntPart(part: number, parts: number, chunk = 250): void {
  const from = ((part - 1) * CASES) / parts;
  const to = (part * CASES) / parts;
  const dir = huntFolder(part);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  describe(`crash hunt, part ${part}`, () => {
    for (let start = from; start < to; start += chunk) {
      it(`cases ${start} to ${start + chunk - 1}`, async () => {
        expect(await hunt(start, start + chunk, dir)).toBe("");
      });
    }
  });
}
