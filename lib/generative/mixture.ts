/**
 * Gaussian mixtures with diagonal covariances in any dimension: exact density,
 * sampling, class labels per component. With their closed-form posteriors
 * (exact.ts) they give exact scores, denoisers and velocities under every
 * Gaussian path, so samplers can be checked without training.
 */
import * as tf from '../backend/tf.js';
import { checkCount, type LabeledDistribution } from './distribution.js';
import { toMatrix, type PointsLike } from './points.js';
import { rng, type SeedLike } from './random.js';

export interface MixtureSpec {
  /** Component means, [K][d]. */
  means: readonly (readonly number[])[];
  /** Standard deviations: one number for all, one per component, or [K][d]. */
  stds: number | readonly number[] | readonly (readonly number[])[];
  /** Mixture weights (normalised here); uniform when absent. */
  weights?: readonly number[];
  /** Class label of each component (for class-conditional work); component index when absent. */
  labels?: readonly number[];
  name?: string;
}

const LOG_2PI = Math.log(2 * Math.PI);

export class GaussianMixture implements LabeledDistribution {
  readonly name: string;
  readonly dim: number;
  readonly k: number;
  readonly means: number[][];
  readonly stds: number[][];
  readonly weights: number[];
  readonly labels: number[];
  readonly numClasses: number;

  constructor(spec: MixtureSpec) {
    const { means } = spec;
    if (!Array.isArray(means) || means.length === 0) throw new Error('GaussianMixture: means must be a non-empty [K][d] array');
    this.k = means.length;
    this.dim = means[0].length;
    if (this.dim === 0) throw new Error('GaussianMixture: means must have at least one dimension');
    for (const [i, m] of means.entries()) {
      if (m.length !== this.dim) throw new Error(`GaussianMixture: means[${i}] has ${m.length} entries, expected ${this.dim}`);
    }
    this.means = means.map((m) => [...m]);
    const s = spec.stds;
    if (typeof s === 'number') this.stds = means.map(() => new Array(this.dim).fill(s));
    else if (s.length !== this.k) throw new Error(`GaussianMixture: stds has ${s.length} entries, expected ${this.k} (one per component)`);
    else this.stds = (s as readonly (number | readonly number[])[]).map((v, i) => {
      if (typeof v === 'number') return new Array(this.dim).fill(v);
      if (v.length !== this.dim) throw new Error(`GaussianMixture: stds[${i}] has ${v.length} entries, expected ${this.dim}`);
      return [...v];
    });
    for (const row of this.stds) for (const v of row) if (!(v > 0)) throw new Error(`GaussianMixture: stds must be positive, got ${v}`);
    const w = spec.weights ?? new Array(this.k).fill(1);
    if (w.length !== this.k) throw new Error(`GaussianMixture: weights has ${w.length} entries, expected ${this.k}`);
    if (w.some((v) => !(v >= 0))) throw new Error('GaussianMixture: weights must be non-negative');
    const total = w.reduce((a, b) => a + b, 0);
    if (!(total > 0)) throw new Error('GaussianMixture: weights sum to zero');
    this.weights = w.map((v) => v / total);
    this.labels = spec.labels ? [...spec.labels] : this.means.map((_, i) => i);
    if (this.labels.length !== this.k) throw new Error(`GaussianMixture: labels has ${this.labels.length} entries, expected ${this.k}`);
    if (this.labels.some((l) => !Number.isInteger(l) || l < 0)) throw new Error('GaussianMixture: labels must be non-negative integers');
    this.numClasses = Math.max(...this.labels) + 1;
    this.name = spec.name ?? `gmm${this.k}-${this.dim}d`;
  }

  /** A standard normal N(0, I) in d dimensions, as a one-component mixture. */
  static standardNormal(dim: number, scale = 1): GaussianMixture {
    return new GaussianMixture({ means: [new Array(dim).fill(0)], stds: scale, name: `normal-${dim}d` });
  }

  sample(n: number, seed: SeedLike = 0): tf.Tensor2D {
    return this.sampleLabeled(n, seed).x;
  }

  sampleLabeled(n: number, seed: SeedLike = 0, labels?: ArrayLike<number>): { x: tf.Tensor2D; labels: Int32Array; components: Int32Array } {
    checkCount(n);
    if (labels && labels.length !== n) throw new Error(`sampleLabeled: labels has ${labels.length} entries, expected ${n}`);
    const r = rng(seed);
    const d = this.dim;
    const out = new Float32Array(n * d);
    const lab = new Int32Array(n);
    const comp = new Int32Array(n);
    const classWeights = labels ? this.weightsByClass() : null;
    for (let i = 0; i < n; i++) {
      let c: number;
      if (classWeights && labels) {
        const y = labels[i];
        if (!(y >= 0 && y < this.numClasses)) throw new Error(`sampleLabeled: label ${y} out of range [0, ${this.numClasses})`);
        c = r.categorical(classWeights[y]);
      } else c = r.categorical(this.weights);
      comp[i] = c;
      lab[i] = this.labels[c];
      for (let j = 0; j < d; j++) out[i * d + j] = this.means[c][j] + this.stds[c][j] * r.normal();
    }
    return { x: tf.tensor2d(out, [n, d]), labels: lab, components: comp };
  }

  /** Per-class component weights (zero outside the class). */
  private weightsByClass(): number[][] {
    return Array.from({ length: this.numClasses }, (_, y) => this.weights.map((w, k) => (this.labels[k] === y ? w : 0)));
  }

  /** log N(x; mean_k, diag(std_k^2)) + log w_k for every point and component, [n][K] row-major. */
  componentLogJoint(x: PointsLike): { values: Float64Array; n: number } {
    const m = toMatrix(x);
    if (m.cols !== this.dim) throw new Error(`GaussianMixture: points have ${m.cols} dims, mixture has ${this.dim}`);
    const out = new Float64Array(m.rows * this.k);
    for (let c = 0; c < this.k; c++) {
      let logNorm = Math.log(this.weights[c]) - 0.5 * this.dim * LOG_2PI;
      for (let j = 0; j < this.dim; j++) logNorm -= Math.log(this.stds[c][j]);
      for (let i = 0; i < m.rows; i++) {
        let q = 0;
        for (let j = 0; j < this.dim; j++) {
          const z = (m.data[i * this.dim + j] - this.means[c][j]) / this.stds[c][j];
          q += z * z;
        }
        out[i * this.k + c] = logNorm - 0.5 * q;
      }
    }
    return { values: out, n: m.rows };
  }

  /** Exact log density of each point (float64). */
  logProb(x: PointsLike): Float64Array {
    const { values, n } = this.componentLogJoint(x);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = logSumExpRow(values, i * this.k, this.k);
    return out;
  }

  /** Mean negative log-likelihood of points under this (known) density, in nats. */
  nll(x: PointsLike): number {
    const lp = this.logProb(x);
    let s = 0;
    for (const v of lp) s -= v;
    return s / lp.length;
  }

  /** p(class | x) for every point, [n][numClasses] row-major. */
  classPosterior(x: PointsLike): { values: Float64Array; n: number } {
    const { values, n } = this.componentLogJoint(x);
    const C = this.numClasses;
    const out = new Float64Array(n * C);
    for (let i = 0; i < n; i++) {
      const lse = logSumExpRow(values, i * this.k, this.k);
      for (let c = 0; c < this.k; c++) out[i * C + this.labels[c]] += Math.exp(values[i * this.k + c] - lse);
    }
    return { values: out, n };
  }

  /** The most probable class of each point. */
  classify(x: PointsLike): Int32Array {
    const { values, n } = this.classPosterior(x);
    const C = this.numClasses;
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let c = 1; c < C; c++) if (values[i * C + c] > values[i * C + best]) best = c;
      out[i] = best;
    }
    return out;
  }

  /** The most probable component of each point. */
  nearestComponent(x: PointsLike): Int32Array {
    const { values, n } = this.componentLogJoint(x);
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let c = 1; c < this.k; c++) if (values[i * this.k + c] > values[i * this.k + best]) best = c;
      out[i] = best;
    }
    return out;
  }

  /** The class-conditional mixture p(x | class). */
  restrict(label: number): GaussianMixture {
    const idx = this.labels.map((l, i) => (l === label ? i : -1)).filter((i) => i >= 0);
    if (idx.length === 0) throw new Error(`restrict: no component has label ${label}`);
    return new GaussianMixture({
      means: idx.map((i) => this.means[i]),
      stds: idx.map((i) => this.stds[i]),
      weights: idx.map((i) => this.weights[i]),
      labels: idx.map(() => 0),
      name: `${this.name}|${label}`,
    });
  }

  /** Mean and per-dimension variance of the whole mixture. */
  moments(): { mean: number[]; variance: number[] } {
    const mean = new Array(this.dim).fill(0);
    const second = new Array(this.dim).fill(0);
    for (let c = 0; c < this.k; c++) {
      for (let j = 0; j < this.dim; j++) {
        mean[j] += this.weights[c] * this.means[c][j];
        second[j] += this.weights[c] * (this.stds[c][j] ** 2 + this.means[c][j] ** 2);
      }
    }
    return { mean, variance: second.map((s, j) => s - mean[j] ** 2) };
  }
}

export function logSumExpRow(v: ArrayLike<number>, offset: number, len: number): number {
  let m = -Infinity;
  for (let i = 0; i < len; i++) m = Math.max(m, v[offset + i]);
  if (m === -Infinity) return -Infinity;
  let s = 0;
  for (let i = 0; i < len; i++) s += Math.exp(v[offset + i] - m);
  return m + Math.log(s);
}
