// Test helpers for the data module: where the fixture files are, and a matcher for the DataError
// a reader must throw (file, line, column and message all checked).

import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { DataError } from "../../../src/runtime/data/data-error.js";

/** The fixture folder, relative to the working directory so error texts stay short. */
export const FIXTURES = relative(process.cwd(), fileURLToPath(new URL("../../fixtures/data/", import.meta.url)));

export function fixture(...parts: string[]): string {
  return join(FIXTURES, ...parts);
}

export async function expectDataError(
  promise: Promise<unknown>,
  expected: { file: string; line?: number; column?: number; message: string | RegExp },
): Promise<DataError> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(DataError);
  const err = caught as DataError;
  expect(err.file).toBe(expected.file);
  expect(err.line).toBe(expected.line);
  expect(err.column).toBe(expected.column);
  if (typeof expected.message === "string") expect(err.message).toBe(expected.message);
  else expect(err.message).toMatch(expected.message);
  return err;
}
