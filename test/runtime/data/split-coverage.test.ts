// Data that leaves too few users (issue #17): min_length dropping everyone and cold_start holding out
// every training item are RS6020 errors naming the dataset's attribute; validation and test splits
// that come out empty are one warning on the prepared data; early_stop without validation users is
// RS6020 naming the model's attribute; a synthetic data set too large for the heap is RS6021 before
// anything is allocated. Counts are worked out by hand from the tiny stores below.
import { describe, expect, it } from "vitest";
import { buildInteractions } from "../../../src/runtime/data/interactions.js";
import { emptySplitWarning, noModelExamplesError, noValidationError, userCoverage } from "../../../src/runtime/data/split-coverage.js";
import { generateSynthetic, syntheticBytes } from "../../../src/runtime/data/synthetic.js";
import { checkDataFits } from "../../../src/runtime/data/memory-bound.js";
import { prepareInteractions, type SplitOptions } from "../../../src/runtime/pipeline/prepare-data.js";
import { RunError } from "../../../src/runtime/errors/run-error.js";

/** users → their item sequences (raw ids), in time order. */
function store(users: Record<string, string[]>) {
  const u: string[] = [];
  const i: string[] = [];
  for (const [user, items] of Object.entries(users)) {
    for (const item of items) {
      u.push(user);
      i.push(item);
    }
  }
  return buildInteractions({ users: u, items: i });
}

const split = (over: Partial<SplitOptions> = {}): SplitOptions => ({
  split: "leave_last_out",
  history: 5,
  window: 30,
  stride: 5,
  coldStart: 0,
  minLength: 1,
  ...over,
});

function thrown(f: () => unknown): RunError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(RunError);
    return err as RunError;
  }
  throw new Error("expected a RunError");
}

// a: 1 item, b: 2, c: 4, d: 5.
const mixed = store({ a: ["1"], b: ["1", "2"], c: ["1", "2", "3", "4"], d: ["2", "3", "4", "5", "1"] });

describe("userCoverage", () => {
  it("counts users below min_length, users kept with fewer than 3 items, and the longest", () => {
    expect(userCoverage(mixed, 2)).toEqual({ users: 4, minLength: 2, belowMinLength: 1, trainOnly: 1, longest: 5 });
    expect(userCoverage(mixed, 1)).toEqual({ users: 4, minLength: 1, belowMinLength: 0, trainOnly: 2, longest: 5 });
    expect(userCoverage(mixed, 6)).toEqual({ users: 4, minLength: 6, belowMinLength: 4, trainOnly: 0, longest: 5 });
  });
});

describe("prepareInteractions", () => {
  it("min_length dropping every user: RS6020 saying how many and naming `<dataset>.min_length`", () => {
    const e = thrown(() => prepareInteractions("events", { store: mixed }, split({ minLength: 6 })));
    expect(e.code).toBe("RS6020");
    expect(e.message).toBe("dataset `events`: min_length = 6 drops all 4 users (the longest has 5 interactions); nothing to train on");
    expect(e.help).toBe("lower `events.min_length` to 5 or less");
  });

  it("cold_start holding out every training item: RS6020 naming `<dataset>.cold_start`", () => {
    // One user, items 1 2 3: training is item 1 alone; with cold_start 0.99, round(0.99·3) = 3 items are cold.
    const e = thrown(() => prepareInteractions("tiny", { store: store({ u: ["1", "2", "3"] }) }, split({ coldStart: 0.99 })));
    expect(e.code).toBe("RS6020");
    expect(e.message).toBe("dataset `tiny`: cold_start = 0.99 holds out every item of the training examples of the 1 user kept; nothing to train on");
    expect(e.help).toBe("lower `tiny.cold_start`");
  });

  it("no validation or test users: a warning on the data, training goes on", () => {
    const short = store({ a: ["1"], b: ["1", "2"] });
    const data = prepareInteractions("events", { store: short }, split());
    expect(data.split.train).toHaveLength(2);
    expect(data.split.validation).toHaveLength(0);
    expect(data.warnings).toEqual([
      "dataset `events`: no validation and no test examples: all of the 2 users kept have fewer than 3 interactions, the least that gives a validation and a test example; evaluations of events.validation and events.test will be empty",
    ]);
  });

  it("some users evaluable: no warning; the reader's warnings are passed on", () => {
    const withWarning = { ...mixed, warnings: ["x.csv:1:9: column 'item' appears again in the header (first as column 2); the first is read"] };
    const data = prepareInteractions("events", { store: withWarning }, split({ minLength: 2 }));
    // b (2 items) trains only; c and d give one example to each split; a is dropped.
    expect([data.split.train.length, data.split.validation.length, data.split.test.length]).toEqual([3, 2, 2]);
    expect(data.warnings).toEqual(withWarning.warnings);
    expect(data.coverage).toEqual({ users: 4, minLength: 2, belowMinLength: 1, trainOnly: 1, longest: 5 });
  });
});

describe("emptySplitWarning", () => {
  it("names only the empty splits, and what min_length dropped", () => {
    const c = { users: 10, minLength: 2, belowMinLength: 4, trainOnly: 6, longest: 2 };
    const ex = { user: 0, history: new Int32Array(0), target: 1 };
    expect(emptySplitWarning("e", { train: [ex], validation: [ex], test: [] }, c)).toBe(
      "dataset `e`: no test examples: all of the 6 users kept have fewer than 3 interactions, the least that gives a validation and a test example; min_length = 2 dropped 4 of 10 users; evaluations of e.test will be empty",
    );
    expect(emptySplitWarning("e", { train: [ex], validation: [ex], test: [ex] }, c)).toBeNull();
  });
});

describe("noValidationError", () => {
  it("names the model's early_stop and why the data set has no validation users", () => {
    const e = noValidationError("seq", "events", { users: 3, minLength: 1, belowMinLength: 0, trainOnly: 3, longest: 2 });
    expect(e.code).toBe("RS6020");
    expect(e.message).toBe(
      "model `seq`: early_stop needs validation examples, and dataset `events` gives none: all of the 3 users kept have fewer than 3 interactions, the least that gives a validation and a test example",
    );
    expect(e.help).toMatch(/^remove `seq\.train\.early_stop`/);
  });
});

describe("noValidationError for IDW, noModelExamplesError", () => {
  const c = { users: 5, minLength: 1, belowMinLength: 0, trainOnly: 5, longest: 1 };
  it("names IDW's need and suggests another weighting", () => {
    const e = noValidationError("mur", "events", c, "idw");
    expect(e.message).toMatch(
      /^model `mur`: IDW weighting stops on a validation hit rate and needs validation examples, and dataset `events` gives none: all of the 5 users/,
    );
    expect(e.help).toBe("use data whose users have at least 3 interactions, or another `weighting`");
  });

  it("counts the users kept and the longest sequence", () => {
    const e = noModelExamplesError("tt", "events", { ...c, users: 7, belowMinLength: 2 });
    expect(e.code).toBe("RS6020");
    expect(e.message).toBe(
      "model `tt` has no training examples in dataset `events` (5 users kept, the longest with 1 interaction): each needs a history of at least one item before its target",
    );
  });
});

describe("memory bound", () => {
  it("refuses 30 000 000 synthetic users before allocating (RS6021), naming the dataset and attributes", () => {
    const options = {
      users: 30_000_000,
      clusters: 5,
      itemsPerCluster: 10,
      interestsPerUser: 3,
      interestPower: 1,
      itemPower: 0.5,
      stay: 0.6,
      switch: 0.3,
      length: 20,
      seed: 0,
    };
    // 6e8 interactions × 48 B + (3e7 + 50) users and items × 128 B + 9e7 interests × 4 B ≈ 3.300e10 B.
    expect(syntheticBytes(options)).toBe(600_000_000 * 48 + 30_000_050 * 128 + 90_000_000 * 4);
    const before = process.memoryUsage().heapUsed;
    const e = thrown(() => generateSynthetic(options, "synth"));
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(50e6);
    expect(e.code).toBe("RS6021");
    expect(e.message).toMatch(/^dataset `synth` \(users = 30000000, length = 20, 50 items\) needs about 33\.0 GB of memory; this process can give data /);
    expect(e.help).toMatch(/^lower `users`, `length` or `items_per_cluster`/);
  });

  it("lets a bound through exactly at the limit and refuses one byte more", () => {
    expect(() => checkDataFits("x", 1000, "h", {}, 1000)).not.toThrow();
    expect(thrown(() => checkDataFits("x", 1001, "h", {}, 1000)).message).toBe("x needs about 2 kB of memory; this process can give data 1 kB");
  });
});
