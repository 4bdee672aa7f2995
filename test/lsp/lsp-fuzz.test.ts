// The language server on the front end's fuzz corpus (the crash hunt's cases: mutated and random
// specs, test/helpers/crash-hunt.ts): each case replaces the open document as an edit would, then
// completion and hover at random offsets, the outline and formatting are asked for. Every request
// must be answered without an error, nothing may be logged as an internal error, and the server
// must still be running and answering at the end. Every tenth case also waits for its diagnostics.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Rng } from "../../src/runtime/random.js";
import { huntCase } from "../helpers/crash-hunt.js";
import { LspClient, positionAt, positionOf, ROOT, uriOf } from "./lsp-client.js";

const CASES = 300;
/** A slice of the corpus far from the crash hunt's own first cases, the same on every run. */
const FIRST = 5_000;

let client: LspClient;
beforeAll(async () => {
  client = await LspClient.start({ debounceMs: 0 });
});
afterAll(async () => {
  await client.stop();
});

describe("the fuzz corpus through the language server", () => {
  it(`answers every request on ${CASES} mutated and random specs, and keeps running`, async () => {
    const uri = uriOf(join(ROOT, "fuzz-case.recspec"));
    await client.open(uri, "");
    const rng = new Rng(4242);
    const failures: string[] = [];
    for (let i = FIRST; i < FIRST + CASES; i++) {
      const { text } = huntCase(i);
      const diagnostics = i % 10 === 0 ? client.nextDiagnostics(uri) : undefined;
      await client.edit(uri, text);
      const requests: [string, () => Promise<unknown>][] = [];
      for (let k = 0; k < 3; k++) {
        const at = positionAt(text, rng.int(text.length + 1));
        requests.push([`completion at ${JSON.stringify(at)}`, () => client.completion(uri, at)]);
        requests.push([`hover at ${JSON.stringify(at)}`, () => client.hover(uri, at)]);
        requests.push([`definition at ${JSON.stringify(at)}`, () => client.definition(uri, at)]);
      }
      requests.push(["symbols", () => client.symbols(uri)], ["formatting", () => client.formatting(uri)]);
      for (const [what, request] of requests) {
        try {
          await request();
        } catch (error) {
          failures.push(`case ${i}: ${what}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      if (diagnostics) await diagnostics;
    }
    expect(failures.slice(0, 5)).toEqual([]);
    expect(client.logs.filter((l) => /internal error/.test(l))).toEqual([]);
    expect(client.alive).toBe(true);

    // Still answering: completion on a real spec after the corpus.
    const spec = readFileSync(join(ROOT, "specs", "quickstart.recspec"), "utf8");
    await client.edit(uri, spec);
    const items = await client.completion(uri, positionOf(spec, "loss      = softmax", "loss      = ".length));
    expect(items.map((i) => i.label)).toContain("sampled_softmax");
  });
});
