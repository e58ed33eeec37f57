/**
 * Stochastic interpolants (Albergo, Boffi & Vanden-Eijnden 2023):
 *   x_t = a(t) x0 + b(t) x1 + gamma(t) z,  x0 ~ rho0, x1 ~ rho1, z ~ N(0, I),
 * with a linear (a = 1 - t, b = t) or trigonometric (cos, sin of pi t / 2)
 * interpolant and gamma(t) = sqrt(scale t (1 - t)). One learns the drift
 * b(t, x) = E[a' x0 + b' x1 + gamma' z | x_t] and the denoiser
 * eta_z(t, x) = E[z | x_t] by least squares (the paper's quadratic objectives
 * differ from these MSEs by constants), then samples with the ODE dx = b dt or
 * any SDE dx = (b - eps(t) eta_z / gamma) dt + sqrt(2 eps(t)) dW.
 */
import * as tf from '../backend/tf.js';
import type { InterpolantCoefficients } from './exact.js';
import { drawPairs, type PairSource } from './flowMatching.js';
import type { Labels, TimeNet } from './model.js';
import { rng, type SeedLike } from './random.js';
import type { VelocityAndScore } from './sde.js';
import { train, type TrainOptions } from './train.js';

/** Interpolant coefficients: 'linear' or 'trig' for (a, b), gamma = sqrt(gammaScale t (1 - t)) (0: deterministic). */
export function interpolant({ kind = 'linear', gammaScale = 1 }: { kind?: 'linear' | 'trig'; gammaScale?: number } = {}): InterpolantCoefficients {
  if (kind !== 'linear' && kind !== 'trig') throw new Error(`interpolant: kind must be 'linear' or 'trig', got '${kind}'`);
  if (!(gammaScale >= 0)) throw new Error(`interpolant: gammaScale must be >= 0, got ${gammaScale}`);
  const g = (t: number) => Math.sqrt(gammaScale * t * (1 - t));
  const dg = (t: number) => (gammaScale === 0 ? 0 : (gammaScale * (1 - 2 * t)) / (2 * Math.sqrt(gammaScale * t * (1 - t))));
  const h = Math.PI / 2;
  return kind === 'linear'
    ? { a: (t) => 1 - t, b: (t) => t, g, da: () => -1, db: () => 1, dg }
    : { a: (t) => Math.cos(h * t), b: (t) => Math.sin(h * t), g, da: (t) => -h * Math.sin(h * t), db: (t) => h * Math.cos(h * t), dg };
}

export interface InterpolantLossOptions {
  seed?: SeedLike;
  /** t ~ U[tMin, 1 - tMin]: gamma' is singular at the ends. */
  tMin?: number;
  /** Average the drift loss over z and -z (antithetic sampling, variance reduction from the paper). */
  antithetic?: boolean;
  labels?: Labels;
  /** Evaluate every sample at this one time instead of t ~ U[tMin, 1 - tMin] (per-time loss curves). */
  t?: number;
}

/**
 * Least-squares losses for the drift network (target a' x0 + b' x1 + gamma' z) and, when given,
 * the denoiser network (target z); returns their sum, averaged over batch and dimensions.
 */
export function interpolantLoss(drift: TimeNet, denoiser: TimeNet | null, x0: tf.Tensor2D, x1: tf.Tensor2D, c: InterpolantCoefficients, { seed = 0, tMin = 1e-3, antithetic = true, labels, t }: InterpolantLossOptions = {}): tf.Scalar {
  const r = rng(seed);
  const n = x0.shape[0];
  const ts = Float32Array.from({ length: n }, () => t ?? tMin + (1 - 2 * tMin) * r.uniform());
  const z = r.normalTensor<tf.Rank.R2>(x0.shape);
  return tf.tidy(() => {
    const col = (f: (t: number) => number) => tf.tensor2d(Float32Array.from(ts, f), [n, 1]);
    const tt = tf.tensor1d(ts);
    const base = tf.add(tf.mul(x0, col(c.a)), tf.mul(x1, col(c.b)));
    const dBase = tf.add(tf.mul(x0, col(c.da)), tf.mul(x1, col(c.db)));
    const gz = tf.mul(z, col(c.g));
    const dgz = tf.mul(z, col(c.dg));
    const signs = antithetic ? [1, -1] : [1];
    let loss = tf.scalar(0);
    for (const s of signs) {
      const xt = tf.add(base, tf.mul(gz, s)) as tf.Tensor2D;
      loss = tf.add(loss, tf.div(tf.mean(tf.square(tf.sub(drift(xt, tt, labels), tf.add(dBase, tf.mul(dgz, s))))), signs.length));
      if (denoiser) loss = tf.add(loss, tf.div(tf.mean(tf.square(tf.sub(denoiser(xt, tt, labels), tf.mul(z, s)))), signs.length));
    }
    z.dispose();
    return loss as tf.Scalar;
  });
}

/** Trains drift (and denoiser) networks on pairs from `opts` (source / data distributions or fixed pairs). */
export function fitInterpolant(drift: { apply: TimeNet; params: tf.Variable[]; dim: number }, denoiser: { apply: TimeNet; params: tf.Variable[] } | null, c: InterpolantCoefficients, opts: TrainOptions & PairSource & { batchSize?: number; seed?: SeedLike; tMin?: number }): { losses: Float64Array } {
  const { batchSize = 256, seed = 0, tMin = 1e-3 } = opts;
  const r = rng(seed);
  return train(
    [...drift.params, ...(denoiser?.params ?? [])],
    () => {
      const { x0, x1 } = drawPairs(opts, drift.dim, batchSize, r);
      const loss = interpolantLoss(drift.apply, denoiser?.apply ?? null, x0, x1, c, { seed: r.fork(), tMin });
      tf.dispose([x0, x1]);
      return loss;
    },
    opts,
  );
}

/** Velocity (drift b) and score (-eta_z / gamma) of scalar-time fields, for `eulerMaruyama`. */
export function interpolantFields(drift: (x: tf.Tensor2D, t: number) => tf.Tensor2D, denoiser: (x: tf.Tensor2D, t: number) => tf.Tensor2D, c: InterpolantCoefficients): VelocityAndScore {
  return (x, t) =>
    tf.tidy(() => {
      const g = c.g(t);
      if (!(g > 0)) throw new Error(`interpolantFields: gamma(${t}) = ${g}; the score needs gamma > 0 (keep the grid inside (0, 1))`);
      return { velocity: drift(x, t), score: tf.div(tf.neg(denoiser(x, t)), g) as tf.Tensor2D };
    });
}
