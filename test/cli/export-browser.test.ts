// The browser half of `recspec export`: the id-models fixture's two-tower trained briefly and exported, the
// export served from a small HTTP server, and a page of the test's own — the export's TF.js
// bundles and recommend.js, as a user's page would load them — opened in headless Chromium. The
// page recommends for several users and POSTs the lists back; they must be `recspec recommend`'s:
// the same items in the same order, scores within 1e-4. Skipped, saying why, only where no
// Chromium is installed (RECSPEC_CHROMIUM names one; else chromium, chromium-browser or
// google-chrome on PATH).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Recommendation } from "../../src/runtime/recommend/recommend-items.js";
import { recommendLists, recspec, serveFolder, trainTwoTowerIds } from "../helpers/export-fixture.js";

function findChromium(): string | null {
  const candidates = [process.env.RECSPEC_CHROMIUM, "chromium", "chromium-browser", "google-chrome"].filter((c): c is string => Boolean(c));
  for (const c of candidates) {
    const probe = spawnSync(c, ["--version"], { encoding: "utf8", timeout: 10_000 });
    if (probe.status === 0) return c;
  }
  return null;
}

const CHROMIUM = findChromium();
if (CHROMIUM === null) console.log("export-browser.test.ts: skipped, no Chromium found (set RECSPEC_CHROMIUM or install chromium)");

const USERS = ["1", "5", "16", "17", "32", "48"];

/** The test page: loads the export as README.md says a page should, and posts what it recommends. */
const PAGE = `<!doctype html>
<script src="tf-core.min.js"></script>
<script src="tf-backend-cpu.min.js"></script>
<script type="module">
  import { loadRecommender } from "./recommend.js";
  const post = (value) => fetch("/result", { method: "POST", body: JSON.stringify(value) });
  try {
    const recommender = await loadRecommender();
    const lists = {};
    for (const user of ${JSON.stringify(USERS)}) lists[user] = await recommender.recommend(user, 5);
    await post({ backend: tf.getBackend(), model: recommender.model, lists });
  } catch (error) {
    await post({ error: String(error && error.stack ? error.stack : error) });
  }
</script>`;

interface PageResult {
  backend?: string;
  model?: string;
  lists?: Record<string, { item: string; score: number }[]>;
  error?: string;
}

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

describe("recspec export in a browser", () => {
  it.skipIf(CHROMIUM === null)(
    "headless Chromium recommends from the export what `recspec recommend` does",
    async () => {
      const t = await trainTwoTowerIds();
      cleanups.push(t.cleanup);
      mkdirSync(resolve(".cache/recspec"), { recursive: true });
      const out = join(mkdtempSync(resolve(".cache/recspec", "test-export-browser-")), "web");
      cleanups.push(() => rmSync(join(out, ".."), { recursive: true, force: true }));
      const r = await recspec(t.dir, "export", t.spec, "--program", t.program, "--runs", t.runs, "--backend", "wasm", "--out", out);
      expect(r.status, r.stderr).toBe(0);
      const expected = (await recommendLists(t, USERS, "--k", "5")) as Recommendation[];

      let resolveResult: (value: PageResult) => void = () => undefined;
      const posted = new Promise<PageResult>((done) => (resolveResult = done));
      const { url, server } = await serveFolder(out, {
        "/test.html": () => PAGE,
        "/result": (body) => {
          resolveResult(JSON.parse(body) as PageResult);
          return "ok";
        },
      });
      const profile = mkdtempSync(join(tmpdir(), "recspec-chromium-"));
      let browser: ChildProcess | null = null;
      try {
        browser = spawn(
          CHROMIUM!,
          ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions", `--user-data-dir=${profile}`, `${url}test.html`],
          // Its own process group, so the renderer and helper processes it starts end with it.
          { stdio: ["ignore", "ignore", "pipe"], detached: true },
        );
        let log = "";
        browser.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString("utf8")));
        const exited = new Promise<PageResult>((done) =>
          browser!.on("exit", (code) => done({ error: `Chromium exited (${code}) before the page answered:\n${log}` })),
        );
        const timeout = new Promise<PageResult>((done) => setTimeout(() => done({ error: `no answer from the page in 30 s:\n${log}` }), 30_000));
        const result = await Promise.race([posted, exited, timeout]);
        expect(result.error).toBeUndefined();
        expect(result.backend).toBe("cpu");
        expect(result.model).toBe("two_tower_ids");
        for (const want of expected) {
          const got = result.lists![want.user];
          expect(
            got.map((x) => x.item),
            `user ${want.user}`,
          ).toEqual(want.items.map((x) => x.item));
          got.forEach((x, i) => expect(Math.abs(x.score - want.items[i].score)).toBeLessThan(1e-4));
        }
      } finally {
        if (browser?.pid !== undefined && browser.exitCode === null) {
          const gone = new Promise<void>((done) => browser!.once("exit", () => done()));
          process.kill(-browser.pid, "SIGKILL");
          await gone;
        }
        await new Promise<void>((done) => (server as Server).close(() => done()));
        rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
      }
    },
    120_000,
  );
});
