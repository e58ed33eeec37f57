/**
 * Fixed (untrained) sinusoidal input embeddings: e(x) = [cos(x A), sin(x A), x C].
 *
 * - Fourier features (Tancik et al. 2020): A = 2 pi B with B ~ N(0, scale^2), C empty.
 * - Periodic embedding: for each periodic input dimension d with period P, the columns
 *   of A hold 2 pi k / P (k = 1..harmonics) in row d, so the network is exactly periodic
 *   in x_d; non-periodic dimensions pass through unchanged (columns of C).
 *
 * Both are linear maps followed by cos / sin, so their input derivatives are known in
 * closed form (`jet`), which Taylor-mode derivatives use.
 */
import * as tf from '../backend/tf.js';
import type { Rng } from '../backend/random.js';

type Tensor = tf.Tensor;

export interface FourierFeatures {
  /** Number of frequencies (the embedding has 2 * features columns). */
  features: number;
  /** Standard deviation of the frequencies B (in cycles per unit of x). */
  scale: number;
}

export interface PeriodicEmbedding {
  /** One period per input dimension; null (or a missing entry) leaves that dimension as is. */
  period: Array<number | null> | number;
  /** Harmonics k = 1..harmonics per periodic dimension (default 1). */
  harmonics?: number;
}

export class SinusoidalEmbedding {
  /** [inputDim, F] angular frequencies. */
  readonly A: tf.Tensor2D;
  /** [inputDim, P] pass-through selection (P may be 0). */
  readonly C: tf.Tensor2D | null;
  readonly inputDim: number;
  readonly outputDim: number;

  constructor(A: number[][], C: number[][] | null) {
    this.inputDim = A.length;
    this.A = tf.keep(tf.tensor2d(A, [A.length, A[0].length]));
    this.C = C !== null && C[0].length > 0 ? tf.keep(tf.tensor2d(C, [C.length, C[0].length])) : null;
    this.outputDim = 2 * A[0].length + (this.C?.shape[1] ?? 0);
  }

  static fourier(inputDim: number, { features, scale }: FourierFeatures, rng: Rng): SinusoidalEmbedding {
    if (!Number.isInteger(features) || features < 1) throw new Error(`fourier.features: expected a positive integer, got ${features}`);
    if (!(scale > 0)) throw new Error(`fourier.scale: expected a positive number, got ${scale}`);
    const A = Array.from({ length: inputDim }, () =>
      Array.from({ length: features }, () => 2 * Math.PI * scale * rng.normal()));
    return new SinusoidalEmbedding(A, null);
  }

  static periodic(inputDim: number, spec: PeriodicEmbedding): SinusoidalEmbedding {
    const { A, C } = periodicEmbeddingMatrices(inputDim, spec);
    return new SinusoidalEmbedding(A, C);
  }

  apply(x: Tensor): tf.Tensor2D {
    const theta = tf.matMul(x as tf.Tensor2D, this.A);
    const parts = [tf.cos(theta), tf.sin(theta)];
    if (this.C !== null) parts.push(tf.matMul(x as tf.Tensor2D, this.C));
    return tf.concat(parts, 1) as tf.Tensor2D;
  }

  /**
   * The embedding and its derivatives with respect to input dimensions: `first[k]` is
   * d e / d x_{dims[k]}, `second[k]` is d2 e / d x_i d x_j for pairs[k] = [i, j].
   */
  jet(x: Tensor, dims: number[], pairs: Array<[number, number]>): { value: Tensor; first: Tensor[]; second: Tensor[] } {
    const theta = tf.matMul(x as tf.Tensor2D, this.A);
    const cos = tf.cos(theta);
    const sin = tf.sin(theta);
    const n = x.shape[0];
    const row = (m: tf.Tensor2D, i: number) => tf.slice(m, [i, 0], [1, m.shape[1]]);
    const passThrough = (i: number | null) =>
      this.C === null ? [] : [i === null ? tf.zeros([n, this.C.shape[1]]) : tf.tile(row(this.C, i), [n, 1])];
    const value = tf.concat([cos, sin, ...(this.C !== null ? [tf.matMul(x as tf.Tensor2D, this.C)] : [])], 1);
    const first = dims.map((i) => {
      const a = row(this.A, i);
      return tf.concat([tf.mul(tf.neg(sin), a), tf.mul(cos, a), ...passThrough(i)], 1);
    });
    const second = pairs.map(([i, j]) => {
      const aa = tf.mul(row(this.A, i), row(this.A, j));
      return tf.concat([tf.mul(tf.neg(cos), aa), tf.mul(tf.neg(sin), aa), ...passThrough(null)], 1);
    });
    return { value, first, second };
  }

  dispose(): void {
    this.A.dispose();
    this.C?.dispose();
  }
}

/**
 * The matrices of a periodic embedding e(x) = [cos(x A), sin(x A), x C] as plain arrays
 * (shared by the TF.js embedding and the float64 networks of `teng`).
 */
export function periodicEmbeddingMatrices(inputDim: number, { period, harmonics = 1 }: PeriodicEmbedding): { A: number[][]; C: number[][] } {
  const periods = typeof period === 'number' ? Array<number | null>(inputDim).fill(period) : period;
  if (periods.length > inputDim) throw new Error(`periodic.period: ${periods.length} periods for ${inputDim} input dimensions`);
  if (!Number.isInteger(harmonics) || harmonics < 1) throw new Error(`periodic.harmonics: expected a positive integer, got ${harmonics}`);
  const periodic = [...Array(inputDim).keys()].filter((d) => periods[d] != null);
  if (periodic.length === 0) throw new Error('periodic.period: no input dimension has a period');
  for (const d of periodic) {
    if (!((periods[d] as number) > 0)) throw new Error(`periodic.period[${d}]: expected a positive number, got ${periods[d]}`);
  }
  const plain = [...Array(inputDim).keys()].filter((d) => periods[d] == null);
  const A = Array.from({ length: inputDim }, () => new Array(periodic.length * harmonics).fill(0));
  periodic.forEach((d, p) => {
    for (let k = 1; k <= harmonics; k++) A[d][p * harmonics + k - 1] = (2 * Math.PI * k) / (periods[d] as number);
  });
  const C = Array.from({ length: inputDim }, (_, d) => plain.map((q) => (q === d ? 1 : 0)));
  return { A, C };
}
