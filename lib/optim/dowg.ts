/**
 * DoWG (Distance over Weighted Gradients): Khaled, Mishchenko & Jin, "DoWG
 * Unleashed: An Efficient Universal Parameter-Free Gradient Descent Method",
 * NeurIPS 2023 (arXiv:2305.16284), Algorithm 1. No official code; semantics and
 * defaults follow optax.contrib.dowg (optax 0.2.8, checked against it):
 * lr = 1, eps = 1e-4, initSqDist = eps.
 *
 *   r2_t = max(r2_{t-1}, ||x_t - x_0||^2)        r2_0 = initSqDist (r_eps^2)
 *   v_t = v_{t-1} + r2_t ||g_t||^2
 *   x_{t+1} = x_t - lr * r2_t / (sqrt(v_t) + eps) * g_t
 *
 * Unlike DoG's plain sum of squared gradients, the sum is weighted by the
 * distance estimate, so early (small-distance) gradients count less.
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, map, squaredNorm } from './tree.js';
import { type GradientTransformation, chain, requireParams } from './transform.js';
import { scaleByLearningRate } from './transforms.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer } from './adapter.js';
import { checkKnownKeys, checkNonNegative, checkPositive } from './validate.js';

export interface ScaleByDowgState {
  init: TensorTree;
  /** The running estimate of the squared distance to the solution. */
  sqDist: tf.Scalar;
  /** sum of r2_t ||g_t||^2. */
  weightedSumSq: tf.Scalar;
}

export function scaleByDowg({ initSqDist, eps = 1e-4 }: { initSqDist?: number; eps?: number } = {}): GradientTransformation<ScaleByDowgState> {
  return {
    init: (params) => ({ init: map((p) => tf.clone(p), params), sqDist: tf.scalar(initSqDist ?? eps), weightedSumSq: tf.scalar(0) }),
    update(u, state, params) {
      const p = requireParams('dowg', params);
      const sqDist = tf.maximum(state.sqDist, squaredNorm(map((x0, x) => tf.sub(x0, x), state.init, p))) as tf.Scalar;
      const weightedSumSq = tf.add(state.weightedSumSq, tf.mul(sqDist, squaredNorm(u))) as tf.Scalar;
      const eta = tf.div(sqDist, tf.add(tf.sqrt(weightedSumSq), eps));
      return { updates: map((g) => tf.mul(g, eta), u), state: { init: state.init, sqDist, weightedSumSq } };
    },
  };
}

export interface DoWGConfig extends CommonOptions {
  lr?: number;
  eps?: number;
  /** Initial guess of the squared distance to the solution (default eps). */
  initSqDist?: number;
}

export const DoWG = defineOptimizer<DoWGConfig>('DoWG', 'dowg', (c) => {
  const o = 'dowg';
  checkKnownKeys(o, c, ['lr', 'eps', 'initSqDist', ...COMMON_KEYS]);
  const lr = checkPositive(o, 'lr', c.lr ?? 1);
  const eps = checkPositive(o, 'eps', c.eps ?? 1e-4);
  const initSqDist = c.initSqDist === undefined ? undefined : checkNonNegative(o, 'initSqDist', c.initSqDist);
  return { transform: chain(scaleByDowg({ initSqDist, eps }), scaleByLearningRate(lr)), lr, nonFinite: c.nonFinite };
});

export function dowg(config: DoWGConfig = {}): InstanceType<typeof DoWG> {
  return new DoWG(config);
}
