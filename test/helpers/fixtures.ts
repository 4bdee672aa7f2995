// Lists fixture cases: every folder under test/fixtures/<suite>/ holding an input.recspec.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const FIXTURES = join(import.meta.dirname, "..", "fixtures");

export interface FixtureCase {
  name: string;
  dir: string;
  input: string;
  /** The path diagnostics print for this case, stable across machines. */
  file: string;
}

export function fixtureCases(suite: string): FixtureCase[] {
  const root = join(FIXTURES, suite);
  return readdirSync(root)
    .filter((name) => existsSync(join(root, name, "input.recspec")))
    .sort()
    .map((name) => ({
      name,
      dir: join(root, name),
      input: readFileSync(join(root, name, "input.recspec"), "utf8"),
      file: `test/fixtures/${suite}/${name}/input.recspec`,
    }));
}
