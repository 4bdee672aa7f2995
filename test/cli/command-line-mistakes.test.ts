// Mistakes on the command line, through the CLI in process: each is one clear message (a usage
// error, exit 2, or a missing input, exit 1) that says what to type instead, and none starts any
// work or shows a stack. Unknown commands and options get the nearest right one; an option that is
// an attribute of the spec gets the `--set` that changes it; a `--set` error is a diagnostic with a
// caret under the offending part of the `--set KEY=VALUE` as typed.
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import type { CommandIO } from "../../src/cli/io.js";

const QUICKSTART = resolve("specs/quickstart.recspec");
const TWO_MODELS = resolve("test/fixtures/check/RS2011-attribute-not-param/input.recspec");

async function recspec(...args: string[]) {
  let stdout = "";
  let stderr = "";
  const cwd = mkdtempSync(join(tmpdir(), "recspec-mistakes-"));
  const io: CommandIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), color: false, cwd };
  const status = await main(args, io);
  return { status, stdout, stderr, cwd };
}

function expectNoStack(text: string) {
  expect(text).not.toMatch(/internal error/);
  expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}

describe("unknown commands", () => {
  for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
    it(`\`recspec ${name}\` is an unknown command, not Object's member`, async () => {
      const r = await recspec(name, QUICKSTART);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`recspec: unknown command \`${name}\`; run \`recspec --help\` for the list\n`);
    });
  }

  it("suggests the nearest command", async () => {
    const r = await recspec("chek", QUICKSTART);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown command `chek`; did you mean `recspec check`\?/);
    expect((await recspec("exampels")).stderr).toMatch(/did you mean `recspec examples`\?/);
  });
});

describe("unknown options", () => {
  it("an attribute of one block: the --set that changes it, with the value given", async () => {
    for (const args of [["--epochs", "3"], ["--epochs=3"]]) {
      const r = await recspec("run", QUICKSTART, ...args);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe("recspec run: unknown option `--epochs`; use `--set sasrec.train.epochs=3`\n");
    }
  });

  it("reaches into options: --lr is the optimizer's, --layers the encoder's", async () => {
    expect((await recspec("train", QUICKSTART, "--lr", "0.01")).stderr).toMatch(/use `--set sasrec\.train\.optimizer\.lr=0\.01`$/m);
    expect((await recspec("check", QUICKSTART, "--layers", "4")).stderr).toMatch(/use `--set sasrec\.encoder\.layers=4`$/m);
  });

  it("an attribute of several blocks lists every one", async () => {
    const r = await recspec("run", TWO_MODELS, "--epochs", "3");
    expect(r.stderr).toMatch(/use one of `--set sasrec\.train\.epochs=3`, `--set small\.train\.epochs=3`/);
  });

  it("a misspelt option: the nearest option the command takes", async () => {
    const r = await recspec("run", QUICKSTART, "--backnd", "wasm");
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("recspec run: unknown option `--backnd`; did you mean `--backend`?\n");
  });

  it("neither: points to --help", async () => {
    const r = await recspec("run", QUICKSTART, "--zzzz");
    expect(r.stderr).toBe("recspec run: unknown option `--zzzz`; run `recspec --help` for the options\n");
  });
});

describe("--set mistakes are diagnostics into the --set text", () => {
  it("a bare key that is no param lists the blocks that have it, caret under the key", async () => {
    const r = await recspec("check", QUICKSTART, "--set", "epochs=3");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      [
        "error[RS2011]: `--set epochs`: no block or param is named `epochs`",
        " --> --set epochs=3:1:7",
        "  |",
        "1 | --set epochs=3",
        "  |       ^^^^^^",
        "  |",
        "  = help: `epochs` is an attribute of a block, not a param: use `--set sasrec.train.epochs=3`",
      ].join("\n"),
    );
  });

  it("a bad value: the caret is under the value", async () => {
    const r = await recspec("check", QUICKSTART, "--set", "sasrec.train.epochs=x");
    expect(r.stderr).toContain("1 | --set sasrec.train.epochs=x\n  |                           ^\n");
  });

  it("a misspelt attribute: the caret under that part, with the nearest name", async () => {
    const r = await recspec("check", QUICKSTART, "--set", "sasrec.train.epoch=3");
    expect(r.stderr).toContain("1 | --set sasrec.train.epoch=3\n  |                    ^^^^^\n");
    expect(r.stderr).toMatch(/help: did you mean `epochs`\?/);
  });
});

describe("inputs that are not there, or not what they should be", () => {
  it("a missing spec file is named as the spec file, exit 1", async () => {
    for (const command of ["check", "compile", "run", "train", "eval"]) {
      const r = await recspec(command, "nope.recspec");
      expect(r.status, command).toBe(1);
      expect(r.stderr, command).toMatch(/`nope\.recspec`: no such file/);
      expect(r.stderr, command).not.toMatch(/imported/);
      expectNoStack(r.stderr);
    }
  });

  it("--backend with an unknown name is a usage error listing the backends, before anything is compiled", async () => {
    for (const name of ["gpu", "foo"]) {
      const r = await recspec("run", QUICKSTART, "--backend", name, "--out", "program");
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`recspec run: unknown backend \`${name}\`; --backend takes one of webgpu, node-gpu, node, tensorflow, wasm, cpu\n`);
      expect(existsSync(join(r.cwd, "program"))).toBe(false);
    }
    expect((await recspec("exec", "somewhere", "--backend", "gpu")).stderr).toMatch(/unknown backend `gpu`/);
  });

  it("--out naming an existing file: which path and why", async () => {
    const dir = mkdtempSync(join(tmpdir(), "recspec-out-"));
    const file = join(dir, "notes.txt");
    writeFileSync(file, "mine\n");
    for (const command of ["compile", "run"]) {
      const r = await recspec(command, QUICKSTART, "--out", file);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(
        `recspec ${command}: --out \`${file}\` is an existing file, not a folder: it names the folder the generated program is written to\n`,
      );
    }
    expect(readdirSync(dir)).toEqual(["notes.txt"]);
  });

  it("--runs naming a file: which path and why", async () => {
    const dir = mkdtempSync(join(tmpdir(), "recspec-runs-"));
    const file = join(dir, "runs");
    writeFileSync(file, "");
    const r = await recspec("train", QUICKSTART, "--runs", file);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`recspec train: --runs \`${file}\` is an existing file, not a folder: it names the folder runs are kept in\n`);
  });

  it("an experiment the spec does not have names the ones it has; --experiment is for run only", async () => {
    const sweep = resolve("test/fixtures/specs/tiny_sweep.recspec");
    const out = join(mkdtempSync(join(tmpdir(), "recspec-exp-")), "program");
    const r = await recspec("run", sweep, "--experiment", "widht", "--out", out);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/the spec has no experiment `widht`; its experiments are `widths`/);
    expect((await recspec("train", sweep, "--experiments")).stderr).toMatch(/--experiment and --experiments apply to `run`/);
    expect((await recspec("run", QUICKSTART, "--experiments", "--out", out)).stderr).toMatch(/the spec has no experiments/);
  });
});
