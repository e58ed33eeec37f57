/**
 * 1-D Korteweg–de Vries trajectories, u_t + u u_x + u_xxx = 0 on [0, L)
 * periodic (the convention of Brandstetter et al.'s Lie point-symmetry
 * study, L = 128), from random-sines initial data. Fourier pseudo-spectral
 * with ETDRK4 (L = i k^3 handles the stiff dispersion exactly).
 */
import { Periodic1d, PeriodicSolver1d } from '../../../pde/numerics/periodic.js';

/** A reusable KdV solver on n points of [0, period). */
export class KdVSolver {
  readonly grid: Periodic1d;
  private readonly solver: PeriodicSolver1d;

  constructor(readonly n: number, readonly period: number, readonly dt: number) {
    if (!(dt > 0)) throw new Error(`KdVSolver: dt must be positive, got ${dt}`);
    const grid = (this.grid = new Periodic1d(n, { period }));
    const half = n % 2 === 0 ? n / 2 : -1;
    // -u_xxx -> -(i k)^3 = i k^3
    const L = { re: new Float64Array(grid.nModes), im: Float64Array.from(grid.k, (kk, j) => (j === half ? 0 : kk * kk * kk)) };
    this.solver = new PeriodicSolver1d(grid, L, dt, (vr, vi, or, oi) => grid.advection(vr, vi, or, oi));
  }

  /** Frames at the given times (multiples of dt), starting from grid values u0 at t = 0. */
  solve(u0: ArrayLike<number>, times: ArrayLike<number>): Float64Array[] {
    return this.solver.solve(u0, times, 'KdVSolver.solve');
  }
}

/** The KdV soliton 3c sech^2(sqrt(c)/2 (x - c t - x0)), periodised over [0, L) by summing images. */
export function kdvSoliton(x: number, t: number, c: number, x0: number, period: number): number {
  let u = 0;
  for (let m = -3; m <= 3; m++) {
    const z = (Math.sqrt(c) / 2) * (x - c * t - x0 + m * period);
    u += 3 * c / Math.cosh(z) ** 2;
  }
  return u;
}
