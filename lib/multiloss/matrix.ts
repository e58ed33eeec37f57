/**
 * The per-loss gradient matrix G (one row per loss, one column per parameter) on the
 * host in float64, with the checks every combiner shares. The combiners work on small
 * m x m quantities (the Gram matrix G G^T, row norms, cross products), so they read G
 * once, compute in float64, and return the combined gradient as a float32 tensor.
 */
import * as tf from '../backend/tf.js';

/** G read back to the host: row i is rows.subarray(i * n, (i + 1) * n). */
export interface HostMatrix {
  /** Number of losses (rows). */
  m: number;
  /** Number of parameters (columns). */
  n: number;
  /** Row-major float64 entries. */
  data: Float64Array;
}

/** Reads and checks G: a finite 2-D tensor with at least one row and one column. */
export function readGradients(G: unknown, owner: string): HostMatrix {
  if (!(G instanceof tf.Tensor)) {
    throw new TypeError(`${owner}: G must be a tf.Tensor2D [losses, parameters] (one gradient per row), got ${G === null ? 'null' : typeof G}`);
  }
  if (G.rank !== 2) throw new Error(`${owner}: G must be a 2-D tensor [losses, parameters], got rank ${G.rank} (shape [${G.shape}])`);
  const [m, n] = G.shape as [number, number];
  if (m < 1 || n < 1) throw new Error(`${owner}: G must have at least one row and one column, got shape [${m}, ${n}]`);
  const data = Float64Array.from(G.dataSync() as Float32Array);
  checkFinite(data, m, n, owner);
  return { m, n, data };
}

/** Wraps a row-major float64 array as a HostMatrix (for callers that already hold the numbers). */
export function hostMatrix(data: ArrayLike<number>, m: number, owner: string): HostMatrix {
  if (!Number.isInteger(m) || m < 1 || data.length % m !== 0 || data.length === 0) {
    throw new Error(`${owner}: ${data.length} values cannot form ${m} rows`);
  }
  const out = Float64Array.from(data);
  checkFinite(out, m, out.length / m, owner);
  return { m, n: out.length / m, data: out };
}

function checkFinite(data: Float64Array, m: number, n: number, owner: string): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      if (!Number.isFinite(data[i * n + j])) {
        throw new Error(`${owner}: G holds ${data[i * n + j]} in row ${i} (the gradient of loss ${i}) at column ${j}; every gradient must be finite`);
      }
    }
  }
}

/** The Gram matrix K = G G^T (m x m, row-major). */
export function gramOf(G: HostMatrix): Float64Array {
  const { m, n, data } = G;
  const K = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      const a = i * n;
      const b = j * n;
      for (let k = 0; k < n; k++) s += data[a + k] * data[b + k];
      K[i * m + j] = s;
      K[j * m + i] = s;
    }
  }
  return K;
}

/** sum_i w_i g_i in float64. */
export function combineRows(G: HostMatrix, weights: ArrayLike<number>): Float64Array {
  const { m, n, data } = G;
  const out = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    const w = weights[i];
    if (w === 0) continue;
    const a = i * n;
    for (let k = 0; k < n; k++) out[k] += w * data[a + k];
  }
  return out;
}

/** The combination as a float32 tensor [n]. */
export function toTensor(v: Float64Array): tf.Tensor1D {
  return tf.tensor1d(Float32Array.from(v));
}

/** K v for a row-major m x m matrix. */
export function matVec(K: Float64Array, v: ArrayLike<number>, m: number): Float64Array {
  const out = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < m; j++) s += K[i * m + j] * v[j];
    out[i] = s;
  }
  return out;
}

/** Checks an optional per-loss vector (weights, preferences) has m finite entries. */
export function checkVector(v: ArrayLike<number> | undefined, m: number, owner: string, name: string): Float64Array | undefined {
  if (v === undefined) return undefined;
  if (v.length !== m) throw new Error(`${owner}: ${name} must have one entry per loss (${m}), got ${v.length}`);
  const out = Float64Array.from(v);
  out.forEach((x, i) => {
    if (!Number.isFinite(x)) throw new Error(`${owner}: ${name}[${i}] must be finite, got ${x}`);
  });
  return out;
}
