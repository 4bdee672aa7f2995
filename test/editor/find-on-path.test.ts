// Before starting the server the extension checks that its command can be found, the way a shell
// would: a path as given, a bare name through PATH (and PATHEXT on Windows), and for a `.js` entry
// point both `node` and the script. Plain Node, no VS Code.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

interface PathProbe {
  pathEnv: string;
  pathExt: string | undefined;
  platform: string;
  isFile: (file: string) => boolean;
}

const require = createRequire(import.meta.url);
const { findOnPath, missingForServer } = require("../../editors/vscode/find-on-path.js") as {
  findOnPath: (command: string, probe: PathProbe) => string | undefined;
  missingForServer: (server: { command: string; args: string[] }, probe: PathProbe) => string[];
};

function posix(files: string[], pathEnv = "/usr/local/bin::/usr/bin"): PathProbe {
  return { pathEnv, pathExt: undefined, platform: "linux", isFile: (f) => files.includes(f) };
}

describe("findOnPath", () => {
  it("finds a bare name in the first PATH entry that has it, skipping empty entries", () => {
    expect(findOnPath("recspec", posix(["/usr/bin/recspec", "/usr/local/bin/recspec"]))).toBe("/usr/local/bin/recspec");
    expect(findOnPath("recspec", posix(["/usr/bin/recspec"]))).toBe("/usr/bin/recspec");
    expect(findOnPath("recspec", posix([]))).toBeUndefined();
    expect(findOnPath("recspec", posix(["recspec"], ""))).toBeUndefined();
  });

  it("takes a command with a directory as it is", () => {
    expect(findOnPath("/ws/node_modules/.bin/recspec", posix(["/ws/node_modules/.bin/recspec"]))).toBe("/ws/node_modules/.bin/recspec");
    expect(findOnPath("/ws/node_modules/.bin/recspec", posix(["/usr/bin/recspec"]))).toBeUndefined();
  });

  it("tries PATHEXT's extensions on Windows, and looks past a shell's quotes", () => {
    const probe: PathProbe = {
      pathEnv: "C:\\Windows;C:\\Program Files\\nodejs",
      pathExt: ".COM;.EXE;.CMD",
      platform: "win32",
      isFile: (f) => ["C:\\Program Files\\nodejs\\recspec.CMD", "C:\\Ann Lee\\recspec.cmd"].includes(f),
    };
    expect(findOnPath("recspec", probe)).toBe("C:\\Program Files\\nodejs\\recspec.CMD");
    expect(findOnPath('"C:\\Ann Lee\\recspec.cmd"', probe)).toBe("C:\\Ann Lee\\recspec.cmd");
    expect(findOnPath("node", probe)).toBeUndefined();
  });
});

describe("missingForServer", () => {
  it("is empty when the command is there", () => {
    expect(missingForServer({ command: "recspec", args: ["lsp"] }, posix(["/usr/bin/recspec"]))).toEqual([]);
  });

  it("names what is missing", () => {
    expect(missingForServer({ command: "recspec", args: ["lsp"] }, posix([]))).toEqual(["`recspec` is not on PATH"]);
    expect(missingForServer({ command: "/opt/recspec", args: ["lsp"] }, posix([]))).toEqual(["no file /opt/recspec"]);
  });

  it("needs both node and the script for a .js entry point", () => {
    const server = { command: "node", args: ["/ws/bin/recspec.js", "lsp"] };
    expect(missingForServer(server, posix(["/usr/bin/node", "/ws/bin/recspec.js"]))).toEqual([]);
    expect(missingForServer(server, posix(["/usr/bin/node"]))).toEqual(["no file /ws/bin/recspec.js"]);
    expect(missingForServer(server, posix(["/ws/bin/recspec.js"]))).toEqual(["`node` is not on PATH"]);
  });
});
