/**
 * EDM (Karras et al. 2022): preconditioning, the log-normal training loss and
 * the stochastic Heun sampler of Algorithm 2, as in the official code
 * (NVlabs/edm, training/networks.py EDMPrecond, training/loss.py EDMLoss,
 * generate.py edm_sampler). The noise-level grid is `karrasSigmas` in paths.ts.
 */
import * as tf from '../backend/tf.js';
import { checkFunction, checkTensor } from '../backend/args.js';
import { checkGrid, StateKeeper, type Denoiser, type Labels, type SampleResult, type TimeNet } from './model.js';
import { rng, type SeedLike } from './random.js';

export interface EdmCoefficients {
  cSkip: number;
  cOut: number;
  cIn: number;
  cNoise: number;
  /** The loss weight lambda(sigma) = (sigma^2 + sigmaData^2) / (sigma sigmaData)^2. */
  weight: number;
}

/** c_skip, c_out, c_in, c_noise and the loss weight at noise level sigma (Table 1 of the paper). */
export function edmCoefficients(sigma: number, sigmaData = 0.5): EdmCoefficients {
  if (!(sigma > 0)) throw new Error(`edmCoefficients: sigma must be positive, got ${sigma}`);
  const s2 = sigma * sigma;
  const d2 = sigmaData * sigmaData;
  return {
    cSkip: d2 / (s2 + d2),
    cOut: (sigma * sigmaData) / Math.sqrt(s2 + d2),
    cIn: 1 / Math.sqrt(s2 + d2),
    cNoise: Math.log(sigma) / 4,
    weight: (s2 + d2) / (s2 * d2),
  };
}

/** The preconditioned denoiser D(x; sigma) = c_skip x + c_out F(c_in x, c_noise), for per-sample sigmas [n]. */
export function edmDenoise(net: TimeNet, x: tf.Tensor2D, sigma: tf.Tensor1D, { sigmaData = 0.5, labels }: { sigmaData?: number; labels?: Labels } = {}): tf.Tensor2D {
  return tf.tidy(() => {
    const s = tf.expandDims(sigma, 1);
    const s2 = tf.square(s);
    const d2 = sigmaData * sigmaData;
    const cSkip = tf.div(d2, tf.add(s2, d2));
    const cOut = tf.div(tf.mul(s, sigmaData), tf.sqrt(tf.add(s2, d2)));
    const cIn = tf.rsqrt(tf.add(s2, d2));
    const cNoise = tf.div(tf.log(sigma), 4) as tf.Tensor1D;
    const F = net(tf.mul(x, cIn) as tf.Tensor2D, cNoise, labels);
    return tf.add(tf.mul(x, cSkip), tf.mul(F, cOut)) as tf.Tensor2D;
  });
}

/** The preconditioned network as a sampler-side Denoiser on `edmPath` (t = sigma). */
export function edmDenoiser(net: TimeNet, { sigmaData = 0.5 } = {}): Denoiser {
  return (x, sigma, labels) => tf.tidy(() => edmDenoise(net, x, tf.fill([x.shape[0]], sigma) as tf.Tensor1D, { sigmaData, labels }));
}

export interface EdmLossOptions {
  pMean?: number;
  pStd?: number;
  sigmaData?: number;
  labels?: Labels;
  seed?: SeedLike;
}

/**
 * EDM training loss: ln sigma ~ N(pMean, pStd^2), n ~ N(0, sigma^2 I),
 * lambda(sigma) |D(y + n; sigma) - y|^2, averaged over batch and dimensions.
 */
export function edmLoss(net: TimeNet, y: tf.Tensor2D, { pMean = -1.2, pStd = 1.2, sigmaData = 0.5, labels, seed = 0 }: EdmLossOptions = {}): tf.Scalar {
  checkFunction('edmLoss', 'net', net, 'a network (x [n, d], t [n]) => [n, d]');
  checkTensor('edmLoss', 'y', y, { shape: '[n, d]', rank: 2 });
  const r = rng(seed);
  const [n, d] = y.shape;
  const sigmas = Float32Array.from({ length: n }, () => Math.exp(pMean + pStd * r.normal()));
  const noise = r.normalTensor<tf.Rank.R2>([n, d]);
  return tf.tidy(() => {
    const sigma = tf.tensor1d(sigmas);
    const s = tf.expandDims(sigma, 1);
    const D = edmDenoise(net, tf.add(y, tf.mul(noise, s)) as tf.Tensor2D, sigma, { sigmaData, labels });
    const weight = tf.div(tf.add(tf.square(s), sigmaData ** 2), tf.mul(tf.square(s), sigmaData ** 2));
    noise.dispose();
    return tf.mean(tf.mul(weight, tf.square(tf.sub(D, y)))) as tf.Scalar;
  });
}

export interface EdmSamplerOptions {
  /** S_churn: total stochasticity; 0 gives the deterministic Heun sampler (Algorithm 1). */
  churn?: number;
  /** Churn applies only for sigma in [sMin, sMax]. */
  sMin?: number;
  sMax?: number;
  /** S_noise: scale of the fresh noise. */
  sNoise?: number;
  /** Second-order (Heun) correction; false gives Euler. */
  heun?: boolean;
  seed?: SeedLike;
  labels?: Labels;
  record?: boolean;
}

/**
 * EDM Algorithm 2 on the noise levels `sigmas` (decreasing, usually
 * karrasSigmas(N) ending at 0), starting from x = sigmas[0] * N(0, I):
 * gamma_i = min(S_churn / N, sqrt 2 - 1) for sigma_i in [S_tmin, S_tmax];
 * sigma_hat = sigma_i (1 + gamma_i); x_hat = x + sqrt(sigma_hat^2 - sigma_i^2) S_noise xi;
 * Euler step from sigma_hat to sigma_{i+1} with d = (x_hat - D(x_hat)) / sigma_hat and,
 * except on the last step, the Heun correction. NFE = 2N - 1.
 */
export function edmSampler(den: Denoiser, x: tf.Tensor2D, sigmas: readonly number[], { churn = 0, sMin = 0, sMax = Infinity, sNoise = 1, heun = true, seed = 0, labels, record = false }: EdmSamplerOptions = {}): SampleResult {
  checkGrid(sigmas, 'sigmas');
  if (!(churn >= 0)) throw new Error(`edmSampler: churn must be >= 0, got ${churn}`);
  const r = rng(seed);
  const N = sigmas.length - 1;
  let nfe = 0;
  const D = (y: tf.Tensor2D, s: number) => (nfe++, den(y, s, labels ?? null));
  const keeper = new StateKeeper(x, record);
  const times: number[] = [];
  let cur = x;
  for (let i = 0; i < N; i++) {
    const tCur = sigmas[i];
    const tNext = sigmas[i + 1];
    const gamma = tCur >= sMin && tCur <= sMax ? Math.min(churn / N, Math.SQRT2 - 1) : 0;
    const tHat = tCur + gamma * tCur;
    times.push(tHat);
    const noise = gamma > 0 ? r.normalTensor<tf.Rank.R2>(cur.shape) : null;
    const next = tf.tidy(() => {
      const xHat = noise ? (tf.add(cur, tf.mul(noise, Math.sqrt(tHat * tHat - tCur * tCur) * sNoise)) as tf.Tensor2D) : cur;
      const dCur = tf.div(tf.sub(xHat, D(xHat, tHat)), tHat);
      let xNext = tf.add(xHat, tf.mul(dCur, tNext - tHat)) as tf.Tensor2D;
      if (heun && i < N - 1) {
        const dPrime = tf.div(tf.sub(xNext, D(xNext, tNext)), tNext);
        xNext = tf.add(xHat, tf.mul(tf.add(tf.mul(dCur, 0.5), tf.mul(dPrime, 0.5)), tNext - tHat)) as tf.Tensor2D;
      }
      return xNext;
    });
    noise?.dispose();
    cur = keeper.advance(cur, next);
  }
  times.push(sigmas[N]);
  return { x: keeper.finish(cur), nfe, times, trajectory: keeper.trajectory };
}
