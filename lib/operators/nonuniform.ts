/**
 * Non-uniform point data for grid-based operators, as in NUNO (Liu et al.,
 * ICML 2023): a K-D tree splits the point cloud into subdomains with equal
 * numbers of points (so dense regions get small boxes), each subdomain's values
 * are interpolated onto its own uniform grid, the grids are stacked as channels
 * for an FNO, and the predictions are interpolated back to the points.
 *
 * Points are fixed per data set, so both interpolations are linear maps built
 * once as dense float64 matrices: `toGrid` (inverse-distance weighting of the
 * k nearest points of each grid node) and `toPoints` (bilinear interpolation
 * of the grid), applied to batches of values by one matrix product.
 */
import * as tf from '../backend/tf.js';
import { checkNumber, checkPositiveInt } from './module.js';

/** An axis-aligned box [x0, x1] x [y0, y1]. */
export type Box = [number, number, number, number];

export interface KdLeaf {
  box: Box;
  /** Indices of the points in this leaf. */
  indices: number[];
}

/**
 * Splits 2-D points (row-major [n, 2]) by the median along the longer side of
 * each box, `depth` times: 2^depth leaves with (nearly) equal point counts.
 */
export function kdTreePartition(points: ArrayLike<number>, depth: number, box: Box = [0, 1, 0, 1]): KdLeaf[] {
  checkNumber('kdTreePartition', 'depth', depth, { min: 0, integer: true });
  if (points.length % 2 !== 0) throw new Error(`kdTreePartition: points must be [n, 2] row-major, got ${points.length} numbers`);
  const split = (leaf: KdLeaf, level: number): KdLeaf[] => {
    if (level === depth || leaf.indices.length < 2) return [leaf];
    const [x0, x1, y0, y1] = leaf.box;
    const axis = x1 - x0 >= y1 - y0 ? 0 : 1;
    const sorted = [...leaf.indices].sort((a, b) => points[2 * a + axis] - points[2 * b + axis]);
    const half = sorted.length >> 1;
    const cut = 0.5 * (points[2 * sorted[half - 1] + axis] + points[2 * sorted[half] + axis]);
    const lo: Box = axis === 0 ? [x0, cut, y0, y1] : [x0, x1, y0, cut];
    const hi: Box = axis === 0 ? [cut, x1, y0, y1] : [x0, x1, cut, y1];
    return [...split({ box: lo, indices: sorted.slice(0, half) }, level + 1), ...split({ box: hi, indices: sorted.slice(half) }, level + 1)];
  };
  return split({ box, indices: Array.from({ length: points.length / 2 }, (_, i) => i) }, 0);
}

/** Node coordinates of an s x s grid covering a box (row-major, axis 0 = x). */
export function gridNodes(box: Box, s: number): Float64Array {
  const [x0, x1, y0, y1] = box;
  const out = new Float64Array(s * s * 2);
  for (let i = 0; i < s; i++) for (let j = 0; j < s; j++) {
    out[2 * (i * s + j)] = x0 + ((x1 - x0) * i) / (s - 1);
    out[2 * (i * s + j) + 1] = y0 + ((y1 - y0) * j) / (s - 1);
  }
  return out;
}

/**
 * [s*s, n] matrix: each grid node of `box` takes the inverse-distance-weighted
 * mean (power 2) of its k nearest points among `subset` (default all).
 */
export function scatteredToGridMatrix(points: ArrayLike<number>, box: Box, s: number, { k = 4, subset }: { k?: number; subset?: number[] } = {}): Float64Array {
  checkPositiveInt('scatteredToGridMatrix', 's', s);
  checkPositiveInt('scatteredToGridMatrix', 'k', k);
  const n = points.length / 2;
  const pool = subset ?? Array.from({ length: n }, (_, i) => i);
  if (pool.length < k) throw new Error(`scatteredToGridMatrix: ${pool.length} points, fewer than k = ${k}`);
  const nodes = gridNodes(box, s);
  const W = new Float64Array(s * s * n);
  const d2 = new Float64Array(pool.length);
  for (let g = 0; g < s * s; g++) {
    const gx = nodes[2 * g];
    const gy = nodes[2 * g + 1];
    pool.forEach((p, q) => { d2[q] = (points[2 * p] - gx) ** 2 + (points[2 * p + 1] - gy) ** 2; });
    const nearest = Array.from(pool.keys()).sort((a, b) => d2[a] - d2[b]).slice(0, k);
    if (d2[nearest[0]] === 0) {
      W[g * n + pool[nearest[0]]] = 1;
      continue;
    }
    const w = nearest.map((q) => 1 / d2[q]);
    const total = w.reduce((a, b) => a + b, 0);
    nearest.forEach((q, t) => { W[g * n + pool[q]] += w[t] / total; });
  }
  return W;
}

/** [m, s*s] matrix of bilinear interpolation of an s x s grid on `box` at the given points (clamped to the box). */
export function gridToScatteredMatrix(box: Box, s: number, points: ArrayLike<number>): Float64Array {
  checkNumber('gridToScatteredMatrix', 's', s, { min: 2, integer: true });
  const [x0, x1, y0, y1] = box;
  const m = points.length / 2;
  const B = new Float64Array(m * s * s);
  for (let p = 0; p < m; p++) {
    const u = Math.min(Math.max(((points[2 * p] - x0) / (x1 - x0)) * (s - 1), 0), s - 1);
    const v = Math.min(Math.max(((points[2 * p + 1] - y0) / (y1 - y0)) * (s - 1), 0), s - 1);
    const i = Math.min(Math.floor(u), s - 2);
    const j = Math.min(Math.floor(v), s - 2);
    const a = u - i;
    const b = v - j;
    B[p * s * s + i * s + j] += (1 - a) * (1 - b);
    B[p * s * s + (i + 1) * s + j] += a * (1 - b);
    B[p * s * s + i * s + j + 1] += (1 - a) * b;
    B[p * s * s + (i + 1) * s + j + 1] += a * b;
  }
  return B;
}

/**
 * The linear maps between point values and (sub)grids for one point cloud:
 * `toGrid(values [B, n]) -> [B, s, s, leaves]` and `toPoints(grids) -> [B, n]`
 * (each point read from the grid of its own leaf). `depth` 0 is one global grid.
 */
export class PointGridMaps {
  readonly leaves: KdLeaf[];
  private readonly forward: tf.Tensor2D;
  private readonly backward: tf.Tensor2D;

  constructor(readonly points: Float64Array, readonly depth: number, readonly s: number, { k = 4, box = [0, 1, 0, 1] as Box } = {}) {
    this.leaves = kdTreePartition(points, depth, box);
    const n = points.length / 2;
    const L = this.leaves.length;
    const G = s * s;
    // forward: [n, G * L] so that values [B, n] @ forward = [B, G, L] after reshape (grid node major, leaf last)
    const fw = new Float64Array(n * G * L);
    const bw = new Float64Array(G * L * n);
    this.leaves.forEach((leaf, l) => {
      const W = scatteredToGridMatrix(points, leaf.box, s, { k, subset: leaf.indices });
      for (let g = 0; g < G; g++) for (let p = 0; p < n; p++) fw[p * G * L + g * L + l] = W[g * n + p];
      const own = Float64Array.from(leaf.indices.flatMap((p) => [points[2 * p], points[2 * p + 1]]));
      const Bm = gridToScatteredMatrix(leaf.box, s, own);
      leaf.indices.forEach((p, q) => { for (let g = 0; g < G; g++) bw[(g * L + l) * n + p] = Bm[q * G + g]; });
    });
    this.forward = tf.keep(tf.tensor2d(Float32Array.from(fw), [n, G * L]));
    this.backward = tf.keep(tf.tensor2d(Float32Array.from(bw), [G * L, n]));
  }

  get leafCount(): number { return this.leaves.length; }

  /** Point values [B, n] -> grids [B, s, s, leaves]. */
  toGrid(values: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => tf.reshape(tf.matMul(values as tf.Tensor2D, this.forward), [values.shape[0], this.s, this.s, this.leafCount]) as tf.Tensor4D);
  }

  /** Grids [B, s, s, leaves] -> point values [B, n]. */
  toPoints(grids: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => tf.matMul(tf.reshape(grids, [grids.shape[0], -1]) as tf.Tensor2D, this.backward));
  }

  dispose(): void {
    this.forward.dispose();
    this.backward.dispose();
  }
}
