/**
 * 1-D Korteweg–de Vries trajectories, u_t + u u_x + u_xxx = 0 on [0, L)
 * periodic (the convention of Brandstetter et al.'s Lie point-symmetry
 * study, L = 128), from random-sines initial data. Fourier pseudo-spectral
 * with ETDRK4 (L = i k^3 handles the stiff dispersion exactly).
 */
import { Periodic1d } from '../../../pde/numerics/periodic.js';
import { ETDRK4, stepToTimes } from '../../../pde/numerics/integrators.js';

/** A reusable KdV solver on n points of [0, period). */
export class KdVSolver {
  readonly grid: Periodic1d;
  private readonly stepper: ETDRK4;

  constructor(readonly n: number, readonly period: number, readonly dt: number) {
    if (!(dt > 0)) throw new Error(`KdVSolver: dt must be positive, got ${dt}`);
    this.grid = new Periodic1d(n, { period });
    const grid = this.grid;
    const half = n % 2 === 0 ? n / 2 : -1;
    // -u_xxx -> -(i k)^3 = i k^3
    const L = { re: new Float64Array(grid.nModes), im: Float64Array.from(grid.k, (kk, j) => (j === half ? 0 : kk * kk * kk)) };
    this.stepper = new ETDRK4(L, dt, (vr, vi, or, oi) => grid.advection(vr, vi, or, oi));
  }

  /** Frames at the given times (multiples of dt), starting from grid values u0 at t = 0. */
  solve(u0: ArrayLike<number>, times: ArrayLike<number>): Float64Array[] {
    const s = this.grid.spectrum(u0);
    const out: Float64Array[] = [];
    stepToTimes(times, this.dt, () => this.stepper.step(s.re, s.im), () => {
      const u = new Float64Array(this.n);
      this.grid.inverse(s.re, s.im, u);
      out.push(u);
    }, 'KdVSolver.solve');
    return out;
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
