/**
 * NovoGrad: Ginsburg et al., "Stochastic Gradient Methods with Layer-wise
 * Adaptive Moments for Training of Deep Networks", 2019 (arXiv:1905.11286).
 * Ported from the official implementation, NVIDIA/OpenSeq2Seq
 * `open_seq2seq/optimizers/novograd.py` (`NovoGrad2`, the paper's algorithm),
 * with its defaults: betas=(0.95, 0.98), eps=1e-8, weightDecay=0,
 * gradAveraging=false; lr is required (the official default, 1.0, is a
 * placeholder). The second moment is one scalar per layer:
 *
 *   v = ||g||^2 at the first step, then b2 v + (1-b2) ||g||^2
 *   d = g / sqrt(v + eps) + wd p   (times (1-b1) with gradAveraging)
 *   m = b1 m + d ;  p -= lr m
 *
 * (optax's `novograd` puts eps outside the square root and defaults b2 = 0.25.)
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, map } from './tree.js';
import { type GradientTransformation, chain, requireParams } from './transform.js';
import { type Schedule } from './schedules.js';
import { scaleByLearningRate, trace } from './transforms.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer } from './adapter.js';
import { checkBetas, checkBoolean, checkKnownKeys, checkLearningRate, checkNonNegative } from './validate.js';

export interface ScaleByNovogradState {
  /** Per-layer EMA of the squared gradient norm (scalars). */
  nu: TensorTree;
}

export function scaleByNovograd({ b1 = 0.95, b2 = 0.98, eps = 1e-8, weightDecay = 0, gradAveraging = false } = {}): GradientTransformation<ScaleByNovogradState> {
  return {
    init: (params) => ({ nu: map(() => tf.scalar(0), params) }),
    update: (u, state, params) => {
      const nu = map((v, g) => {
        const g2 = tf.sum(tf.square(g));
        // the official code tests the EMA for zero to detect its first step
        return tf.where(tf.equal(v, 0), g2, tf.add(tf.mul(v, b2), tf.mul(g2, 1 - b2)));
      }, state.nu, u);
      let d = map((g, v) => tf.div(g, tf.sqrt(tf.add(v, eps))), u, nu);
      if (weightDecay !== 0) d = map((x, w) => tf.add(x, tf.mul(w, weightDecay)), d, requireParams('novograd', params));
      if (gradAveraging) d = map((x) => tf.mul(x, 1 - b1), d);
      return { updates: d, state: { nu } };
    },
  };
}

export interface NovoGradConfig extends CommonOptions {
  lr: number | Schedule;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  gradAveraging?: boolean;
}

export const NovoGrad = defineOptimizer<NovoGradConfig>('NovoGrad', 'novograd', (c) => {
  const o = 'novograd';
  checkKnownKeys(o, c, ['lr', 'betas', 'eps', 'weightDecay', 'gradAveraging', ...COMMON_KEYS]);
  if (c?.lr === undefined) throw new RangeError(`${o}: lr is required (the reference implementation's default 1.0 is a placeholder)`);
  const lr = checkLearningRate(o, 'lr', c.lr);
  const [b1, b2] = checkBetas(o, 'betas', c.betas ?? [0.95, 0.98], 2);
  const eps = checkNonNegative(o, 'eps', c.eps ?? 1e-8);
  const weightDecay = checkNonNegative(o, 'weightDecay', c.weightDecay ?? 0);
  const gradAveraging = checkBoolean(o, 'gradAveraging', c.gradAveraging ?? false);
  // TF's MomentumOptimizer: accum = b1 accum + d (zero start), p -= lr accum
  const transform = chain(scaleByNovograd({ b1, b2, eps, weightDecay, gradAveraging }), trace({ decay: b1 }), scaleByLearningRate(lr));
  return { transform, lr, nonFinite: c.nonFinite };
});

export function novograd(config: NovoGradConfig): InstanceType<typeof NovoGrad> {
  return new NovoGrad(config);
}
