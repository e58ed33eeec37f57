/**
 * Gradient of BatchMatMul (tf.matMul). Mathematically TF.js's own; the products use
 * `fast.matMul`, which materialises the transposes on wasm, where a transposed product
 * is 15-20x slower than a plain one. Broadcast batch dimensions are summed back.
 */
import { matMul } from '../fast.js';
import { unbroadcast } from './binary.js';
import type { GradConfig } from './registry.js';
import type * as tf from '../tf.js';

function reduceBatch(grad: tf.Tensor, like: tf.Tensor): tf.Tensor {
  return grad.rank === like.rank && grad.shape.every((d, i) => d === like.shape[i]) ? grad : unbroadcast(grad, like.shape);
}

export const batchMatMulGradient: GradConfig = {
  kernelName: 'BatchMatMul',
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved, attrs) => {
    const [a, b] = saved;
    const d = dy as tf.Tensor;
    const ta = attrs.transposeA as boolean;
    const tb = attrs.transposeB as boolean;
    const da = () => (!ta ? (!tb ? matMul(d, b, false, true) : matMul(d, b)) : !tb ? matMul(b, d, false, true) : matMul(b, d, true, true));
    const db = () => (!ta ? (!tb ? matMul(a, d, true, false) : matMul(d, a, true, false)) : !tb ? matMul(a, d) : matMul(d, a, true, true));
    return { a: () => reduceBatch(da(), a), b: () => reduceBatch(db(), b) };
  },
};
