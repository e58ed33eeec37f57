/**
 * Allen–Cahn u_t = eps u_xx + 5 u - 5 u^3 on x in [-1, 1) periodic,
 * u(x, 0) = x^2 cos(pi x), t in [0, 1], eps = 1e-4: the PINN benchmark of
 * Raissi et al. (data set AC.mat: 512 points in x, 201 in t), also used by
 * R3 sampling and jaxpi.
 *
 * Method: Fourier pseudo-spectral in x (the initial data are periodic but
 * have a derivative jump at x = +-1, so convergence in n is algebraic at
 * first) with ETDRK4 in time; values at other points by trigonometric
 * interpolation.
 */
import { Periodic1d } from '../numerics/periodic.js';
import { integrateETDRK4 } from '../numerics/integrators.js';
import { type GridSolution, gridArg, gridSolution, linspace, checkTimes } from './solution.js';
import { periodicGrid } from '../numerics/spectral.js';

export interface AllenCahnOptions {
  /** Times (default linspace(0, 1, 201)). */
  t?: ArrayLike<number>;
  /** Points in [-1, 1) (default the 512-point periodic grid). */
  x?: ArrayLike<number>;
  /** Diffusion (default 1e-4). */
  eps?: number;
  /** Reaction strength r in r (u - u^3) (default 5). */
  reaction?: number;
  /** Solver grid points (default 2048). */
  n?: number;
  /** Time step (default 1e-3). */
  dt?: number;
}

export function allenCahn(opts: AllenCahnOptions = {}): GridSolution {
  const start = performance.now();
  const eps = opts.eps ?? 1e-4;
  const r = opts.reaction ?? 5;
  const n = opts.n ?? 2048;
  const dt = opts.dt ?? 1e-3;
  if (!(eps > 0)) throw new Error(`allenCahn: eps must be positive, got ${eps}`);
  if (!(dt > 0)) throw new Error(`allenCahn: dt must be positive, got ${dt}`);
  const t = gridArg(opts.t, () => linspace(0, 1, 201), 'allenCahn: t');
  const x = gridArg(opts.x, () => periodicGrid(512, -1, 2), 'allenCahn: x');
  checkTimes(t);
  const grid = new Periodic1d(n, { period: 2, a: -1 });
  const L = { re: Float64Array.from(grid.k, (k) => -eps * k * k) };
  const u = new Float64Array(n);
  const nonlinear = (vr: Float64Array, vi: Float64Array, or: Float64Array, oi: Float64Array) => {
    grid.inverse(vr, vi, u);
    for (let j = 0; j < n; j++) u[j] = r * (u[j] - u[j] * u[j] * u[j]);
    grid.forward(u, or, oi);
  };
  const out = new Float64Array(t.length * x.length);
  integrateETDRK4(L, nonlinear, grid.spectrum((xx) => xx * xx * Math.cos(Math.PI * xx)), t, dt, (p, vr, vi) => {
    out.set(grid.evaluate(vr, vi, x), p * x.length);
  });
  return gridSolution(['t', 'x'], [t, x], { u: out }, {
    equation: 'u_t = eps u_xx + r (u - u^3), periodic on [-1, 1), u(x, 0) = x^2 cos(pi x)',
    method: `Fourier pseudo-spectral, ETDRK4, n = ${n}, dt = ${dt}`,
    params: { eps, reaction: r, n, dt },
    seconds: (performance.now() - start) / 1000,
  });
}
