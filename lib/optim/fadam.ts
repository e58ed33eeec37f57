/**
 * FAdam: Hwang, "FAdam: Adam is a natural gradient optimizer using diagonal
 * empirical Fisher information", 2024 (arXiv:2405.12807), Algorithm 1. There is
 * no code by the author; the reference implementation is lessw2020/FAdam_PyTorch
 * `fadam.py`, whose defaults we use: lr=1e-3, betas=(0.9, 0.999),
 * weightDecay=0.1, clip=1.0, p=0.5, eps=1e-8. The adaptive epsilon follows the
 * paper and kozistr's port, eps_t = min(RMS(g), 1) * eps; the current
 * lessw2020 file uses eps * max(1, RMS(g)), and an earlier version never wrote
 * the Fisher EMA back to its state. Where RMS(g) is 0 (a zero gradient, or one
 * whose square underflows in float32) eps_t = eps, so the update stays finite.
 *
 *   b2_t = b2 (1 - b2^(t-1)) / (1 - b2^t) ;  F = b2_t F + (1 - b2_t) g^2
 *   D = F^p + eps_t ;  g_nat = g / D / (max(1, RMS(g / D)) / clip)
 *   m = b1 m + (1-b1) g_nat ;  w = p / D / (max(1, RMS(p / D)) / clip)
 *   p -= lr (m + weightDecay w)
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, map, updateMoment, zerosLike } from './tree.js';
import { type GradientTransformation, chain, requireParams } from './transform.js';
import { type Schedule } from './schedules.js';
import { negate, scaleByLearningRate } from './transforms.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer } from './adapter.js';
import { checkBetas, checkBoolean, checkKnownKeys, checkLearningRate, checkNonNegative, checkPositive } from './validate.js';

export interface ScaleByFadamState {
  count: number;
  mu: TensorTree;
  /** Diagonal empirical Fisher. */
  fim: TensorTree;
}

const rms = (x: tf.Tensor) => tf.sqrt(tf.mean(tf.square(x)));
/** x / (max(1, RMS(x)) / clip) */
const clipRms = (x: tf.Tensor, clip: number) => tf.div(x, tf.div(tf.maximum(rms(x), 1), clip));

export function scaleByFadam({ b1 = 0.9, b2 = 0.999, eps = 1e-8, clip = 1.0, p = 0.5, weightDecay = 0.1 } = {}): GradientTransformation<ScaleByFadamState> {
  return {
    init: (params) => ({ count: 0, mu: zerosLike(params), fim: zerosLike(params) }),
    update: (u, state, params) => {
      const t = state.count + 1;
      const b2t = (b2 * (1 - b2 ** (t - 1))) / (1 - b2 ** t);
      const fim = updateMoment(u, state.fim, b2t, 2);
      // eps_t = min(RMS(g), 1) eps is 0 for an all-zero gradient (or one whose square underflows), which would make
      // D = 0 and the update 0/0: there eps_t = eps, as in the reference implementation (eps max(1, RMS(g))).
      const base = map((f, g) => {
        const r = rms(g);
        return tf.add(p === 0.5 ? tf.sqrt(f) : tf.pow(f, p), tf.mul(tf.where(tf.greater(r, 0), tf.minimum(r, 1), tf.onesLike(r)), eps));
      }, fim, u);
      const mu = map((m, g, d) => tf.add(tf.mul(m, b1), tf.mul(clipRms(tf.div(g, d), clip), 1 - b1)), state.mu, u, base);
      const updates =
        weightDecay === 0
          ? mu
          : map((m, w, d) => tf.add(m, tf.mul(clipRms(tf.div(w, d), clip), weightDecay)), mu, requireParams('fadam', params), base);
      return { updates, state: { count: t, mu, fim } };
    },
  };
}

export interface FAdamConfig extends CommonOptions {
  lr?: number | Schedule;
  betas?: [number, number];
  weightDecay?: number;
  clip?: number;
  /** Power of the Fisher in the preconditioner (0.5 = Adam's square root). */
  p?: number;
  eps?: number;
  maximize?: boolean;
}

export const FAdam = defineOptimizer<FAdamConfig>('FAdam', 'fadam', (c) => {
  const o = 'fadam';
  checkKnownKeys(o, c, ['lr', 'betas', 'weightDecay', 'clip', 'p', 'eps', 'maximize', ...COMMON_KEYS]);
  const lr = checkLearningRate(o, 'lr', c.lr ?? 1e-3);
  const [b1, b2] = checkBetas(o, 'betas', c.betas ?? [0.9, 0.999], 2);
  const weightDecay = checkNonNegative(o, 'weightDecay', c.weightDecay ?? 0.1);
  const clip = checkPositive(o, 'clip', c.clip ?? 1.0);
  const p = checkPositive(o, 'p', c.p ?? 0.5);
  const eps = checkNonNegative(o, 'eps', c.eps ?? 1e-8);
  const maximize = checkBoolean(o, 'maximize', c.maximize ?? false);
  const transform = chain(...(maximize ? [negate()] : []), scaleByFadam({ b1, b2, eps, clip, p, weightDecay }), scaleByLearningRate(lr));
  return { transform, lr, nonFinite: c.nonFinite };
});

export function fadam(config: FAdamConfig = {}): InstanceType<typeof FAdam> {
  return new FAdam(config);
}
