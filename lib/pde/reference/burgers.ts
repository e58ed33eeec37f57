/**
 * Viscous Burgers u_t + u u_x = nu u_xx on x in [-1, 1], u(+-1, t) = 0,
 * u(x, 0) = -sin(pi x), nu = 0.01/pi: the classic PINN benchmark (Raissi et
 * al.), whose published reference grid is t = linspace(0, 0.99, 100),
 * x = linspace(-1, 1, 256).
 *
 * Reference: the Cole–Hopf solution
 *   u = -int sin(pi (x - eta)) f(x - eta) G(eta) d eta / int f(x - eta) G(eta) d eta,
 *   f(y) = exp(-cos(pi y) / (2 pi nu)), G(eta) = exp(-eta^2 / (4 nu t)),
 * evaluated by Gauss–Hermite quadrature in eta = sqrt(4 nu t) z with the
 * exponents combined and shifted (log-sum-exp), so nothing overflows.
 *
 * Independent check: `burgersSpectral`, a Fourier pseudo-spectral ETDRK4
 * solver. -sin(pi x) is odd and 2-periodic and Burgers preserves both, so the
 * periodic solution on [-1, 1) vanishes at x = +-1 and is the Dirichlet one.
 */
import { gaussHermite } from '../numerics/quadrature.js';
import { Periodic1d } from '../numerics/periodic.js';
import { integrateETDRK4 } from '../numerics/integrators.js';
import { type GridSolution, gridArg, gridSolution, linspace, checkTimes } from './solution.js';

export const BURGERS_NU = 0.01 / Math.PI;

export interface BurgersOptions {
  /** Times (default linspace(0, 0.99, 100), Raissi's grid). */
  t?: ArrayLike<number>;
  /** Points in [-1, 1] (default linspace(-1, 1, 256)). */
  x?: ArrayLike<number>;
  /** Viscosity (default 0.01/pi). */
  nu?: number;
}

function checkNu(nu: number, what: string): void {
  if (!(nu > 0) || !Number.isFinite(nu)) throw new Error(`${what}: nu must be a positive finite number, got ${nu}`);
}

/**
 * Cole–Hopf value u(t, x) with an n-point Gauss–Hermite rule (pass a rule to
 * reuse it across points). n = 100 already agrees with adaptive quadrature to
 * ~1e-15 on the default problem; the default 200 leaves margin.
 */
export function burgersColeHopf(t: number, x: number, nu = BURGERS_NU, rule = gaussHermite(200)): number {
  if (t === 0) return -Math.sin(Math.PI * x);
  const c = Math.sqrt(4 * nu * t);
  const inv = 1 / (2 * Math.PI * nu);
  const { nodes, weights } = rule;
  let m = -Infinity;
  const n = nodes.length;
  const logs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const y = x - c * nodes[i];
    logs[i] = weights[i] > 0 ? Math.log(weights[i]) - Math.cos(Math.PI * y) * inv : -Infinity;
    if (logs[i] > m) m = logs[i];
  }
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp(logs[i] - m);
    num += Math.sin(Math.PI * (x - c * nodes[i])) * e;
    den += e;
  }
  return -num / den;
}

/** The Burgers reference on a (t, x) grid by Cole–Hopf + Gauss–Hermite (`quadraturePoints`, default 200). */
export function burgers(opts: BurgersOptions & { quadraturePoints?: number } = {}): GridSolution {
  const start = performance.now();
  const nu = opts.nu ?? BURGERS_NU;
  checkNu(nu, 'burgers');
  const t = gridArg(opts.t, () => linspace(0, 0.99, 100), 'burgers: t');
  const x = gridArg(opts.x, () => linspace(-1, 1, 256), 'burgers: x');
  checkTimes(t);
  const nq = opts.quadraturePoints ?? 200;
  const rule = gaussHermite(nq);
  const u = new Float64Array(t.length * x.length);
  for (let i = 0; i < t.length; i++) {
    for (let j = 0; j < x.length; j++) u[i * x.length + j] = burgersColeHopf(t[i], x[j], nu, rule);
  }
  return gridSolution(['t', 'x'], [t, x], { u }, {
    equation: 'u_t + u u_x = nu u_xx on (-1, 1), u(+-1) = 0, u(x, 0) = -sin(pi x)',
    method: `Cole-Hopf integral, ${nq}-point Gauss-Hermite quadrature`,
    params: { nu, quadraturePoints: nq },
    seconds: (performance.now() - start) / 1000,
  });
}

/**
 * The same problem by Fourier pseudo-spectral ETDRK4 on n points of the
 * period [-1, 1) (N(u) = -(u^2/2)_x, L = -nu k^2), output by trigonometric
 * interpolation at the requested x. Default n = 2048, dt = 4e-4.
 */
export function burgersSpectral(opts: BurgersOptions & { n?: number; dt?: number } = {}): GridSolution {
  const start = performance.now();
  const nu = opts.nu ?? BURGERS_NU;
  checkNu(nu, 'burgersSpectral');
  const n = opts.n ?? 2048;
  const dt = opts.dt ?? 4e-4;
  if (!(dt > 0)) throw new Error(`burgersSpectral: dt must be positive, got ${dt}`);
  const t = gridArg(opts.t, () => linspace(0, 0.99, 100), 'burgersSpectral: t');
  const x = gridArg(opts.x, () => linspace(-1, 1, 256), 'burgersSpectral: x');
  checkTimes(t);
  const grid = new Periodic1d(n, { period: 2, a: -1 });
  const L = { re: Float64Array.from(grid.k, (kk) => -nu * kk * kk) };
  const nonlinear = (vr: Float64Array, vi: Float64Array, or: Float64Array, oi: Float64Array) => grid.advection(vr, vi, or, oi);
  const out = new Float64Array(t.length * x.length);
  integrateETDRK4(L, nonlinear, grid.spectrum((xx) => -Math.sin(Math.PI * xx)), t, dt, (p, vr, vi) => {
    out.set(grid.evaluate(vr, vi, x), p * x.length);
  });
  return gridSolution(['t', 'x'], [t, x], { u: out }, {
    equation: 'u_t + u u_x = nu u_xx on (-1, 1), u(+-1) = 0, u(x, 0) = -sin(pi x)',
    method: `Fourier pseudo-spectral (odd 2-periodic extension), ETDRK4, n = ${n}, dt = ${dt}`,
    params: { nu, n, dt },
    seconds: (performance.now() - start) / 1000,
  });
}
