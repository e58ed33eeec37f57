/**
 * The periodic initial-value problems of TENG and their references, plus the uniform
 * quadrature grids the method fits on.
 *
 * - `heat1d`: u_t = 0.1 u_xx on [0, 2 pi), exact solution
 *   e^{-0.1 t} sin x + 0.5 e^{-0.9 t} cos 3x + 0.2 e^{-0.4 t} sin(2x + 1).
 * - `heat2d`, `allenCahn2d`, `burgers2d`: the official code's 2-D problems on [0, 2 pi)^2
 *   with u0 = 0.04 cosh(3 sin x) sinh(sin y) and D = 0.1, 0.005, 0.01, referenced by the
 *   float64 spectral solutions of `pde.reference` (exact Fourier evolution for heat).
 */
import { Matrix } from '../linalg/index.js';
import {
  tengHeat1dExact, tengInitialCondition, tengHeat2d, tengAllenCahn2d, tengBurgers2d, type PeriodicSpectralSolution2d,
} from '../pde/reference/teng.js';
import { allenCahn, burgers, heat, type EvolutionOperator } from './equations.js';

/** Uniform points on a periodic box with equal (trapezoid) quadrature weights. */
export interface QuadratureGrid {
  /** [N, dims]; point (i0, i1, ...) is row ((i0 m + i1) m + ...), the last axis fastest. */
  points: Matrix;
  /** Quadrature weight of each point (area / N). */
  weights: Float64Array;
  /** Points per axis. */
  m: number;
  dims: number;
  period: number;
}

/**
 * m^dims points x_j = shift + period j / m per axis (TENG's `PeriodicQuadratureSampler`,
 * trapezoid rule). The official code uses shift 0 at every step.
 */
export function periodicGrid(dims: number, m: number, period = 2 * Math.PI, shift: ArrayLike<number> | number = 0): QuadratureGrid {
  if (!Number.isInteger(dims) || dims < 1) throw new Error(`teng.periodicGrid: dims must be a positive integer, got ${dims}`);
  if (!Number.isInteger(m) || m < 2) throw new Error(`teng.periodicGrid: m must be an integer >= 2, got ${m}`);
  if (!(period > 0)) throw new Error(`teng.periodicGrid: period must be positive, got ${period}`);
  const shifts = typeof shift === 'number' ? new Array(dims).fill(shift) : Array.from(shift);
  if (shifts.length !== dims) throw new Error(`teng.periodicGrid: shift has ${shifts.length} entries for ${dims} dims`);
  const n = m ** dims;
  const points = new Matrix(n, dims);
  for (let r = 0; r < n; r++) {
    let rest = r;
    for (let d = dims - 1; d >= 0; d--) {
      points.data[r * dims + d] = shifts[d] + (period * (rest % m)) / m;
      rest = Math.floor(rest / m);
    }
  }
  return { points, weights: new Float64Array(n).fill(period ** dims / n), m, dims, period };
}

/** A reference solution at a fixed list of times, evaluated on uniform grids. */
export interface Reference {
  readonly times: readonly number[];
  /** Values at time index i on the uniform grid with m points per axis, in `periodicGrid` order. */
  onGrid(i: number, m: number): Float64Array;
}

export interface Problem {
  name: string;
  dims: number;
  period: number;
  equation: EvolutionOperator;
  /** u0 at each row of `points`. */
  initial(points: Matrix): Float64Array;
  /** The reference at the given times (computed once; spectral solves can take seconds). */
  reference(times: number[]): Reference;
  /** Where the reference comes from. */
  referenceMethod: string;
}

const TWO_PI = 2 * Math.PI;

function pointwise(dims: number, f: (x: number[]) => number) {
  return (points: Matrix): Float64Array => {
    if (points.cols !== dims) throw new Error(`initial condition: points must have ${dims} columns, got ${points.cols}`);
    const out = new Float64Array(points.rows);
    for (let r = 0; r < points.rows; r++) out[r] = f(Array.from(points.data.subarray(r * dims, (r + 1) * dims)));
    return out;
  };
}

/** TENG's 1-D heat problem (exact reference). */
export function heat1d(): Problem {
  return {
    name: 'heat-1d',
    dims: 1,
    period: TWO_PI,
    equation: heat(1, 0.1),
    initial: pointwise(1, ([x]) => tengHeat1dExact(0, x)),
    reference: (times) => ({
      times,
      onGrid: (i, m) => {
        const t = times[i];
        return Float64Array.from({ length: m }, (_, j) => tengHeat1dExact(t, (TWO_PI * j) / m));
      },
    }),
    referenceMethod: 'exact',
  };
}

function spectral2d(name: string, equation: EvolutionOperator, solve: (times: number[]) => PeriodicSpectralSolution2d, method: string): Problem {
  return {
    name,
    dims: 2,
    period: TWO_PI,
    equation,
    initial: pointwise(2, ([x, y]) => tengInitialCondition(x, y)),
    reference: (times) => {
      const solution = solve(times);
      return { times, onGrid: (i, m) => solution.uniform(i, m) };
    },
    referenceMethod: method,
  };
}

/** 2-D heat, D = 0.1 (exact Fourier evolution of u0). */
export function heat2d(): Problem {
  return spectral2d('heat-2d', heat(2, 0.1), (t) => tengHeat2d({ t }), 'exact Fourier evolution (pde.reference.tengHeat2d)');
}

/** 2-D Allen–Cahn, D = 0.005 (Fourier pseudo-spectral ETDRK4, 256^2, dt 0.01). */
export function allenCahn2d(): Problem {
  return spectral2d('allen-cahn-2d', allenCahn(2, 0.005), (t) => tengAllenCahn2d({ t }), 'Fourier pseudo-spectral ETDRK4, 256^2, dt 0.01 (pde.reference.tengAllenCahn2d)');
}

/** 2-D viscous Burgers, D = 0.01 (Fourier pseudo-spectral ETDRK4, 256^2, dt 0.005). */
export function burgers2d(): Problem {
  return spectral2d('burgers-2d', burgers(2, 0.01), (t) => tengBurgers2d({ t }), 'Fourier pseudo-spectral ETDRK4, 256^2, dt 0.005 (pde.reference.tengBurgers2d)');
}

/** ||pred - ref|| / ||ref|| on a uniform grid. */
export { relativeL2 } from '../pde/reference/solution.js';
