/** What every toy distribution offers: its dimension and seeded sampling. */
import type * as tf from '../backend/tf.js';
import type { SeedLike } from './random.js';

export interface Distribution {
  readonly name: string;
  readonly dim: number;
  /** n samples as a float32 tensor [n, dim]. The same seed gives the same samples. */
  sample(n: number, seed?: SeedLike): tf.Tensor2D;
}

/** A distribution whose samples carry class labels (for conditional models and guidance). */
export interface LabeledDistribution extends Distribution {
  readonly numClasses: number;
  /** n samples and their labels; `labels` fixes the class of each sample when given. */
  sampleLabeled(n: number, seed?: SeedLike, labels?: ArrayLike<number>): { x: tf.Tensor2D; labels: Int32Array };
}

export function checkCount(n: number, name = 'n'): void {
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name}: expected a positive integer, got ${n}`);
}
