/**
 * VICReg (Bardes, Ponce, LeCun 2022), the joint-embedding loss used for
 * self-supervised PDE representations: for two batches of embeddings of
 * augmented views, invariance (mean squared distance), variance (a hinge
 * keeping each dimension's standard deviation above 1) and covariance
 * (squared off-diagonal covariances over the dimension count), weighted
 * 25 / 25 / 1 by default as in the paper.
 */
import * as tf from '../backend/tf.js';
import { checkNumber } from './module.js';

export interface VicregWeights {
  invariance?: number;
  variance?: number;
  covariance?: number;
}

export function vicregLoss(z1: tf.Tensor, z2: tf.Tensor, { invariance = 25, variance = 25, covariance = 1 }: VicregWeights = {}): tf.Scalar {
  if (z1.rank !== 2 || z1.shape.some((d, i) => d !== z2.shape[i])) {
    throw new Error(`vicregLoss: z1 and z2 must be [batch, dim] of the same shape, got [${z1.shape}] and [${z2.shape}]`);
  }
  for (const [name, v] of Object.entries({ invariance, variance, covariance })) checkNumber('vicregLoss', name, v, { min: 0 });
  const [n, d] = z1.shape as number[];
  if (n < 2) throw new Error('vicregLoss: the batch needs at least 2 embeddings (variance and covariance are batch statistics)');
  return tf.tidy(() => {
    const inv = tf.mean(tf.square(tf.sub(z1, z2)));
    const terms = [z1, z2].map((z) => {
      const c = tf.sub(z, tf.mean(z, 0, true));
      const std = tf.sqrt(tf.add(tf.div(tf.sum(tf.square(c), 0), n - 1), 1e-4));
      const varTerm = tf.mean(tf.relu(tf.sub(1, std)));
      const cov = tf.div(tf.matMul(tf.transpose(c), c), n - 1);
      const offDiagonal = tf.sub(tf.sum(tf.square(cov)), tf.sum(tf.square(tf.mul(cov, tf.eye(d)))));
      return [varTerm, tf.div(offDiagonal, d)];
    });
    return tf.addN([
      tf.mul(invariance, inv),
      tf.mul(variance, tf.add(terms[0][0], terms[1][0])),
      tf.mul(covariance, tf.add(terms[0][1], terms[1][1])),
    ]) as tf.Scalar;
  });
}
