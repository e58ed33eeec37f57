/**
 * Nonlinear Schrödinger i h_t + 0.5 h_xx + |h|^2 h = 0 on x in [-5, 5)
 * periodic, h(x, 0) = 2 sech(x), t in [0, pi/2]: the PINN benchmark of
 * Raissi et al. (NLS.mat: 256 points in x, 201 in t), solved as two real
 * fields u = Re h, v = Im h.
 *
 * Method: Fourier pseudo-spectral with ETDRK4 on the complex spectrum
 * (L = -i k^2 / 2, N = i FFT(|h|^2 h)). Mass int |h|^2 dx and the Hamiltonian
 * are conserved by the PDE; `nlsInvariants` measures both.
 */
import { fftPlan } from '../numerics/fft.js';
import { wavenumbers, periodicGrid, evaluateSpectrum } from '../numerics/spectral.js';
import { integrateETDRK4 } from '../numerics/integrators.js';
import { type GridSolution, gridArg, gridSolution, linspace, checkTimes } from './solution.js';

export interface SchrodingerOptions {
  /** Times (default linspace(0, pi/2, 201)). */
  t?: ArrayLike<number>;
  /** Points in [-5, 5) (default the 256-point periodic grid). */
  x?: ArrayLike<number>;
  /** Solver grid points (default 512). */
  n?: number;
  /** Time step (default 2e-4). */
  dt?: number;
}

const HALF_WIDTH = 5;

export function schrodinger(opts: SchrodingerOptions = {}): GridSolution {
  const start = performance.now();
  const n = opts.n ?? 512;
  const dt = opts.dt ?? 2e-4;
  if (!Number.isInteger(n) || n < 4) throw new Error(`schrodinger: n must be an integer >= 4, got ${n}`);
  if (!(dt > 0)) throw new Error(`schrodinger: dt must be positive, got ${dt}`);
  const t = gridArg(opts.t, () => linspace(0, Math.PI / 2, 201), 'schrodinger: t');
  const x = gridArg(opts.x, () => periodicGrid(256, -HALF_WIDTH, 2 * HALF_WIDTH), 'schrodinger: x');
  checkTimes(t);
  const period = 2 * HALF_WIDTH;
  const plan = fftPlan(n);
  const k = wavenumbers(n, period);
  const L = { re: new Float64Array(n), im: Float64Array.from(k, (kk) => -0.5 * kk * kk) };
  const nonlinear = (vr: Float64Array, vi: Float64Array, or: Float64Array, oi: Float64Array) => {
    or.set(vr);
    oi.set(vi);
    plan.inverse(or, oi);
    for (let j = 0; j < n; j++) {
      const a = or[j];
      const b = oi[j];
      const m = a * a + b * b;
      // i |h|^2 h
      or[j] = -m * b;
      oi[j] = m * a;
    }
    plan.forward(or, oi);
  };
  const grid = periodicGrid(n, -HALF_WIDTH, period);
  const h0 = { re: Float64Array.from(grid, (xx) => 2 / Math.cosh(xx)), im: new Float64Array(n) };
  plan.forward(h0.re, h0.im);
  const u = new Float64Array(t.length * x.length);
  const v = new Float64Array(t.length * x.length);
  integrateETDRK4(L, nonlinear, h0, t, dt, (p, vr, vi) => {
    const h = evaluateSpectrum(vr, vi, x, -HALF_WIDTH, period);
    u.set(h.re, p * x.length);
    v.set(h.im, p * x.length);
  });
  const habs = Float64Array.from(u, (uu, i) => Math.hypot(uu, v[i]));
  return gridSolution(['t', 'x'], [t, x], { u, v, h: habs }, {
    equation: 'i h_t + 0.5 h_xx + |h|^2 h = 0, periodic on [-5, 5), h(x, 0) = 2 sech(x); u = Re h, v = Im h',
    method: `Fourier pseudo-spectral, ETDRK4 (complex), n = ${n}, dt = ${dt}`,
    params: { n, dt },
    seconds: (performance.now() - start) / 1000,
  });
}

/**
 * Discrete mass sum |h|^2 dx and Hamiltonian sum (|h_x|^2 / 2 - |h|^4 / 2) dx
 * of periodic samples h = u + i v on [-5, 5) (h_x spectrally): both are
 * constant in time for the exact NLS flow.
 */
export function nlsInvariants(u: ArrayLike<number>, v: ArrayLike<number>): { mass: number; hamiltonian: number } {
  const n = u.length;
  if (v.length !== n) throw new Error(`nlsInvariants: u and v differ in length (${n}, ${v.length})`);
  const dx = (2 * HALF_WIDTH) / n;
  const re = Float64Array.from(u);
  const im = Float64Array.from(v);
  const plan = fftPlan(n);
  plan.forward(re, im);
  const k = wavenumbers(n, 2 * HALF_WIDTH);
  for (let j = 0; j < n; j++) {
    const nyq = n % 2 === 0 && j === n / 2;
    const r = re[j];
    re[j] = nyq ? 0 : -k[j] * im[j];
    im[j] = nyq ? 0 : k[j] * r;
  }
  plan.inverse(re, im);
  let mass = 0;
  let ham = 0;
  for (let j = 0; j < n; j++) {
    const m = u[j] * u[j] + v[j] * v[j];
    mass += m;
    ham += 0.5 * (re[j] * re[j] + im[j] * im[j]) - 0.5 * m * m;
  }
  return { mass: mass * dx, hamiltonian: ham * dx };
}
