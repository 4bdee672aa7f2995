// Test helper: the few VS Code APIs the recspec extension touches before it starts a language
// client, recorded instead of performed, so its activation can run in plain Node. Takes the
// settings and workspace folders to report; gives the module to hand over as `vscode` and what the
// extension did with it.
import Module from "node:module";

export interface FakeVscode {
  module: object;
  /** Lines written to output channels. */
  log: string[];
  /** Error notifications shown, in order. */
  errors: string[];
  /** Ids of the commands registered. */
  commands: Map<string, () => unknown>;
  /** Fires a configuration change that affects the given sections. */
  changeConfiguration(sections: string[]): Promise<void>;
}

export function fakeVscode(settings: Record<string, unknown>, folders: string[]): FakeVscode {
  const log: string[] = [];
  const errors: string[] = [];
  const commands = new Map<string, () => unknown>();
  const configListeners: ((event: { affectsConfiguration(section: string): boolean }) => unknown)[] = [];
  const disposable = { dispose() {} };
  const channel = {
    ...disposable,
    info: (line: string) => log.push(line),
    error: (line: string) => log.push(line),
    appendLine: (line: string) => log.push(line),
    show() {},
  };
  const api = {
    window: {
      createOutputChannel: () => channel,
      showErrorMessage: async (message: string) => {
        errors.push(message);
        return undefined;
      },
    },
    commands: {
      registerCommand: (id: string, run: () => unknown) => {
        commands.set(id, run);
        return disposable;
      },
      executeCommand: async () => undefined,
    },
    workspace: {
      isTrusted: true,
      workspaceFolders: folders.map((fsPath) => ({ uri: { scheme: "file", fsPath } })),
      getConfiguration: (section: string) => ({ get: (key: string) => settings[`${section}.${key}`] }),
      onDidChangeConfiguration: (listener: (typeof configListeners)[number]) => {
        configListeners.push(listener);
        return disposable;
      },
      onDidGrantWorkspaceTrust: () => disposable,
      createFileSystemWatcher: () => disposable,
    },
  };
  // The client library subclasses VS Code's classes when it loads (`extends vscode.CodeLens`): any
  // name the fake does not define is an empty class, so loading works and a real use still fails.
  const placeholders = new Map<string | symbol, unknown>();
  const module = new Proxy(api, {
    get(target, key) {
      if (key in target) return target[key as keyof typeof target];
      if (!placeholders.has(key)) placeholders.set(key, class {});
      return placeholders.get(key);
    },
  });
  return {
    module,
    log,
    errors,
    commands,
    async changeConfiguration(sections) {
      const event = { affectsConfiguration: (s: string) => sections.some((x) => x === s || x.startsWith(`${s}.`)) };
      await Promise.all(configListeners.map((l) => l(event)));
    },
  };
}

/** Requires `file` (CommonJS) with `vscode` served by `fake`; the loader is restored afterwards. */
export function requireWithVscode(file: string, fake: FakeVscode): Record<string, unknown> {
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const original = loader._load;
  loader._load = function (request: string, ...rest: unknown[]) {
    return request === "vscode" ? fake.module : original.call(this, request, ...rest);
  };
  try {
    return Module.createRequire(file)(file);
  } finally {
    loader._load = original;
  }
}
