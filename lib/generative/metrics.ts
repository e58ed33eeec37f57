/**
 * Sample-based distances between point sets (float64): energy distance, MMD
 * with several kernels, 1-D and sliced Wasserstein, k-NN precision / recall,
 * and mixture-specific mode coverage and class accuracy.
 */
import type { GaussianMixture } from './mixture.js';
import { sqDist, toMatrix, type Matrix, type PointsLike } from './points.js';
import { rng, type SeedLike } from './random.js';

function sameDim(a: Matrix, b: Matrix, what: string): void {
  if (a.cols !== b.cols) throw new Error(`${what}: point sets differ in dimension (${a.cols} vs ${b.cols})`);
}

function meanPairwise(a: Matrix, b: Matrix, f: (d2: number) => number, excludeDiagonal: boolean): number {
  let s = 0;
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < b.rows; j++) if (!(excludeDiagonal && i === j)) s += f(sqDist(a, i, b, j));
  const count = excludeDiagonal ? a.rows * (a.rows - 1) : a.rows * b.rows;
  return s / count;
}

/**
 * Squared energy distance 2E|X-Y| - E|X-X'| - E|Y-Y'| between the empirical
 * distributions (V-statistic; in 1-D the square of scipy.stats.energy_distance).
 * Zero only when the two samples have the same distribution.
 */
export function energyDistance(x: PointsLike, y: PointsLike): number {
  const a = toMatrix(x, 'x');
  const b = toMatrix(y, 'y');
  sameDim(a, b, 'energyDistance');
  const dist = Math.sqrt;
  return 2 * meanPairwise(a, b, dist, false) - meanPairwise(a, a, dist, false) - meanPairwise(b, b, dist, false);
}

/** A kernel as a function of the squared distance. */
export type Kernel = (sqDistance: number) => number;

/** Sum of Gaussian kernels exp(-|x-y|^2 / (2 h^2)) over bandwidths h. */
export function gaussianKernel(bandwidths: number | readonly number[] = [0.1, 0.2, 0.5, 1, 2, 5]): Kernel {
  const hs = typeof bandwidths === 'number' ? [bandwidths] : [...bandwidths];
  if (hs.length === 0 || hs.some((h) => !(h > 0))) throw new Error(`gaussianKernel: bandwidths must be positive, got [${hs}]`);
  const inv = hs.map((h) => 1 / (2 * h * h));
  return (d2) => {
    let s = 0;
    for (const c of inv) s += Math.exp(-d2 * c);
    return s;
  };
}

/** Sum of inverse multiquadric kernels c / (c + |x-y|^2) over scales c (heavy tails: sensitive to far-off modes). */
export function imqKernel(scales: number | readonly number[] = [0.1, 0.2, 0.5, 1, 2, 5, 10]): Kernel {
  const cs = typeof scales === 'number' ? [scales] : [...scales];
  if (cs.length === 0 || cs.some((c) => !(c > 0))) throw new Error(`imqKernel: scales must be positive, got [${cs}]`);
  return (d2) => {
    let s = 0;
    for (const c of cs) s += c / (c + d2);
    return s;
  };
}

export interface MmdOptions {
  kernel?: Kernel;
  /** 'unbiased' (U-statistic, can be slightly negative) or 'biased' (V-statistic, non-negative). */
  estimator?: 'unbiased' | 'biased';
}

/** Squared maximum mean discrepancy; the default kernel is a multi-bandwidth Gaussian. */
export function mmd(x: PointsLike, y: PointsLike, { kernel = gaussianKernel(), estimator = 'unbiased' }: MmdOptions = {}): number {
  const a = toMatrix(x, 'x');
  const b = toMatrix(y, 'y');
  sameDim(a, b, 'mmd');
  if (estimator !== 'unbiased' && estimator !== 'biased') throw new Error(`mmd: estimator must be 'unbiased' or 'biased', got '${estimator}'`);
  const u = estimator === 'unbiased';
  if (u && (a.rows < 2 || b.rows < 2)) throw new Error('mmd: the unbiased estimator needs at least 2 points in each set');
  return meanPairwise(a, a, kernel, u) + meanPairwise(b, b, kernel, u) - 2 * meanPairwise(a, b, kernel, false);
}

/** Sorted values and the quantile function of an empirical 1-D distribution. */
function sorted(v: ArrayLike<number>): Float64Array {
  return Float64Array.from(v).sort();
}

/**
 * p-Wasserstein distance between two 1-D empirical distributions (any sizes):
 * the integral of |F^-1(q) - G^-1(q)|^p over q, exact over the merged
 * breakpoints of the two step quantile functions. p = 1 equals
 * scipy.stats.wasserstein_distance.
 */
export function wasserstein1d(u: ArrayLike<number>, v: ArrayLike<number>, p = 1): number {
  if (u.length === 0 || v.length === 0) throw new Error('wasserstein1d: empty sample');
  if (!(p >= 1)) throw new Error(`wasserstein1d: p must be >= 1, got ${p}`);
  const a = sorted(u);
  const b = sorted(v);
  const n = a.length;
  const m = b.length;
  let i = 0;
  let j = 0;
  let q = 0;
  let total = 0;
  while (i < n && j < m) {
    const qa = (i + 1) / n;
    const qb = (j + 1) / m;
    const next = Math.min(qa, qb);
    total += (next - q) * Math.abs(a[i] - b[j]) ** p;
    q = next;
    if (qa <= next) i++;
    if (qb <= next) j++;
  }
  return total ** (1 / p);
}

export interface SlicedOptions {
  projections?: number;
  p?: number;
  seed?: SeedLike;
}

/**
 * Sliced p-Wasserstein distance: (mean over random unit directions of W_p^p of
 * the projections)^(1/p). Directions come from `seed`, so two calls with the
 * same seed use the same slices.
 */
export function slicedWasserstein(x: PointsLike, y: PointsLike, { projections = 128, p = 2, seed = 0 }: SlicedOptions = {}): number {
  const a = toMatrix(x, 'x');
  const b = toMatrix(y, 'y');
  sameDim(a, b, 'slicedWasserstein');
  const r = rng(seed);
  const d = a.cols;
  const pa = new Float64Array(a.rows);
  const pb = new Float64Array(b.rows);
  let acc = 0;
  for (let k = 0; k < projections; k++) {
    const dir = r.normals(d);
    let norm = 0;
    for (const v of dir) norm += v * v;
    norm = Math.sqrt(norm);
    for (let i = 0; i < a.rows; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += a.data[i * d + j] * dir[j];
      pa[i] = s / norm;
    }
    for (let i = 0; i < b.rows; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += b.data[i * d + j] * dir[j];
      pb[i] = s / norm;
    }
    acc += wasserstein1d(pa, pb, p) ** p;
  }
  return (acc / projections) ** (1 / p);
}

/** Distance from each row of `a` to its k-th nearest other row of `a`. */
function kthNeighbourRadius(a: Matrix, k: number): Float64Array {
  const out = new Float64Array(a.rows);
  const d = new Float64Array(a.rows);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < a.rows; j++) d[j] = i === j ? Infinity : sqDist(a, i, a, j);
    out[i] = Math.sqrt(Float64Array.from(d).sort()[k - 1]);
  }
  return out;
}

function coveredFraction(points: Matrix, support: Matrix, radius: Float64Array): number {
  let hits = 0;
  for (let i = 0; i < points.rows; i++) {
    for (let j = 0; j < support.rows; j++) {
      if (Math.sqrt(sqDist(points, i, support, j)) <= radius[j]) {
        hits++;
        break;
      }
    }
  }
  return hits / points.rows;
}

/**
 * Improved precision and recall (Kynkäänniemi et al. 2019) with k-NN balls:
 * precision = fraction of generated points inside the real manifold estimate
 * (fidelity), recall = fraction of real points inside the generated one (diversity).
 */
export function precisionRecall(real: PointsLike, generated: PointsLike, { k = 3 } = {}): { precision: number; recall: number } {
  const a = toMatrix(real, 'real');
  const b = toMatrix(generated, 'generated');
  sameDim(a, b, 'precisionRecall');
  if (!(k >= 1 && k < Math.min(a.rows, b.rows))) throw new Error(`precisionRecall: k must be in [1, ${Math.min(a.rows, b.rows) - 1}], got ${k}`);
  return {
    precision: coveredFraction(b, a, kthNeighbourRadius(a, k)),
    recall: coveredFraction(a, b, kthNeighbourRadius(b, k)),
  };
}

export interface ModeStats {
  /** Fraction of components that received at least `minCount` samples within `radius` standard deviations. */
  coverage: number;
  /** Fraction of samples within `radius` standard deviations (per dimension, Mahalanobis) of some component mean. */
  highQuality: number;
  /** Samples assigned to each component (nearest in Mahalanobis distance, within radius). */
  counts: number[];
}

/** Mode coverage of samples against a known mixture (the 8-Gaussians / grid-of-Gaussians protocol). */
export function modeCoverage(x: PointsLike, mixture: GaussianMixture, { radius = 3, minCount = 1 } = {}): ModeStats {
  const m = toMatrix(x, 'x');
  if (m.cols !== mixture.dim) throw new Error(`modeCoverage: points have ${m.cols} dims, mixture has ${mixture.dim}`);
  const counts = new Array(mixture.k).fill(0);
  let good = 0;
  for (let i = 0; i < m.rows; i++) {
    let best = -1;
    let bestD = Infinity;
    for (let c = 0; c < mixture.k; c++) {
      let q = 0;
      for (let j = 0; j < m.cols; j++) q += ((m.data[i * m.cols + j] - mixture.means[c][j]) / mixture.stds[c][j]) ** 2;
      if (q < bestD) {
        bestD = q;
        best = c;
      }
    }
    if (Math.sqrt(bestD) <= radius) {
      counts[best]++;
      good++;
    }
  }
  return { coverage: counts.filter((c) => c >= minCount).length / mixture.k, highQuality: good / m.rows, counts };
}

/** Fraction of samples whose most probable class under the mixture is the class they were generated for. */
export function classAccuracy(x: PointsLike, labels: ArrayLike<number>, mixture: GaussianMixture): number {
  const pred = mixture.classify(x);
  if (pred.length !== labels.length) throw new Error(`classAccuracy: ${pred.length} points but ${labels.length} labels`);
  let ok = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === labels[i]) ok++;
  return ok / pred.length;
}

/** Per-dimension sample mean and (population) variance. */
export function sampleMoments(x: PointsLike): { mean: number[]; variance: number[] } {
  const m = toMatrix(x, 'x');
  const mean = new Array(m.cols).fill(0);
  const variance = new Array(m.cols).fill(0);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) mean[j] += m.data[i * m.cols + j] / m.rows;
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) variance[j] += (m.data[i * m.cols + j] - mean[j]) ** 2 / m.rows;
  return { mean, variance };
}

/** Fraction of points with some coordinate outside [low, high]. */
export function outOfBoxFraction(x: PointsLike, low = 0, high = 1): number {
  const m = toMatrix(x, 'x');
  let out = 0;
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) {
      const v = m.data[i * m.cols + j];
      if (v < low || v > high) {
        out++;
        break;
      }
    }
  }
  return out / m.rows;
}

/**
 * A two-sample metric per class: `metric(x[class c], y[class c])` for every class present in both
 * label sets, and their mean (e.g. the energy distance of guided samples to the class-conditional data).
 */
export function classwise(metric: (a: PointsLike, b: PointsLike) => number, x: PointsLike, xLabels: ArrayLike<number>, y: PointsLike, yLabels: ArrayLike<number>): { mean: number; perClass: Map<number, number> } {
  const a = toMatrix(x, 'x');
  const b = toMatrix(y, 'y');
  sameDim(a, b, 'classwise');
  if (xLabels.length !== a.rows) throw new Error(`classwise: x has ${a.rows} points but ${xLabels.length} labels`);
  if (yLabels.length !== b.rows) throw new Error(`classwise: y has ${b.rows} points but ${yLabels.length} labels`);
  const rowsOf = (m: Matrix, labels: ArrayLike<number>, c: number): Matrix => {
    const idx = Array.from(labels, (l, i) => (l === c ? i : -1)).filter((i) => i >= 0);
    const data = new Float64Array(idx.length * m.cols);
    idx.forEach((r, k) => data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), k * m.cols));
    return { data, rows: idx.length, cols: m.cols };
  };
  const shared = [...new Set(Array.from(xLabels))].filter((c) => Array.from(yLabels).includes(c)).sort((p, q) => p - q);
  if (shared.length === 0) throw new Error('classwise: the two label sets share no class');
  const perClass = new Map(shared.map((c) => [c, metric(rowsOf(a, xLabels, c), rowsOf(b, yLabels, c))]));
  let sum = 0;
  for (const v of perClass.values()) sum += v;
  return { mean: sum / perClass.size, perClass };
}
