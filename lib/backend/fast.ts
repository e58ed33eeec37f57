/**
 * Faster spellings of TF.js ops whose speed depends on the backend. Same results, same
 * gradients; library code that sits on a hot path uses these.
 *
 * Measured on the wasm backend (TF.js 4.22, [2000, 32] x [32, 32]): a BatchMatMul with
 * a transpose flag takes 3.0-3.4 ms, a plain one 0.17 ms, and an explicit transpose of
 * either operand under 0.1 ms. wasm's tanh kernel takes 1.2 ms where its sigmoid takes
 * 0.07 ms.
 */
import * as tf from './tf.js';

const onWasm = () => tf.getBackend() === 'wasm';

/** Swaps the last two axes. */
function transposeLast(x: tf.Tensor): tf.Tensor {
  const perm = [...Array(x.rank).keys()];
  [perm[x.rank - 2], perm[x.rank - 1]] = [perm[x.rank - 1], perm[x.rank - 2]];
  return tf.transpose(x, perm);
}

/** tf.matMul, with transposes materialised on wasm (where transpose flags are slow). */
export function matMul<T extends tf.Tensor>(a: T, b: tf.Tensor, transposeA = false, transposeB = false): T {
  if (!onWasm() || (!transposeA && !transposeB)) return tf.matMul(a, b, transposeA, transposeB) as T;
  return tf.matMul(transposeA ? transposeLast(a) : a, transposeB ? transposeLast(b) : b) as T;
}

/**
 * tanh; on wasm computed as 2 sigmoid(2x) - 1 (10x faster there). The absolute error
 * stays below 1.2e-7 (float32 rounding of sigmoid); near 0 the relative error grows,
 * like any absolute-error bound.
 */
export function tanh<T extends tf.Tensor>(x: T): T {
  if (!onWasm()) return tf.tanh(x);
  return tf.sub(tf.mul(2, tf.sigmoid(tf.mul(2, x))), 1) as T;
}
