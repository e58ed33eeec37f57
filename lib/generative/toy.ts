/**
 * Low-dimensional toy distributions of the flow and diffusion literature
 * (FFJORD / torchcfm conventions): 8 Gaussians, moons, checkerboard, spirals,
 * rings, and labelled Gaussian mixtures for conditional models.
 */
import * as tf from '../backend/tf.js';
import { checkCount, type Distribution } from './distribution.js';
import { GaussianMixture } from './mixture.js';
import { rng, type Rng, type SeedLike } from './random.js';

/** A distribution defined by a seeded point generator. */
class SampledDistribution implements Distribution {
  constructor(readonly name: string, readonly dim: number, private readonly draw: (r: Rng, out: Float32Array, i: number) => void) {}
  sample(n: number, seed: SeedLike = 0): tf.Tensor2D {
    checkCount(n);
    const r = rng(seed);
    const out = new Float32Array(n * this.dim);
    for (let i = 0; i < n; i++) this.draw(r, out, i * this.dim);
    return tf.tensor2d(out, [n, this.dim]);
  }
}

/**
 * k Gaussians of equal weight evenly spaced on a circle; each is its own class.
 * Defaults give FFJORD's "8gaussians" (centres at radius 4/sqrt 2, std 0.5/sqrt 2).
 */
export function ringOfGaussians({ k = 8, radius = 4 / Math.SQRT2, std = 0.5 / Math.SQRT2 } = {}): GaussianMixture {
  const means = Array.from({ length: k }, (_, i) => [radius * Math.cos((2 * Math.PI * i) / k), radius * Math.sin((2 * Math.PI * i) / k)]);
  return new GaussianMixture({ means, stds: std, name: `${k}gaussians` });
}

/** The 8-Gaussians toy (FFJORD scaling); exact density and score available. */
export function eightGaussians(opts: { radius?: number; std?: number } = {}): GaussianMixture {
  return ringOfGaussians({ k: 8, ...opts });
}

/**
 * A class-conditional mixture: `classes` classes placed on a circle, each a
 * small cluster of `perClass` Gaussians. Used for guidance experiments where
 * the exact conditional and unconditional scores are needed.
 */
export function classMixture({ classes = 3, perClass = 1, radius = 2, spread = 0.6, std = 0.3, dim = 2 } = {}): GaussianMixture {
  if (dim < 2) throw new Error(`classMixture: dim must be at least 2, got ${dim}`);
  const means: number[][] = [];
  const labels: number[] = [];
  for (let c = 0; c < classes; c++) {
    const a = (2 * Math.PI * c) / classes;
    for (let j = 0; j < perClass; j++) {
      const b = perClass === 1 ? 0 : (2 * Math.PI * j) / perClass;
      const m = new Array(dim).fill(0);
      m[0] = radius * Math.cos(a) + (perClass === 1 ? 0 : spread * Math.cos(b));
      m[1] = radius * Math.sin(a) + (perClass === 1 ? 0 : spread * Math.sin(b));
      means.push(m);
      labels.push(c);
    }
  }
  return new GaussianMixture({ means, stds: std, labels, name: `class-mixture-${classes}x${perClass}` });
}

/** Two interleaving half circles (sklearn's make_moons), centred and scaled by `scale`. */
export function moons({ noise = 0.1, scale = 2 } = {}): Distribution {
  return new SampledDistribution('moons', 2, (r, out, o) => {
    const a = Math.PI * r.uniform();
    const upper = r.uniform() < 0.5;
    const x = upper ? Math.cos(a) : 1 - Math.cos(a);
    const y = upper ? Math.sin(a) : 0.5 - Math.sin(a);
    out[o] = scale * (x - 0.5 + noise * r.normal());
    out[o + 1] = scale * (y - 0.25 + noise * r.normal());
  });
}

/**
 * Uniform on the dark squares of a `cells` x `cells` checkerboard covering
 * [low, high]^2. Defaults give FFJORD's checkerboard on [-4, 4]^2; `{low: 0, high: 1}`
 * gives a board that touches the boundary of the unit square.
 */
export function checkerboard({ cells = 4, low = -4, high = 4 } = {}): Distribution {
  if (!Number.isInteger(cells) || cells < 2 || cells % 2) throw new Error(`checkerboard: cells must be an even integer >= 2, got ${cells}`);
  if (!(high > low)) throw new Error(`checkerboard: need high > low, got [${low}, ${high}]`);
  const w = (high - low) / cells;
  return new SampledDistribution(`checkerboard${cells}`, 2, (r, out, o) => {
    const i = r.int(cells);
    const j = 2 * r.int(cells / 2) + (i % 2);
    out[o] = low + (i + r.uniform()) * w;
    out[o + 1] = low + (j + r.uniform()) * w;
  });
}

/** Two interleaved spirals (FFJORD's "2spirals"). */
export function spirals({ noise = 0.1, scale = 1 } = {}): Distribution {
  return new SampledDistribution('2spirals', 2, (r, out, o) => {
    const n = Math.sqrt(r.uniform()) * 540 * (2 * Math.PI) / 360;
    const sign = r.uniform() < 0.5 ? 1 : -1;
    const x = -Math.cos(n) * n + r.uniform() * 0.5;
    const y = Math.sin(n) * n + r.uniform() * 0.5;
    out[o] = scale * (sign * x / 3 + noise * r.normal());
    out[o + 1] = scale * (sign * y / 3 + noise * r.normal());
  });
}

/** Concentric circles with radii `radii`, points spread by `noise` (FFJORD's "rings" has radii 1..4 scaled by 0.9). */
export function rings({ radii = [0.9, 1.8, 2.7, 3.6], noise = 0.08 } = {}): Distribution {
  return new SampledDistribution('rings', 2, (r, out, o) => {
    const rad = radii[r.int(radii.length)];
    const a = 2 * Math.PI * r.uniform();
    out[o] = rad * Math.cos(a) + noise * r.normal();
    out[o + 1] = rad * Math.sin(a) + noise * r.normal();
  });
}

/** Uniform on the box [low, high]^dim. */
export function uniformBox({ dim = 2, low = 0, high = 1 } = {}): Distribution {
  return new SampledDistribution(`uniform-box-${dim}d`, dim, (r, out, o) => {
    for (let j = 0; j < dim; j++) out[o + j] = low + (high - low) * r.uniform();
  });
}

/** Standard normal N(0, I), the usual source distribution. */
export function standardNormal(dim = 2): GaussianMixture {
  return GaussianMixture.standardNormal(dim);
}
