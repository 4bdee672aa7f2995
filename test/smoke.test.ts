import { describe, expect, it } from "vitest";
import { main } from "../src/cli.js";

describe("cli", () => {
  it("prints its version", async () => {
    expect(await main(["--version"])).toBe(0);
  });
});
