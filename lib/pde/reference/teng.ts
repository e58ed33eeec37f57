/**
 * The periodic PDEs of TENG (Chen et al., ICML 2024; official code
 * pde-sim/teng) with float64 spectral references:
 *
 * - 2-D on [0, 2 pi)^2, t in [0, 4], initial condition
 *   u0(x, y) = 0.04 cosh(3 sin x) sinh(sin y)
 *   (equivalently [e^{3 sin x + sin y} + e^{-3 sin x + sin y}
 *   - e^{3 sin x - sin y} - e^{-3 sin x - sin y}] / 100),
 *   - heat u_t = D Laplacian(u), D = 0.1 (exact Fourier evolution);
 *   - Allen–Cahn u_t = D Laplacian(u) + u - u^3, D = 0.005;
 *   - viscous Burgers u_t = -u (u_x + u_y) + D Laplacian(u), D = 0.01.
 *   These coefficients and u0 were identified from the reference spectra
 *   shipped with the official code (they reproduce them to ~1e-14).
 * - 1-D heat u_t = 0.1 u_xx on [0, 2 pi) with the exact solution
 *   e^{-0.1 t} sin x + 0.5 e^{-0.9 t} cos 3x + 0.2 e^{-0.4 t} sin(2x + 1).
 *
 * The 2-D solutions are returned as spectra at the requested times, so they
 * can be evaluated exactly (to the reference's accuracy) on any grid, on the
 * randomly shifted quadrature grids TENG samples, or at scattered points.
 */
import { Periodic2d } from '../numerics/periodic.js';
import { integrateETDRK4 } from '../numerics/integrators.js';
import { type GridSolution, type ReferenceMeta, gridArg, gridSolution, linspace, checkTimes, tabulate } from './solution.js';
import { periodicGrid } from '../numerics/spectral.js';

/** TENG's 2-D initial condition. */
export function tengInitialCondition(x: number, y: number): number {
  return 0.04 * Math.cosh(3 * Math.sin(x)) * Math.sinh(Math.sin(y));
}

/** A periodic 2-D solution stored as half spectra at a list of times. */
export class PeriodicSpectralSolution2d {
  constructor(
    readonly grid: Periodic2d,
    readonly times: Float64Array,
    readonly spectra: { re: Float64Array; im: Float64Array }[],
    readonly meta: ReferenceMeta,
  ) {}

  private spectrum(timeIndex: number) {
    const s = this.spectra[timeIndex];
    if (!s) throw new Error(`PeriodicSpectralSolution2d: time index ${timeIndex} is out of range 0..${this.spectra.length - 1}`);
    return s;
  }

  /** Values on the tensor grid xs x ys (default: the solver grid), row-major [xs, ys]. */
  values(timeIndex: number, xs?: ArrayLike<number>, ys?: ArrayLike<number>): Float64Array {
    const s = this.spectrum(timeIndex);
    if (!xs && !ys) {
      const out = new Float64Array(this.grid.n * this.grid.n);
      this.grid.inverse(s.re, s.im, out);
      return out;
    }
    return this.grid.evaluateTensor(s.re, s.im, xs ?? this.grid.x, ys ?? xs ?? this.grid.x);
  }

  /** Values on the m x m uniform grid x_j = shift + 2 pi j / m (TENG's error grid is m = 512, shift 0). */
  uniform(timeIndex: number, m: number, shift: [number, number] = [0, 0]): Float64Array {
    const L = this.grid.period;
    const xs = Float64Array.from({ length: m }, (_, j) => this.grid.a + shift[0] + (L * j) / m);
    const ys = Float64Array.from({ length: m }, (_, j) => this.grid.a + shift[1] + (L * j) / m);
    return this.values(timeIndex, xs, ys);
  }

  /** Values at scattered points (x_p, y_p). */
  points(timeIndex: number, xs: ArrayLike<number>, ys: ArrayLike<number>): Float64Array {
    const s = this.spectrum(timeIndex);
    return this.grid.evaluatePoints(s.re, s.im, xs, ys);
  }

  /** All times on one (x, y) tensor grid (default: the solver grid) as a GridSolution with axes t, x, y. */
  toGrid(xs?: ArrayLike<number>, ys?: ArrayLike<number>): GridSolution {
    const x = Float64Array.from(xs ?? this.grid.x);
    const y = Float64Array.from(ys ?? xs ?? this.grid.x);
    const u = new Float64Array(this.times.length * x.length * y.length);
    for (let p = 0; p < this.times.length; p++) u.set(this.values(p, x, y), p * x.length * y.length);
    return gridSolution(['t', 'x', 'y'], [Float64Array.from(this.times), x, y], { u }, this.meta);
  }
}

export interface Teng2dOptions {
  /** Output times (default linspace(0, 4, 9)). */
  t?: ArrayLike<number>;
  /** Diffusion coefficient D. */
  D?: number;
  /** Solver grid points per side. */
  n?: number;
  /** Time step (ignored by the exact heat solution). */
  dt?: number;
}

function setup(opts: Teng2dOptions, defaults: { D: number; n: number; dt: number }, what: string) {
  const D = opts.D ?? defaults.D;
  const n = opts.n ?? defaults.n;
  const dt = opts.dt ?? defaults.dt;
  if (!(D >= 0) || !Number.isFinite(D)) throw new Error(`${what}: D must be a non-negative finite number, got ${D}`);
  if (!Number.isInteger(n) || n < 8) throw new Error(`${what}: n must be an integer >= 8, got ${n}`);
  if (!(dt > 0)) throw new Error(`${what}: dt must be positive, got ${dt}`);
  const t = gridArg(opts.t, () => linspace(0, 4, 9), `${what}: t`);
  checkTimes(t);
  const grid = new Periodic2d(n, { period: 2 * Math.PI });
  const k2 = new Float64Array(n * grid.m);
  for (let i = 0; i < n; i++) for (let j = 0; j < grid.m; j++) k2[i * grid.m + j] = grid.kx[i] * grid.kx[i] + grid.ky[j] * grid.ky[j];
  return { D, n, dt, t, grid, k2 };
}

/** 2-D heat, exact: each Fourier mode of u0 decays as e^{-D |k|^2 t}. Default D = 0.1, n = 64. */
export function tengHeat2d(opts: Teng2dOptions = {}): PeriodicSpectralSolution2d {
  const start = performance.now();
  const { D, n, t, grid, k2 } = setup(opts, { D: 0.1, n: 64, dt: 1 }, 'tengHeat2d');
  const s0 = grid.spectrum(tengInitialCondition);
  const spectra = Array.from(t, (tt) => ({
    re: Float64Array.from(s0.re, (v, p) => v * Math.exp(-D * k2[p] * tt)),
    im: Float64Array.from(s0.im, (v, p) => v * Math.exp(-D * k2[p] * tt)),
  }));
  return new PeriodicSpectralSolution2d(grid, t, spectra, {
    equation: 'u_t = D (u_xx + u_yy), periodic on [0, 2 pi)^2, u0 = 0.04 cosh(3 sin x) sinh(sin y)',
    method: `exact Fourier evolution of the sampled initial condition, n = ${n}`,
    params: { D, n },
    seconds: (performance.now() - start) / 1000,
  });
}

function solveSemilinear2d(
  what: string,
  equation: string,
  opts: Teng2dOptions,
  defaults: { D: number; n: number; dt: number },
  linearShift: number,
  nonlinearFor: (grid: Periodic2d) => (vr: Float64Array, vi: Float64Array, or: Float64Array, oi: Float64Array) => void,
): PeriodicSpectralSolution2d {
  const start = performance.now();
  const { D, n, dt, t, grid, k2 } = setup(opts, defaults, what);
  const L = { re: Float64Array.from(k2, (kk) => -D * kk + linearShift) };
  const spectra: { re: Float64Array; im: Float64Array }[] = [];
  integrateETDRK4(L, nonlinearFor(grid), grid.spectrum(tengInitialCondition), t, dt, (_p, vr, vi) => {
    spectra.push({ re: Float64Array.from(vr), im: Float64Array.from(vi) });
  });
  return new PeriodicSpectralSolution2d(grid, t, spectra, {
    equation,
    method: `Fourier pseudo-spectral, ETDRK4, n = ${n}^2, dt = ${dt}`,
    params: { D, n, dt },
    seconds: (performance.now() - start) / 1000,
  });
}

/**
 * 2-D Allen–Cahn u_t = D Laplacian(u) + u - u^3 (D = 0.005), ETDRK4 with
 * L = -D |k|^2 + 1 and N = -u^3. Default n = 256, dt = 0.01: the interfaces
 * forming along y = 0 and y = pi put ~1e-6 of the spectrum at |k_y| ~ 63 by
 * t = 4, so n = 128 is accurate to ~1e-10 up to t = 2 but only ~1e-6 at t = 4.
 */
export function tengAllenCahn2d(opts: Teng2dOptions = {}): PeriodicSpectralSolution2d {
  return solveSemilinear2d(
    'tengAllenCahn2d',
    'u_t = D (u_xx + u_yy) + u - u^3, periodic on [0, 2 pi)^2, u0 = 0.04 cosh(3 sin x) sinh(sin y)',
    opts,
    { D: 0.005, n: 256, dt: 0.01 },
    1,
    (grid) => {
      const u = new Float64Array(grid.n * grid.n);
      return (vr, vi, or, oi) => {
        grid.inverse(vr, vi, u);
        for (let p = 0; p < u.length; p++) u[p] = -u[p] * u[p] * u[p];
        grid.forward(u, or, oi);
      };
    },
  );
}

/**
 * 2-D viscous Burgers u_t = -u (u_x + u_y) + D Laplacian(u) (D = 0.01), in
 * conservative form -(u^2/2)_x - (u^2/2)_y. Default n = 256, dt = 0.005.
 */
export function tengBurgers2d(opts: Teng2dOptions = {}): PeriodicSpectralSolution2d {
  return solveSemilinear2d(
    'tengBurgers2d',
    'u_t = -u (u_x + u_y) + D (u_xx + u_yy), periodic on [0, 2 pi)^2, u0 = 0.04 cosh(3 sin x) sinh(sin y)',
    opts,
    { D: 0.01, n: 256, dt: 0.005 },
    0,
    (grid) => {
      const { n, m, kx, ky } = grid;
      const u = new Float64Array(n * n);
      // -(i (kx + ky) / 2) FFT(u^2); the Nyquist rows/columns carry no real derivative
      const factor = new Float64Array(n * m);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < m; j++) {
          const kxi = n % 2 === 0 && i === n / 2 ? 0 : kx[i];
          const kyj = n % 2 === 0 && j === n / 2 ? 0 : ky[j];
          factor[i * m + j] = -0.5 * (kxi + kyj);
        }
      }
      return (vr, vi, or, oi) => {
        grid.inverse(vr, vi, u);
        for (let p = 0; p < u.length; p++) u[p] *= u[p];
        grid.forward(u, or, oi);
        for (let p = 0; p < or.length; p++) {
          const r = or[p];
          or[p] = -factor[p] * oi[p];
          oi[p] = factor[p] * r;
        }
      };
    },
  );
}

/** TENG's 1-D heat solution (u_t = 0.1 u_xx on [0, 2 pi)). */
export function tengHeat1dExact(t: number, x: number): number {
  return Math.exp(-0.1 * t) * Math.sin(x) + 0.5 * Math.exp(-0.9 * t) * Math.cos(3 * x) + 0.2 * Math.exp(-0.4 * t) * Math.sin(2 * x + 1);
}

/** TENG's 1-D heat solution on a (t, x) grid (default 101 times in [0, 1], 256 periodic points). */
export function tengHeat1d(opts: { t?: ArrayLike<number>; x?: ArrayLike<number> } = {}): GridSolution {
  const start = performance.now();
  const t = gridArg(opts.t, () => linspace(0, 1, 101), 'tengHeat1d: t');
  const x = gridArg(opts.x, () => periodicGrid(256, 0, 2 * Math.PI), 'tengHeat1d: x');
  const u = tabulate([t, x], tengHeat1dExact);
  return gridSolution(['t', 'x'], [t, x], { u }, {
    equation: 'u_t = 0.1 u_xx, periodic on [0, 2 pi)',
    method: 'exact: e^{-0.1 t} sin x + 0.5 e^{-0.9 t} cos 3x + 0.2 e^{-0.4 t} sin(2x + 1)',
    params: { D: 0.1 },
    seconds: (performance.now() - start) / 1000,
  });
}
