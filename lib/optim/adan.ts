/**
 * Adan: Xie et al., "Adan: Adaptive Nesterov Momentum Algorithm for Faster
 * Optimizing Deep Models", IEEE TPAMI 2024 (arXiv:2208.06677). Ported from the
 * official implementation, sail-sg/Adan `adan.py` (`_single_tensor_adan`), with
 * its defaults: lr=1e-3, betas=(0.98, 0.92, 0.99) (the paper's beta are
 * 1 minus these), eps=1e-8, weightDecay=0, maxGradNorm=0 (off), noProx=false.
 *
 *   d = g - g_prev (0 at the first step)
 *   m = b1 m + (1-b1) g ;  n = b2 n + (1-b2) d ;  v = b3 v + (1-b3) (g + b2 d)^2
 *   u = (m/bc1 + b2 n/bc2) / (sqrt(v)/sqrt(bc3) + eps)
 *   proximal (default): p = (p - lr u) / (1 + lr wd) ;  noProx: p = p (1 - lr wd) - lr u
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, map, updateMoment, zerosLike, globalNorm } from './tree.js';
import { type GradientTransformation, chain, requireParams } from './transform.js';
import { type Schedule, valueAt } from './schedules.js';
import { addDecayedWeights, scaleByLearningRate, type CountState } from './transforms.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer } from './adapter.js';
import { checkBetas, checkBoolean, checkKnownKeys, checkLearningRate, checkNonNegative } from './validate.js';

export interface ScaleByAdanState {
  count: number;
  mu: TensorTree;
  /** EMA of gradient differences. */
  delta: TensorTree;
  nu: TensorTree;
  prevGrad: TensorTree;
}

export function scaleByAdan({ b1 = 0.98, b2 = 0.92, b3 = 0.99, eps = 1e-8 } = {}): GradientTransformation<ScaleByAdanState> {
  return {
    init: (params) => ({ count: 0, mu: zerosLike(params), delta: zerosLike(params), nu: zerosLike(params), prevGrad: zerosLike(params) }),
    update: (u, state) => {
      const t = state.count + 1;
      const diff = t === 1 ? zerosLike(u) : map((g, prev) => tf.sub(g, prev), u, state.prevGrad);
      const mu = updateMoment(u, state.mu, b1, 1);
      const delta = map((n, d) => tf.add(tf.mul(n, b2), tf.mul(d, 1 - b2)), state.delta, diff);
      const nu = map((v, g, d) => tf.add(tf.mul(v, b3), tf.mul(tf.square(tf.add(g, tf.mul(d, b2))), 1 - b3)), state.nu, u, diff);
      const bc1 = 1 - b1 ** t;
      const bc2 = 1 - b2 ** t;
      const sbc3 = Math.sqrt(1 - b3 ** t);
      const updates = map(
        (m, n, v) => tf.div(tf.add(tf.div(m, bc1), tf.mul(n, b2 / bc2)), tf.add(tf.div(tf.sqrt(v), sbc3), eps)),
        mu,
        delta,
        nu,
      );
      return { updates, state: { count: t, mu, delta, nu, prevGrad: map((g) => tf.clone(g), u) } };
    },
  };
}

/** p <- (p - lr u) / (1 + lr wd): the proximal weight decay of Adan's official code, lr included. */
export function proximalDecay(lr: number | Schedule, weightDecay: number): GradientTransformation<CountState> {
  return {
    init: () => ({ count: 0 }),
    update: (u, state, params) => {
      const lrT = valueAt(lr, state.count);
      const p = requireParams('proximalDecay', params);
      const updates = map((x, w) => tf.div(tf.add(tf.mul(x, -lrT), tf.mul(w, -lrT * weightDecay)), 1 + lrT * weightDecay), u, p);
      return { updates, state: { count: state.count + 1 } };
    },
  };
}

/** Adan's optional clipping: g * min(1, maxNorm / (||g|| + eps)) over all gradients together. */
function clipGlobalNormEps(maxNorm: number, eps: number): GradientTransformation {
  return {
    init: () => ({}),
    update: (u, state) => {
      const factor = tf.minimum(tf.div(maxNorm, tf.add(globalNorm(u), eps)), 1);
      return { updates: map((g) => tf.mul(g, factor), u), state };
    },
  };
}

export interface AdanConfig extends CommonOptions {
  lr?: number | Schedule;
  betas?: [number, number, number];
  eps?: number;
  weightDecay?: number;
  maxGradNorm?: number;
  noProx?: boolean;
}

export const Adan = defineOptimizer<AdanConfig>('Adan', 'adan', (c) => {
  const o = 'adan';
  checkKnownKeys(o, c, ['lr', 'betas', 'eps', 'weightDecay', 'maxGradNorm', 'noProx', ...COMMON_KEYS]);
  const lr = checkLearningRate(o, 'lr', c.lr ?? 1e-3);
  const [b1, b2, b3] = checkBetas(o, 'betas', c.betas ?? [0.98, 0.92, 0.99], 3);
  const eps = checkNonNegative(o, 'eps', c.eps ?? 1e-8);
  const wd = checkNonNegative(o, 'weightDecay', c.weightDecay ?? 0);
  const maxGradNorm = checkNonNegative(o, 'maxGradNorm', c.maxGradNorm ?? 0);
  const noProx = checkBoolean(o, 'noProx', c.noProx ?? false);
  const transform = chain(
    ...(maxGradNorm > 0 ? [clipGlobalNormEps(maxGradNorm, eps)] : []),
    scaleByAdan({ b1, b2, b3, eps }),
    ...(noProx ? [addDecayedWeights(wd), scaleByLearningRate(lr)] : [proximalDecay(lr, wd)]),
  );
  return { transform, lr, nonFinite: c.nonFinite };
});

export function adan(config: AdanConfig = {}): InstanceType<typeof Adan> {
  return new Adan(config);
}
