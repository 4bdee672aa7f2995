// What the export tests share: the id-models fixture (a user-id two-tower and two matrix
// factorisations over a tiny MovieLens-format data set) trained briefly through `recspec run` in a
// temporary folder, `recspec` called in process, a static file server for an export folder, and
// the JSON Lines `recspec recommend` prints read back.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve } from "node:path";
import { main } from "../../src/cli.js";
import type { CommandIO } from "../../src/cli/io.js";
import type { UserRecommendation } from "../../src/runtime/recommend/recommend-items.js";

export interface CliResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function recspec(cwd: string, ...args: string[]): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const io: CommandIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), color: false, cwd };
  const status = await main(args, io);
  return { status, stdout, stderr };
}

export interface TrainedSpec {
  readonly dir: string;
  readonly spec: string;
  /** The generated program's folder (under the checkout's .cache/, where "recspec/runtime" resolves). */
  readonly program: string;
  readonly runs: string;
  /** Folders to remove when the tests end. */
  readonly cleanup: () => void;
}

/** Copies a fixture spec (edited by `edit`) and, optionally, a fixture data folder into a fresh folder and trains it. */
export async function trainFixture(name: string, data: { from: string; to: string } | null, edit: (text: string) => string): Promise<TrainedSpec> {
  const dir = mkdtempSync(join(tmpdir(), "recspec-export-"));
  const spec = join(dir, `${name}.recspec`);
  writeFileSync(spec, edit(readFileSync(resolve("test/fixtures/specs", `${name}.recspec`), "utf8")));
  if (data) cpSync(resolve("test/fixtures/data", data.from), join(dir, data.to), { recursive: true });
  mkdirSync(resolve(".cache/recspec"), { recursive: true });
  const program = mkdtempSync(resolve(".cache/recspec", `test-export-${name}-`));
  const runs = join(dir, "runs");
  const r = await recspec(dir, "run", spec, "--out", program, "--runs", runs, "--backend", "wasm");
  if (r.status !== 0) throw new Error(`training ${name} failed (${r.status}):\n${r.stderr}`);
  return {
    dir,
    spec,
    program,
    runs,
    cleanup: () => {
      rmSync(dir, { recursive: true, force: true });
      rmSync(program, { recursive: true, force: true });
    },
  };
}

/** The id-models fixture with few epochs: seconds to train. */
export function trainIdModels(): Promise<TrainedSpec> {
  return trainFixture("id-models", { from: "ml-clusters", to: "ml" }, (t) =>
    t.replace(/epochs = 30/g, "epochs = 3").replace(/bootstrap = 100/g, "bootstrap = 0"),
  );
}

/** The id-models fixture's user-id two-tower alone, two epochs: the least there is to train for a browser test. */
export function trainTwoTowerIds(): Promise<TrainedSpec> {
  return trainFixture("id-models", { from: "ml-clusters", to: "ml" }, (t) =>
    [
      "spec id_models",
      t.slice(t.indexOf("dataset ml"), t.indexOf("model mf_bpr")).replace(/epochs = 30/g, "epochs = 2"),
      "evaluate two_tower_ids on ml.test {\n  metrics   = [recall@10]\n  bootstrap = 0\n}\n",
    ].join("\n"),
  );
}

/** `recspec recommend` for these users, as parsed JSON Lines. */
export async function recommendLists(t: TrainedSpec, users: readonly string[], ...args: string[]): Promise<UserRecommendation[]> {
  const file = join(t.dir, `users-${users.length}.txt`);
  writeFileSync(file, `${users.join("\n")}\n`);
  const r = await recspec(t.dir, "recommend", t.spec, "--out", t.program, "--runs", t.runs, "--backend", "wasm", "--users", file, ...args);
  if (r.status !== 0) throw new Error(`recommend failed (${r.status}):\n${r.stderr}`);
  return r.stdout
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as UserRecommendation);
}

const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".json": "application/json", ".bin": "application/octet-stream" };

/** Serves `root` over HTTP on a free local port; `routes` answer their paths first (a POST's body is passed in). */
export async function serveFolder(root: string, routes: Record<string, (body: string) => string> = {}): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      const route = routes[path];
      if (route) {
        res.writeHead(200, { "content-type": path.endsWith(".html") ? "text/html" : "text/plain" });
        res.end(route(body));
        return;
      }
      const file = normalize(join(root, path === "/" ? "index.html" : path));
      if (!file.startsWith(root)) {
        res.writeHead(403).end();
        return;
      }
      try {
        const bytes = readFileSync(file);
        res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
        res.end(bytes);
      } catch {
        res.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}
