// Parameter initialisers. Each takes a shape and a seeded Rng and gives the initial values as a
// Float32Array; ParamStore turns them into variables. Kept as plain functions over an Rng (not
// tf.random*) so values are identical on every backend and reproducible from the seed alone.
import type { Rng } from "../random.js";

/** Fills a freshly allocated buffer for `shape` from `rng`. */
export type Init = (shape: readonly number[], rng: Rng) => Float32Array;

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Fan-in and fan-out as Keras computes them: a 2-D [in, out] kernel gives (in, out); higher ranks
 * treat the leading dims as a receptive field; a vector uses its length for both.
 */
export function fans(shape: readonly number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0], shape[0]];
  const receptive = size(shape.slice(0, -2));
  return [shape[shape.length - 2] * receptive, shape[shape.length - 1] * receptive];
}

/** Uniform in ±sqrt(6 / (fanIn + fanOut)). */
export function glorotUniform(): Init {
  return (shape, rng) => {
    const [fanIn, fanOut] = fans(shape);
    return fillUniform(size(shape), Math.sqrt(6 / (fanIn + fanOut)), rng);
  };
}

/** Uniform in [-a, a). */
export function uniform(a: number): Init {
  return (shape, rng) => fillUniform(size(shape), a, rng);
}

/** Normal with mean 0 and standard deviation `std`. */
export function normal(std = 0.05): Init {
  return (shape, rng) => {
    const out = new Float32Array(size(shape));
    for (let i = 0; i < out.length; i++) out[i] = std * rng.normal();
    return out;
  };
}

/** Normal(0, std²) with draws beyond 2·std redrawn (the usual transformer embedding init). */
export function truncatedNormal(std = 0.05): Init {
  return (shape, rng) => {
    const out = new Float32Array(size(shape));
    for (let i = 0; i < out.length; i++) {
      let z = rng.normal();
      while (Math.abs(z) > 2) z = rng.normal();
      out[i] = std * z;
    }
    return out;
  };
}

/** All zeros (biases, layer-norm beta). */
export function zeros(): Init {
  return (shape) => new Float32Array(size(shape));
}

/** All ones (layer-norm gamma). */
export function ones(): Init {
  return (shape) => new Float32Array(size(shape)).fill(1);
}

function fillUniform(n: number, a: number, rng: Rng): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (2 * rng.next() - 1) * a;
  return out;
}
