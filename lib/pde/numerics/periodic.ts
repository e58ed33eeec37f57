/**
 * Real periodic fields on uniform grids, for pseudo-spectral solvers: the
 * grid, the angular wavenumbers of the half spectrum, transforms in both
 * directions with preallocated scratch, and evaluation of the trigonometric
 * interpolant anywhere (tensor grids of any size, shifted grids, points).
 */
import { RealFFTPlan, rfftPlan, RealFFT2Plan } from './fft.js';
import { wavenumbers, rwavenumbers, periodicGrid, evaluateHalfSpectrum } from './spectral.js';
import { ETDRK4, stepToTimes, type DiagonalOperator, type SpectralNonlinearity } from './integrators.js';

function checkGrid(n: number, period: number, what: string): void {
  if (!Number.isInteger(n) || n < 2) throw new Error(`${what}: n must be an integer >= 2, got ${n}`);
  if (!(period > 0) || !Number.isFinite(period)) throw new Error(`${what}: period must be a positive finite number, got ${period}`);
}

/** A real field on the 1-D periodic grid x_j = a + j L / n. */
export class Periodic1d {
  readonly n: number;
  readonly period: number;
  readonly a: number;
  /** Grid points. */
  readonly x: Float64Array;
  /** Angular wavenumbers of the half spectrum (length n/2 + 1). */
  readonly k: Float64Array;
  readonly nModes: number;
  private readonly plan: RealFFTPlan;
  private scratch: Float64Array | null = null;

  constructor(n: number, { period = 2 * Math.PI, a = 0 }: { period?: number; a?: number } = {}) {
    checkGrid(n, period, 'Periodic1d');
    this.n = n;
    this.period = period;
    this.a = a;
    this.x = periodicGrid(n, a, period);
    this.k = rwavenumbers(n, period);
    this.plan = rfftPlan(n);
    this.nModes = this.plan.nOut;
  }

  /** New zeroed half-spectrum arrays. */
  emptySpectrum(): { re: Float64Array; im: Float64Array } {
    return { re: new Float64Array(this.nModes), im: new Float64Array(this.nModes) };
  }

  forward(u: ArrayLike<number>, re: Float64Array, im: Float64Array): void {
    this.plan.forward(u, re, im);
  }

  inverse(re: ArrayLike<number>, im: ArrayLike<number>, out: Float64Array): void {
    this.plan.inverse(re, im, out);
  }

  /** Half spectrum of grid values, or of a function sampled on the grid. */
  spectrum(u: ArrayLike<number> | ((x: number) => number)): { re: Float64Array; im: Float64Array } {
    const values = typeof u === 'function' ? Float64Array.from(this.x, u) : u;
    if (values.length !== this.n) throw new Error(`Periodic1d.spectrum: expected ${this.n} values, got ${values.length}`);
    const s = this.emptySpectrum();
    this.forward(values, s.re, s.im);
    return s;
  }

  /**
   * Writes the half spectrum of -(u^2/2)_x, the conservative advection term of
   * Burgers and KdV, for the field with half spectrum (vr, vi) (pseudo-spectral
   * product, no dealiasing; the Nyquist mode has no real derivative and is zeroed).
   */
  advection(vr: Float64Array, vi: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
    const u = (this.scratch ??= new Float64Array(this.n));
    this.inverse(vr, vi, u);
    for (let j = 0; j < this.n; j++) u[j] *= u[j];
    this.forward(u, outRe, outIm);
    const k = this.k;
    const nyq = this.n % 2 === 0 ? this.n / 2 : -1;
    for (let j = 0; j < outRe.length; j++) {
      const f = j === nyq ? 0 : -0.5 * k[j];
      const r = outRe[j];
      outRe[j] = -f * outIm[j];
      outIm[j] = f * r;
    }
  }

  /** Values of the interpolant with half spectrum (re, im) at arbitrary points. */
  evaluate(re: ArrayLike<number>, im: ArrayLike<number>, xs: ArrayLike<number>): Float64Array {
    return evaluateHalfSpectrum(re, im, this.n, xs, this.a, this.period);
  }
}

/**
 * ETDRK4 for a real periodic field, v' = L v + N(v) on the half spectrum,
 * returning grid values at output times that are multiples of dt.
 */
export class PeriodicSolver1d {
  private readonly stepper: ETDRK4;

  constructor(readonly grid: Periodic1d, L: DiagonalOperator, readonly dt: number, nonlinear: SpectralNonlinearity) {
    this.stepper = new ETDRK4(L, dt, nonlinear);
  }

  /** Solution frames at the given times, starting from grid values u0 at t = 0. */
  solve(u0: ArrayLike<number>, times: ArrayLike<number>, what = 'PeriodicSolver1d.solve'): Float64Array[] {
    const s = this.grid.spectrum(u0);
    const out: Float64Array[] = [];
    stepToTimes(times, this.dt, () => this.stepper.step(s.re, s.im), () => {
      const u = new Float64Array(this.grid.n);
      this.grid.inverse(s.re, s.im, u);
      out.push(u);
    }, what);
    return out;
  }
}

/** A real field on the 2-D periodic grid [a, a + L)^2 with n points per side (row-major, axis 0 = x). */
export class Periodic2d {
  readonly n: number;
  readonly period: number;
  readonly a: number;
  readonly x: Float64Array;
  /** Angular wavenumbers along x (full, length n) and y (half, length n/2 + 1). */
  readonly kx: Float64Array;
  readonly ky: Float64Array;
  /** Half-spectrum columns, n/2 + 1. */
  readonly m: number;
  private readonly plan: RealFFT2Plan;
  private readonly sr: Float64Array;
  private readonly si: Float64Array;

  constructor(n: number, { period = 2 * Math.PI, a = 0 }: { period?: number; a?: number } = {}) {
    checkGrid(n, period, 'Periodic2d');
    this.n = n;
    this.period = period;
    this.a = a;
    this.x = periodicGrid(n, a, period);
    this.kx = wavenumbers(n, period);
    this.ky = rwavenumbers(n, period);
    this.plan = new RealFFT2Plan(n, n);
    this.m = this.plan.nyOut;
    this.sr = new Float64Array(n * this.m);
    this.si = new Float64Array(n * this.m);
  }

  emptySpectrum(): { re: Float64Array; im: Float64Array } {
    return { re: new Float64Array(this.n * this.m), im: new Float64Array(this.n * this.m) };
  }

  forward(u: Float64Array, re: Float64Array, im: Float64Array): void {
    this.plan.forward(u, re, im);
  }

  /** Real field from a half spectrum; the spectrum is not modified. */
  inverse(re: Float64Array, im: Float64Array, out: Float64Array): void {
    this.plan.inverse(re, im, out, this.sr, this.si);
  }

  /** Half spectrum of grid values, or of f(x, y) sampled on the grid. */
  spectrum(u: ArrayLike<number> | ((x: number, y: number) => number)): { re: Float64Array; im: Float64Array } {
    const n = this.n;
    let values: Float64Array;
    if (typeof u === 'function') {
      values = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) values[i * n + j] = u(this.x[i], this.x[j]);
    } else {
      if (u.length !== n * n) throw new Error(`Periodic2d.spectrum: expected ${n * n} values, got ${u.length}`);
      values = Float64Array.from(u);
    }
    const s = this.emptySpectrum();
    this.forward(values, s.re, s.im);
    return s;
  }

  /**
   * Values of the interpolant on the tensor grid xs x ys (row-major
   * [xs.length, ys.length]), by separable direct sums: cost
   * O(|xs| n^2 / 2 + |xs| |ys| n / 2). Any grid works: finer, coarser,
   * shifted or non-uniform. The Nyquist modes are split symmetrically.
   */
  evaluateTensor(re: Float64Array, im: Float64Array, xs: ArrayLike<number>, ys: ArrayLike<number>): Float64Array {
    const { n, m, period, a } = this;
    const P = xs.length;
    const Q = ys.length;
    const even = n % 2 === 0;
    // stage 1: S[p, ky] = sum_kx X[kx, ky] E_kx(x_p)
    const Sr = new Float64Array(P * m);
    const Si = new Float64Array(P * m);
    const cr = new Float64Array(n);
    const ci = new Float64Array(n);
    for (let p = 0; p < P; p++) {
      const theta = (2 * Math.PI * (xs[p] - a)) / period;
      for (let i = 0; i < n; i++) {
        const k = i <= (n - 1) / 2 ? i : i - n;
        if (even && i === n / 2) {
          cr[i] = Math.cos((n / 2) * theta);
          ci[i] = 0;
        } else {
          cr[i] = Math.cos(k * theta);
          ci[i] = Math.sin(k * theta);
        }
      }
      for (let j = 0; j < m; j++) {
        let sr = 0;
        let si = 0;
        for (let i = 0, q = j; i < n; i++, q += m) {
          sr += re[q] * cr[i] - im[q] * ci[i];
          si += re[q] * ci[i] + im[q] * cr[i];
        }
        Sr[p * m + j] = sr;
        Si[p * m + j] = si;
      }
    }
    // stage 2: u[p, q] = (1/n^2) sum_ky w_ky Re(S[p, ky] F_ky(y_q))
    const fr = new Float64Array(Q * m);
    const fi = new Float64Array(Q * m);
    for (let q = 0; q < Q; q++) {
      const theta = (2 * Math.PI * (ys[q] - a)) / period;
      for (let j = 0; j < m; j++) {
        const nyq = even && j === n / 2;
        const w = j === 0 || nyq ? 1 : 2;
        fr[q * m + j] = w * Math.cos(j * theta);
        fi[q * m + j] = nyq ? 0 : w * Math.sin(j * theta);
      }
    }
    const out = new Float64Array(P * Q);
    const scale = 1 / (n * n);
    for (let p = 0; p < P; p++) {
      for (let q = 0; q < Q; q++) {
        let s = 0;
        for (let j = 0; j < m; j++) s += Sr[p * m + j] * fr[q * m + j] - Si[p * m + j] * fi[q * m + j];
        out[p * Q + q] = s * scale;
      }
    }
    return out;
  }

  /** Values of the interpolant at scattered points (x_p, y_p): O(P n^2 / 2). */
  evaluatePoints(re: Float64Array, im: Float64Array, xs: ArrayLike<number>, ys: ArrayLike<number>): Float64Array {
    if (xs.length !== ys.length) throw new Error(`Periodic2d.evaluatePoints: xs and ys differ in length (${xs.length}, ${ys.length})`);
    const out = new Float64Array(xs.length);
    for (let p = 0; p < xs.length; p++) out[p] = this.evaluateTensor(re, im, [xs[p]], [ys[p]])[0];
    return out;
  }
}
