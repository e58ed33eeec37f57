/**
 * Synthetic data sets, deterministic from a seed (drawn with `rng`, in plain
 * JavaScript, so the same seed gives the same data on every TF.js backend):
 * linear regression with noise, a teacher-student MLP, two moons and Gaussian blobs.
 */
import * as tf from '../backend/tf.js';
import { rng, type Rng } from './random.js';

function positiveInt(v: unknown, name: string, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) throw new RangeError(`${what}: ${name} must be a positive integer, got ${String(v)}`);
  return v;
}

function nonNegative(v: unknown, name: string, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new RangeError(`${what}: ${name} must be a non-negative number, got ${String(v)}`);
  return v;
}

export interface Regression {
  /** float32 [n, dim] inputs. */
  x: tf.Tensor2D;
  /** float32 [n, outputs] targets. */
  y: tf.Tensor2D;
}

export interface LinearRegression extends Regression {
  /** The true weights (dim) and bias. */
  w: Float64Array;
  b: number;
  /** The noise standard deviation. */
  noise: number;
}

/**
 * y = x·w + b + noise·ε with x, w, b, ε standard normal: the least-squares
 * problem with a known answer.
 */
export function linearRegression(options: { n?: number; dim?: number; noise?: number; seed?: number } = {}): LinearRegression {
  const what = 'linearRegression';
  const n = positiveInt(options.n ?? 200, 'n', what);
  const dim = positiveInt(options.dim ?? 1, 'dim', what);
  const noise = nonNegative(options.noise ?? 0.1, 'noise', what);
  const seed = options.seed ?? 0;
  const w = rng(seed, 'linear-w').normalArray(dim);
  const b = rng(seed, 'linear-b').normal();
  const xs = rng(seed, 'linear-x').normalArray(n * dim);
  const eps = rng(seed, 'linear-noise');
  const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b;
    for (let j = 0; j < dim; j++) s += xs[i * dim + j] * w[j];
    ys[i] = s + noise * eps.normal();
  }
  return { x: tf.tensor2d(Float32Array.from(xs), [n, dim]), y: tf.tensor2d(Float32Array.from(ys), [n, 1]), w, b, noise };
}

export interface TeacherStudent extends Regression {
  /** The teacher's weights: w1 [inputDim][hiddenDim], b1, w2 [hiddenDim][outputDim], b2. */
  teacher: { w1: number[][]; b1: number[]; w2: number[][]; b2: number[]; activation: 'tanh' | 'relu' };
}

function normalMatrix(r: Rng, rows: number, cols: number, std: number): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => r.normal(0, std)));
}

/**
 * Targets from a random one-hidden-layer teacher network, y = w2ᵀ act(w1ᵀ x + b1) + b2 (+ noise),
 * with LeCun-normal weights (std 1/sqrt(fan in)) and x standard normal: a
 * regression task a student network of the same shape can fit exactly.
 */
export function teacherStudent(
  options: { n?: number; inputDim?: number; hiddenDim?: number; outputDim?: number; noise?: number; activation?: 'tanh' | 'relu'; seed?: number } = {},
): TeacherStudent {
  const what = 'teacherStudent';
  const n = positiveInt(options.n ?? 512, 'n', what);
  const dIn = positiveInt(options.inputDim ?? 8, 'inputDim', what);
  const h = positiveInt(options.hiddenDim ?? 32, 'hiddenDim', what);
  const dOut = positiveInt(options.outputDim ?? 1, 'outputDim', what);
  const noise = nonNegative(options.noise ?? 0, 'noise', what);
  const activation = options.activation ?? 'tanh';
  if (activation !== 'tanh' && activation !== 'relu') throw new TypeError(`${what}: activation must be 'tanh' or 'relu', got ${JSON.stringify(activation)}`);
  const seed = options.seed ?? 0;
  const wr = rng(seed, 'teacher-weights');
  const w1 = normalMatrix(wr, dIn, h, 1 / Math.sqrt(dIn));
  const b1 = Array.from({ length: h }, () => wr.normal(0, 0.1));
  const w2 = normalMatrix(wr, h, dOut, 1 / Math.sqrt(h));
  const b2 = Array.from({ length: dOut }, () => wr.normal(0, 0.1));
  const xs = rng(seed, 'teacher-x').normalArray(n * dIn);
  const eps = rng(seed, 'teacher-noise');
  const act = activation === 'tanh' ? Math.tanh : (v: number) => Math.max(0, v);
  const ys = new Float32Array(n * dOut);
  const hidden = new Float64Array(h);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < h; k++) {
      let s = b1[k];
      for (let j = 0; j < dIn; j++) s += xs[i * dIn + j] * w1[j][k];
      hidden[k] = act(s);
    }
    for (let o = 0; o < dOut; o++) {
      let s = b2[o];
      for (let k = 0; k < h; k++) s += hidden[k] * w2[k][o];
      ys[i * dOut + o] = s + noise * eps.normal();
    }
  }
  return { x: tf.tensor2d(Float32Array.from(xs), [n, dIn]), y: tf.tensor2d(ys, [n, dOut]), teacher: { w1, b1, w2, b2, activation } };
}

export interface Classification {
  /** float32 [n, dim] points. */
  x: tf.Tensor2D;
  /** int32 [n] class labels. */
  y: tf.Tensor1D;
  /** The labels as numbers. */
  labels: Int32Array;
}

/** Shuffles points and labels together. */
function shuffled(points: Float64Array, labels: Int32Array, dim: number, r: Rng): Classification {
  const n = labels.length;
  const order = r.permutation(n);
  const x = new Float32Array(n * dim);
  const y = new Int32Array(n);
  order.forEach((src, i) => {
    for (let j = 0; j < dim; j++) x[i * dim + j] = points[src * dim + j];
    y[i] = labels[src];
  });
  return { x: tf.tensor2d(x, [n, dim]), y: tf.tensor1d(y, 'int32'), labels: y };
}

/**
 * Two interleaved half circles (scikit-learn's make_moons): class 0 on
 * (cos t, sin t), class 1 on (1 - cos t, 0.5 - sin t), t in [0, π], plus
 * Gaussian noise of std `noise`, shuffled.
 */
export function twoMoons(options: { n?: number; noise?: number; seed?: number } = {}): Classification {
  const what = 'twoMoons';
  const n = positiveInt(options.n ?? 200, 'n', what);
  const noise = nonNegative(options.noise ?? 0.1, 'noise', what);
  const seed = options.seed ?? 0;
  const nOuter = Math.floor(n / 2), nInner = n - nOuter;
  const points = new Float64Array(n * 2);
  const labels = new Int32Array(n);
  const eps = rng(seed, 'moons-noise');
  const place = (i: number, px: number, py: number, label: number) => {
    points[2 * i] = px + noise * eps.normal();
    points[2 * i + 1] = py + noise * eps.normal();
    labels[i] = label;
  };
  for (let i = 0; i < nOuter; i++) {
    const t = nOuter > 1 ? (Math.PI * i) / (nOuter - 1) : 0;
    place(i, Math.cos(t), Math.sin(t), 0);
  }
  for (let i = 0; i < nInner; i++) {
    const t = nInner > 1 ? (Math.PI * i) / (nInner - 1) : 0;
    place(nOuter + i, 1 - Math.cos(t), 0.5 - Math.sin(t), 1);
  }
  return shuffled(points, labels, 2, rng(seed, 'moons-shuffle'));
}

export interface Blobs extends Classification {
  /** The centres, one row per class. */
  centers: number[][];
}

/**
 * Isotropic Gaussian blobs (scikit-learn's make_blobs): `centers` classes (or the
 * given centre coordinates), drawn uniformly in `box` when not given, with
 * points split evenly among them, std `std`, shuffled.
 */
export function blobs(
  options: { n?: number; centers?: number | number[][]; dim?: number; std?: number; box?: [number, number]; seed?: number } = {},
): Blobs {
  const what = 'blobs';
  const n = positiveInt(options.n ?? 300, 'n', what);
  const std = nonNegative(options.std ?? 1, 'std', what);
  const seed = options.seed ?? 0;
  const [lo, hi] = options.box ?? [-10, 10];
  let centers: number[][];
  let dim: number;
  if (Array.isArray(options.centers)) {
    centers = options.centers.map((c) => [...c]);
    dim = centers[0]?.length ?? 0;
    if (centers.length === 0 || dim === 0 || centers.some((c) => c.length !== dim || c.some((v) => !Number.isFinite(v)))) {
      throw new TypeError(`${what}: centers must be a non-empty list of equal-length finite coordinate lists`);
    }
  } else {
    const k = positiveInt(options.centers ?? 3, 'centers', what);
    dim = positiveInt(options.dim ?? 2, 'dim', what);
    const cr = rng(seed, 'blobs-centers');
    centers = Array.from({ length: k }, () => Array.from({ length: dim }, () => cr.uniform(lo, hi)));
  }
  const k = centers.length;
  const points = new Float64Array(n * dim);
  const labels = new Int32Array(n);
  const pr = rng(seed, 'blobs-points');
  for (let i = 0; i < n; i++) {
    const c = Math.floor((i * k) / n); // even split: class sizes differ by at most one
    labels[i] = c;
    for (let j = 0; j < dim; j++) points[i * dim + j] = centers[c][j] + std * pr.normal();
  }
  return { ...shuffled(points, labels, dim, rng(seed, 'blobs-shuffle')), centers };
}
