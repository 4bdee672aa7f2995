// A failed write the user can act on (full, read-only, over-quota, forbidden) becomes RS6033 naming
// the file and why; any other failure stays what it was (a bug is reported as one).
import { describe, expect, it } from "vitest";
import { diskError } from "../../../src/runtime/fs/disk-error.js";
import { RunError } from "../../../src/runtime/errors/run-error.js";

const failure = (code: string) => Object.assign(new Error(`${code}: failed`), { code });

describe("diskError", () => {
  it.each([
    ["ENOSPC", /no space left/],
    ["EROFS", /read-only/],
    ["EDQUOT", /quota/],
    ["EACCES", /permission denied/],
    ["EPERM", /not permitted/],
  ])("%s is RS6033 naming the path and the reason", (code, reason) => {
    const e = diskError(failure(code), "/runs/x/seq/ckpt-4/weights.bin");
    expect(e).toBeInstanceOf(RunError);
    expect((e as RunError).code).toBe("RS6033");
    expect((e as RunError).message).toMatch(/\/runs\/x\/seq\/ckpt-4\/weights\.bin/);
    expect((e as RunError).message).toMatch(reason);
  });

  it("leaves other failures as they were", () => {
    const e = failure("ENOENT");
    expect(diskError(e, "/x")).toBe(e);
    const bug = new TypeError("not a disk problem");
    expect(diskError(bug, "/x")).toBe(bug);
  });
});
