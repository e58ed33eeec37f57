/**
 * Resolution transfer: train an operator at one grid resolution and evaluate it
 * at others, FNO's discretisation-invariance claim. Fields are moved between
 * uniform periodic grids by subsampling (when the new size divides the old one,
 * as the FNO papers do) or by band-limited Fourier interpolation (float64),
 * which is exact for fields whose spectrum fits the coarser grid.
 */
import * as tf from '../backend/tf.js';
import { fourierInterpolate } from '../pde/numerics/spectral.js';
import { relativeL2PerSample } from './losses.js';
import { checkOneOf, checkPositiveInt } from './module.js';

export type ResampleMethod = 'auto' | 'subsample' | 'fourier';

/** Resamples one periodic signal of n points (stride s in a flat array) to m points. */
function resampleLine(src: Float32Array | Float64Array, offset: number, stride: number, n: number, m: number, method: 'subsample' | 'fourier'): Float64Array {
  const u = new Float64Array(n);
  for (let j = 0; j < n; j++) u[j] = src[offset + j * stride];
  if (method === 'subsample') {
    const step = n / m;
    return Float64Array.from({ length: m }, (_, j) => u[j * step]);
  }
  const xs = Float64Array.from({ length: m }, (_, j) => j / m);
  return fourierInterpolate(u, xs, { period: 1 });
}

/**
 * Resamples the spatial axes 1..d of x ([batch, ...spatial, ...channels], d =
 * sizes.length) to `sizes`. 'auto' subsamples where the new size divides the
 * old one and interpolates (Fourier) otherwise; 'fourier' always interpolates.
 */
export function resample(x: tf.Tensor, sizes: number[], method: ResampleMethod = 'auto'): tf.Tensor {
  const owner = 'resample';
  checkOneOf(owner, 'method', method, ['auto', 'subsample', 'fourier'] as const);
  if (!Array.isArray(sizes) || sizes.length < 1 || x.rank < sizes.length + 1) {
    throw new Error(`${owner}: sizes must list one size per spatial axis (axes 1..d of x), got ${JSON.stringify(sizes)} for x of shape [${x.shape.join(', ')}]`);
  }
  sizes.forEach((s, i) => checkPositiveInt(owner, `sizes[${i}]`, s));
  let shape = [...x.shape];
  let data: Float32Array | Float64Array = x.dataSync() as Float32Array;
  sizes.forEach((m, a) => {
    const axis = a + 1;
    const n = shape[axis];
    if (n === m) return;
    const divides = n % m === 0;
    const how = method === 'fourier' || (method === 'auto' && !divides) ? 'fourier' : 'subsample';
    if (how === 'subsample' && !divides) throw new Error(`${owner}: cannot subsample axis ${axis} from ${n} to ${m} points (${m} does not divide ${n}); use 'fourier' or 'auto'`);
    const outer = shape.slice(0, axis).reduce((p, v) => p * v, 1);
    const inner = shape.slice(axis + 1).reduce((p, v) => p * v, 1);
    const out = new Float64Array(outer * m * inner);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const line = resampleLine(data, o * n * inner + i, inner, n, m, how);
        for (let j = 0; j < m; j++) out[o * m * inner + j * inner + i] = line[j];
      }
    }
    data = out;
    shape = [...shape.slice(0, axis), m, ...shape.slice(axis + 1)];
  });
  return tf.tensor(Float32Array.from(data), shape);
}

export interface TransferRow {
  resolution: number;
  /** Mean per-sample relative L2 error at this resolution. */
  relativeL2: number;
  /** Seconds to predict the whole set. */
  seconds: number;
}

export interface TransferOptions {
  /** Inputs and references at the reference resolution ([batch, n, ...] or [batch, n, n, ...]). */
  x: tf.Tensor;
  y: tf.Tensor;
  /** Grid sizes per spatial axis to evaluate at (the same for every spatial axis). */
  resolutions: number[];
  /** Number of spatial axes (default 1). */
  spatialDims?: number;
  method?: ResampleMethod;
  batchSize?: number;
}

/**
 * Evaluates `model` with inputs and references resampled to each resolution:
 * the error table of a train-at-one, test-at-another experiment.
 */
export function resolutionTransfer(model: { apply(x: tf.Tensor): tf.Tensor }, opts: TransferOptions): TransferRow[] {
  const d = checkPositiveInt('resolutionTransfer', 'spatialDims', opts.spatialDims ?? 1);
  const batchSize = checkPositiveInt('resolutionTransfer', 'batchSize', opts.batchSize ?? 50);
  if (!Array.isArray(opts.resolutions) || opts.resolutions.length === 0) throw new Error('resolutionTransfer: resolutions must be a non-empty array of grid sizes');
  return opts.resolutions.map((r) => {
    checkPositiveInt('resolutionTransfer', 'resolutions[]', r);
    const sizes = Array(d).fill(r);
    const xr = resample(opts.x, sizes, opts.method);
    const yr = resample(opts.y, sizes, opts.method);
    const start = performance.now();
    const errors: number[] = [];
    for (let s = 0; s < xr.shape[0]; s += batchSize) {
      const size = Math.min(batchSize, xr.shape[0] - s);
      const e = tf.tidy(() => relativeL2PerSample(model.apply(tf.slice(xr, s, size)), tf.slice(yr, s, size)));
      errors.push(...e.dataSync());
      e.dispose();
    }
    const seconds = (performance.now() - start) / 1000;
    tf.dispose([xr, yr]);
    return { resolution: r, relativeL2: errors.reduce((a, b) => a + b, 0) / errors.length, seconds };
  });
}
