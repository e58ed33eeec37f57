/**
 * MoMo and MoMo-Adam: Schaipp, Ohana, Eickenberg, Defazio & Gower, "MoMo:
 * Momentum Models for Adaptive Learning Rates", ICML 2024 (arXiv:2305.07583).
 * Ported from the official implementation, fabian-sp/MoMo (`momo/momo.py`,
 * `momo/momo_adam.py`), with its defaults. Both need the loss of each step
 * (`step`, `minimize` and `fit` pass it).
 *
 * MoMo (lr = 1, beta = 0.9, lowerBound = 0, weightDecay = 0, biasCorrection =
 * false): momentum averages of the losses f_bar, gradients d and <g_i, x_i>
 * (gamma) build a model of the loss; its truncated minimiser gives the step
 *
 *   h = f_bar - rho f* + <d, x> - gamma           (rho = 1 - beta^k with bias correction, else 1)
 *   tau = min(lr / rho, max(h, 0) / ||d||^2)       (lr lambda terms when weightDecay > 0)
 *   x <- (x - tau d) / (1 + lr lambda)
 *
 * so the learning rate is capped by the model-based Polyak step. Without bias
 * correction the averages start at the first loss and gradient.
 *
 * MoMo-Adam (lr = 1e-2, betas = (0.9, 0.999), eps = 1e-8, divide = true): the
 * same model in Adam's metric D = sqrt(v / bc2) + eps, with the bias correction
 * bc1 = 1 - beta1^k: tau = min(lr / bc1, max(h', 0) / ||d||^2_{D^-1}),
 * x <- x - tau d / D, then weight decay as a proximal division (divide) or as
 * AdamW's x (1 - lr lambda) before the step.
 *
 * `adaptLowerBound` is the official `use_fstar`: an online estimate of f*,
 * reset downwards when the model's cap falls below it. Where ||d|| = 0 no step is
 * taken (the official code would divide by zero).
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, map, leaves, squaredNorm, zerosLike } from './tree.js';
import { type GradientTransformation, requireParams } from './transform.js';
import { requireLoss } from './polyak.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer } from './adapter.js';
import { checkBeta, checkBetas, checkBoolean, checkKnownKeys, checkLearningRate, checkNonNegative, checkNumber } from './validate.js';
import { type Schedule, valueAt } from './schedules.js';

/** sum over leaves of <a, b>. */
export function treeDot(a: TensorTree, b: TensorTree): tf.Scalar {
  const la = leaves(a);
  const lb = leaves(b);
  const parts = la.map((x, i) => tf.sum(tf.mul(x, lb[i])));
  return (parts.length === 1 ? parts[0] : tf.addN(parts)) as tf.Scalar;
}

export interface MomoState {
  count: number;
  /** f_bar: moving average of the losses. */
  lossAvg: tf.Scalar;
  /** d: moving average of the gradients. */
  gradAvg: TensorTree;
  /** Second moment (MoMo-Adam only). */
  gradAvgSq?: TensorTree;
  /** gamma: moving average of <g_i, x_i>. */
  gradDotW: tf.Scalar;
  /** Current lower bound f* (changes only with adaptLowerBound). */
  lowerBound: tf.Scalar;
}

interface MomoModel {
  lr: number | Schedule;
  weightDecay: number;
  lowerBound: number;
  adaptLowerBound: boolean;
  /** Floor of the adapted lower bound (official: the initial bound for MoMo, 0 for MoMo-Adam). */
  lowerBoundFloor: number;
}

/**
 * The step size shared by both: the truncated model minimiser, with the optional
 * lower-bound reset before and re-estimate after. Returns tau and the new bound.
 */
function momoStep(
  m: MomoModel,
  lrK: number,
  rho: number,
  lossAvg: tf.Scalar,
  dot: tf.Scalar,
  gamma: tf.Scalar,
  normSq: tf.Scalar,
  lb: tf.Scalar,
): { tau: tf.Scalar; lowerBound: tf.Scalar } {
  const k = 1 + lrK * m.weightDecay;
  let bound: tf.Tensor = lb;
  if (m.adaptLowerBound) {
    const cap = tf.sub(tf.add(tf.mul(lossAvg, k), dot), tf.mul(gamma, k));
    const reset = tf.maximum(tf.div(cap, 2 * k * rho), m.lowerBoundFloor);
    bound = tf.where(tf.less(cap, tf.mul(lb, k * rho)), reset, lb);
  }
  const nom = tf.sub(tf.add(tf.mul(tf.sub(lossAvg, tf.mul(bound, rho)), k), dot), tf.mul(gamma, k));
  const t1 = tf.where(tf.lessEqual(normSq, 0), tf.scalar(0), tf.div(tf.relu(nom), normSq));
  const tau = tf.minimum(t1, lrK / rho) as tf.Scalar;
  let lowerBound = bound as tf.Scalar;
  if (m.adaptLowerBound) {
    const h = tf.sub(tf.add(lossAvg, dot), gamma);
    lowerBound = tf.maximum(tf.div(tf.sub(h, tf.mul(tf.mul(tau, normSq), 0.5)), rho), m.lowerBoundFloor) as tf.Scalar;
  }
  return { tau, lowerBound };
}

export function scaleByMomo(
  o: MomoModel & { beta: number; biasCorrection: boolean },
): GradientTransformation<MomoState> {
  return {
    init: (params) => ({
      count: 0,
      lossAvg: tf.scalar(0),
      gradAvg: zerosLike(params),
      gradDotW: tf.scalar(0),
      lowerBound: tf.scalar(o.lowerBound),
    }),
    update(g, s, params, extra) {
      const x = requireParams('momo', params);
      const f = requireLoss('momo', extra);
      const k = s.count + 1;
      const b = o.beta;
      const gw = treeDot(g, x);
      // without bias correction the averages start at the first values
      const first = k === 1 && !o.biasCorrection;
      const lossAvg0 = first ? f : s.lossAvg;
      const gradAvg0 = first ? g : s.gradAvg;
      const gdw0 = first ? gw : s.gradDotW;
      const lossAvg = tf.add(tf.mul(lossAvg0, b), tf.mul(f, 1 - b)) as tf.Scalar;
      const gradAvg = map((d, gi) => tf.add(tf.mul(d, b), tf.mul(gi, 1 - b)), gradAvg0, g);
      const gradDotW = tf.add(tf.mul(gdw0, b), tf.mul(gw, 1 - b)) as tf.Scalar;
      const rho = o.biasCorrection ? 1 - b ** k : 1;
      const lrK = valueAt(o.lr, s.count);
      const { tau, lowerBound } = momoStep(o, lrK, rho, lossAvg, treeDot(x, gradAvg), gradDotW, squaredNorm(gradAvg), s.lowerBound);
      const shrink = 1 / (1 + lrK * o.weightDecay);
      const updates = map((p, d) => tf.sub(tf.mul(tf.sub(p, tf.mul(d, tau)), shrink), p), x, gradAvg);
      return { updates, state: { count: k, lossAvg, gradAvg, gradDotW, lowerBound } };
    },
  };
}

export function scaleByMomoAdam(
  o: MomoModel & { b1: number; b2: number; eps: number; divide: boolean },
): GradientTransformation<MomoState> {
  return {
    init: (params) => ({
      count: 0,
      lossAvg: tf.scalar(0),
      gradAvg: zerosLike(params),
      gradAvgSq: zerosLike(params),
      gradDotW: tf.scalar(0),
      lowerBound: tf.scalar(o.lowerBound),
    }),
    update(g, s, params, extra) {
      const x = requireParams('momoAdam', params);
      const f = requireLoss('momoAdam', extra);
      const k = s.count + 1;
      const { b1, b2, eps } = o;
      const gradAvg = map((d, gi) => tf.add(tf.mul(d, b1), tf.mul(gi, 1 - b1)), s.gradAvg, g);
      const gradAvgSq = map((v, gi) => tf.add(tf.mul(v, b2), tf.mul(tf.square(gi), 1 - b2)), s.gradAvgSq!, g);
      const gradDotW = tf.add(tf.mul(s.gradDotW, b1), tf.mul(treeDot(x, g), 1 - b1)) as tf.Scalar;
      const lossAvg = tf.add(tf.mul(f, 1 - b1), tf.mul(s.lossAvg, b1)) as tf.Scalar;
      const bc1 = 1 - b1 ** k;
      const bc2 = 1 - b2 ** k;
      const precond = map((v) => tf.add(tf.sqrt(tf.div(v, bc2)), eps), gradAvgSq);
      const normSq = treeDot(gradAvg, map((d, dk) => tf.div(d, dk), gradAvg, precond));
      const lrK = valueAt(o.lr, s.count);
      const { tau, lowerBound } = momoStep(o, lrK, bc1, lossAvg, treeDot(x, gradAvg), gradDotW, normSq, s.lowerBound);
      const wd = o.weightDecay;
      const updates = map(
        (p, d, dk) => {
          let next: tf.Tensor = wd > 0 && !o.divide ? tf.mul(p, 1 - wd * lrK) : p;
          next = tf.sub(next, tf.mul(tf.div(d, dk), tau));
          if (wd > 0 && o.divide) next = tf.div(next, 1 + wd * lrK);
          return tf.sub(next, p);
        },
        x,
        gradAvg,
        precond,
      );
      return { updates, state: { count: k, lossAvg, gradAvg, gradAvgSq, gradDotW, lowerBound } };
    },
  };
}

export interface MomoConfig extends CommonOptions {
  /** The cap on the step size; MoMo is meant to be run with a large one. */
  lr?: number | Schedule;
  beta?: number;
  /** Known lower bound f* of the loss (0 for most losses). */
  lowerBound?: number;
  weightDecay?: number;
  /** Average from zero with bias correction instead of starting at the first values. */
  biasCorrection?: boolean;
  /** Estimate f* online (official `use_fstar`). */
  adaptLowerBound?: boolean;
}

export const Momo = defineOptimizer<MomoConfig>('Momo', 'momo', (c) => {
  const o = 'momo';
  checkKnownKeys(o, c, ['lr', 'beta', 'lowerBound', 'weightDecay', 'biasCorrection', 'adaptLowerBound', ...COMMON_KEYS]);
  const lr = checkLearningRate(o, 'lr', c.lr ?? 1);
  const lowerBound = checkNumber(o, 'lowerBound', c.lowerBound ?? 0);
  const transform = scaleByMomo({
    lr,
    beta: checkBeta(o, 'beta', c.beta ?? 0.9),
    lowerBound,
    lowerBoundFloor: lowerBound,
    weightDecay: checkNonNegative(o, 'weightDecay', c.weightDecay ?? 0),
    biasCorrection: checkBoolean(o, 'biasCorrection', c.biasCorrection ?? false),
    adaptLowerBound: checkBoolean(o, 'adaptLowerBound', c.adaptLowerBound ?? false),
  });
  return { transform, lr, nonFinite: c.nonFinite };
});

/** MoMo: SGD with momentum and a model-based (Polyak-type) adaptive step size. */
export function momo(config: MomoConfig = {}): InstanceType<typeof Momo> {
  return new Momo(config);
}

export interface MomoAdamConfig extends CommonOptions {
  lr?: number | Schedule;
  betas?: [number, number];
  eps?: number;
  lowerBound?: number;
  weightDecay?: number;
  /** Proximal weight decay (divide by 1 + lr wd) instead of AdamW's multiplicative decay. */
  divide?: boolean;
  adaptLowerBound?: boolean;
}

export const MomoAdam = defineOptimizer<MomoAdamConfig>('MomoAdam', 'momoAdam', (c) => {
  const o = 'momoAdam';
  checkKnownKeys(o, c, ['lr', 'betas', 'eps', 'lowerBound', 'weightDecay', 'divide', 'adaptLowerBound', ...COMMON_KEYS]);
  const lr = checkLearningRate(o, 'lr', c.lr ?? 1e-2);
  const [b1, b2] = checkBetas(o, 'betas', c.betas ?? [0.9, 0.999], 2);
  const transform = scaleByMomoAdam({
    lr,
    b1,
    b2,
    eps: checkNonNegative(o, 'eps', c.eps ?? 1e-8),
    lowerBound: checkNumber(o, 'lowerBound', c.lowerBound ?? 0),
    lowerBoundFloor: 0,
    weightDecay: checkNonNegative(o, 'weightDecay', c.weightDecay ?? 0),
    divide: checkBoolean(o, 'divide', c.divide ?? true),
    adaptLowerBound: checkBoolean(o, 'adaptLowerBound', c.adaptLowerBound ?? false),
  });
  return { transform, lr, nonFinite: c.nonFinite };
});

/** MoMo-Adam: Adam with MoMo's model-based step size. */
export function momoAdam(config: MomoAdamConfig = {}): InstanceType<typeof MomoAdam> {
  return new MomoAdam(config);
}
