/**
 * Gaussian probability paths x_t = alpha(t) x_data + sigma(t) eps, eps ~ N(0, I).
 * Every flow and diffusion model here is one of these plus a network. Each path
 * keeps its paper's time convention and says where noise and data sit; a
 * sampler just walks the path's grid from `tNoise` to `tData`.
 *
 *   linearPath  alpha = t, sigma = 1 - (1 - sigmaMin) t      noise at t=0, data at t=1 (flow matching, rectified flow)
 *   vpPath      VP-SDE with linear beta (Song et al.)         noise at t=1, data at t=eps
 *   cosinePath  VP with the cosine schedule (Nichol & Dhariwal)
 *   vePath      alpha = 1, sigma geometric in t (SMLD / VE-SDE)
 *   edmPath     alpha = 1, sigma = t (Karras et al.), grid = the rho-schedule ending at sigma = 0
 */
import * as tf from '../backend/tf.js';
import { rng, type SeedLike } from './random.js';

export interface GaussianPath {
  readonly name: string;
  alpha(t: number): number;
  sigma(t: number): number;
  dalpha(t: number): number;
  dsigma(t: number): number;
  /** Where x_t is (nearly) pure noise and where it is (nearly) data. */
  readonly tNoise: number;
  readonly tData: number;
  /** The default sampling grid: steps + 1 times from tNoise to tData. */
  grid(steps: number): number[];
}

function checkSteps(steps: number): void {
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`grid: steps must be a positive integer, got ${steps}`);
}

/** steps + 1 evenly spaced points from a to b inclusive. */
export function linspace(a: number, b: number, steps: number): number[] {
  checkSteps(steps);
  return Array.from({ length: steps + 1 }, (_, i) => (i === steps ? b : a + ((b - a) * i) / steps));
}

/** Flow-matching / rectified-flow path: x_t = t x1 + (1 - (1 - sigmaMin) t) eps. */
export function linearPath({ sigmaMin = 0 } = {}): GaussianPath {
  if (!(sigmaMin >= 0 && sigmaMin < 1)) throw new Error(`linearPath: sigmaMin must be in [0, 1), got ${sigmaMin}`);
  return {
    name: sigmaMin === 0 ? 'linear' : `linear(sigmaMin=${sigmaMin})`,
    alpha: (t) => t,
    sigma: (t) => 1 - (1 - sigmaMin) * t,
    dalpha: () => 1,
    dsigma: () => -(1 - sigmaMin),
    tNoise: 0,
    tData: 1,
    grid: (steps) => linspace(0, 1, steps),
  };
}

/** VP-SDE with beta(t) = betaMin + t (betaMax - betaMin): alpha = exp(-t^2 (betaMax-betaMin)/4 - t betaMin/2). */
export function vpPath({ betaMin = 0.1, betaMax = 20, eps = 1e-3 } = {}): GaussianPath {
  if (!(betaMin > 0 && betaMax > betaMin)) throw new Error(`vpPath: need 0 < betaMin < betaMax, got ${betaMin}, ${betaMax}`);
  const logA = (t: number) => -0.25 * t * t * (betaMax - betaMin) - 0.5 * t * betaMin;
  const dlogA = (t: number) => -0.5 * t * (betaMax - betaMin) - 0.5 * betaMin;
  const alpha = (t: number) => Math.exp(logA(t));
  const sigma = (t: number) => Math.sqrt(-Math.expm1(2 * logA(t)));
  return {
    name: 'vp',
    alpha,
    sigma,
    dalpha: (t) => alpha(t) * dlogA(t),
    dsigma: (t) => (-alpha(t) * alpha(t) * dlogA(t)) / sigma(t),
    tNoise: 1,
    tData: eps,
    grid: (steps) => linspace(1, eps, steps),
  };
}

/** VP path with the cosine schedule: alpha = cos(pi/2 (t+s)/(1+s)) / cos(pi/2 s/(1+s)), clipped at tMax. */
export function cosinePath({ s = 0.008, eps = 1e-3, tMax = 0.999 } = {}): GaussianPath {
  const c0 = Math.cos((Math.PI / 2) * (s / (1 + s)));
  const phase = (t: number) => (Math.PI / 2) * ((t + s) / (1 + s));
  const alpha = (t: number) => Math.cos(phase(t)) / c0;
  const sigma = (t: number) => Math.sqrt(Math.max(0, 1 - alpha(t) ** 2));
  const dalpha = (t: number) => (-Math.sin(phase(t)) * (Math.PI / 2)) / (1 + s) / c0;
  return {
    name: 'cosine',
    alpha,
    sigma,
    dalpha,
    dsigma: (t) => (-alpha(t) * dalpha(t)) / sigma(t),
    tNoise: tMax,
    tData: eps,
    grid: (steps) => linspace(tMax, eps, steps),
  };
}

/** VE-SDE: alpha = 1, sigma = sigmaMin (sigmaMax / sigmaMin)^t. */
export function vePath({ sigmaMin = 0.01, sigmaMax = 50 } = {}): GaussianPath {
  if (!(sigmaMin > 0 && sigmaMax > sigmaMin)) throw new Error(`vePath: need 0 < sigmaMin < sigmaMax, got ${sigmaMin}, ${sigmaMax}`);
  const L = Math.log(sigmaMax / sigmaMin);
  return {
    name: 've',
    alpha: () => 1,
    sigma: (t) => sigmaMin * Math.exp(L * t),
    dalpha: () => 0,
    dsigma: (t) => sigmaMin * L * Math.exp(L * t),
    tNoise: 1,
    tData: 0,
    grid: (steps) => linspace(1, 0, steps),
  };
}

export interface KarrasOptions {
  sigmaMin?: number;
  sigmaMax?: number;
  rho?: number;
}

/**
 * The EDM noise levels: sigma_i = (sigmaMax^(1/rho) + i/(N-1) (sigmaMin^(1/rho) - sigmaMax^(1/rho)))^rho
 * for i < N, then sigma_N = 0 (Karras et al. 2022, eq. 5; N = steps).
 */
export function karrasSigmas(steps: number, { sigmaMin = 0.002, sigmaMax = 80, rho = 7 }: KarrasOptions = {}): number[] {
  checkSteps(steps);
  if (!(sigmaMin > 0 && sigmaMax > sigmaMin && rho > 0)) throw new Error(`karrasSigmas: need 0 < sigmaMin < sigmaMax and rho > 0`);
  const a = sigmaMax ** (1 / rho);
  const b = sigmaMin ** (1 / rho);
  const out = Array.from({ length: steps }, (_, i) => (steps === 1 ? sigmaMax : (a + (i / (steps - 1)) * (b - a)) ** rho));
  out.push(0);
  return out;
}

/** EDM's path: alpha = 1, sigma = t; its grid is the rho = 7 schedule ending at 0. */
export function edmPath(opts: KarrasOptions = {}): GaussianPath {
  const { sigmaMax = 80 } = opts;
  return {
    name: 'edm',
    alpha: () => 1,
    sigma: (t) => t,
    dalpha: () => 0,
    dsigma: () => 1,
    tNoise: sigmaMax,
    tData: 0,
    grid: (steps) => karrasSigmas(steps, opts),
  };
}

/**
 * A grid of steps + 1 times from t0 to t1 on which `fn` (default: log SNR) is
 * evenly spaced; `fn` must be monotone between t0 and t1. DPM-Solver is
 * designed for grids uniform in lambda.
 */
export function uniformGridIn(path: GaussianPath, steps: number, { t0 = path.tNoise, t1 = path.tData, fn = (t: number) => logSnr(path, t) } = {}): number[] {
  checkSteps(steps);
  const f0 = fn(t0);
  const f1 = fn(t1);
  if (!Number.isFinite(f0) || !Number.isFinite(f1)) throw new Error(`uniformGridIn: the function is not finite at the ends (${f0}, ${f1}); move t0 / t1 inside the path`);
  return Array.from({ length: steps + 1 }, (_, i) => {
    if (i === 0) return t0;
    if (i === steps) return t1;
    const target = f0 + ((f1 - f0) * i) / steps;
    let lo = t0;
    let hi = t1;
    for (let k = 0; k < 200; k++) {
      const mid = 0.5 * (lo + hi);
      if ((fn(mid) - target) * (f1 - f0) < 0) lo = mid;
      else hi = mid;
    }
    return 0.5 * (lo + hi);
  });
}

/** log SNR lambda(t) = 2 log(alpha / sigma). */
export function logSnr(path: GaussianPath, t: number): number {
  return 2 * Math.log(path.alpha(t) / path.sigma(t));
}

/**
 * Squared diffusion coefficient g^2 of the forward (noising) SDE that has this
 * path's marginals: |d sigma^2/dt - 2 (alpha'/alpha) sigma^2|. The reverse SDE
 * uses noise rate g^2 / 2 in `diffusionSde`.
 */
export function diffusionG2(path: GaussianPath, t: number): number {
  const a = path.alpha(t);
  const s = path.sigma(t);
  return Math.abs(2 * s * path.dsigma(t) - (2 * path.dalpha(t) * s * s) / a);
}

/** n draws from the path's noise end: sigma(tNoise) eps (alpha(tNoise) x_data is neglected). */
export function priorSample(path: GaussianPath, n: number, dim: number, seed: SeedLike = 0): tf.Tensor2D {
  const s = path.sigma(path.tNoise);
  return tf.tidy(() => tf.mul(rng(seed).normalTensor<tf.Rank.R2>([n, dim]), s));
}

/**
 * Points of the path at time t: alpha(t) x + sigma(t) noise, with t one number for the batch or one
 * per row, and noise a tensor of x's shape or a seed for fresh standard normals.
 */
export function noised(path: GaussianPath, x: tf.Tensor, t: number | ArrayLike<number>, noise: tf.Tensor | SeedLike = 0): tf.Tensor2D {
  if (x.rank !== 2) throw new Error(`noised: x must be a 2-D tensor [points, dims], got shape [${x.shape}]`);
  const [n, d] = x.shape as [number, number];
  if (noise instanceof tf.Tensor && noise.shape.join() !== x.shape.join()) throw new Error(`noised: noise has shape [${noise.shape}], x has [${x.shape}]`);
  if (typeof t !== 'number' && t.length !== n) throw new Error(`noised: t has ${t.length} entries, x has ${n} rows`);
  return tf.tidy(() => {
    const eps = noise instanceof tf.Tensor ? noise : rng(noise).normalTensor<tf.Rank.R2>([n, d]);
    const coef = (f: (s: number) => number) => (typeof t === 'number' ? f(t) : tf.tensor2d(Float32Array.from(t, f), [n, 1]));
    return tf.add(tf.mul(x, coef(path.alpha)), tf.mul(eps, coef(path.sigma))) as tf.Tensor2D;
  });
}
