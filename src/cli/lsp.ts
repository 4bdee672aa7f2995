// `recspec lsp [--stdio]`: the language server for editors, speaking LSP over stdin and stdout
// (stdio is the only transport, and the default). Runs until the editor sends `exit` or closes
// the pipe; nothing else is written to stdout, which carries the protocol.
import { createConnection } from "vscode-languageserver/node";
import { startServer } from "../lsp/server.js";
import { EXIT, parseOptions, UsageError, type CommandIO } from "./io.js";

export async function lspCommand(args: string[], _io: CommandIO): Promise<number> {
  const { positionals } = parseOptions(args, { stdio: { type: "boolean" } });
  if (positionals.length > 0) throw new UsageError("takes no files: the editor opens them over the protocol");
  const connection = createConnection(process.stdin, process.stdout);
  const exited = new Promise<void>((resolve) => connection.onExit(() => resolve()));
  startServer(connection);
  // The library ends the process: on `exit` (status 0 after a shutdown, else 1, as the protocol
  // asks), and the same way when the editor closes stdin without one.
  await exited;
  return EXIT.ok;
}
