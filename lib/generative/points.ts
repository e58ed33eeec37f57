/**
 * Point sets as float64 row-major matrices. Metrics, couplings and exact
 * densities run in float64 on the JavaScript side (TF.js has no float64);
 * samplers and networks run on float32 tensors. These helpers move between them.
 */
import * as tf from '../backend/tf.js';

/** n points in d dimensions, row-major. */
export interface Matrix {
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
}

/** Anything that can be read as a set of points: a 2-D tensor, nested arrays or a Matrix. */
export type PointsLike = tf.Tensor | readonly (readonly number[])[] | Matrix;

function isMatrix(x: unknown): x is Matrix {
  return typeof x === 'object' && x !== null && (x as Matrix).data instanceof Float64Array && typeof (x as Matrix).rows === 'number';
}

/** Reads points as a float64 matrix; `name` appears in the error for anything that is not a 2-D point set. */
export function toMatrix(x: PointsLike, name = 'x'): Matrix {
  if (isMatrix(x)) return x;
  if (x instanceof tf.Tensor) {
    if (x.rank === 1) return { data: Float64Array.from(x.dataSync()), rows: x.shape[0] as number, cols: 1 };
    if (x.rank !== 2) throw new Error(`${name}: expected a 2-D tensor [points, dims], got shape [${x.shape}]`);
    return { data: Float64Array.from(x.dataSync()), rows: x.shape[0] as number, cols: x.shape[1] as number };
  }
  if (Array.isArray(x)) {
    const rows = x.length;
    if (rows === 0) throw new Error(`${name}: empty point set`);
    const cols = x[0].length;
    const data = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      if (x[i].length !== cols) throw new Error(`${name}: row ${i} has ${x[i].length} entries, expected ${cols}`);
      for (let j = 0; j < cols; j++) data[i * cols + j] = x[i][j];
    }
    return { data, rows, cols };
  }
  throw new Error(`${name}: expected a 2-D tensor, an array of points or a Matrix`);
}

export function matrixToTensor(m: Matrix): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from(m.data), [m.rows, m.cols]);
}

/** Squared Euclidean distance between row i of a and row j of b. */
export function sqDist(a: Matrix, i: number, b: Matrix, j: number): number {
  let s = 0;
  const d = a.cols;
  const ai = i * d;
  const bj = j * d;
  for (let k = 0; k < d; k++) {
    const t = a.data[ai + k] - b.data[bj + k];
    s += t * t;
  }
  return s;
}

/** The matrix of squared distances between the rows of a and the rows of b. */
export function sqDistMatrix(a: Matrix, b: Matrix): Float64Array {
  if (a.cols !== b.cols) throw new Error(`point sets differ in dimension: ${a.cols} vs ${b.cols}`);
  const out = new Float64Array(a.rows * b.rows);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < b.rows; j++) out[i * b.rows + j] = sqDist(a, i, b, j);
  return out;
}

/** Selects rows of a 2-D tensor by index (a one-hot product would be wasteful here: this runs outside any gradient). */
export function takeRows(x: tf.Tensor2D, index: ArrayLike<number>): tf.Tensor2D {
  return tf.tidy(() => tf.gather(x, tf.tensor1d(Array.from(index), 'int32')));
}

/** Fields attached to plot records (method, scale, seed, ...). */
export type RecordFields = Record<string, number | string>;

/** A point as a plot record: its first two coordinates plus the given fields. */
export type PointRecord<F extends RecordFields = RecordFields> = F & { x: number; y: number };

/**
 * The first `limit` points as records `{x, y, ...fields}` for `plot.scatter`, so point sets of
 * several methods or settings can be concatenated and faceted.
 */
export function pointRecords<F extends RecordFields = {}>(points: PointsLike, fields: F = {} as F, { limit = Infinity } = {}): PointRecord<F>[] {
  const m = toMatrix(points, 'points');
  if (m.cols < 2) throw new Error(`pointRecords: points need at least 2 coordinates, got ${m.cols}`);
  if (!(limit >= 0)) throw new Error(`pointRecords: limit must be >= 0, got ${limit}`);
  const n = Math.min(m.rows, limit);
  return Array.from({ length: n }, (_, i) => ({ ...fields, x: m.data[i * m.cols], y: m.data[i * m.cols + 1] }));
}
