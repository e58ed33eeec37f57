/**
 * Reflected flow matching on a box (Xie et al. 2024). The unconstrained
 * conditional OT path y_t = t x1 + (1 - (1 - sigmaMin) t) x0 (x0 ~ N(centre, sigma0^2 I))
 * is folded into the box by the reflection R; the conditional velocity of the
 * reflected path is R'(y_t) (x1 - (1 - sigmaMin) x0), R' = +-1 per coordinate,
 * so training stays simulation-free. Sampling starts from the folded Gaussian
 * and reflects every Euler state back into the box, so no sample leaves it.
 */
import * as tf from '../backend/tf.js';
import type { Labels, TimeNet } from './model.js';
import { rng, type SeedLike } from './random.js';

export interface Box {
  low: number;
  high: number;
}

function checkBox({ low, high }: Box): void {
  if (!(high > low)) throw new Error(`box: need high > low, got [${low}, ${high}]`);
}

/** Folds every coordinate into [low, high] by repeated mirror reflection. */
export function reflectIntoBox(x: tf.Tensor2D, box: Box = { low: 0, high: 1 }): tf.Tensor2D {
  checkBox(box);
  const L = box.high - box.low;
  return tf.tidy(() => {
    const y = tf.sub(x, box.low);
    const m = tf.sub(y, tf.mul(tf.floor(tf.div(y, 2 * L)), 2 * L)); // in [0, 2L)
    return tf.add(tf.sub(L, tf.abs(tf.sub(m, L))), box.low) as tf.Tensor2D;
  });
}

/** The derivative of the fold, +1 or -1 per coordinate. */
export function reflectionSign(x: tf.Tensor2D, box: Box = { low: 0, high: 1 }): tf.Tensor2D {
  const L = box.high - box.low;
  return tf.tidy(() => {
    const y = tf.sub(x, box.low);
    const m = tf.sub(y, tf.mul(tf.floor(tf.div(y, 2 * L)), 2 * L));
    return tf.sub(1, tf.mul(tf.cast(tf.greater(m, L), 'float32'), 2)) as tf.Tensor2D;
  });
}

export interface ReflectedOptions {
  box?: Box;
  /** Standard deviation of the Gaussian source around the box centre. */
  sigma0?: number;
  sigmaMin?: number;
  /** false: the same path without folding (plain flow matching, the baseline). */
  reflect?: boolean;
  labels?: Labels;
  seed?: SeedLike;
}

/** Source samples: N(centre, sigma0^2 I), folded into the box when `reflect`. */
export function boxSource(n: number, dim: number, { box = { low: 0, high: 1 }, sigma0 = 1, reflect = true, seed = 0 }: ReflectedOptions = {}): tf.Tensor2D {
  checkBox(box);
  const x = tf.tidy(() => tf.add(tf.mul(rng(seed).normalTensor<tf.Rank.R2>([n, dim]), sigma0), (box.low + box.high) / 2)) as tf.Tensor2D;
  if (!reflect) return x;
  const out = reflectIntoBox(x, box);
  x.dispose();
  return out;
}

/** The (reflected) flow-matching loss on data x1 inside the box, averaged over batch and dimensions. */
export function reflectedFlowMatchingLoss(net: TimeNet, x1: tf.Tensor2D, { box = { low: 0, high: 1 }, sigma0 = 1, sigmaMin = 0, reflect = true, labels, seed = 0 }: ReflectedOptions = {}): tf.Scalar {
  checkBox(box);
  const r = rng(seed);
  const n = x1.shape[0];
  const t = Float32Array.from({ length: n }, () => r.uniform());
  const x0 = boxSource(n, x1.shape[1], { box, sigma0, reflect: false, seed: r.fork() });
  return tf.tidy(() => {
    const tc = tf.tensor2d(t, [n, 1]);
    const y = tf.add(tf.mul(x1, tc), tf.mul(x0, tf.sub(1, tf.mul(tc, 1 - sigmaMin)))) as tf.Tensor2D;
    let u = tf.sub(x1, tf.mul(x0, 1 - sigmaMin)) as tf.Tensor2D;
    let xt = y;
    if (reflect) {
      u = tf.mul(u, reflectionSign(y, box)) as tf.Tensor2D;
      xt = reflectIntoBox(y, box);
    }
    x0.dispose();
    return tf.mean(tf.square(tf.sub(net(xt, tf.tensor1d(t), labels), u))) as tf.Scalar;
  });
}
