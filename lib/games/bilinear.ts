/**
 * Bilinear zero-sum games min_x max_y x^T A y + b^T x + c^T y, the standard
 * test bed for game dynamics: gradient descent-ascent spirals outwards on them,
 * while extra-gradient, optimism, negative or complex momentum converge. The
 * Nash equilibrium solves A y* = -b, A^T x* = -c (x* = y* = 0 without the linear
 * terms).
 */
import * as tf from '../backend/tf.js';
import { rng } from '../data/random.js';
import type { Game } from './game.js';

export interface BilinearOptions {
  /** Dimension of x and y (A is dim x dim). */
  dim?: number;
  seed?: number;
  /**
   * The matrix: 'orthogonal' (a random orthogonal matrix times `scale`, so every
   * singular value equals `scale`), 'gaussian' (i.i.d. N(0, scale^2 / dim)
   * entries), or explicit rows.
   */
  matrix?: 'orthogonal' | 'gaussian' | number[][];
  scale?: number;
  /** Add random linear terms b, c (moves the equilibrium away from 0). */
  linearTerms?: boolean;
  /** Standard deviation of the random start (default 1). */
  initStd?: number;
}

export interface BilinearGame extends Game {
  A: number[][];
  /** The equilibrium (x*, y*). */
  equilibrium: { x: number[]; y: number[] };
  x: tf.Variable;
  y: tf.Variable;
  /** f(x, y) at the current point. */
  value(): number;
  /** || (x, y) - (x*, y*) ||. */
  distanceToEquilibrium(): number;
}

/** Gram-Schmidt on the columns of a random Gaussian matrix. */
function orthogonal(n: number, r: ReturnType<typeof rng>): number[][] {
  const cols: number[][] = [];
  while (cols.length < n) {
    const v = Array.from({ length: n }, () => r.normal());
    for (const c of cols) {
      const d = c.reduce((s, ci, i) => s + ci * v[i], 0);
      for (let i = 0; i < n; i++) v[i] -= d * c[i];
    }
    const norm = Math.hypot(...v);
    if (norm > 1e-8) cols.push(v.map((x) => x / norm));
  }
  return Array.from({ length: n }, (_, i) => cols.map((c) => c[i]));
}

/** Solves M z = rhs by Gaussian elimination with partial pivoting (float64). */
function solve(m: number[][], rhs: number[]): number[] {
  const n = rhs.length;
  const a = m.map((row, i) => [...row, rhs[i]]);
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(a[i][k]) > Math.abs(a[p][k])) p = i;
    [a[k], a[p]] = [a[p], a[k]];
    if (Math.abs(a[k][k]) < 1e-12) throw new Error('bilinear: the matrix is singular; the equilibrium is not unique');
    for (let i = k + 1; i < n; i++) {
      const f = a[i][k] / a[k][k];
      for (let j = k; j <= n; j++) a[i][j] -= f * a[k][j];
    }
  }
  const z = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = a[i][n];
    for (let j = i + 1; j < n; j++) s -= a[i][j] * z[j];
    z[i] = s / a[i][i];
  }
  return z;
}

export function bilinear(options: BilinearOptions = {}): BilinearGame {
  const dim = options.dim ?? 10;
  if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`bilinear: dim must be a positive integer, got ${dim}`);
  const seed = options.seed ?? 0;
  const scale = options.scale ?? 1;
  if (!(scale > 0)) throw new RangeError(`bilinear: scale must be > 0, got ${scale}`);
  const initStd = options.initStd ?? 1;
  const r = rng(seed, 'bilinear');
  const spec = options.matrix ?? 'orthogonal';
  let A: number[][];
  if (Array.isArray(spec)) {
    if (spec.length !== dim || spec.some((row) => !Array.isArray(row) || row.length !== dim)) {
      throw new RangeError(`bilinear: matrix must be ${dim} x ${dim} rows of numbers`);
    }
    A = spec.map((row) => row.slice());
  } else if (spec === 'orthogonal') A = orthogonal(dim, r).map((row) => row.map((v) => v * scale));
  else if (spec === 'gaussian') A = Array.from({ length: dim }, () => Array.from({ length: dim }, () => (r.normal() * scale) / Math.sqrt(dim)));
  else throw new RangeError(`bilinear: matrix must be 'orthogonal', 'gaussian' or rows of numbers, got '${String(spec)}'`);
  const b = options.linearTerms ? Array.from({ length: dim }, () => r.normal()) : new Array<number>(dim).fill(0);
  const c = options.linearTerms ? Array.from({ length: dim }, () => r.normal()) : new Array<number>(dim).fill(0);
  const At = A[0].map((_, j) => A.map((row) => row[j]));
  const equilibrium = { x: solve(At, c.map((v) => -v)), y: solve(A, b.map((v) => -v)) };
  const x0 = Array.from({ length: dim }, () => r.normal() * initStd);
  const y0 = Array.from({ length: dim }, () => r.normal() * initStd);
  const At2 = tf.keep(tf.tensor2d(A));
  const bT = tf.keep(tf.tensor1d(b));
  const cT = tf.keep(tf.tensor1d(c));
  const x = tf.variable(tf.tensor1d(x0), true);
  const y = tf.variable(tf.tensor1d(y0), true);
  const f = () =>
    tf.tidy(() => {
      const xAy = tf.sum(tf.mul(x, tf.squeeze(tf.matMul(At2, tf.reshape(y, [dim, 1])), [1])));
      if (!options.linearTerms) return xAy as tf.Scalar;
      return tf.add(xAy, tf.add(tf.sum(tf.mul(bT, x)), tf.sum(tf.mul(cT, y)))) as tf.Scalar;
    });
  const readOut = (v: tf.Variable) => Array.from(v.dataSync());
  return {
    A,
    equilibrium,
    x,
    y,
    players: [[x], [y]],
    losses: [f, () => tf.tidy(() => tf.neg(f()) as tf.Scalar)],
    value: () => tf.tidy(() => f().dataSync()[0]),
    distanceToEquilibrium: () => {
      const xv = readOut(x);
      const yv = readOut(y);
      let s = 0;
      xv.forEach((v, i) => (s += (v - equilibrium.x[i]) ** 2));
      yv.forEach((v, i) => (s += (v - equilibrium.y[i]) ** 2));
      return Math.sqrt(s);
    },
    dispose: () => tf.dispose([At2, bT, cT, x, y]),
  };
}
