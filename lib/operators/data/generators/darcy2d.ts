/**
 * 2-D Darcy flow, the FNO benchmark map a -> u:  -div(a grad u) = f on
 * (0, 1)^2, u = 0 on the boundary, f = 1, with a piecewise-constant
 * permeability a = 12 where a Neumann GRF (alpha = 2, tau = 3) is >= 0 and
 * a = 3 elsewhere. Solved with the conservative 5-point scheme on a grid
 * `refinement` times finer than the stored one (band Cholesky), then
 * sampled at the stored nodes, as FNO subsamples its 421 x 421 solutions.
 */
import { diffusionOperator2d, interiorOf, embedInterior } from '../../../pde/numerics/sparse.js';
import { BandedCholesky } from '../../../pde/numerics/banded.js';
import { cosineGRF2d } from '../../../pde/numerics/grf.js';
import type { Rng } from '../../../pde/numerics/random.js';

export interface DarcyCoefficientOptions {
  /** Nodes per side including the boundary. */
  s: number;
  alpha?: number;
  tau?: number;
  /** Permeability where the field is >= 0 (default 12) and < 0 (default 3). */
  high?: number;
  low?: number;
}

/** Node coordinates j / (s - 1), j = 0..s-1. */
export function unitNodes(s: number): Float64Array {
  return Float64Array.from({ length: s }, (_, j) => j / (s - 1));
}

/** The thresholded-GRF permeability on the s x s nodes of [0, 1]^2 (row-major, axis 0 = x). */
export function darcyCoefficient(seed: number | Rng, { s, alpha = 2, tau = 3, high = 12, low = 3 }: DarcyCoefficientOptions): Float64Array {
  const nodes = unitNodes(s);
  const field = cosineGRF2d({ xs: nodes, ys: nodes, alpha, tau, modes: s, seed });
  return Float64Array.from(field, (v) => (v >= 0 ? high : low));
}

/**
 * Solves -div(a grad u) = f with u = 0 on the boundary of [0, 1]^2 on the
 * s x s node grid where a (and f, default 1) are given; returns u on the nodes.
 */
export function solveDarcy(a: ArrayLike<number>, s: number, f: number | ArrayLike<number> = 1): Float64Array {
  if (a.length !== s * s) throw new Error(`solveDarcy: a has ${a.length} values, expected s*s = ${s * s}`);
  const A = diffusionOperator2d({ nx: s, ny: s, coefficient: a });
  const rhs = typeof f === 'number' ? new Float64Array((s - 2) * (s - 2)).fill(f) : interiorOf(f, s, s);
  return embedInterior(new BandedCholesky(A).solve(rhs), s, s);
}

/** Samples every `stride`-th node of an [n, n] field. */
export function subsampleNodes(u: ArrayLike<number>, n: number, stride: number): Float64Array {
  const m = Math.floor((n - 1) / stride) + 1;
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) out[i * m + j] = u[i * stride * n + j * stride];
  return out;
}

/** One Darcy sample: coefficient and solution on the stored s x s grid, solved on the refined grid. */
export function darcySample(seed: number | Rng, { s, refinement = 2, ...coef }: Omit<DarcyCoefficientOptions, 's'> & { s: number; refinement?: number }): { a: Float64Array; u: Float64Array } {
  if (!Number.isInteger(refinement) || refinement < 1) throw new Error(`darcySample: refinement must be a positive integer, got ${refinement}`);
  const fine = refinement * (s - 1) + 1;
  const aFine = darcyCoefficient(seed, { s: fine, ...coef });
  const uFine = solveDarcy(aFine, fine);
  return { a: subsampleNodes(aFine, fine, refinement), u: subsampleNodes(uFine, fine, refinement) };
}
