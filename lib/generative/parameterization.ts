/**
 * Conversions between what a network may predict on a Gaussian path
 * x = alpha x0 + sigma eps (all exact, pointwise in x and t):
 *   'x0'        the denoised data E[x0 | x]                        (EDM's D)
 *   'eps'       the noise E[eps | x]
 *   'score'     grad log p_t(x) = -eps / sigma                      (Tweedie)
 *   'velocity'  dx/dt of the probability-flow ODE = alpha' x0 + sigma' eps
 *   'v'         v = alpha eps - sigma x0                            (Salimans & Ho)
 */
import * as tf from '../backend/tf.js';
import type { GaussianPath } from './paths.js';

export type Prediction = 'x0' | 'eps' | 'score' | 'velocity' | 'v';
export const PREDICTIONS: readonly Prediction[] = ['x0', 'eps', 'score', 'velocity', 'v'];

export function checkPrediction(p: string, name = 'prediction'): asserts p is Prediction {
  if (!PREDICTIONS.includes(p as Prediction)) throw new Error(`${name}: unknown '${p}'; expected one of ${PREDICTIONS.join(', ')}`);
}

/** A path coefficient: one number for the batch, or a per-sample column [n, 1]. */
export type Coef = number | tf.Tensor;

/**
 * The (x0, eps) pair implied by a prediction of kind `from`, given the path's
 * alpha, sigma and their time derivatives (numbers or per-sample columns).
 */
export function dataNoiseFrom(pred: tf.Tensor2D, from: Prediction, x: tf.Tensor2D, a: Coef, s: Coef, da: Coef, ds: Coef): { x0: tf.Tensor2D; eps: tf.Tensor2D } {
  checkPrediction(from, 'from');
  return tf.tidy(() => {
    switch (from) {
      case 'x0':
        return { x0: pred.clone(), eps: tf.div(tf.sub(x, tf.mul(pred, a)), s) as tf.Tensor2D };
      case 'eps':
        return { x0: tf.div(tf.sub(x, tf.mul(pred, s)), a) as tf.Tensor2D, eps: pred.clone() };
      case 'score': {
        const eps = tf.mul(pred, tf.neg(s)) as tf.Tensor2D;
        return { x0: tf.div(tf.sub(x, tf.mul(eps, s)), a) as tf.Tensor2D, eps };
      }
      case 'velocity': {
        const det = tf.sub(tf.mul(a, ds), tf.mul(s, da));
        return {
          x0: tf.div(tf.sub(tf.mul(x, ds), tf.mul(pred, s)), det) as tf.Tensor2D,
          eps: tf.div(tf.sub(tf.mul(pred, a), tf.mul(x, da)), det) as tf.Tensor2D,
        };
      }
      case 'v': {
        const n2 = tf.add(tf.square(a), tf.square(s));
        return {
          x0: tf.div(tf.sub(tf.mul(x, a), tf.mul(pred, s)), n2) as tf.Tensor2D,
          eps: tf.div(tf.add(tf.mul(x, s), tf.mul(pred, a)), n2) as tf.Tensor2D,
        };
      }
    }
  });
}

/** The (x0, eps) pair implied by a prediction of kind `from` at (x, t). */
export function toDataNoise(pred: tf.Tensor2D, from: Prediction, x: tf.Tensor2D, t: number, path: GaussianPath): { x0: tf.Tensor2D; eps: tf.Tensor2D } {
  return dataNoiseFrom(pred, from, x, path.alpha(t), path.sigma(t), path.dalpha(t), path.dsigma(t));
}

/** The prediction of kind `to` from a data / noise pair at time t. */
export function fromDataNoise(x0: tf.Tensor2D, eps: tf.Tensor2D, to: Prediction, t: number, path: GaussianPath): tf.Tensor2D {
  checkPrediction(to, 'to');
  const a = path.alpha(t);
  const s = path.sigma(t);
  return tf.tidy(() => {
    switch (to) {
      case 'x0':
        return x0.clone();
      case 'eps':
        return eps.clone();
      case 'score':
        return tf.div(eps, -s) as tf.Tensor2D;
      case 'velocity':
        return tf.add(tf.mul(x0, path.dalpha(t)), tf.mul(eps, path.dsigma(t))) as tf.Tensor2D;
      case 'v':
        return tf.sub(tf.mul(eps, a), tf.mul(x0, s)) as tf.Tensor2D;
    }
  });
}

/** Converts a prediction between parameterizations at (x, t) on `path`. */
export function convert(pred: tf.Tensor2D, from: Prediction, to: Prediction, x: tf.Tensor2D, t: number, path: GaussianPath): tf.Tensor2D {
  if (from === to) return pred.clone();
  return tf.tidy(() => {
    const { x0, eps } = toDataNoise(pred, from, x, t, path);
    return fromDataNoise(x0, eps, to, t, path);
  });
}
