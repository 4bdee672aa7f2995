import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { SIGNAL_EXIT, TrainingInterrupted, watchInterrupts, type SignalSource } from "../../../src/runtime/train/interrupt.js";
import { resumeCommand, shellQuote } from "../../../src/cli/report-interrupt.js";

function fakeProcess(): SignalSource & { emit(signal: string): void; count(signal: string): number } {
  const e = new EventEmitter();
  return {
    on: (s, l) => e.on(s, l),
    off: (s, l) => e.off(s, l),
    emit: (s) => void e.emit(s),
    count: (s) => e.listenerCount(s),
  };
}

describe("watchInterrupts", () => {
  it("records the first signal, exits on the second with 128 + its number, and lets go on stop", () => {
    const source = fakeProcess();
    const notes: string[] = [];
    const exits: number[] = [];
    const watch = watchInterrupts({ notify: (l) => notes.push(l), source, exit: (c) => exits.push(c) });
    expect(source.count("SIGINT")).toBe(1);
    expect(watch.signal).toBeNull();
    source.emit("SIGINT");
    expect(watch.signal).toBe("SIGINT");
    expect(exits).toEqual([]);
    expect(notes[0]).toMatch(/SIGINT received: stopping after the current step and saving a checkpoint \(Ctrl-C again/);
    source.emit("SIGINT");
    expect(exits).toEqual([130]);
    expect(notes[1]).toMatch(/again: quitting without a checkpoint/);
    // The first signal stays the one reported.
    expect(watch.signal).toBe("SIGINT");
    watch.stop();
    expect(source.count("SIGINT")).toBe(0);
    expect(source.count("SIGTERM")).toBe(0);
  });

  it("a second signal of the other kind exits with that signal's status", () => {
    const source = fakeProcess();
    const exits: number[] = [];
    const watch = watchInterrupts({ notify: () => {}, source, exit: (c) => exits.push(c) });
    source.emit("SIGTERM");
    source.emit("SIGINT");
    expect(watch.signal).toBe("SIGTERM");
    expect(exits).toEqual([130]);
    watch.stop();
  });

  it("the statuses are the shell's: 128 + SIGINT (2), 128 + SIGTERM (15)", () => {
    expect(SIGNAL_EXIT).toEqual({ SIGINT: 130, SIGTERM: 143 });
    const e = new TrainingInterrupted("SIGTERM", 42, 7, 2, "/r/seq/ckpt-42");
    expect(e.exitCode).toBe(143);
    expect(e.code).toBe("RS6014");
    expect(e.message).toBe("training stopped by SIGTERM after step 42 (in epoch 8); checkpoint saved in /r/seq/ckpt-42");
    expect(e.context).toEqual({ step: 42, epoch: 8 });
    // Stopped between epochs: the epoch that ended is named.
    const between = new TrainingInterrupted("SIGINT", 40, 8, 0, null);
    expect(between.message).toBe("training stopped by SIGINT after step 40 (the end of epoch 8); no checkpoint (no run folder)");
    expect(between.exitCode).toBe(130);
  });
});

describe("resumeCommand", () => {
  it("repeats the arguments with --resume after the spec, once", () => {
    expect(resumeCommand("train", ["tiny.recspec", "--runs", "/tmp/r", "--backend", "wasm"])).toBe(
      "recspec train tiny.recspec --resume --runs /tmp/r --backend wasm",
    );
    expect(resumeCommand("run", ["--runs", "out dir", "my spec.recspec", "--resume", "--set", "seq.train.epochs=20"])).toBe(
      "recspec run 'my spec.recspec' --resume --runs 'out dir' --set seq.train.epochs=20",
    );
  });

  it("exec: the program folder first, the stage kept", () => {
    expect(resumeCommand("exec", ["--stage", "train", "out/tiny"])).toBe("recspec exec out/tiny --resume --stage train");
  });

  it("quotes for a POSIX shell", () => {
    expect(shellQuote("a/b-c.recspec")).toBe("a/b-c.recspec");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote("$HOME")).toBe("'$HOME'");
  });
});
