/**
 * A small seeded random stream for the generative library: toy-data sampling,
 * noise in samplers, minibatch couplings and network initialisation all draw
 * from one of these so a run is reproduced exactly by its seed.
 *
 * sfc32 seeded through splitmix32; normals by Box-Muller. Numbers are float64
 * on the JavaScript side and become float32 tensors only at the boundary.
 */
import * as tf from '../backend/tf.js';

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | null = null;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new Error(`Rng: seed must be a finite number, got ${seed}`);
    let s = Math.floor(seed) >>> 0;
    const split = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = split();
    this.b = split();
    this.c = split();
    this.d = split();
    for (let i = 0; i < 12; i++) this.next32();
  }

  private next32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.next32() >>> 5;
    const lo = this.next32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Standard normal. */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Integer uniform on [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Index drawn with probability proportional to `weights` (non-negative, not all zero). */
  categorical(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i];
    let u = this.uniform() * total;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i];
      if (u < 0) return i;
    }
    return weights.length - 1;
  }

  normals(n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.normal();
    return out;
  }

  uniforms(n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.uniform();
    return out;
  }

  /** A random permutation of 0..n-1 (Fisher-Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** A standard-normal float32 tensor of the given shape. */
  normalTensor<R extends tf.Rank = tf.Rank.R2>(shape: number[]): tf.Tensor<R> {
    const n = shape.reduce((a, b) => a * b, 1);
    return tf.tensor(Float32Array.from(this.normals(n)), shape as number[]) as unknown as tf.Tensor<R>;
  }

  /** A uniform [low, high) float32 tensor of the given shape. */
  uniformTensor<R extends tf.Rank = tf.Rank.R2>(shape: number[], low = 0, high = 1): tf.Tensor<R> {
    const n = shape.reduce((a, b) => a * b, 1);
    const u = this.uniforms(n);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = low + (high - low) * u[i];
    return tf.tensor(out, shape as number[]) as unknown as tf.Tensor<R>;
  }

  /** An independent stream derived from this one (for handing to a sub-task). */
  fork(): Rng {
    return new Rng(this.next32() ^ Math.imul(this.next32(), 0x27d4eb2d));
  }
}

/** A seed or an existing stream. Seeds give fresh streams, streams are used as they are. */
export type SeedLike = number | Rng;

export function rng(seed: SeedLike = 0): Rng {
  return seed instanceof Rng ? seed : new Rng(seed);
}
