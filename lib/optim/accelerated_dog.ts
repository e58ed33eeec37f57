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
 * U-DoG itself (extra-gradient at two averaged points, stabilised step sizes) is
 * not provided: its exact step-size constants could not be checked against code.
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
