/**
 * 2-D incompressible Navier–Stokes in vorticity form on the periodic unit
 * square, the FNO benchmark:  w_t + u . grad w = nu Laplacian(w) + f,
 * u = (psi_y, -psi_x), -Laplacian(psi) = w, nu = 1e-3,
 * f = 0.1 (sin 2 pi (x + y) + cos 2 pi (x + y)),
 * w0 ~ GRF(alpha = 2.5, tau = 7, sigma = tau^(0.5 (2 alpha - 2))) as in
 * FNO's `random_fields.py`. Pseudo-spectral with 2/3 dealiasing of the
 * advection term, Crank–Nicolson for viscosity and Adams–Bashforth 2 for
 * advection (FNO's `ns_2d.py` uses forward Euler there with dt = 1e-4;
 * `scheme: 'euler'` reproduces that).
 */
import { Periodic2d } from '../../../pde/numerics/periodic.js';
import { CrankNicolsonIMEX, stepToTimes } from '../../../pde/numerics/integrators.js';
import { periodicGRF2d, maternAmplitude } from '../../../pde/numerics/grf.js';
import type { Rng } from '../../../pde/numerics/random.js';

/** FNO's NS initial vorticity on the n x n grid of [0, 1)^2 (modes with index <= kMax; default all below Nyquist). */
export function navierStokesInitialVorticity(
  n: number,
  seed: number | Rng,
  { alpha = 2.5, tau = 7, kMax }: { alpha?: number; tau?: number; kMax?: number } = {},
): Float64Array {
  const sigma = Math.pow(tau, 0.5 * (2 * alpha - 2));
  // random_fields.py takes the real part of a full complex Gaussian series: per +-k pair
  // that is a cos/sin coefficient of standard deviation 2 sigma lambda^(-alpha/2)
  return periodicGRF2d({ n, period: 1, amplitude: maternAmplitude({ sigma, tau, alpha, scale: 2 }), seed, kMax });
}

/** FNO's forcing 0.1 (sin 2 pi (x + y) + cos 2 pi (x + y)) on the n x n grid. */
export function fnoForcing(n: number): Float64Array {
  const f = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const s = (2 * Math.PI * (i + j)) / n;
      f[i * n + j] = 0.1 * (Math.sin(s) + Math.cos(s));
    }
  }
  return f;
}

export interface NavierStokesOptions {
  /** Viscosity (default 1e-3). */
  nu?: number;
  /** Time step (default 1e-3). */
  dt?: number;
  /** Forcing on the grid, or null for none (default FNO's). */
  forcing?: Float64Array | null;
  /** 'ab2' (default, second order) or 'euler' (FNO's first-order scheme). */
  scheme?: 'ab2' | 'euler';
  /** Apply the 2/3 dealiasing rule to the advection term (default true, as FNO). */
  dealias?: boolean;
}

/** A reusable vorticity solver on the n x n periodic grid of [0, 1)^2. */
export class NavierStokes2dSolver {
  readonly grid: Periodic2d;
  readonly nu: number;
  readonly dt: number;
  private readonly options: Required<Omit<NavierStokesOptions, 'forcing'>> & { forcing: Float64Array | null };

  constructor(readonly n: number, opts: NavierStokesOptions = {}) {
    this.grid = new Periodic2d(n, { period: 1 });
    this.nu = opts.nu ?? 1e-3;
    this.dt = opts.dt ?? 1e-3;
    if (!(this.nu >= 0)) throw new Error(`NavierStokes2dSolver: nu must be >= 0, got ${this.nu}`);
    if (!(this.dt > 0)) throw new Error(`NavierStokes2dSolver: dt must be positive, got ${this.dt}`);
    this.options = {
      nu: this.nu,
      dt: this.dt,
      forcing: opts.forcing === undefined ? fnoForcing(n) : opts.forcing,
      scheme: opts.scheme ?? 'ab2',
      dealias: opts.dealias ?? true,
    };
    if (this.options.forcing && this.options.forcing.length !== n * n) {
      throw new Error(`NavierStokes2dSolver: forcing has ${this.options.forcing.length} values, expected n*n = ${n * n}`);
    }
  }

  /** Vorticity at each requested time (multiples of dt), starting from w0 at t = 0. */
  solve(w0: ArrayLike<number>, times: ArrayLike<number>): Float64Array[] {
    const { grid, n, dt } = this;
    const { kx, ky, m } = grid;
    const size = n * m;
    const k2 = new Float64Array(size);
    const mask = new Float64Array(size);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        const p = i * m + j;
        k2[p] = kx[i] * kx[i] + ky[j] * ky[j];
        const mi = i <= n / 2 ? i : n - i;
        mask[p] = !this.options.dealias || (mi <= (2 / 3) * (n / 2) && j <= (2 / 3) * (n / 2)) ? 1 : 0;
      }
    }
    const fHat = grid.emptySpectrum();
    if (this.options.forcing) grid.forward(this.options.forcing, fHat.re, fHat.im);
    const work = Array.from({ length: 6 }, () => new Float64Array(size));
    const [ar, ai, br, bi] = work;
    const fields = Array.from({ length: 4 }, () => new Float64Array(n * n));
    const [ux, uy, wx, wy] = fields;
    const nonlinear = (vr: Float64Array, vi: Float64Array, or: Float64Array, oi: Float64Array) => {
      // psi = w / |k|^2; u = psi_y, v = -psi_x; N = -(u w_x + v w_y) + f
      for (let p = 0; p < size; p++) {
        const inv = k2[p] === 0 ? 0 : 1 / k2[p];
        const i = (p / m) | 0;
        const j = p - i * m;
        const pr = vr[p] * inv * mask[p];
        const pi = vi[p] * inv * mask[p];
        // u = i ky psi, v = -i kx psi, w_x = i kx w, w_y = i ky w
        ar[p] = -ky[j] * pi;
        ai[p] = ky[j] * pr;
        br[p] = kx[i] * pi;
        bi[p] = -kx[i] * pr;
        work[4][p] = -kx[i] * vi[p] * mask[p];
        work[5][p] = kx[i] * vr[p] * mask[p];
      }
      grid.inverse(ar, ai, ux);
      grid.inverse(br, bi, uy);
      grid.inverse(work[4], work[5], wx);
      for (let p = 0; p < size; p++) {
        const j = p % m;
        ar[p] = -ky[j] * vi[p] * mask[p];
        ai[p] = ky[j] * vr[p] * mask[p];
      }
      grid.inverse(ar, ai, wy);
      for (let q = 0; q < n * n; q++) ux[q] = -(ux[q] * wx[q] + uy[q] * wy[q]);
      grid.forward(ux, or, oi);
      for (let p = 0; p < size; p++) {
        or[p] = or[p] * mask[p] + fHat.re[p];
        oi[p] = oi[p] * mask[p] + fHat.im[p];
      }
    };
    const L = Float64Array.from(k2, (v) => -this.nu * v);
    const stepper = new CrankNicolsonIMEX(L, dt, nonlinear, { scheme: this.options.scheme });
    const w = grid.emptySpectrum();
    grid.forward(Float64Array.from(w0), w.re, w.im);
    const out: Float64Array[] = [];
    stepToTimes(times, dt, () => stepper.step(w.re, w.im), () => {
      const frame = new Float64Array(n * n);
      grid.inverse(w.re, w.im, frame);
      out.push(frame);
    }, 'NavierStokes2dSolver.solve');
    return out;
  }
}
