/**
 * The 8x8 digits (data.digits) as a labelled 64-dimensional distribution for
 * generative models: pixels rescaled from [0, 1] to [low, high] (default
 * [-1, 1], the usual diffusion range), samples drawn with replacement.
 */
import * as tf from '../backend/tf.js';
import { digits } from '../data/digits.js';
import { checkCount, type LabeledDistribution } from './distribution.js';
import { rng, type SeedLike } from './random.js';

export interface DigitsDistribution extends LabeledDistribution {
  /** All images of the split, [n, 64], in the output range. */
  readonly images: Float32Array;
  readonly labels: Int32Array;
  /** Maps generated samples back to pixels in [0, 1] (clipped), e.g. for plotting. */
  toPixels(x: tf.Tensor2D): tf.Tensor2D;
}

export function digitsDistribution({ split = 'train', seed = 0, low = -1, high = 1 }: { split?: 'train' | 'test' | 'all'; seed?: number; low?: number; high?: number } = {}): DigitsDistribution {
  if (!(high > low)) throw new Error(`digitsDistribution: need high > low, got [${low}, ${high}]`);
  const d = digits({ split, seed });
  const pixels = d.x.dataSync();
  const images = Float32Array.from(pixels, (p) => low + (high - low) * p);
  const labels = Int32Array.from(d.labels);
  tf.dispose([d.x, d.y]);
  const n = labels.length;
  const dim = images.length / n;
  const byClass = Array.from({ length: 10 }, (_, c) => Int32Array.from(Array.from(labels).flatMap((y, i) => (y === c ? [i] : []))));
  const rows = (idx: Int32Array) => {
    const out = new Float32Array(idx.length * dim);
    idx.forEach((r, i) => out.set(images.subarray(r * dim, (r + 1) * dim), i * dim));
    return tf.tensor2d(out, [idx.length, dim]);
  };
  const dist: DigitsDistribution = {
    name: `digits8x8-${split}`,
    dim,
    numClasses: 10,
    images,
    labels,
    sample(count: number, s: SeedLike = 0) {
      return dist.sampleLabeled(count, s).x;
    },
    sampleLabeled(count: number, s: SeedLike = 0, want?: ArrayLike<number>) {
      checkCount(count);
      const r = rng(s);
      const idx = Int32Array.from({ length: count }, (_, i) => {
        if (!want) return r.int(n);
        const c = want[i];
        if (!(Number.isInteger(c) && c >= 0 && c < 10)) throw new Error(`digits: label ${c} out of range 0..9`);
        return byClass[c][r.int(byClass[c].length)];
      });
      return { x: rows(idx), labels: Int32Array.from(idx, (i) => labels[i]) };
    },
    toPixels: (x) => tf.tidy(() => tf.clipByValue(tf.div(tf.sub(x, low), high - low), 0, 1) as tf.Tensor2D),
  };
  return dist;
}
