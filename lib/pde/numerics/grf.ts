/**
 * Gaussian random fields, deterministic from a seed.
 *
 * Periodic fields are real trigonometric series sum_k a(|k|) (xi_k cos(k.x) +
 * eta_k sin(k.x)) with independent standard normal xi, eta for each
 * non-negative mode k (one of each +-k pair), synthesised on a uniform grid
 * by an inverse real FFT. The Neumann (cosine) field for Darcy flow follows
 * the FNO generator's `GRF.m`.
 */
import { Rng } from './random.js';
import { RealFFTPlan, RealFFT2Plan } from './fft.js';

/** Standard deviation of the cos and sin coefficients of the mode with angular wavenumber magnitude |k|. */
export type ModeAmplitude = (kAbs: number) => number;

/**
 * Matérn-type amplitude scale * sigma * (|k|^2 + tau^2)^(-alpha/2), the
 * square root of the covariance sigma^2 (-Laplacian + tau^2)^(-alpha).
 * `scale` absorbs convention factors (sqrt 2 in the FNO scripts).
 */
export function maternAmplitude({ sigma, tau, alpha, scale = 1 }: { sigma: number; tau: number; alpha: number; scale?: number }): ModeAmplitude {
  for (const [name, v] of Object.entries({ sigma, tau, alpha })) {
    if (!Number.isFinite(v)) throw new Error(`maternAmplitude: ${name} must be a finite number, got ${v}`);
  }
  return (k) => scale * sigma * Math.pow(k * k + tau * tau, -alpha / 2);
}

function rngOf(seed: number | Rng): Rng {
  return typeof seed === 'number' ? new Rng(seed) : seed;
}

export interface PeriodicGRFOptions {
  /** Grid points per side. */
  n: number;
  /** Period of the domain (default 1, the FNO convention [0, 1)). */
  period?: number;
  /** Mode amplitude as a function of the angular wavenumber |k|. */
  amplitude: ModeAmplitude;
  /** Integer seed or a shared generator. */
  seed: number | Rng;
  /** Keep only modes with |index| <= kMax (default all below Nyquist). */
  kMax?: number;
}

/**
 * A zero-mean real periodic GRF on the n-point grid x_j = j L / n. The
 * Nyquist mode is left out so the field is a trigonometric polynomial of
 * degree < n/2 (exactly representable, exactly differentiable).
 */
export function periodicGRF1d({ n, period = 1, amplitude, seed, kMax }: PeriodicGRFOptions): Float64Array {
  if (!Number.isInteger(n) || n < 2) throw new Error(`periodicGRF1d: n must be an integer >= 2, got ${n}`);
  const rng = rngOf(seed);
  const plan = new RealFFTPlan(n);
  const re = new Float64Array(plan.nOut);
  const im = new Float64Array(plan.nOut);
  const top = Math.min(Math.ceil(n / 2) - 1, kMax ?? Infinity);
  for (let k = 1; k <= top; k++) {
    const a = amplitude((2 * Math.PI * k) / period);
    const c = a * rng.normal();
    const s = a * rng.normal();
    // X_k = n/2 (c - i s) makes irfft produce c cos + s sin
    re[k] = 0.5 * n * c;
    im[k] = -0.5 * n * s;
  }
  const out = new Float64Array(n);
  plan.inverse(re, im, out);
  return out;
}

/**
 * A zero-mean real periodic GRF on the [n, n] grid (row-major, axis 0 = x),
 * isotropic through the amplitude of |k|. Modes beyond Nyquist-1 are dropped.
 */
export function periodicGRF2d({ n, period = 1, amplitude, seed, kMax }: PeriodicGRFOptions): Float64Array {
  if (!Number.isInteger(n) || n < 2) throw new Error(`periodicGRF2d: n must be an integer >= 2, got ${n}`);
  const rng = rngOf(seed);
  const plan = new RealFFT2Plan(n, n);
  const m = plan.nyOut;
  const re = new Float64Array(n * m);
  const im = new Float64Array(n * m);
  const top = Math.min(Math.ceil(n / 2) - 1, kMax ?? Infinity);
  const scale = 0.5 * n * n;
  const s = (2 * Math.PI) / period;
  for (let ky = 0; ky <= top; ky++) {
    for (let kx = -top; kx <= top; kx++) {
      if (ky === 0 && kx <= 0) continue; // one of each +-k pair; no mean
      const a = amplitude(s * Math.hypot(kx, ky));
      const c = a * rng.normal();
      const sn = a * rng.normal();
      const row = kx >= 0 ? kx : n + kx;
      re[row * m + ky] = scale * c;
      im[row * m + ky] = -scale * sn;
      if (ky === 0) {
        // the ky = 0 column must be Hermitian along x for a real field
        const mirror = n - kx;
        re[mirror * m] = scale * c;
        im[mirror * m] = scale * sn;
      }
    }
  }
  const out = new Float64Array(n * n);
  plan.inverse(re, im, out);
  return out;
}

/**
 * The FNO Darcy generator's Neumann GRF (`GRF.m`): covariance
 * tau^(2 alpha - 2) (-Laplacian + tau^2)^(-alpha) on [0, 1]^2 with homogeneous
 * Neumann conditions, in the cosine basis cos(pi k x) cos(pi l y),
 * k, l = 0..modes-1, no constant term. Evaluated at the given x and y
 * coordinates (tensor grid, row-major [xs.length, ys.length]).
 */
export function cosineGRF2d({
  xs,
  ys,
  alpha = 2,
  tau = 3,
  modes,
  seed,
}: {
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
  alpha?: number;
  tau?: number;
  /** Modes per direction (the FNO script uses s, the grid size). */
  modes: number;
  seed: number | Rng;
}): Float64Array {
  if (!Number.isInteger(modes) || modes < 2) throw new Error(`cosineGRF2d: modes must be an integer >= 2, got ${modes}`);
  const rng = rngOf(seed);
  const K = modes;
  // orthonormal idct2 weights times s: s * w_k w_l, w_0 = 1/sqrt(s), w_k = sqrt(2/s)
  const A = new Float64Array(K * K);
  for (let k = 0; k < K; k++) {
    for (let l = 0; l < K; l++) {
      const xi = rng.normal(); // drawn for every mode (MATLAB normrnd order: column-major over the grid)
      if (k === 0 && l === 0) continue;
      const coef = Math.pow(tau, alpha - 1) * Math.pow(Math.PI * Math.PI * (k * k + l * l) + tau * tau, -alpha / 2);
      const wk = k === 0 ? 1 / Math.sqrt(K) : Math.sqrt(2 / K);
      const wl = l === 0 ? 1 / Math.sqrt(K) : Math.sqrt(2 / K);
      A[k * K + l] = K * coef * wk * wl * xi;
    }
  }
  const nx = xs.length;
  const ny = ys.length;
  const cx = new Float64Array(nx * K);
  const cy = new Float64Array(ny * K);
  for (let i = 0; i < nx; i++) for (let k = 0; k < K; k++) cx[i * K + k] = Math.cos(Math.PI * k * xs[i]);
  for (let j = 0; j < ny; j++) for (let l = 0; l < K; l++) cy[j * K + l] = Math.cos(Math.PI * l * ys[j]);
  // U = Cx A Cy^T
  const tmp = new Float64Array(nx * K);
  for (let i = 0; i < nx; i++) {
    for (let l = 0; l < K; l++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += cx[i * K + k] * A[k * K + l];
      tmp[i * K + l] = s;
    }
  }
  const U = new Float64Array(nx * ny);
  for (let i = 0; i < nx; i++) {
    for (let j = 0; j < ny; j++) {
      let s = 0;
      for (let l = 0; l < K; l++) s += tmp[i * K + l] * cy[j * K + l];
      U[i * ny + j] = s;
    }
  }
  return U;
}
