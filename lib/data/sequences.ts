/**
 * Synthetic sequence tasks with long-range dependencies, for recurrent networks.
 *
 *   const task = data.addingProblem({ n: 1000, length: 30, seed: 0 });
 *   task.x   // float32 [n, length, 2]: (value, marker) per step
 *   task.y   // float32 [n, 1]: the sum of the two marked values
 *
 * The adding problem (Hochreiter & Schmidhuber 1997; Pascanu et al. 2013, sec. 5.1):
 * values uniform in [0, 1]; one marker in the first half of the sequence and one in
 * the second half. Predicting the mean (1) gives a mean squared error of 1/6, the
 * variance of the sum; solving the task needs memory over up to `length` steps.
 */
import * as tf from '../backend/tf.js';
import { checkSeed, rng } from './random.js';

export interface SequenceTask {
  /** float32 [n, length, features]. */
  x: tf.Tensor3D;
  /** float32 [n, outputs]. */
  y: tf.Tensor2D;
  n: number;
  length: number;
  /** Mean squared error of the best constant prediction. */
  baselineMse: number;
}

export function addingProblem(options: { n: number; length: number; seed?: number }): SequenceTask {
  const { n, length, seed = 0 } = options ?? ({} as { n: number; length: number });
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`addingProblem: n must be a positive integer, got ${String(n)}`);
  if (!Number.isInteger(length) || length < 2) throw new RangeError(`addingProblem: length must be an integer >= 2, got ${String(length)}`);
  checkSeed(seed);
  const r = rng(seed, 'adding-problem');
  const x = new Float32Array(n * length * 2);
  const y = new Float32Array(n);
  const half = Math.floor(length / 2);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < length; t++) x[(i * length + t) * 2] = r.uniform();
    const a = r.int(half), b = half + r.int(length - half);
    x[(i * length + a) * 2 + 1] = 1;
    x[(i * length + b) * 2 + 1] = 1;
    y[i] = x[(i * length + a) * 2] + x[(i * length + b) * 2];
  }
  return { x: tf.tensor3d(x, [n, length, 2]), y: tf.tensor2d(y, [n, 1]), n, length, baselineMse: 1 / 6 };
}
