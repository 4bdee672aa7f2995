// Crash hunt, part 4 of 4 (cases 7500 to 9999 of test/helpers/crash-hunt.ts): mutated and random specs
// through `recspec check` and `recspec fmt` must exit 0 or 1, with no internal error or stack trace,
// each command within a second of CPU time. The parts are separate files so that vitest runs them
// side by side.
import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { CASES, hunt, huntFolder } from "../helpers/crash-hunt.js";

const PART = 4;
const PARTS = 4;
const CHUNK = 250;
const from = ((PART - 1) * CASES) / PARTS;
const to = (PART * CASES) / PARTS;
const dir = huntFolder(PART);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe(`crash hunt, part ${PART}`, () => {
  for (let start = from; start < to; start += CHUNK) {
    it(`cases ${start} to ${start + CHUNK - 1}`, async () => {
      expect(await hunt(start, start + CHUNK, dir)).toBe("");
    });
  }
});
