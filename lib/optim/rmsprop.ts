/**
 * RMSprop: Tieleman & Hinton, Lecture 6.5 (2012); the centered variant of
 * Graves, "Generating Sequences With Recurrent Neural Networks" (2013).
 * Semantics and defaults of torch.optim.RMSprop (torch 2.13): lr=1e-2,
 * alpha=0.99, eps=1e-8 (added outside the square root), weightDecay=0 (L2),
 * momentum=0, centered=false, maximize=false.
 *
 *   s = alpha s + (1-alpha) g^2 ;  (centered: a = alpha a + (1-alpha) g, s - a^2)
 *   d = g / (sqrt(s) + eps) ;  b = momentum b + d ;  p -= lr * (momentum ? b : d)
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, map, updateMoment, zerosLike } from './tree.js';
import { type GradientTransformation, chain } from './transform.js';
import { type Schedule } from './schedules.js';
import { scaleByLearningRate, torchPrelude, trace } from './transforms.js';
import { type Mask } from './wrappers.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer } from './adapter.js';
import { checkBeta, checkBoolean, checkKnownKeys, checkLearningRate, checkNonNegative } from './validate.js';

export interface ScaleByRmsState {
  nu: TensorTree;
  /** Running mean of the gradient (centered only). */
  mu?: TensorTree;
}

/** RMS scaling with torch's conventions (zero-initialised accumulator, eps outside the root). */
export function scaleByRms({ decay = 0.99, eps = 1e-8, centered = false } = {}): GradientTransformation<ScaleByRmsState> {
  return {
    init: (params) => ({ nu: zerosLike(params), ...(centered ? { mu: zerosLike(params) } : {}) }),
    update: (u, state) => {
      const nu = updateMoment(u, state.nu, decay, 2);
      if (!centered) return { updates: map((g, v) => tf.div(g, tf.add(tf.sqrt(v), eps)), u, nu), state: { nu } };
      const mu = updateMoment(u, state.mu!, decay, 1);
      const updates = map((g, v, m) => tf.div(g, tf.add(tf.sqrt(tf.sub(v, tf.square(m))), eps)), u, nu, mu);
      return { updates, state: { nu, mu } };
    },
  };
}

export interface RMSpropConfig extends CommonOptions {
  lr?: number | Schedule;
  alpha?: number;
  eps?: number;
  weightDecay?: number;
  weightDecayMask?: Mask;
  momentum?: number;
  centered?: boolean;
  maximize?: boolean;
}

export const RMSprop = defineOptimizer<RMSpropConfig>('RMSprop', 'rmsprop', (c) => {
  const o = 'rmsprop';
  checkKnownKeys(o, c, ['lr', 'alpha', 'eps', 'weightDecay', 'weightDecayMask', 'momentum', 'centered', 'maximize', ...COMMON_KEYS]);
  const lr = checkLearningRate(o, 'lr', c.lr ?? 1e-2);
  const alpha = checkBeta(o, 'alpha', c.alpha ?? 0.99);
  const eps = checkNonNegative(o, 'eps', c.eps ?? 1e-8);
  const wd = checkNonNegative(o, 'weightDecay', c.weightDecay ?? 0);
  const momentum = checkBeta(o, 'momentum', c.momentum ?? 0);
  const centered = checkBoolean(o, 'centered', c.centered ?? false);
  const maximize = checkBoolean(o, 'maximize', c.maximize ?? false);
  const transform = chain(
    ...torchPrelude(maximize, wd, c.weightDecayMask),
    scaleByRms({ decay: alpha, eps, centered }),
    // torch's buffer starts at zero, so its first value equals the first input, as in `trace`
    ...(momentum > 0 ? [trace({ decay: momentum })] : []),
    scaleByLearningRate(lr),
  );
  return { transform, lr, nonFinite: c.nonFinite };
});

/** torch.optim.RMSprop with camelCase options. */
export function rmsprop(config: RMSpropConfig = {}): InstanceType<typeof RMSprop> {
  return new RMSprop(config);
}
