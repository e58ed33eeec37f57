/**
 * LaProp: Ziyin, Wang & Ueda, "LaProp: Separating Momentum and Adaptivity in
 * Adam", 2020 (arXiv:2002.04839). Ported from the official implementation,
 * Z-T-WANG/LaProp-Optimizer `laprop.py`, with its defaults: lr=4e-4,
 * betas=(0.9, 0.999), eps=1e-15, weightDecay=0, amsgrad=false. The momentum
 * averages the *normalised* gradient, so any b1, b2 pair is stable; the bias
 * corrections track the learning rate history:
 *
 *   v = b2 v + (1-b2) g^2 ;  l1 = b1 l1 + (1-b1) lr_t ;  l2 = b2 l2 + (1-b2)
 *   m = b1 m + (1-b1) lr_t g / (sqrt(v / l2) + eps)
 *   p -= m / (l1 / lr_t) ;  then p -= weightDecay * p     (after the step, not scaled by lr)
 *
 * The official `centered` option references undefined variables and cannot run;
 * it is not offered.
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, map, updateMoment, zerosLike } from './tree.js';
import { type GradientTransformation, requireParams } from './transform.js';
import { type Schedule, valueAt } from './schedules.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer } from './adapter.js';
import { checkBetas, checkBoolean, checkKnownKeys, checkLearningRate, checkNonNegative, checkNumber } from './validate.js';

export interface LapropState {
  count: number;
  /** Learning-rate-aware bias corrections. */
  l1: number;
  l2: number;
  mu: TensorTree;
  nu: TensorTree;
  nuMax?: TensorTree;
}

/** The complete LaProp update (learning rate and weight decay included). */
export function laPropTransform(options: {
  lr: number | Schedule;
  b1?: number;
  b2?: number;
  eps?: number;
  weightDecay?: number;
  amsgrad?: boolean;
}): GradientTransformation<LapropState> {
  const { lr, b1 = 0.9, b2 = 0.999, eps = 1e-15, weightDecay = 0, amsgrad = false } = options;
  return {
    init: (params) => ({ count: 0, l1: 0, l2: 0, mu: zerosLike(params), nu: zerosLike(params), ...(amsgrad ? { nuMax: zerosLike(params) } : {}) }),
    update: (u, state, params) => {
      const lrT = valueAt(lr, state.count);
      const nu = updateMoment(u, state.nu, b2, 2);
      const l1 = state.l1 * b1 + (1 - b1) * lrT;
      const l2 = state.l2 * b2 + (1 - b2);
      const stepSize = lrT !== 0 ? lrT / l1 : 1;
      const nuMax = amsgrad ? map((a, v) => tf.maximum(a, v), state.nuMax!, nu) : undefined;
      const mu = map(
        (m, g, v) => tf.add(tf.mul(m, b1), tf.mul(tf.div(g, tf.add(tf.sqrt(tf.div(v, l2)), eps)), (1 - b1) * lrT)),
        state.mu,
        u,
        nuMax ?? nu,
      );
      const p = weightDecay === 0 ? undefined : requireParams('laprop', params);
      // p' = (1 - wd) (p - s)  =>  update = -(1 - wd) s - wd p
      const updates = p
        ? map((m, w) => tf.sub(tf.mul(m, -(1 - weightDecay) * stepSize), tf.mul(w, weightDecay)), mu, p)
        : map((m) => tf.mul(m, -stepSize), mu);
      return { updates, state: { count: state.count + 1, l1, l2, mu, nu, ...(nuMax ? { nuMax } : {}) } };
    },
  };
}

export interface LaPropConfig extends CommonOptions {
  lr?: number | Schedule;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  amsgrad?: boolean;
}

export const LaProp = defineOptimizer<LaPropConfig>('LaProp', 'laprop', (c) => {
  const o = 'laprop';
  checkKnownKeys(o, c, ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad', ...COMMON_KEYS]);
  const lr = checkLearningRate(o, 'lr', c.lr ?? 4e-4);
  const [b1, b2] = checkBetas(o, 'betas', c.betas ?? [0.9, 0.999], 2);
  const eps = checkNonNegative(o, 'eps', c.eps ?? 1e-15);
  const weightDecay = checkNumber(o, 'weightDecay', c.weightDecay ?? 0, { min: 0, max: 1 });
  const amsgrad = checkBoolean(o, 'amsgrad', c.amsgrad ?? false);
  return { transform: laPropTransform({ lr, b1, b2, eps, weightDecay, amsgrad }), lr, nonFinite: c.nonFinite };
});

export function laprop(config: LaPropConfig = {}): InstanceType<typeof LaProp> {
  return new LaProp(config);
}
