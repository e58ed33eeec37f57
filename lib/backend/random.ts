/**
 * The library's random numbers: one seeded generator that every random draw in optilab
 * comes from, so `seed(n)` makes a whole run reproducible.
 *
 * The rule for library code: never call `Math.random` or an unseeded `tf.random*`.
 * Take an `Rng` (or a `seed` option turned into one with `resolveRng`), draw JS-side
 * numbers from it, and pass `rng.tfSeed()` as the seed of any TF.js random op.
 * Without an explicit generator, draws come from the library generator `rng()`, which
 * `seed(n)` resets; it starts from seed 0, so runs are reproducible by default.
 *
 * Generator: xoshiro128** (Blackman and Vigna), seeded through splitmix32. Uniform
 * doubles use 53 random bits; normals use the Box-Muller transform.
 */
import * as tf from './tf.js';

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function checkSeed(value: number, name = 'seed'): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new Error(`${name}: expected an integer in [0, 2^32 - 1], got ${value}`);
  }
  return value;
}

export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spareNormal: number | undefined;

  /** A generator whose whole stream is determined by `seed` (an integer in [0, 2^32)). */
  constructor(seed: number) {
    const mix = splitmix32(checkSeed(seed));
    this.s0 = mix(); this.s1 = mix(); this.s2 = mix(); this.s3 = mix();
  }

  /** The next 32 random bits, as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Standard normal. */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const z = this.spareNormal;
      this.spareNormal = undefined;
      return z;
    }
    let u = this.uniform();
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new Error(`Rng.int: n must be a positive integer, got ${n}`);
    return Math.floor(this.uniform() * n);
  }

  uniformArray(n: number, low = 0, high = 1): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = low + (high - low) * this.uniform();
    return out;
  }

  normalArray(n: number, mean = 0, std = 1): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = mean + std * this.normal();
    return out;
  }

  /** Independent +-1 entries (for Hutchinson estimators). */
  rademacherArray(n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.nextUint32() & 1 ? 1 : -1;
    return out;
  }

  /** A uniformly random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }

  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: any }>(items: T): T {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** A seed for a TF.js random op (`tf.randomNormal(shape, 0, 1, 'float32', rng.tfSeed())`). */
  tfSeed(): number {
    return this.nextUint32();
  }

  /** A child generator with its own stream, determined by this generator's state. */
  fork(): Rng {
    return new Rng(this.nextUint32());
  }

  /** Normal float32 tensor drawn by TF.js with a seed from this generator. */
  normalTensor(shape: number[], mean = 0, std = 1): tf.Tensor {
    return tf.randomNormal(shape, mean, std, 'float32', this.tfSeed());
  }

  /** Uniform float32 tensor on [low, high) drawn by TF.js with a seed from this generator. */
  uniformTensor(shape: number[], low = 0, high = 1): tf.Tensor {
    return tf.randomUniform(shape, low, high, 'float32', this.tfSeed());
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

let library = new Rng(0);

/** Resets the library generator: every later random draw of optilab is determined by `n`. */
export function seed(n: number): void {
  library = new Rng(checkSeed(n, 'seed(n)'));
}

/** The library generator (the one `seed(n)` resets). */
export function rng(): Rng {
  return library;
}

/**
 * The generator for a `seed` option: a number gives a fresh generator with that seed,
 * an `Rng` is used as is, and undefined means the library generator.
 */
export function resolveRng(seedOrRng?: number | Rng): Rng {
  if (seedOrRng === undefined) return library;
  if (seedOrRng instanceof Rng) return seedOrRng;
  return new Rng(checkSeed(seedOrRng));
}
