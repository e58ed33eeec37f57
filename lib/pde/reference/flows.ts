/**
 * Exact incompressible Navier–Stokes flows used as PINN benchmarks:
 * Kovasznay flow (steady 2-D, Re = 40 on [-0.5, 1] x [-0.5, 1.5]) and the
 * Ethier–Steinman Beltrami flow (unsteady 3-D, a = d = 1, Re = 1 on
 * [-1, 1]^3 x [0, 1]), the ConFIG paper's setups.
 */
import { type GridSolution, gridArg, gridSolution, linspace, tabulateFields } from './solution.js';

/** lambda = Re/2 - sqrt(Re^2/4 + 4 pi^2) for Kovasznay flow at Reynolds number Re = 1/nu. */
export function kovasznayLambda(re: number): number {
  return re / 2 - Math.sqrt((re * re) / 4 + 4 * Math.PI * Math.PI);
}

/** Kovasznay velocity (u, v) and pressure p at (x, y). */
export function kovasznayExact(x: number, y: number, { re = 40 }: { re?: number } = {}): { u: number; v: number; p: number } {
  const lam = kovasznayLambda(re);
  const e = Math.exp(lam * x);
  return {
    u: 1 - e * Math.cos(2 * Math.PI * y),
    v: ((lam / (2 * Math.PI)) * e) * Math.sin(2 * Math.PI * y),
    p: 0.5 * (1 - e * e),
  };
}

/** Kovasznay flow on an (x, y) grid (default 101 x 101 on [-0.5, 1] x [-0.5, 1.5]). */
export function kovasznay(opts: { x?: ArrayLike<number>; y?: ArrayLike<number>; re?: number } = {}): GridSolution {
  const start = performance.now();
  const re = opts.re ?? 40;
  if (!(re > 0)) throw new Error(`kovasznay: re must be positive, got ${re}`);
  const x = gridArg(opts.x, () => linspace(-0.5, 1, 101), 'kovasznay: x');
  const y = gridArg(opts.y, () => linspace(-0.5, 1.5, 101), 'kovasznay: y');
  const fields = tabulateFields([x, y], ['u', 'v', 'p'], (xx, yy) => {
    const s = kovasznayExact(xx, yy, { re });
    return [s.u, s.v, s.p];
  });
  return gridSolution(['x', 'y'], [x, y], fields, {
    equation: 'u.grad(u) + grad(p) = (1/Re) Laplacian(u), div(u) = 0',
    method: 'exact (Kovasznay 1948)',
    params: { re, lambda: kovasznayLambda(re) },
    seconds: (performance.now() - start) / 1000,
  });
}

export interface BeltramiOptions {
  a?: number;
  d?: number;
  /** Kinematic viscosity (1/Re); default 1. */
  nu?: number;
}

/** Ethier–Steinman Beltrami flow: velocity (u, v, w) and pressure p at (t, x, y, z). */
export function beltramiExact(t: number, x: number, y: number, z: number, { a = 1, d = 1, nu = 1 }: BeltramiOptions = {}): { u: number; v: number; w: number; p: number } {
  const ex = Math.exp(a * x);
  const ey = Math.exp(a * y);
  const ez = Math.exp(a * z);
  const decay = Math.exp(-nu * d * d * t);
  const sxy = Math.sin(a * x + d * y);
  const syz = Math.sin(a * y + d * z);
  const szx = Math.sin(a * z + d * x);
  const cxy = Math.cos(a * x + d * y);
  const cyz = Math.cos(a * y + d * z);
  const czx = Math.cos(a * z + d * x);
  const u = -a * (ex * syz + ez * cxy) * decay;
  const v = -a * (ey * szx + ex * cyz) * decay;
  const w = -a * (ez * sxy + ey * czx) * decay;
  const p =
    -0.5 * a * a *
    (ex * ex + ey * ey + ez * ez +
      2 * sxy * czx * Math.exp(a * (y + z)) +
      2 * syz * cxy * Math.exp(a * (z + x)) +
      2 * szx * cyz * Math.exp(a * (x + y))) *
    decay * decay;
  return { u, v, w, p };
}

/** Beltrami flow on a (t, x, y, z) grid (default 5 times in [0, 1], 21^3 points on [-1, 1]^3). */
export function beltrami(opts: BeltramiOptions & { t?: ArrayLike<number>; x?: ArrayLike<number>; y?: ArrayLike<number>; z?: ArrayLike<number> } = {}): GridSolution {
  const start = performance.now();
  const p = { a: opts.a ?? 1, d: opts.d ?? 1, nu: opts.nu ?? 1 };
  if (!(p.nu > 0)) throw new Error(`beltrami: nu must be positive, got ${p.nu}`);
  const t = gridArg(opts.t, () => linspace(0, 1, 5), 'beltrami: t');
  const x = gridArg(opts.x, () => linspace(-1, 1, 21), 'beltrami: x');
  const y = gridArg(opts.y, () => linspace(-1, 1, 21), 'beltrami: y');
  const z = gridArg(opts.z, () => linspace(-1, 1, 21), 'beltrami: z');
  const fields = tabulateFields([t, x, y, z], ['u', 'v', 'w', 'p'], (tt, xx, yy, zz) => {
    const s = beltramiExact(tt, xx, yy, zz, p);
    return [s.u, s.v, s.w, s.p];
  });
  return gridSolution(['t', 'x', 'y', 'z'], [t, x, y, z], fields, {
    equation: 'u_t + u.grad(u) + grad(p) = nu Laplacian(u), div(u) = 0 (3-D)',
    method: 'exact (Ethier & Steinman 1994)',
    params: p,
    seconds: (performance.now() - start) / 1000,
  });
}
