// Seeded pseudo-random numbers for everything in the runtime that must be reproducible:
// shuffles, synthetic data, initialisers, dropout masks. Takes a seed, gives a stream.

/** A small, fast, seedable generator (SplitMix32-style state walk, 32-bit output). */
export class Rng {
  private state: number;

  constructor(seed: number) {
    // Mix the seed so nearby seeds give unrelated streams.
    this.state = mix32((seed | 0) ^ 0x9e3779b9);
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    this.state = (this.state + 0x9e3779b9) | 0;
    return mix32(this.state) >>> 0;
  }

  /**
   * Skips the next `draws` draws and gives the state they start from: draw k (1-based) of them is
   * mix32(state + k·0x9e3779b9). Lets native code fill a large buffer (dropout masks) with exactly
   * the values the same number of nextUint32() calls would give.
   */
  skip(draws: number): number {
    const start = this.state >>> 0;
    this.state = (this.state + Math.imul(draws, 0x9e3779b9)) | 0;
    return start;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal via Box–Muller. */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Shuffles an array in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[] | Int32Array | Float32Array): typeof items {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    return items;
  }

  /** Draws an index with probability proportional to weights[i]. */
  categorical(weights: ArrayLike<number>, total?: number): number {
    let sum = total ?? 0;
    if (total === undefined) for (let i = 0; i < weights.length; i++) sum += weights[i];
    let r = this.next() * sum;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  /** An independent generator derived from this one's seed and a label (stable across runs). */
  fork(label: string): Rng {
    let h = this.state;
    for (let i = 0; i < label.length; i++) h = mix32(h ^ label.charCodeAt(i));
    return new Rng(h);
  }
}

function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return x ^ (x >>> 16);
}
