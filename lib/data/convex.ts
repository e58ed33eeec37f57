/**
 * Synthetic convex problems for optimizer experiments: binary classification
 * data for logistic regression, separable (so the loss infimum is 0, the f* that
 * Polyak-type methods use) or with label noise, with optional badly scaled
 * features (column j multiplied by 10^u_j, u_j uniform in [lo, hi]), and
 * diagonal quadratics with a chosen condition number.
 */
import * as tf from '../backend/tf.js';
import { rng } from './random.js';

export interface LogisticData {
  /** float32 [n, dim] features (scaled when `logScales` is given). */
  x: tf.Tensor2D;
  /** int32 [n] labels in {0, 1}. */
  y: tf.Tensor1D;
  labels: Int32Array;
  /** The direction that generated the labels (in unscaled coordinates). */
  wTrue: number[];
  /** The column scales applied to the features (1 when unscaled). */
  scales: number[];
}

export function logisticData(
  options: { n?: number; dim?: number; labelNoise?: number; logScales?: [number, number]; seed?: number } = {},
): LogisticData {
  const n = options.n ?? 200;
  const dim = options.dim ?? 20;
  const noise = options.labelNoise ?? 0;
  const seed = options.seed ?? 0;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`logisticData: n must be a positive integer, got ${n}`);
  if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`logisticData: dim must be a positive integer, got ${dim}`);
  if (!(noise >= 0 && noise <= 0.5)) throw new RangeError(`logisticData: labelNoise must be in [0, 0.5], got ${noise}`);
  const r = rng(seed, 'logistic');
  const wTrue = Array.from({ length: dim }, () => r.normal());
  const scales = options.logScales ? Array.from({ length: dim }, () => 10 ** (options.logScales![0] + (options.logScales![1] - options.logScales![0]) * r.uniform())) : new Array<number>(dim).fill(1);
  const xs = new Float32Array(n * dim);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let z = 0;
    for (let j = 0; j < dim; j++) {
      const v = r.normal();
      z += v * wTrue[j];
      xs[i * dim + j] = v * scales[j];
    }
    labels[i] = (z > 0 ? 1 : 0) ^ (r.uniform() < noise ? 1 : 0);
  }
  return { x: tf.tensor2d(xs, [n, dim]), y: tf.tensor1d(labels, 'int32'), labels, wTrue, scales };
}

export interface Quadratic {
  /** f(x) = 0.5 sum_i lambda_i (x_i - c_i)^2 at the variable `x`; minimum 0 at c. */
  loss: () => tf.Scalar;
  x: tf.Variable;
  lambdas: number[];
  dispose(): void;
}

/** A diagonal quadratic with eigenvalues log-spaced from 1 to `condition`, optimum c ~ N(0, 1), start at 0. */
export function quadratic(options: { dim?: number; condition?: number; seed?: number } = {}): Quadratic {
  const dim = options.dim ?? 20;
  const condition = options.condition ?? 100;
  if (!(condition >= 1)) throw new RangeError(`quadratic: condition must be >= 1, got ${condition}`);
  const r = rng(options.seed ?? 0, 'quadratic');
  const lambdas = Array.from({ length: dim }, (_, i) => condition ** (dim === 1 ? 0 : i / (dim - 1)));
  const c = Array.from({ length: dim }, () => r.normal());
  const L = tf.keep(tf.tensor1d(lambdas));
  const C = tf.keep(tf.tensor1d(c));
  const x = tf.variable(tf.zeros([dim]));
  return {
    x,
    lambdas,
    loss: () => tf.tidy(() => tf.mul(0.5, tf.sum(tf.mul(L, tf.square(tf.sub(x, C))))) as tf.Scalar),
    dispose: () => tf.dispose([L, C, x]),
  };
}
