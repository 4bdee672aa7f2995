import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // vitest's default is one worker per core minus one: a single worker on a 2-core CI machine,
    // idle while a CLI test waits on its child process. Two keep both cores busy.
    maxWorkers: 2,
  },
});
