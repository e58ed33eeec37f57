/**
 * A small deterministic random number generator for data generation, splits and
 * shuffles, independent of TF.js (whose seeding differs between backends).
 *
 *   const r = rng(42);
 *   r.uniform(); r.normal(); r.int(10); r.shuffle(array); r.permutation(n)
 *
 * The core is mulberry32 (a 32-bit state generator by Tommy Ettinger: fast,
 * passes gjrand/PractRand to 2^32 outputs, ample for data sets and splits).
 * Seeds go through a splitmix32-style hash first, so seeds 0, 1, 2, ... give
 * unrelated streams, and `derive(seed, 'label')` gives named sub-streams
 * (e.g. one for the split and one for the noise) that do not shift when
 * another part of a generator draws more numbers.
 * Normal draws use the Box-Muller transform and cache the second value.
 */

/** Checks that a seed is a safe integer, naming the argument in the error. */
export function checkSeed(seed: unknown, name = 'seed'): number {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw new TypeError(`${name} must be an integer (a safe integer such as 0, 1, 42), got ${describe(seed)}`);
  }
  return seed;
}

function describe(x: unknown): string {
  if (typeof x === 'string') return JSON.stringify(x);
  if (typeof x === 'number') return String(x);
  return x === null ? 'null' : typeof x;
}

/** Mixes a 32-bit value (the splitmix32 finaliser): nearby inputs give unrelated outputs. */
function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x21f0aaad);
  x = Math.imul(x ^ (x >>> 15), 0x735a2d97);
  return (x ^ (x >>> 15)) >>> 0;
}

/** Hashes a string to 32 bits (FNV-1a), for named sub-streams. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * A seed for a named sub-stream of `seed`: `derive(seed, 'split')`,
 * `derive(seed, 'noise', 3)`. Deterministic, and distinct labels give unrelated streams.
 */
export function derive(seed: number, ...labels: (string | number)[]): number {
  checkSeed(seed);
  // Fold the high and low halves of the seed so seeds beyond 2^32 stay distinct.
  let h = mix32((seed >>> 0) ^ mix32(Math.floor(seed / 2 ** 32) >>> 0));
  for (const label of labels) h = mix32(h ^ (typeof label === 'string' ? hashString(label) : mix32(label >>> 0)));
  return h;
}

/** The mulberry32 generator: returns a function giving uniform numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded random stream with the draws data generators need. */
export class Rng {
  private readonly next: () => number;
  private spare: number | undefined;

  constructor(seed: number) {
    this.next = mulberry32(derive(checkSeed(seed)));
  }

  /** Uniform in [lo, hi). */
  uniform(lo = 0, hi = 1): number {
    return lo + (hi - lo) * this.next();
  }

  /** Normal with the given mean and standard deviation (Box-Muller). */
  normal(mean = 0, std = 1): number {
    if (this.spare !== undefined) {
      const z = this.spare;
      this.spare = undefined;
      return mean + std * z;
    }
    let u = 0;
    while (u === 0) u = this.next(); // log(0) would be -Infinity
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return mean + std * r * Math.cos(2 * Math.PI * v);
  }

  /** An integer in [0, n). */
  int(n: number): number {
    if (!Number.isSafeInteger(n) || n <= 0) throw new RangeError(`Rng.int: n must be a positive integer, got ${n}`);
    return Math.floor(this.next() * n);
  }

  /** `n` uniform draws in [lo, hi). */
  uniformArray(n: number, lo = 0, hi = 1): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.uniform(lo, hi);
    return out;
  }

  /** `n` normal draws. */
  normalArray(n: number, mean = 0, std = 1): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.normal(mean, std);
    return out;
  }

  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T, A extends { length: number; [i: number]: T }>(items: A): A {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    return items;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }
}

/** A seeded random stream: `rng(seed)`; `rng(seed, 'noise')` is a named sub-stream of it. */
export function rng(seed: number, ...labels: (string | number)[]): Rng {
  checkSeed(seed);
  return new Rng(labels.length ? derive(seed, ...labels) : seed);
}
