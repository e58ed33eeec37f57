/**
 * Fourier spectral tools on uniform periodic grids: wavenumbers, spectral
 * derivatives (1-D, 2-D), the 2/3 dealiasing mask and trigonometric
 * interpolation of grid data to arbitrary points.
 *
 * A periodic grid of n points on [a, a + L) is x_j = a + j L / n. Derivatives
 * are exact for trigonometric polynomials of degree < n/2; the Nyquist mode of
 * an even n is zeroed for odd derivatives (its derivative is not real).
 */
import { rfftPlan, RealFFT2Plan } from './fft.js';

/** numpy.fft.fftfreq(n, d) * 2 pi: angular wavenumbers for a period L = n d. */
export function wavenumbers(n: number, period = 2 * Math.PI): Float64Array {
  if (!Number.isInteger(n) || n < 1) throw new Error(`wavenumbers: n must be a positive integer, got ${n}`);
  if (!(period > 0)) throw new Error(`wavenumbers: period must be positive, got ${period}`);
  const k = new Float64Array(n);
  const s = (2 * Math.PI) / period;
  for (let j = 0; j < n; j++) k[j] = (j <= (n - 1) / 2 ? j : j - n) * s;
  return k;
}

/** Non-negative angular wavenumbers of a real FFT (numpy.fft.rfftfreq * 2 pi / d). */
export function rwavenumbers(n: number, period = 2 * Math.PI): Float64Array {
  const m = Math.floor(n / 2) + 1;
  const k = new Float64Array(m);
  const s = (2 * Math.PI) / period;
  for (let j = 0; j < m; j++) k[j] = j * s;
  return k;
}

/** Uniform periodic grid a + j L / n, j = 0..n-1. */
export function periodicGrid(n: number, a = 0, period = 2 * Math.PI): Float64Array {
  const x = new Float64Array(n);
  for (let j = 0; j < n; j++) x[j] = a + (j * period) / n;
  return x;
}

/** Multiplies entry p of a split complex array by mag * i^power, in place. */
function timesIPower(re: Float64Array, im: Float64Array, p: number, mag: number, power: number): void {
  const r = re[p];
  const q = im[p];
  switch (power % 4) {
    case 0:
      re[p] = mag * r;
      im[p] = mag * q;
      break;
    case 1:
      re[p] = -mag * q;
      im[p] = mag * r;
      break;
    case 2:
      re[p] = -mag * r;
      im[p] = -mag * q;
      break;
    default:
      re[p] = mag * q;
      im[p] = -mag * r;
  }
}

/** Multiplies a half spectrum in place by (i k)^order, zeroing the Nyquist mode for odd orders. */
function applyDerivative(re: Float64Array, im: Float64Array, k: Float64Array, order: number, n: number): void {
  const m = k.length;
  for (let j = 0; j < m; j++) {
    const nyquist = n % 2 === 0 && j === n / 2;
    if (nyquist && order % 2 === 1) {
      re[j] = 0;
      im[j] = 0;
      continue;
    }
    timesIPower(re, im, j, Math.pow(k[j], order), order);
  }
}

function checkOrder(order: number, what: string): void {
  if (!Number.isInteger(order) || order < 0) throw new Error(`${what}: order must be a non-negative integer, got ${order}`);
}

/** d^order u / dx^order of periodic samples u (period L), by FFT. */
export function spectralDerivative(u: ArrayLike<number>, order = 1, period = 2 * Math.PI): Float64Array {
  checkOrder(order, 'spectralDerivative');
  const n = u.length;
  const plan = rfftPlan(n);
  const re = new Float64Array(plan.nOut);
  const im = new Float64Array(plan.nOut);
  plan.forward(u, re, im);
  applyDerivative(re, im, rwavenumbers(n, period), order, n);
  const out = new Float64Array(n);
  plan.inverse(re, im, out);
  return out;
}

/**
 * Partial derivative d^{ox+oy} u / dx^ox dy^oy of a periodic row-major [nx, ny]
 * field (axis 0 = x with period Lx, axis 1 = y with period Ly).
 */
export function spectralDerivative2d(
  u: ArrayLike<number>,
  nx: number,
  ny: number,
  orders: [number, number],
  periods: [number, number] = [2 * Math.PI, 2 * Math.PI],
): Float64Array {
  checkOrder(orders[0], 'spectralDerivative2d');
  checkOrder(orders[1], 'spectralDerivative2d');
  if (u.length !== nx * ny) throw new Error(`spectralDerivative2d: length ${u.length} does not match [${nx}, ${ny}]`);
  const plan = new RealFFT2Plan(nx, ny);
  const m = plan.nyOut;
  const re = new Float64Array(nx * m);
  const im = new Float64Array(nx * m);
  plan.forward(Float64Array.from(u), re, im);
  const kx = wavenumbers(nx, periods[0]);
  const ky = rwavenumbers(ny, periods[1]);
  const [ox, oy] = orders;
  for (let i = 0; i < nx; i++) {
    const nyqX = nx % 2 === 0 && i === nx / 2;
    for (let j = 0; j < m; j++) {
      const nyqY = ny % 2 === 0 && j === ny / 2;
      const p = i * m + j;
      if ((nyqX && ox % 2 === 1) || (nyqY && oy % 2 === 1)) {
        re[p] = 0;
        im[p] = 0;
        continue;
      }
      // (i kx)^ox (i ky)^oy = kx^ox ky^oy i^(ox+oy)
      timesIPower(re, im, p, Math.pow(kx[i], ox) * Math.pow(ky[j], oy), ox + oy);
    }
  }
  const out = new Float64Array(nx * ny);
  plan.inverse(re, im, out);
  return out;
}

/**
 * The 2/3-rule dealiasing mask for a full-length wavenumber index: 1 where
 * |mode| < n/3 (modes that survive a quadratic product without aliasing).
 */
export function dealiasMask(n: number): Float64Array {
  const mask = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const mode = j <= (n - 1) / 2 ? j : j - n;
    mask[j] = Math.abs(mode) < n / 3 ? 1 : 0;
  }
  return mask;
}

/** Half-spectrum (rfft) dealiasing mask: 1 for modes j < n/3. */
export function rdealiasMask(n: number): Float64Array {
  const m = Math.floor(n / 2) + 1;
  const mask = new Float64Array(m);
  for (let j = 0; j < m; j++) mask[j] = j < n / 3 ? 1 : 0;
  return mask;
}

/**
 * Evaluates the trigonometric interpolant of periodic samples u (on a + j L/n)
 * at arbitrary points xs. Exact for trigonometric polynomials of degree < n/2;
 * an even n splits the Nyquist mode symmetrically so the interpolant is real.
 */
export function fourierInterpolate(
  u: ArrayLike<number>,
  xs: ArrayLike<number>,
  { a = 0, period = 2 * Math.PI }: { a?: number; period?: number } = {},
): Float64Array {
  const n = u.length;
  const plan = rfftPlan(n);
  const re = new Float64Array(plan.nOut);
  const im = new Float64Array(plan.nOut);
  plan.forward(u, re, im);
  return evaluateHalfSpectrum(re, im, n, xs, a, period);
}

/**
 * Evaluates sum_k c_k e^{i k 2 pi (x - a)/L} / n for a real signal given by its
 * half spectrum (numpy rfft layout, signal length n) at points xs.
 */
export function evaluateHalfSpectrum(
  re: ArrayLike<number>,
  im: ArrayLike<number>,
  n: number,
  xs: ArrayLike<number>,
  a = 0,
  period = 2 * Math.PI,
): Float64Array {
  const m = Math.floor(n / 2) + 1;
  const out = new Float64Array(xs.length);
  for (let p = 0; p < xs.length; p++) {
    const theta = (2 * Math.PI * (xs[p] - a)) / period;
    let s = re[0];
    const c1 = Math.cos(theta);
    const s1 = Math.sin(theta);
    let ck = 1;
    let sk = 0;
    for (let k = 1; k < m; k++) {
      // cos/sin(k theta) by rotation, re-anchored every 64 modes to bound rounding drift
      const nc = ck * c1 - sk * s1;
      sk = ck * s1 + sk * c1;
      ck = nc;
      if ((k & 63) === 0) {
        ck = Math.cos(k * theta);
        sk = Math.sin(k * theta);
      }
      const w = n % 2 === 0 && k === n / 2 ? 1 : 2;
      s += w * (re[k] * ck - im[k] * sk);
    }
    out[p] = s / n;
  }
  return out;
}

/**
 * Evaluates the complex trigonometric interpolant with full spectrum X
 * (numpy fft layout, length n) at points xs: (1/n) sum_k X_k e^{i k theta}.
 * The Nyquist mode of an even n is split symmetrically (X cos(n theta / 2)).
 */
export function evaluateSpectrum(
  re: ArrayLike<number>,
  im: ArrayLike<number>,
  xs: ArrayLike<number>,
  a = 0,
  period = 2 * Math.PI,
): { re: Float64Array; im: Float64Array } {
  const n = re.length;
  const outRe = new Float64Array(xs.length);
  const outIm = new Float64Array(xs.length);
  for (let p = 0; p < xs.length; p++) {
    const theta = (2 * Math.PI * (xs[p] - a)) / period;
    let sr = 0;
    let si = 0;
    for (let j = 0; j < n; j++) {
      const k = j <= (n - 1) / 2 ? j : j - n;
      if (n % 2 === 0 && j === n / 2) {
        const c = Math.cos((n / 2) * theta);
        sr += re[j] * c;
        si += im[j] * c;
        continue;
      }
      const c = Math.cos(k * theta);
      const s = Math.sin(k * theta);
      sr += re[j] * c - im[j] * s;
      si += re[j] * s + im[j] * c;
    }
    outRe[p] = sr / n;
    outIm[p] = si / n;
  }
  return { re: outRe, im: outIm };
}
