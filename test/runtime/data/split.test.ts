import { describe, expect, it } from "vitest";
import { buildInteractions, type InteractionStore } from "../../../src/runtime/data/interactions.js";
import { leaveLastOut, temporalWindows, windowTrainingTargets, type Example } from "../../../src/runtime/data/split.js";
import { readAmazon } from "../../../src/runtime/data/read-amazon.js";

/** A store whose users have the given sequences of item ids (ids "1".."N" → indices 1..N). */
function storeOf(seqs: number[][]): InteractionStore {
  const users: string[] = [];
  const items: string[] = [];
  seqs.forEach((seq, u) => seq.forEach((i) => (users.push(`u${u}`), items.push(String(i)))));
  const max = Math.max(...seqs.flat());
  return buildInteractions({ users, items }, { itemIds: Array.from({ length: max }, (_, k) => String(k + 1)) });
}

const plain = (list: Example[]) => list.map((e) => ({ user: e.user, history: Array.from(e.history), target: e.target }));

describe("leaveLastOut", () => {
  it("takes the last item for test, the second-last for validation, the rest for training", () => {
    const split = leaveLastOut(
      storeOf([
        [1, 2, 3, 4, 5],
        [6, 7],
        [8, 9, 10],
      ]),
    );
    expect(plain(split.test)).toEqual([
      { user: 0, history: [1, 2, 3, 4], target: 5 },
      { user: 2, history: [8, 9], target: 10 },
    ]);
    expect(plain(split.validation)).toEqual([
      { user: 0, history: [1, 2, 3], target: 4 },
      { user: 2, history: [8], target: 9 },
    ]);
    // A user with fewer than 3 items goes wholly to training.
    expect(plain(split.train)).toEqual([
      { user: 0, history: [1, 2], target: 3 },
      { user: 1, history: [6], target: 7 },
      { user: 2, history: [], target: 8 },
    ]);
  });

  it("gives one example per split and user on Beauty (every user has ≥ 5 items)", async () => {
    const s = await readAmazon("data/amazon-beauty", "Beauty");
    const split = leaveLastOut(s);
    expect(split.train.length).toBe(22_363);
    expect(split.validation.length).toBe(22_363);
    expect(split.test.length).toBe(22_363);
    const trainItems = split.train.reduce((n, e) => n + e.history.length + 1, 0);
    expect(trainItems).toBe(198_502 - 2 * 22_363);
  });
});

describe("temporalWindows", () => {
  it("cuts end-aligned windows with a stride, targets third-last / second-last / last", () => {
    // 9 items, window 5, stride 2 → windows ending at 5, 7, 9.
    const split = temporalWindows(storeOf([[1, 2, 3, 4, 5, 6, 7, 8, 9]]), { window: 5, stride: 2 });
    expect(plain(split.test)).toEqual([
      { user: 0, history: [1, 2, 3, 4], target: 5 },
      { user: 0, history: [3, 4, 5, 6], target: 7 },
      { user: 0, history: [5, 6, 7, 8], target: 9 },
    ]);
    expect(plain(split.validation).map((e) => e.target)).toEqual([4, 6, 8]);
    expect(plain(split.train)).toEqual([
      { user: 0, history: [1, 2], target: 3 },
      { user: 0, history: [3, 4], target: 5 },
      { user: 0, history: [5, 6], target: 7 },
    ]);
  });

  it("aligns to the end when the stride does not divide, and treats short sequences as one window", () => {
    // 8 items, window 5, stride 2 → ends 6 and 8; item 1 lies in no window.
    const split = temporalWindows(
      storeOf([
        [1, 2, 3, 4, 5, 6, 7, 8],
        [9, 10, 11],
        [12, 13],
      ]),
      { window: 5, stride: 2 },
    );
    expect(plain(split.test)).toEqual([
      { user: 0, history: [2, 3, 4, 5], target: 6 },
      { user: 0, history: [4, 5, 6, 7], target: 8 },
      { user: 1, history: [9, 10], target: 11 },
    ]);
    expect(plain(split.train).slice(-1)).toEqual([{ user: 2, history: [12], target: 13 }]);
  });

  it("rejects windows too small to hold three targets", () => {
    expect(() => temporalWindows(storeOf([[1, 2, 3]]), { window: 2, stride: 1 })).toThrow(RangeError);
    expect(() => temporalWindows(storeOf([[1, 2, 3]]), { window: 3, stride: 0 })).toThrow(RangeError);
  });
});

describe("windowTrainingTargets", () => {
  it("makes every training item of a user a target once, with histories inside their window", () => {
    // Windows end at 5, 7, 9 (window 5, stride 2): training parts [1 2 3], [3 4 5], [5 6 7].
    const split = temporalWindows(
      storeOf([
        [1, 2, 3, 4, 5, 6, 7, 8, 9],
        [10, 11, 12],
      ]),
      { window: 5, stride: 2 },
    );
    expect(plain(windowTrainingTargets(split.train, 2))).toEqual([
      { user: 0, history: [], target: 1 },
      { user: 0, history: [1], target: 2 },
      { user: 0, history: [1, 2], target: 3 },
      { user: 0, history: [3], target: 4 },
      { user: 0, history: [3, 4], target: 5 },
      { user: 0, history: [5], target: 6 },
      { user: 0, history: [5, 6], target: 7 },
      { user: 1, history: [], target: 10 },
    ]);
  });
});
