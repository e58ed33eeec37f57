/**
 * Simulated low-precision training ("fake quantization"): the forward pass sees
 * values rounded to a b-bit grid, the backward pass treats the rounding as the
 * identity (the straight-through estimator, STE). This is how Stable-SPAM's
 * official code trains "4-bit" models (TianjinYellow/StableSPAM,
 * `utils/fake_quantization.py` for weights, `utils/dummy_quant.py` for
 * activations); real low-bit kernels are out of scope.
 *
 * Values are quantized in groups of `groupSize` consecutive entries (row-major;
 * the whole tensor when omitted), each group with its own scale:
 * - 'asymmetric' (the official weight quantizer): scale = max(max - min, 1e-5) / (2^b - 1),
 *   zero = clamp(-round(min/scale), 0, 2^b - 1), q = clamp(round(x/scale) + zero, 0, 2^b - 1),
 *   x^ = (q - zero) scale.
 * - 'symmetric' (the official activation quantizer): the `outliers` largest |x| of
 *   each group stay exact, the rest use scale = max(max|x|, 1e-6) / (2^(b-1) - 1),
 *   x^ = clamp(round(x/scale), -2^(b-1), 2^(b-1) - 1) scale; `stochastic` adds
 *   uniform noise in [-0.5, 0.5) before rounding.
 *
 *   const wq = nn.fakeQuantize(W, { bits: 4, groupSize: 64 });
 *   const y = nn.quantizedDense(x, W, b, { weights: { bits: 4 }, activations: { bits: 4, scheme: 'symmetric' } });
 */
import * as tf from '../backend/tf.js';
import { resolveRng, type Rng } from '../backend/random.js';

export type QuantScheme = 'asymmetric' | 'symmetric';

export interface FakeQuantOptions {
  /** Bits per value, 1 to 16 (symmetric needs at least 2). */
  bits: number;
  /** Entries per group sharing a scale (default: the whole tensor). Must divide the tensor size. */
  groupSize?: number;
  /** Default 'asymmetric'. */
  scheme?: QuantScheme;
  /** Symmetric only: largest-magnitude entries per group kept exact (default 0). */
  outliers?: number;
  /** Symmetric only: stochastic rounding (default false). */
  stochastic?: boolean;
  /** Seed or generator of the stochastic rounding noise. */
  seed?: number | Rng;
}

function check(x: tf.Tensor, o: FakeQuantOptions): { bits: number; group: number; scheme: QuantScheme; outliers: number } {
  if (o === null || typeof o !== 'object') throw new TypeError('fakeQuantize: options must be an object such as {bits: 4}');
  const scheme = o.scheme ?? 'asymmetric';
  if (scheme !== 'asymmetric' && scheme !== 'symmetric') throw new RangeError(`fakeQuantize: scheme must be 'asymmetric' or 'symmetric', got '${scheme}'`);
  const minBits = scheme === 'symmetric' ? 2 : 1;
  if (!Number.isInteger(o.bits) || o.bits < minBits || o.bits > 16) {
    throw new RangeError(`fakeQuantize: bits must be an integer in [${minBits}, 16] for the ${scheme} scheme, got ${o.bits}`);
  }
  const group = o.groupSize ?? x.size;
  if (!Number.isInteger(group) || group < 1 || x.size % group !== 0) {
    throw new RangeError(`fakeQuantize: groupSize must be a positive integer dividing the tensor size ${x.size} (shape [${x.shape}]), got ${o.groupSize}`);
  }
  const outliers = o.outliers ?? 0;
  if (!Number.isInteger(outliers) || outliers < 0 || outliers >= group) {
    throw new RangeError(`fakeQuantize: outliers must be an integer in [0, groupSize - 1] = [0, ${group - 1}], got ${o.outliers}`);
  }
  if (outliers > 0 && scheme !== 'symmetric') throw new RangeError("fakeQuantize: outliers apply to the 'symmetric' scheme only");
  return { bits: o.bits, group, scheme, outliers };
}

/** The quantize-dequantize round trip (no gradient rule). */
export function quantizeDequantize(x: tf.Tensor, options: FakeQuantOptions): tf.Tensor {
  const { bits, group, scheme, outliers } = check(x, options);
  const noiseSeed = options.stochastic ? resolveRng(options.seed).tfSeed() : undefined;
  return tf.tidy(() => {
    const g = tf.reshape(x, [x.size / group, group]);
    let out: tf.Tensor;
    if (scheme === 'asymmetric') {
      const maxInt = 2 ** bits - 1;
      const hi = tf.max(g, 1, true);
      const lo = tf.min(g, 1, true);
      const scale = tf.div(tf.maximum(tf.sub(hi, lo), 1e-5), maxInt);
      const zero = tf.clipByValue(tf.neg(tf.round(tf.div(lo, scale))), 0, maxInt);
      const q = tf.clipByValue(tf.add(tf.round(tf.div(g, scale)), zero), 0, maxInt);
      out = tf.mul(tf.sub(q, zero), scale);
    } else {
      const level = 2 ** (bits - 1) - 1;
      let keep: tf.Tensor | undefined;
      let body = g;
      if (outliers > 0) {
        const { indices } = tf.topk(tf.abs(g), outliers);
        keep = tf.greater(tf.sum(tf.oneHot(indices, group), 1), 0);
        body = tf.where(keep, tf.zerosLike(g), g);
      }
      const scale = tf.maximum(tf.max(tf.abs(body), 1, true), 1e-6);
      let scaled = tf.mul(body, tf.div(level, scale));
      if (noiseSeed !== undefined) scaled = tf.add(scaled, tf.randomUniform(scaled.shape, -0.5, 0.5, 'float32', noiseSeed));
      const q = tf.clipByValue(tf.round(scaled), -(level + 1), level);
      out = tf.div(tf.mul(q, scale), level);
      if (keep) out = tf.where(keep, g, out);
    }
    return tf.reshape(out, x.shape);
  });
}

/**
 * Fake quantization with the straight-through estimator: the value of
 * `quantizeDequantize(x)`, the gradient of the identity.
 */
export function fakeQuantize<T extends tf.Tensor>(x: T, options: FakeQuantOptions): T {
  check(x, options);
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    (args[1] as tf.GradSaveFunc)([]);
    return { value: quantizeDequantize(args[0] as tf.Tensor, options), gradFunc: (dy: tf.Tensor) => dy };
  });
  return f(x) as T;
}

export interface QuantizedDenseOptions {
  /** Quantization of the kernel (the official default: asymmetric, groups of 256). */
  weights?: FakeQuantOptions;
  /** Quantization of the layer input (the official default: symmetric, groups of 64, 2 outliers). */
  activations?: FakeQuantOptions;
}

/** x W + b with fake-quantized W and x (either may be left in full precision). */
export function quantizedDense(x: tf.Tensor2D, W: tf.Tensor2D, b: tf.Tensor1D | undefined, options: QuantizedDenseOptions = {}): tf.Tensor2D {
  const xq = options.activations ? fakeQuantize(x, options.activations) : x;
  const Wq = options.weights ? fakeQuantize(W, options.weights) : W;
  const y = tf.matMul(xq, Wq) as tf.Tensor2D;
  return b === undefined ? y : (tf.add(y, b) as tf.Tensor2D);
}
