/**
 * The TensorFlow.js namespace that optilab users see as `tf`: the core ops plus
 * the layers API (`tf.sequential`, `tf.layers`, `tf.LayersModel`), as the
 * `@tensorflow/tfjs` union package assembles them.
 *
 * One op is replaced: `batchNorm` without `offset` or `scale` hands TF.js's tape
 * undefined inputs, and every gradient through it crashed; here the missing ones become
 * zeros and ones of the mean's shape (same values).
 */
import * as core from '@tensorflow/tfjs-core';

export * from '@tensorflow/tfjs-core';
export * from '@tensorflow/tfjs-layers';
// Type declarations of the chained tensor methods (`x.square().sum()`), which
// ./chained.ts installs at run time; re-exported so that they reach users' type checks.
export type * as ChainedOpTypes from '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';

export function batchNorm<R extends core.Rank>(
  x: core.Tensor<R> | core.TensorLike,
  mean: core.Tensor<R> | core.Tensor1D | core.TensorLike,
  variance: core.Tensor<R> | core.Tensor1D | core.TensorLike,
  offset?: core.Tensor<R> | core.Tensor1D | core.TensorLike,
  scale?: core.Tensor<R> | core.Tensor1D | core.TensorLike,
  varianceEpsilon?: number,
): core.Tensor<R> {
  return core.tidy(() => {
    const m = mean instanceof core.Tensor ? mean : core.tensor(mean as core.TensorLike);
    return core.batchNorm(x, m, variance, offset ?? core.zerosLike(m), scale ?? core.onesLike(m), varianceEpsilon);
  }) as core.Tensor<R>;
}
