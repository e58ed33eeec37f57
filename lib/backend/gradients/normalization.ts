/**
 * Gradient of FusedBatchNorm (tf.batchNorm):
 *   y = (x - mean) r scale + offset,  r = 1 / sqrt(variance + eps).
 * TF.js's own gradient reshapes to the wrong shape when mean and variance are scalars
 * (rank 0), and it is not written with broadcasting in mind; this one differentiates the
 * formula above and sums each gradient back to its input's shape.
 */
import * as tf from '../tf.js';
import { unbroadcast } from './binary.js';
import type { GradConfig } from './registry.js';

export const batchNormGradient: GradConfig = {
  kernelName: 'FusedBatchNorm',
  inputsToSave: ['x', 'mean', 'variance', 'scale', 'offset'],
  gradFunc: (dy, saved, attrs) => {
    const [x, mean, variance, scale, offset] = saved;
    const d = dy as tf.Tensor;
    const r = tf.rsqrt(tf.add(variance, attrs.varianceEpsilon as number));
    const centred = tf.sub(x, mean);
    const dyScaled = scale === undefined ? d : tf.mul(d, scale);
    return {
      x: () => unbroadcast(tf.mul(dyScaled, r), x.shape),
      mean: () => unbroadcast(tf.neg(tf.mul(dyScaled, r)), mean.shape),
      variance: () => unbroadcast(tf.mul(tf.mul(dyScaled, centred), tf.mul(-0.5, tf.pow(r, 3))), variance.shape),
      scale: () => unbroadcast(tf.mul(d, tf.mul(centred, r)), scale.shape),
      offset: () => unbroadcast(d, offset.shape),
    };
  },
};
