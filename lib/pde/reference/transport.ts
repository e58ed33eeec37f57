/**
 * Linear hyperbolic benchmarks with closed-form solutions: periodic
 * convection u_t + beta u_x = 0 (the PINN failure case, beta = 30, u0 = sin x
 * on [0, 2 pi)) and the 1-D wave equation u_tt = c^2 u_xx on [0, 1] with zero
 * Dirichlet ends by d'Alembert's formula (default c = 2,
 * u0 = sin(pi x) + sin(4 pi x)/2, u_t(x, 0) = 0).
 */
import { type GridSolution, gridArg, gridSolution, linspace, tabulate } from './solution.js';
import { periodicGrid } from '../numerics/spectral.js';

/** Convection: u(t, x) = u0(x - beta t) with u0 2 pi-periodic. */
export function convection(opts: { t?: ArrayLike<number>; x?: ArrayLike<number>; beta?: number; u0?: (x: number) => number } = {}): GridSolution {
  const start = performance.now();
  const beta = opts.beta ?? 30;
  if (!Number.isFinite(beta)) throw new Error(`convection: beta must be finite, got ${beta}`);
  const u0 = opts.u0 ?? Math.sin;
  const t = gridArg(opts.t, () => linspace(0, 1, 101), 'convection: t');
  const x = gridArg(opts.x, () => periodicGrid(256, 0, 2 * Math.PI), 'convection: x');
  const u = tabulate([t, x], (tt, xx) => u0(xx - beta * tt));
  return gridSolution(['t', 'x'], [t, x], { u }, {
    equation: 'u_t + beta u_x = 0, periodic on [0, 2 pi)',
    method: 'exact: u0(x - beta t)',
    params: { beta, u0: opts.u0 ? 'custom' : 'sin(x)' },
    seconds: (performance.now() - start) / 1000,
  });
}

/**
 * d'Alembert solution of u_tt = c^2 u_xx on [0, L] with u = 0 at both ends,
 * u(x, 0) = phi(x), u_t(x, 0) = 0: u = (phi~(x - ct) + phi~(x + ct)) / 2 with
 * phi~ the odd 2L-periodic extension of phi.
 */
export function waveExact(t: number, x: number, { c = 2, length = 1, phi = defaultWaveProfile }: { c?: number; length?: number; phi?: (x: number) => number } = {}): number {
  const ext = (s: number) => {
    const p = 2 * length;
    const r = ((s % p) + p) % p; // in [0, 2L)
    return r <= length ? phi(r) : -phi(p - r);
  };
  return 0.5 * (ext(x - c * t) + ext(x + c * t));
}

function defaultWaveProfile(x: number): number {
  return Math.sin(Math.PI * x) + 0.5 * Math.sin(4 * Math.PI * x);
}

/** Wave 1-D on a (t, x) grid (default 101 x 101 on [0, 1]^2). */
export function wave1d(opts: { t?: ArrayLike<number>; x?: ArrayLike<number>; c?: number; length?: number; phi?: (x: number) => number } = {}): GridSolution {
  const start = performance.now();
  const c = opts.c ?? 2;
  const length = opts.length ?? 1;
  if (!(c > 0)) throw new Error(`wave1d: c must be positive, got ${c}`);
  if (!(length > 0)) throw new Error(`wave1d: length must be positive, got ${length}`);
  const t = gridArg(opts.t, () => linspace(0, 1, 101), 'wave1d: t');
  const x = gridArg(opts.x, () => linspace(0, length, 101), 'wave1d: x');
  const u = tabulate([t, x], (tt, xx) => waveExact(tt, xx, { c, length, phi: opts.phi }));
  return gridSolution(['t', 'x'], [t, x], { u }, {
    equation: 'u_tt = c^2 u_xx on (0, L), u(0) = u(L) = 0, u_t(x, 0) = 0',
    method: "exact (d'Alembert with odd periodic extension)",
    params: { c, length, phi: opts.phi ? 'custom' : 'sin(pi x) + sin(4 pi x)/2' },
    seconds: (performance.now() - start) / 1000,
  });
}
