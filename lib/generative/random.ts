/**
 * The seeded random stream of the generative library: the project's data
 * stream (lib/data/random.ts, mulberry32) plus what samplers and couplings
 * need: categorical draws, float32 noise tensors, and independent sub-streams.
 * Toy-data sampling, sampler noise, minibatch couplings and network
 * initialisation all draw from one of these, so a run is reproduced by its seed.
 */
import * as tf from '../backend/tf.js';
import { Rng as DataRng } from '../data/random.js';

export class Rng extends DataRng {
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
    return this.normalArray(n);
  }

  uniforms(n: number): Float64Array {
    return this.uniformArray(n);
  }

  /** A standard-normal float32 tensor of the given shape. */
  normalTensor<R extends tf.Rank = tf.Rank.R2>(shape: number[]): tf.Tensor<R> {
    const n = shape.reduce((a, b) => a * b, 1);
    return tf.tensor(Float32Array.from(this.normalArray(n)), shape) as unknown as tf.Tensor<R>;
  }

  /** A uniform [low, high) float32 tensor of the given shape. */
  uniformTensor<R extends tf.Rank = tf.Rank.R2>(shape: number[], low = 0, high = 1): tf.Tensor<R> {
    const n = shape.reduce((a, b) => a * b, 1);
    return tf.tensor(Float32Array.from(this.uniformArray(n, low, high)), shape) as unknown as tf.Tensor<R>;
  }

  /** An independent stream derived from this one (for handing to a sub-task). */
  fork(): Rng {
    return new Rng(this.int(4294967296));
  }
}

/** A seed or an existing stream. Seeds give fresh streams, streams are used as they are. */
export type SeedLike = number | Rng;

export function rng(seed: SeedLike = 0): Rng {
  return seed instanceof Rng ? seed : new Rng(seed);
}
