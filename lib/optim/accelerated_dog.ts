/**
 * A-DoG, accelerated DoG: Kreisler, Ivgi, Hinder & Carmon, "Accelerated
 * Parameter-Free Stochastic Optimization", COLT 2024 (arXiv:2404.00666). The
 * paper's analysed method, U-DoG, couples UniXGrad's extra-gradient steps with
 * DoG's distance estimate and iterate-stabilisation terms; its experiments also
 * run the simpler anytime-acceleration variant A-DoG. This file ports A-DoG from
 * the first author's implementation, `AcceleDoG` in ittaikr/open_lm_fork
 * (`accele_dog.py`, commit cc51851), on its default path (one group, all
 * parameters as one vector, opt_ver = alpha_ver = step_size_ver = 1, no weight
 * decay): repsRel = 1e-6, lr = 1, alphaConst = 0.5, eps = 1e-8.
 *
 * Two sequences, x (the variables, where gradients are taken) and w:
 *
 *   G_t = eps + sum_{i<=t} alpha_i^2 ||g_i||^2 ;  eta_t = lr * r_bar_t / sqrt(G_t)
 *   x' = x_t - eta_t g_t ;   w_{t+1} = w_t - eta_t alpha_t g_t
 *   r_bar_{t+1} = max(r_bar_t, ||w_{t+1} - x_0||)     (r_bar_0 = repsRel (1 + ||x_0||))
 *   alpha_{t+1} = max(1, alphaConst * sum_{i<=t+1} r_bar_i / r_bar_{t+1})
 *   x_{t+1} = (1 - 1/alpha_{t+1}) x' + (1/alpha_{t+1}) w_{t+1}
 *
 * With a stable distance estimate alpha_t grows like t/2: the Nesterov-style
 * weights of linear coupling, set without a learning rate. `averaging: true`
 * makes `evalParams` the official weighted average of the x' iterates (weights
 * alpha_t r_bar_t).
 *
 * U-DoG, the paper's analysed method, is `udog` below: no code was released for
 * it, so it is transcribed from the paper's description, in its unstabilised form.
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, map, squaredNorm } from './tree.js';
import { type GradientTransformation, requireParams } from './transform.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer } from './adapter.js';
import { checkBoolean, checkKnownKeys, checkNonNegative, checkPositive } from './validate.js';

export interface ADogState {
  count: number;
  init: TensorTree;
  /** The aggressive sequence w. */
  w: TensorTree;
  /** Weighted average of the iterates x' (the official `y_bar`). */
  average: TensorTree;
  rbar: tf.Scalar;
  rbarSum: tf.Scalar;
  alpha: tf.Scalar;
  sumAlphaR: tf.Scalar;
  sumSq: tf.Scalar;
}

export interface ScaleByADogOptions {
  lr?: number;
  repsRel?: number;
  alphaConst?: number;
  eps?: number;
}

/** A-DoG's full update (it returns x_{t+1} - x_t; the step size is built in). */
export function adogUpdate({ lr = 1, repsRel = 1e-6, alphaConst = 0.5, eps = 1e-8 }: ScaleByADogOptions = {}): GradientTransformation<ADogState> {
  const dist = (a: TensorTree, b: TensorTree) => tf.sqrt(squaredNorm(map((x, y) => tf.sub(x, y), a, b)));
  return {
    init: (params) => {
      const rbar = tf.mul(tf.add(tf.sqrt(squaredNorm(params)), 1), repsRel) as tf.Scalar;
      const alpha = tf.maximum(1, alphaConst) as tf.Scalar;
      return {
        count: 0,
        init: map((p) => tf.clone(p), params),
        w: map((p) => tf.clone(p), params),
        average: map((p) => tf.zerosLike(p), params),
        rbar,
        rbarSum: tf.clone(rbar),
        alpha,
        sumAlphaR: tf.mul(alpha, rbar) as tf.Scalar,
        sumSq: tf.scalar(eps),
      };
    },
    update(g, s, params) {
      const x = requireParams('adog', params);
      const sumSq = tf.add(s.sumSq, tf.mul(tf.square(s.alpha), squaredNorm(g))) as tf.Scalar;
      const eta = tf.div(tf.mul(s.rbar, lr), tf.sqrt(sumSq));
      const xHalf = map((p, d) => tf.sub(p, tf.mul(d, eta)), x, g);
      const w = map((p, d) => tf.sub(p, tf.mul(d, tf.mul(eta, s.alpha))), s.w, g);
      const weight = tf.div(tf.mul(s.alpha, s.rbar), s.sumAlphaR);
      const average = map((a, p) => tf.add(tf.mul(a, tf.sub(1, weight)), tf.mul(p, weight)), s.average, xHalf);
      const rbar = tf.maximum(s.rbar, dist(w, s.init)) as tf.Scalar;
      const rbarSum = tf.add(s.rbarSum, rbar) as tf.Scalar;
      const alpha = tf.maximum(1, tf.div(tf.mul(rbarSum, alphaConst), rbar)) as tf.Scalar;
      const sumAlphaR = tf.add(s.sumAlphaR, tf.mul(alpha, rbar)) as tf.Scalar;
      const tau = tf.div(1, alpha);
      const next = map((h, v) => tf.add(tf.mul(h, tf.sub(1, tau)), tf.mul(v, tau)), xHalf, w);
      return {
        updates: map((n, p) => tf.sub(n, p), next, x),
        state: { count: s.count + 1, init: s.init, w, average, rbar, rbarSum, alpha, sumAlphaR, sumSq },
      };
    },
  };
}

export interface ADoGConfig extends CommonOptions {
  lr?: number;
  repsRel?: number;
  alphaConst?: number;
  eps?: number;
  /** Evaluate at the weighted average of the iterates instead of x. */
  averaging?: boolean;
}

export const ADoG = defineOptimizer<ADoGConfig>('ADoG', 'adog', (c) => {
  const o = 'adog';
  checkKnownKeys(o, c, ['lr', 'repsRel', 'alphaConst', 'eps', 'averaging', ...COMMON_KEYS]);
  const lr = checkPositive(o, 'lr', c.lr ?? 1);
  const repsRel = checkPositive(o, 'repsRel', c.repsRel ?? 1e-6);
  const alphaConst = checkPositive(o, 'alphaConst', c.alphaConst ?? 0.5);
  const eps = checkNonNegative(o, 'eps', c.eps ?? 1e-8);
  const averaging = checkBoolean(o, 'averaging', c.averaging ?? false);
  const core = adogUpdate({ lr, repsRel, alphaConst, eps });
  const transform: GradientTransformation<ADogState> = averaging
    ? { ...core, evalParams: (state, params) => (state.count === 0 ? params : state.average) }
    : core;
  return { transform, lr, nonFinite: c.nonFinite };
});

/** A-DoG: accelerated, learning-rate-free DoG (Kreisler et al. 2024). */
export function adog(config: ADoGConfig = {}): InstanceType<typeof ADoG> {
  return new ADoG(config);
}

/**
 * U-DoG (Kreisler et al. 2024): UniXGrad's extra-gradient scheme (Kavis, Levy,
 * Bach & Cevher 2019, Algorithm 1, unconstrained) with DoG's distance estimate
 * in place of the domain diameter. No official code exists; this follows the
 * paper's description:
 *
 *   r_bar_t = max(r_eps, max_{k<=t} ||x_k - x_0||, max_{k<=t} ||y_k - x_0||)
 *   alpha_t = sum_{k<=t} r_bar_k / r_bar_t ;   omega_t = alpha_t r_bar_t
 *   m_t at  (omega_t y_t     + S_t) / (omega_t + W_t)      S_t = sum_{i<t} omega_i x_{i+1}
 *   x_{t+1} = y_t - alpha_t (r_bar_t / sqrt(G_x,t)) m_t     W_t = sum_{i<t} omega_i
 *   g_t at  (omega_t x_{t+1} + S_t) / (omega_t + W_t)       (the weighted average x_bar_{t+1})
 *   y_{t+1} = y_t - alpha_t (r_bar_t / sqrt(G_y,t)) g_t
 *
 * with the step-size sums accumulated in the order the gradients arrive:
 * G_x,0 = ||m_0||^2 (so the first step moves r_eps, as DoG's does; UniXGrad's
 * constant 1 would not be scale-free), G_y,t = G_x,t + alpha_t^2 ||g_t - m_t||^2,
 * G_x,t+1 = G_y,t. r_eps = repsRel (1 + ||x_0||), as DoG. The theory's
 * stabilising factors (log terms, constants in the denominators) are not
 * applied.
 *
 * One update is one gradient: updates alternate between m_t and g_t, and each
 * leaves the variables at the point where the next gradient is taken, so a
 * comparison by steps is a comparison by gradient evaluations. `evalParams` is
 * the method's output, the omega-weighted average of every x computed so far.
 */
export interface UDogState {
  /** Gradients taken so far; even: the next one is m_t, odd: g_t. */
  count: number;
  init: TensorTree;
  y: TensorTree;
  /** x_{t+1}, kept between the two half-steps. */
  x: TensorTree;
  m: TensorTree;
  /** S_t and W_t of the averages. */
  weightedSum: TensorTree;
  weight: tf.Scalar;
  rbar: tf.Scalar;
  rbarSum: tf.Scalar;
  alpha: tf.Scalar;
  sumSq: tf.Scalar;
}

/** alpha r_bar / sqrt(G); 0 while every gradient so far was zero (G = 0), where the quotient would be 0/0 and the update NaN. */
function stepSize(alpha: tf.Tensor, rbar: tf.Tensor, sumSq: tf.Scalar): tf.Tensor {
  return tf.where(tf.greater(sumSq, 0), tf.div(tf.mul(alpha, rbar), tf.sqrt(sumSq)), tf.zerosLike(sumSq));
}

export function udogUpdate({ repsRel = 1e-6 }: { repsRel?: number } = {}): GradientTransformation<UDogState> {
  const dist = (a: TensorTree, b: TensorTree) => tf.sqrt(squaredNorm(map((x, y) => tf.sub(x, y), a, b)));
  /** (omega v + S) / (omega + W), leaf by leaf. */
  const average = (v: TensorTree, omega: tf.Scalar, s: UDogState) =>
    map((a, b) => tf.div(tf.add(tf.mul(a, omega), b), tf.add(omega, s.weight)), v, s.weightedSum);
  return {
    init: (params) => {
      const rbar = tf.mul(tf.add(tf.sqrt(squaredNorm(params)), 1), repsRel) as tf.Scalar;
      return {
        count: 0,
        init: map((p) => tf.clone(p), params),
        y: map((p) => tf.clone(p), params),
        x: map((p) => tf.clone(p), params),
        m: map((p) => tf.zerosLike(p), params),
        weightedSum: map((p) => tf.zerosLike(p), params),
        weight: tf.scalar(0),
        rbar,
        rbarSum: tf.clone(rbar),
        alpha: tf.scalar(1),
        sumSq: tf.scalar(0),
      };
    },
    update(grad, s, params) {
      const at = requireParams('udog', params);
      const omega = tf.mul(s.alpha, s.rbar) as tf.Scalar;
      if (s.count % 2 === 0) {
        // m_t: the extrapolated point x_{t+1}; the next gradient is taken at the average with it
        const sumSq = s.count === 0 ? (tf.add(s.sumSq, squaredNorm(grad)) as tf.Scalar) : s.sumSq;
        const step = stepSize(s.alpha, s.rbar, sumSq);
        const x = map((y, m) => tf.sub(y, tf.mul(m, step)), s.y, grad);
        const next = average(x, omega, s);
        return {
          updates: map((n, p) => tf.sub(n, p), next, at),
          state: { ...s, count: s.count + 1, x, m: map((g) => tf.clone(g), grad), sumSq },
        };
      }
      // g_t: the leading sequence y moves; the average takes x_{t+1} in; the distance and weights grow
      const sumSq = tf.add(s.sumSq, tf.mul(tf.square(s.alpha), squaredNorm(map((g, m) => tf.sub(g, m), grad, s.m)))) as tf.Scalar;
      const step = stepSize(s.alpha, s.rbar, sumSq);
      const y = map((v, g) => tf.sub(v, tf.mul(g, step)), s.y, grad);
      const weightedSum = map((a, x) => tf.add(a, tf.mul(x, omega)), s.weightedSum, s.x);
      const weight = tf.add(s.weight, omega) as tf.Scalar;
      const rbar = tf.maximum(s.rbar, tf.maximum(dist(s.x, s.init), dist(y, s.init))) as tf.Scalar;
      const rbarSum = tf.add(s.rbarSum, rbar) as tf.Scalar;
      const alpha = tf.div(rbarSum, rbar) as tf.Scalar;
      const state: UDogState = { ...s, count: s.count + 1, y, weightedSum, weight, rbar, rbarSum, alpha, sumSq };
      const next = average(y, tf.mul(alpha, rbar) as tf.Scalar, state);
      return { updates: map((n, p) => tf.sub(n, p), next, at), state };
    },
    // right after an m-call the variables hold the newest average x_bar_{t+1}; after a g-call it is S / W
    // (a copy: the adapter assigns the result to the variables)
    evalParams: (s, params) => (s.count % 2 === 1 || s.count === 0 ? map((p) => tf.clone(p), params) : map((a) => tf.div(a, s.weight), s.weightedSum)),
  };
}

export interface UDoGConfig extends CommonOptions {
  repsRel?: number;
}

export const UDoG = defineOptimizer<UDoGConfig>('UDoG', 'udog', (c) => {
  const o = 'udog';
  checkKnownKeys(o, c, ['repsRel', ...COMMON_KEYS]);
  const repsRel = checkPositive(o, 'repsRel', c.repsRel ?? 1e-6);
  return { transform: udogUpdate({ repsRel }), nonFinite: c.nonFinite };
});

/** U-DoG: UniXGrad with DoG's distance estimate, learning-rate-free (Kreisler et al. 2024). */
export function udog(config: UDoGConfig = {}): InstanceType<typeof UDoG> {
  return new UDoG(config);
}
