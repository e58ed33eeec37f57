/**
 * Lie point symmetries of the viscous Burgers equation u_t + u u_x = nu u_xx
 * as data augmentations for trajectories on a periodic grid (Mialon et al.,
 * "Self-supervised learning with Lie symmetries for PDEs", 2023). Each maps
 * solutions to solutions with the same nu:
 *
 *   space translation   u(x, t) -> u(x - a, t)
 *   time translation    u(x, t) -> u(x, t + s)                 (a window starting later)
 *   Galilean boost      u(x, t) -> u(x - c t, t) + c
 *
 * Trajectories are row-major [nt, nx] over x in [0, L) periodic and t = t0 + k dt.
 * Sub-grid shifts are exact Fourier interpolation (float64).
 */
import { fourierInterpolate } from '../pde/numerics/spectral.js';

export interface Trajectory {
  /** Row-major [nt, nx] values. */
  u: Float64Array;
  nt: number;
  nx: number;
  /** Grid spacing in time and the period in space. */
  dt: number;
  period: number;
}

/** Shifts one periodic row by `a` (in x units): out(x) = row(x - a). */
function shiftRow(row: Float64Array, a: number, period: number): Float64Array {
  const n = row.length;
  const xs = Float64Array.from({ length: n }, (_, j) => (j * period) / n - a);
  return fourierInterpolate(row, xs, { period });
}

/** A window of `frames` time steps starting at frame `start` (time translation and crop). */
export function cropTime(tr: Trajectory, start: number, frames: number): Trajectory {
  if (!Number.isInteger(start) || !Number.isInteger(frames) || start < 0 || frames < 1 || start + frames > tr.nt) {
    throw new Error(`cropTime: frames ${start}..${start + frames - 1} are outside the trajectory's 0..${tr.nt - 1}`);
  }
  return { ...tr, u: tr.u.slice(start * tr.nx, (start + frames) * tr.nx), nt: frames };
}

/** u(x, t) -> u(x - a, t). */
export function translateSpace(tr: Trajectory, a: number): Trajectory {
  const u = new Float64Array(tr.u.length);
  for (let k = 0; k < tr.nt; k++) u.set(shiftRow(tr.u.subarray(k * tr.nx, (k + 1) * tr.nx), a, tr.period), k * tr.nx);
  return { ...tr, u };
}

/** u(x, t) -> u(x - c t, t) + c, with t measured from the window's first frame. */
export function galileanBoost(tr: Trajectory, c: number): Trajectory {
  const u = new Float64Array(tr.u.length);
  for (let k = 0; k < tr.nt; k++) {
    const row = shiftRow(tr.u.subarray(k * tr.nx, (k + 1) * tr.nx), c * k * tr.dt, tr.period);
    for (let j = 0; j < tr.nx; j++) u[k * tr.nx + j] = row[j] + c;
  }
  return { ...tr, u };
}

export interface LieAugmentOptions {
  /** Frames in the returned window (time crop / translation). */
  frames: number;
  /** Apply a random space translation (uniform over the period) and a Galilean boost c ~ U[-maxBoost, maxBoost] (default true, 0.5). */
  symmetries?: boolean;
  maxBoost?: number;
}

/** A random view: a time window of `frames` frames and, with `symmetries`, a random space shift and boost. */
export function burgersView(tr: Trajectory, rng: { uniform(): number }, { frames, symmetries = true, maxBoost = 0.5 }: LieAugmentOptions): Trajectory {
  let v = cropTime(tr, Math.floor(rng.uniform() * (tr.nt - frames + 1)), frames);
  if (symmetries) {
    v = translateSpace(v, rng.uniform() * tr.period);
    v = galileanBoost(v, maxBoost * (2 * rng.uniform() - 1));
  }
  return v;
}
