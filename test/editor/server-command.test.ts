// How the VS Code extension finds the recspec language server: the setting wins, then the
// workspace's own node_modules/.bin/recspec (only in a trusted workspace), then `recspec` on PATH;
// `.js` entry points run under node and Windows shims through a shell. Plain Node, no VS Code.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

interface ServerCommand {
  command: string;
  args: string[];
  shell: boolean;
  source: "setting" | "workspace" | "path";
}
interface ServerCommandInput {
  configuredPath: string | undefined;
  configuredArgs: readonly string[] | undefined;
  workspaceFolders: readonly string[];
  workspaceTrusted: boolean;
  exists: (file: string) => boolean;
  platform: string;
}

// The extension is CommonJS for VS Code; this ESM test loads it the way VS Code does.
const require = createRequire(import.meta.url);
const { DEFAULT_ARGS, resolveServerCommand, describeServerCommand } = require("../../editors/vscode/server-command.js") as {
  DEFAULT_ARGS: string[];
  resolveServerCommand: (input: ServerCommandInput) => ServerCommand;
  describeServerCommand: (server: ServerCommand) => string;
};

/** A POSIX workspace where only `files` exist. */
function input(overrides: Partial<ServerCommandInput> = {}, files: string[] = []): ServerCommandInput {
  return {
    configuredPath: undefined,
    configuredArgs: undefined,
    workspaceFolders: ["/ws/app"],
    workspaceTrusted: true,
    exists: (file) => files.includes(file),
    platform: "linux",
    ...overrides,
  };
}

describe("resolveServerCommand", () => {
  it("falls back to `recspec lsp` on PATH", () => {
    expect(DEFAULT_ARGS).toEqual(["lsp"]);
    expect(resolveServerCommand(input())).toEqual({ command: "recspec", args: ["lsp"], shell: false, source: "path" });
    expect(resolveServerCommand(input({ workspaceFolders: [] })).source).toBe("path");
  });

  it("prefers the workspace's node_modules/.bin/recspec, first folder that has one", () => {
    const files = ["/ws/other/node_modules/.bin/recspec"];
    const server = resolveServerCommand(input({ workspaceFolders: ["/ws/app", "/ws/other"] }, files));
    expect(server).toEqual({ command: files[0], args: ["lsp"], shell: false, source: "workspace" });
  });

  it("never runs an untrusted workspace's own binary", () => {
    const server = resolveServerCommand(input({ workspaceTrusted: false }, ["/ws/app/node_modules/.bin/recspec"]));
    expect(server.source).toBe("path");
    expect(server.command).toBe("recspec");
  });

  it("takes the setting over everything, with the configured arguments", () => {
    const server = resolveServerCommand(
      input({ configuredPath: " /opt/recspec/bin/recspec ", configuredArgs: ["lsp", "--log", "debug"] }, ["/ws/app/node_modules/.bin/recspec"]),
    );
    expect(server).toEqual({ command: "/opt/recspec/bin/recspec", args: ["lsp", "--log", "debug"], shell: false, source: "setting" });
  });

  it("treats an empty or blank setting as unset", () => {
    expect(resolveServerCommand(input({ configuredPath: "" })).source).toBe("path");
    expect(resolveServerCommand(input({ configuredPath: "   " })).source).toBe("path");
  });

  it("leaves a bare command name to PATH and resolves a relative path against the workspace", () => {
    expect(resolveServerCommand(input({ configuredPath: "recspec-dev" })).command).toBe("recspec-dev");
    expect(resolveServerCommand(input({ configuredPath: "tools/recspec" })).command).toBe("/ws/app/tools/recspec");
    expect(resolveServerCommand(input({ configuredPath: "${workspaceFolder}/tools/recspec" })).command).toBe("/ws/app/tools/recspec");
  });

  it("runs a .js entry point under node", () => {
    const server = resolveServerCommand(input({ configuredPath: "${workspaceFolder}/bin/recspec.js" }));
    expect(server).toEqual({ command: "node", args: ["/ws/app/bin/recspec.js", "lsp"], shell: false, source: "setting" });
  });

  it("uses the .cmd shim on Windows, through a shell, quoted when the path has spaces", () => {
    const local = "C:\\Users\\Ann Lee\\app\\node_modules\\.bin\\recspec.cmd";
    const server = resolveServerCommand(input({ platform: "win32", workspaceFolders: ["C:\\Users\\Ann Lee\\app"] }, [local]));
    expect(server).toEqual({ command: `"${local}"`, args: ["lsp"], shell: true, source: "workspace" });
    expect(resolveServerCommand(input({ platform: "win32", workspaceFolders: [] }))).toMatchObject({ command: "recspec.cmd", shell: true });
    expect(resolveServerCommand(input({ platform: "win32", configuredPath: "C:\\tools\\recspec.exe" }))).toMatchObject({ shell: false });
  });
});

describe("describeServerCommand", () => {
  it("prints the command line, quoting parts with spaces", () => {
    expect(describeServerCommand({ command: "node", args: ["/a b/recspec.js", "lsp"], shell: false, source: "setting" })).toBe('node "/a b/recspec.js" lsp');
  });
});
