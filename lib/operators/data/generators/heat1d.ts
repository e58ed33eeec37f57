/**
 * 1-D heat trajectories for symmetry and time-stepping work:
 * u_t = nu u_xx on [0, 2 pi) periodic, u0 = sum_{j=1}^{5} A_j sin(l_j x + phi_j)
 * with A_j ~ U[-0.5, 0.5], l_j uniform in {1, 2, 3}, phi_j ~ U[0, 2 pi)
 * (the random-sines initial data of Brandstetter et al.'s Lie point-symmetry
 * augmentation study) and a random viscosity nu ~ U[nuMin, nuMax]. The
 * trajectory is exact: each sine decays as e^{-nu l^2 t}.
 */
import type { Rng } from '../../../pde/numerics/random.js';

export interface RandomSines {
  amplitudes: number[];
  wavenumbers: number[];
  phases: number[];
}

/** Draws J random sines (amplitudes in [-amax, amax], integer wavenumbers in 1..lMax, phases in [0, 2 pi)). */
export function randomSines(rng: Rng, { J = 5, amax = 0.5, lMax = 3 }: { J?: number; amax?: number; lMax?: number } = {}): RandomSines {
  const amplitudes: number[] = [];
  const wavenumbers: number[] = [];
  const phases: number[] = [];
  for (let j = 0; j < J; j++) {
    amplitudes.push((2 * rng.uniform() - 1) * amax);
    wavenumbers.push(1 + Math.floor(rng.uniform() * lMax));
    phases.push(2 * Math.PI * rng.uniform());
  }
  return { amplitudes, wavenumbers, phases };
}

/** Evaluates sum_j A_j sin(k_j x + phi_j) at the points xs, with k_j = 2 pi l_j / period. */
export function evaluateSines(s: RandomSines, xs: ArrayLike<number>, period = 2 * Math.PI): Float64Array {
  return Float64Array.from(xs, (x) => s.amplitudes.reduce((acc, a, j) => acc + a * Math.sin((2 * Math.PI * s.wavenumbers[j] * x) / period + s.phases[j]), 0));
}

/** Exact heat trajectory on [0, L): frames at the given times on the grid xs, row-major [t, x]. */
export function heatTrajectory(s: RandomSines, nu: number, xs: ArrayLike<number>, times: ArrayLike<number>, period = 2 * Math.PI): Float64Array {
  const out = new Float64Array(times.length * xs.length);
  for (let p = 0; p < times.length; p++) {
    for (let q = 0; q < xs.length; q++) {
      let u = 0;
      for (let j = 0; j < s.amplitudes.length; j++) {
        const k = (2 * Math.PI * s.wavenumbers[j]) / period;
        u += s.amplitudes[j] * Math.exp(-nu * k * k * times[p]) * Math.sin(k * xs[q] + s.phases[j]);
      }
      out[p * xs.length + q] = u;
    }
  }
  return out;
}
