// `recspec check` verifies that the data a spec names is there: a path found nowhere is RS5004 at
// the string, looked up as a run looks it up (beside the spec first). Through the CLI in process,
// with the spec in a folder of its own.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import type { CommandIO } from "../../src/cli/io.js";

async function check(spec: string, ...args: string[]) {
  let stderr = "";
  const io: CommandIO = { stdout: () => undefined, stderr: (t) => void (stderr += t), color: false, cwd: process.cwd() };
  const status = await main(["check", spec, ...args], io);
  return { status, stderr };
}

const SPEC = [
  "spec clicks",
  'dataset events = interactions("data/events.csv")',
  'features vecs = vectors("vecs.jsonl", items: events.items, dim: 4)',
  "model seq = sequential(events)",
  "",
].join("\n");

describe("data paths in `recspec check`", () => {
  it("reports each missing file at its string, with where it looked", async () => {
    const dir = mkdtempSync(join(tmpdir(), "recspec-data-paths-"));
    const spec = join(dir, "clicks.recspec");
    writeFileSync(spec, SPEC);
    const r = await check(spec);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`error[RS5004]: \`data/events.csv\` does not exist\n --> ${spec}:2:31\n`);
    expect(r.stderr).toContain('2 | dataset events = interactions("data/events.csv")\n  |                               ^^^^^^^^^^^^^^^^^ no such file\n');
    expect(r.stderr).toContain(`help: looked for ${join(dir, "data", "events.csv")}, data/events.csv: a data path is relative to the spec's folder`);
    expect(r.stderr).toMatch(/error\[RS5004\]: `vecs\.jsonl` does not exist\n --> .*clicks\.recspec:3:25/);
  });

  it("finds files beside the spec, whatever the working folder", async () => {
    const dir = mkdtempSync(join(tmpdir(), "recspec-data-paths-"));
    const spec = join(dir, "clicks.recspec");
    writeFileSync(spec, SPEC);
    mkdirSync(join(dir, "data"));
    writeFileSync(join(dir, "data", "events.csv"), "user,item,timestamp\n");
    writeFileSync(join(dir, "vecs.jsonl"), "");
    const r = await check(spec);
    expect(r.stderr).not.toMatch(/RS5004/);
    expect(r.status).toBe(0);
  });

  it("the bundled data resolves from any folder, through the package", async () => {
    const dir = mkdtempSync(join(tmpdir(), "recspec-data-paths-"));
    const spec = join(dir, "beauty.recspec");
    writeFileSync(spec, 'spec beauty\ndataset beauty = amazon("data/amazon-beauty")\nmodel m = sequential(beauty)\n');
    const r = await check(spec);
    expect(r.stderr).not.toMatch(/RS5004/);
    expect(r.status).toBe(0);
  });
});
