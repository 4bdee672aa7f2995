// lsp/completion: a completion request answered by `recspec lsp` on the largest example spec, timed
// as an editor sees it (request to response over stdio, the server warm and the spec already
// checked), cycling over every place completion means something in that spec: after each `=`, `:`,
// `(`, `[` and `,`, and at the start of each line. lsp/completion-cold is the first request after
// the document is opened (it parses the spec and its imports), one sample per fresh server.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import {
  CompletionRequest,
  createProtocolConnection,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type Position,
  type ProtocolConnection,
} from "vscode-languageserver-protocol/node";
import { msResult, type BenchResult } from "../lib/measure.js";
import type { BenchContext } from "./context.js";

/** The example spec with the most characters. */
function largestSpec(): string {
  return readdirSync("specs")
    .filter((f) => f.endsWith(".recspec"))
    .map((f) => path.join("specs", f))
    .sort((a, b) => statSync(b).size - statSync(a).size)[0];
}

function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  return { line: before.split("\n").length - 1, character: offset - (before.lastIndexOf("\n") + 1) };
}

/** Where completion is asked for: after `= `, `: `, `(`, `[`, `, ` and at each line's first word. */
function completionPoints(text: string): Position[] {
  const offsets = [...text.matchAll(/(?:= |: |\(|\[|, )|^\s*/gm)].map((m) => m.index + m[0].length);
  return [...new Set(offsets)].map((o) => positionAt(text, o));
}

interface Server {
  connection: ProtocolConnection;
  stop(): Promise<void>;
}

async function startServer(file: string, text: string): Promise<Server> {
  const child = spawn(process.execPath, ["bin/recspec.js", "lsp", "--stdio"], { stdio: ["pipe", "pipe", "inherit"] });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { debounceMs: 0 } });
  await connection.sendNotification(InitializedNotification.type, {});
  const checked = new Promise<void>((resolve) => connection.onNotification(PublishDiagnosticsNotification.type, () => resolve()));
  await connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri: pathToFileURL(path.resolve(file)).href, languageId: "recspec", version: 1, text },
  });
  return {
    connection,
    async stop() {
      await checked;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      await connection.sendRequest(ShutdownRequest.type);
      await connection.sendNotification(ExitNotification.type);
      await exited;
      connection.dispose();
    },
  };
}

export async function lspGroup(ctx: BenchContext): Promise<BenchResult[]> {
  const file = largestSpec();
  const text = readFileSync(file, "utf8");
  const uri = pathToFileURL(path.resolve(file)).href;
  const points = completionPoints(text);
  const ask = (connection: ProtocolConnection, position: Position) => connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position });

  const server = await startServer(file, text);
  const warmup = ctx.quick ? points.length : 3 * points.length;
  const repeats = ctx.quick ? 2 * points.length : 10 * points.length;
  for (let i = 0; i < warmup; i++) await ask(server.connection, points[i % points.length]);
  const samples: number[] = [];
  let items = 0;
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    const answer = await ask(server.connection, points[i % points.length]);
    samples.push((performance.now() - t0) / 1000);
    items += Array.isArray(answer) ? answer.length : (answer?.items.length ?? 0);
  }
  await server.stop();
  const config = `${file} (${text.length} chars), ${points.length} positions, stdio round trip, warm`;
  const warm = { ...msResult({ case: "lsp/completion", backend: "node", config }, samples), note: `${(items / repeats).toFixed(1)} items per answer` };
  ctx.log(`lsp/completion: median ${warm.median.toFixed(2)} ms, p90 ${warm.p90.toFixed(2)} ms over ${samples.length} requests`);

  const cold: number[] = [];
  for (let i = 0; i < (ctx.quick ? 2 : 5); i++) {
    const fresh = await startServer(file, text);
    const t0 = performance.now();
    await ask(fresh.connection, points[Math.floor(points.length / 2)]);
    cold.push((performance.now() - t0) / 1000);
    await fresh.stop();
  }
  const first = msResult({ case: "lsp/completion-cold", backend: "node", config: `${file}, first request after didOpen, fresh server` }, cold);
  return [warm, first];
}
