import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataError } from "../../../src/runtime/data/data-error.js";
import { readAmazon } from "../../../src/runtime/data/read-amazon.js";
import { readInteractionsCsv } from "../../../src/runtime/data/read-csv.js";
import { prepareInteractions } from "../../../src/runtime/pipeline/prepare-data.js";
import { tinyData } from "../models/fixtures.js";

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "recspec-prepare-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const splitting = { split: "leave_last_out", history: 5, window: 30, stride: 5, coldStart: 0, minLength: 1 } as const;

describe("prepareInteractions", () => {
  it("splits synthetic data leave-last-out and counts training items", async () => {
    const data = await tinyData();
    expect(data.numItems).toBe(50);
    expect(data.split.test.length).toBe(300);
    expect(data.split.validation.length).toBe(300);
    // 12 items per user: 10 in training (history 9 + target), the last two held out.
    expect(data.split.train.every((e) => e.history.length === 9)).toBe(true);
    const total = data.trainCounts.reduce((a, b) => a + b, 0);
    expect(total).toBe(300 * 10);
    expect(data.trainCounts[0]).toBe(0);
    expect(data.coldItems.size).toBe(0);
  });

  it("holds a seeded share of items out of training entirely", async () => {
    const a = await tinyData({ cold_start: 0.2 });
    const b = await tinyData({ cold_start: 0.2 });
    expect(a.coldItems.size).toBe(10);
    expect([...a.coldItems].sort()).toEqual([...b.coldItems].sort());
    for (const e of a.split.train) {
      expect(a.coldMask[e.target]).toBe(0);
      for (const i of e.history) expect(a.coldMask[i]).toBe(0);
    }
    for (const i of a.coldItems) expect(a.trainCounts[i]).toBe(0);
    // Cold items still appear as test targets: the cold-start slice has users.
    expect(a.split.test.some((e) => a.coldMask[e.target] === 1)).toBe(true);
  });

  it("drops users shorter than min_length", async () => {
    fs.writeFileSync(path.join(dir, "log.csv"), "user,item,timestamp\nu1,a,1\nu1,b,2\nu1,c,3\nu2,a,1\nu2,b,2\n");
    const store = await readInteractionsCsv(path.join(dir, "log.csv"), { user: "user", item: "item", time: "timestamp", delimiter: "," });
    const all = prepareInteractions("csv", { store }, { ...splitting, minLength: 1 });
    const long = prepareInteractions("csv", { store }, { ...splitting, minLength: 3 });
    expect(new Set(all.split.train.map((e) => e.user)).size).toBe(2);
    expect(long.split.train.map((e) => e.user)).toEqual([0]);
    expect(long.split.test.map((e) => e.target)).toEqual([long.store.itemIndex.get("c")]);
  });

  it("makes temporal windows when asked", async () => {
    const data = await tinyData({ split: "temporal_window", window: 6, stride: 3 });
    // 12 items, windows of 6 ending at 12, 9, 6: three examples per split per user.
    expect(data.split.test.length).toBe(900);
    expect(data.splitType).toBe("temporal_window");
    // Training positions: each user's items 1–10 (the last window's last two are validation and
    // test targets) count once each, though the windows overlap.
    expect(data.trainCounts.reduce((a, b) => a + b, 0)).toBe(3000);
    expect(data.trainTargets.length).toBe(2700);
  });

  it("lets reader problems through as DataError with file and line", async () => {
    fs.mkdirSync(path.join(dir, "shop"), { recursive: true });
    fs.writeFileSync(path.join(dir, "shop", "Shop.txt"), "1 1 2 3\n2 4 x 5\n");
    const error = await readAmazon(path.join(dir, "shop"), "Shop")
      .then((store) => prepareInteractions("shop", { store }, splitting))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).file).toBe(path.join(dir, "shop", "Shop.txt"));
    expect((error as DataError).line).toBe(2);
  });
});
