/**
 * Mini-batches from in-memory data sets: rows drawn at random from tensors that
 * share their first dimension (features and labels), for stochastic training on
 * `data.digits`, `data.linearRegression` and the like.
 *
 *   const { train } = data.digits({ seed: 0 });
 *   const r = data.rng(1);
 *   const [xb, yb] = data.sampleRows([train.x, train.y], 64, r);   // 64 distinct rows
 */
import * as tf from '../backend/tf.js';
import { Rng, rng } from './random.js';

/**
 * `size` distinct rows (a partial Fisher-Yates draw), the same rows of every
 * tensor, drawn from `random` (an Rng, or a seed for a fresh one).
 */
export function sampleRows<T extends tf.Tensor[]>(tensors: [...T], size: number, random: Rng | number): T {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new TypeError('sampleRows: tensors must be a non-empty array of tensors sharing their first dimension');
  const n = tensors[0].shape[0];
  tensors.forEach((t, i) => {
    if (!(t instanceof tf.Tensor) || t.rank === 0 || t.shape[0] !== n) {
      throw new RangeError(`sampleRows: tensors[${i}] must have ${n} rows like tensors[0], got shape [${t instanceof tf.Tensor ? t.shape : typeof t}]`);
    }
  });
  if (!Number.isInteger(size) || size < 1 || size > n) throw new RangeError(`sampleRows: size must be an integer in [1, ${n}], got ${size}`);
  const r = typeof random === 'number' ? rng(random) : random;
  const pool = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < size; i++) {
    const j = i + r.int(n - i);
    const tmp = pool[i];
    pool[i] = pool[j];
    pool[j] = tmp;
  }
  const idx = tf.tensor1d(pool.subarray(0, size), 'int32');
  const out = tensors.map((t) => tf.gather(t, idx)) as T;
  idx.dispose();
  return out;
}
