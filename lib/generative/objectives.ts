/**
 * Diffusion training objectives as weighted ELBOs (Kingma & Gao 2023,
 * "Understanding Diffusion Objectives as the ELBO with Simple Data
 * Augmentation"). With lambda = log SNR = 2 log(alpha / sigma), every objective is
 *   L_w(x) = 1/2 integral w(lambda) ||eps_hat - eps||^2 dlambda
 *          = 1/2 |T| E_{t ~ U} [ w(lambda_t) |dlambda/dt| ||eps_hat - eps||^2 ],
 * w = 1 is the ELBO's diffusion term (VDM), and plain MSE in the eps / x0 / v
 * parameterization under uniform t is the weighting p(lambda) (times e^-lambda,
 * 1 + e^-lambda for x0, v), where p(lambda) = |dt/dlambda| / |T|.
 */
import * as tf from '../backend/tf.js';
import { checkFunction, checkTensor, describeValue } from '../backend/args.js';
import type { Labels, TimeNet } from './model.js';
import { checkPrediction, dataNoiseFrom, type Prediction } from './parameterization.js';
import { logSnr, type GaussianPath } from './paths.js';
import { rng, type SeedLike } from './random.js';

/** d lambda / dt = 2 (alpha'/alpha - sigma'/sigma). */
export function dLogSnr(path: GaussianPath, t: number): number {
  return 2 * (path.dalpha(t) / path.alpha(t) - path.dsigma(t) / path.sigma(t));
}

/** The density of lambda_t when t is uniform over the path's range: |dt / dlambda| / |T|. */
export function logSnrDensity(path: GaussianPath, t: number): number {
  return 1 / (Math.abs(dLogSnr(path, t)) * Math.abs(path.tNoise - path.tData));
}

export type WeightingName = 'elbo' | 'eps' | 'x0' | 'v' | 'edm' | 'sigmoid';
export const WEIGHTINGS: readonly WeightingName[] = ['elbo', 'eps', 'x0', 'v', 'edm', 'sigmoid'];

export interface WeightingOptions {
  /** sigmoid weighting: w = sigmoid(bias - lambda). */
  bias?: number;
  /** edm weighting: ln sigma ~ N(pMean, pStd^2), sigmaData. */
  pMean?: number;
  pStd?: number;
  sigmaData?: number;
}

/**
 * The weighting w(lambda) of a named objective, evaluated at time t on `path`:
 * 'elbo' 1; 'eps' p(lambda); 'x0' p(lambda) e^-lambda; 'v' p(lambda) (1 + e^-lambda) (VP);
 * 'edm' N(lambda; -2 pMean, (2 pStd)^2) (e^-lambda + sigmaData^2) / sigmaData^2 (Kingma & Gao's
 * expression of the EDM loss); 'sigmoid' sigmoid(bias - lambda).
 */
export function weighting(name: WeightingName, path: GaussianPath, { bias = 0, pMean = -1.2, pStd = 1.2, sigmaData = 0.5 }: WeightingOptions = {}): (t: number) => number {
  if (!WEIGHTINGS.includes(name)) throw new Error(`weighting: unknown '${name}'; expected one of ${WEIGHTINGS.join(', ')}`);
  return (t) => {
    const lam = logSnr(path, t);
    switch (name) {
      case 'elbo':
        return 1;
      case 'eps':
        return logSnrDensity(path, t);
      case 'x0':
        return logSnrDensity(path, t) * Math.exp(-lam);
      case 'v':
        return logSnrDensity(path, t) * (1 + Math.exp(-lam));
      case 'edm': {
        const m = -2 * pMean;
        const s = 2 * pStd;
        const pdf = Math.exp(-0.5 * ((lam - m) / s) ** 2) / (s * Math.sqrt(2 * Math.PI));
        return (pdf * (Math.exp(-lam) + sigmaData ** 2)) / sigmaData ** 2;
      }
      case 'sigmoid':
        return 1 / (1 + Math.exp(lam - bias));
    }
  };
}

export interface DiffusionLossOptions {
  /** What the network predicts. */
  prediction?: Prediction;
  /** A named weighting or w(t) directly. */
  weighting?: WeightingName | ((t: number) => number);
  weightingOptions?: WeightingOptions;
  labels?: Labels;
  seed?: SeedLike;
  /** Clip t away from the path's ends by this much (the weights blow up there for some schedules). */
  tMargin?: number;
  /**
   * How t is drawn: 'uniform' in t, or 'logSnr' (uniform in lambda, then t = lambda^-1): the
   * importance sampling that makes the estimator schedule-invariant and low-variance for the ELBO.
   */
  timeSampling?: 'uniform' | 'logSnr';
}

/**
 * The weighted-ELBO loss 1/2 |T| w(lambda_t) |dlambda/dt| ||eps_hat - eps||^2 averaged over the batch
 * (summed over dimensions, as an ELBO), t ~ U over the path's range, eps_hat from the
 * network's prediction of any kind.
 */
export function diffusionLoss(net: TimeNet, path: GaussianPath, x: tf.Tensor2D, { prediction = 'eps', weighting: w = 'eps', weightingOptions, labels, seed = 0, tMargin = 0, timeSampling = 'uniform' }: DiffusionLossOptions = {}): tf.Scalar {
  checkFunction('diffusionLoss', 'net', net, 'a network (x [n, d], t [n]) => [n, d]');
  if (path === null || typeof path !== 'object' || typeof path.alpha !== 'function') throw new TypeError(`diffusionLoss: path must be a GaussianPath (e.g. generative.vpPath()), got ${describeValue(path)}`);
  checkTensor('diffusionLoss', 'x', x, { shape: '[n, d]', rank: 2 });
  checkPrediction(prediction);
  const wf = typeof w === 'function' ? w : weighting(w, path, weightingOptions);
  const r = rng(seed);
  const [n, d] = x.shape;
  const lo = Math.min(path.tNoise, path.tData) + tMargin;
  const hi = Math.max(path.tNoise, path.tData) - tMargin;
  if (timeSampling !== 'uniform' && timeSampling !== 'logSnr') throw new Error(`diffusionLoss: timeSampling must be 'uniform' or 'logSnr', got '${timeSampling}'`);
  let ts: Float32Array;
  let factor: Float32Array;
  if (timeSampling === 'uniform') {
    // 1 / q(lambda) = |T| |dlambda/dt| for t ~ U
    ts = Float32Array.from({ length: n }, () => lo + (hi - lo) * r.uniform());
    factor = Float32Array.from(ts, (t) => 0.5 * (hi - lo) * wf(t) * Math.abs(dLogSnr(path, t)));
  } else {
    // 1 / q(lambda) = the lambda range for lambda ~ U
    const l0 = logSnr(path, lo);
    const l1 = logSnr(path, hi);
    ts = Float32Array.from({ length: n }, () => timeAtLogSnr(path, l0 + (l1 - l0) * r.uniform(), lo, hi));
    factor = Float32Array.from(ts, (t) => 0.5 * Math.abs(l1 - l0) * wf(t));
  }
  const eps = r.normalTensor<tf.Rank.R2>([n, d]);
  return tf.tidy(() => {
    const col = (f: (t: number) => number) => tf.tensor2d(Float32Array.from(ts, f), [n, 1]);
    const xt = tf.add(tf.mul(x, col(path.alpha)), tf.mul(eps, col(path.sigma))) as tf.Tensor2D;
    const pred = net(xt, tf.tensor1d(ts), labels);
    // eps_hat from the prediction, with per-sample path coefficients
    const { eps: epsHat } = dataNoiseFrom(pred, prediction, xt, col(path.alpha), col(path.sigma), col(path.dalpha), col(path.dsigma));
    const perSample = tf.sum(tf.square(tf.sub(epsHat, eps)), 1);
    eps.dispose();
    return tf.mean(tf.mul(perSample, tf.tensor1d(factor))) as tf.Scalar;
  });
}

/** The time in [lo, hi] where the (monotone) log SNR equals lam, by bisection. */
function timeAtLogSnr(path: GaussianPath, lam: number, lo: number, hi: number): number {
  const increasing = logSnr(path, hi) > logSnr(path, lo);
  let a = lo;
  let b = hi;
  for (let k = 0; k < 100; k++) {
    const m = 0.5 * (a + b);
    if (logSnr(path, m) < lam === increasing) a = m;
    else b = m;
  }
  return 0.5 * (a + b);
}

/**
 * A Monte-Carlo estimate of the negative ELBO (nats per example) of a diffusion model on a VP
 * or VE path for continuous data: the diffusion term (w = 1) between tData and tNoise, the prior
 * term KL(q(z_T | x) || N(0, sigma_T^2 I)) and the Gaussian reconstruction term at tData
 * (decoder N(x; z_0 / alpha_0, (sigma_0 / alpha_0)^2)). The diffusion term samples t uniformly in
 * log SNR (schedule-invariant importance sampling), which keeps its variance small;
 * `standardError` is the Monte-Carlo standard error of the total over the `samples` repeats.
 */
export function negativeElbo(net: TimeNet, path: GaussianPath, x: tf.Tensor2D, { prediction = 'eps', samples = 8, seed = 0, labels }: { prediction?: Prediction; samples?: number; seed?: SeedLike; labels?: Labels } = {}): { total: number; diffusion: number; prior: number; reconstruction: number; standardError: number } {
  if (!Number.isInteger(samples) || samples < 2) throw new Error(`negativeElbo: samples must be an integer >= 2, got ${samples}`);
  const r = rng(seed);
  const repeats: number[] = [];
  for (let k = 0; k < samples; k++) {
    const l = diffusionLoss(net, path, x, { prediction, weighting: 'elbo', seed: r.fork(), labels, timeSampling: 'logSnr' });
    repeats.push(l.dataSync()[0]);
    l.dispose();
  }
  const diffusion = repeats.reduce((a, b) => a + b) / samples;
  const variance = repeats.reduce((a, v) => a + (v - diffusion) ** 2, 0) / (samples - 1);
  const d = x.shape[1];
  const aT = path.alpha(path.tNoise);
  const sT = path.sigma(path.tNoise);
  const a0 = path.alpha(path.tData);
  const s0 = path.sigma(path.tData);
  const priorVar = sT * sT + aT * aT; // N(0, (alpha^2 + sigma^2)_T): the VP prior N(0, I); for VE ~N(0, sigma_T^2)
  const meanSq = tf.tidy(() => tf.mean(tf.sum(tf.square(x), 1)).dataSync()[0]);
  const prior = 0.5 * ((aT * aT * meanSq + d * sT * sT) / priorVar - d + d * Math.log(priorVar / (sT * sT)));
  const reconstruction = 0.5 * d * (Math.log((2 * Math.PI * s0 * s0) / (a0 * a0)) + 1);
  return { total: diffusion + prior + reconstruction, diffusion, prior, reconstruction, standardError: Math.sqrt(variance / samples) };
}
