/**
 * A small GAN on a 2-D Gaussian mixture (the ring of 8 Gaussians of Metz et al.,
 * "Unrolled Generative Adversarial Networks", 2017), as a two-player game:
 * player 0 is the generator (non-saturating loss -log D(G(z))), player 1 the
 * discriminator (logistic loss on real and generated points). Each step draws a
 * fresh minibatch shared by both players, from seeded generators.
 *
 * Sample quality is measured as in that paper: a generated point is
 * "high-quality" within 3 standard deviations of a mixture centre, and a mode is
 * covered when it receives at least `minFraction` of the samples. The energy
 * distance to fresh mixture samples (`distance`) measures the whole distribution.
 */
import * as tf from '../backend/tf.js';
import { rng, type Rng } from '../data/random.js';
import { Mlp } from '../nn/mlp.js';
import type { ActivationName } from '../nn/activations.js';
import type { Game } from './game.js';

export interface MixtureOptions {
  modes?: number;
  /** Ring radius ('ring') or grid spacing ('grid'). */
  radius?: number;
  /** Standard deviation of each component. */
  std?: number;
  layout?: 'ring' | 'grid';
}

export interface Mixture2d {
  centers: number[][];
  std: number;
  /** n points, row-major [n, 2]. */
  sample(n: number, r: Rng): Float32Array;
}

export function gaussianMixture2d(options: MixtureOptions = {}): Mixture2d {
  const modes = options.modes ?? 8;
  const radius = options.radius ?? 2;
  const std = options.std ?? 0.02;
  const layout = options.layout ?? 'ring';
  if (!Number.isInteger(modes) || modes < 1) throw new RangeError(`gaussianMixture2d: modes must be a positive integer, got ${modes}`);
  if (!(std > 0)) throw new RangeError(`gaussianMixture2d: std must be > 0, got ${std}`);
  let centers: number[][];
  if (layout === 'ring') centers = Array.from({ length: modes }, (_, k) => [radius * Math.cos((2 * Math.PI * k) / modes), radius * Math.sin((2 * Math.PI * k) / modes)]);
  else if (layout === 'grid') {
    const side = Math.round(Math.sqrt(modes));
    if (side * side !== modes) throw new RangeError(`gaussianMixture2d: a grid needs a square number of modes, got ${modes}`);
    centers = Array.from({ length: modes }, (_, k) => [radius * ((k % side) - (side - 1) / 2), radius * (Math.floor(k / side) - (side - 1) / 2)]);
  } else throw new RangeError(`gaussianMixture2d: layout must be 'ring' or 'grid', got '${String(layout)}'`);
  return {
    centers,
    std,
    sample(n, r) {
      const out = new Float32Array(n * 2);
      for (let i = 0; i < n; i++) {
        const c = centers[Math.floor(r.uniform() * modes)];
        out[2 * i] = c[0] + std * r.normal();
        out[2 * i + 1] = c[1] + std * r.normal();
      }
      return out;
    },
  };
}

export interface Coverage {
  /** Number of modes holding at least minFraction of the samples (within 3 std). */
  modes: number;
  /** Fraction of samples within 3 std of some centre. */
  quality: number;
  /** High-quality samples per mode. */
  counts: number[];
}

/** Mode coverage and sample quality of 2-D points against a mixture. */
export function coverage(points: ArrayLike<number>, mixture: Mixture2d, { minFraction = 0.01 }: { minFraction?: number } = {}): Coverage {
  const n = points.length / 2;
  const counts = new Array<number>(mixture.centers.length).fill(0);
  let good = 0;
  const limit = 3 * mixture.std;
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    let k = -1;
    mixture.centers.forEach((c, j) => {
      const d = Math.hypot(points[2 * i] - c[0], points[2 * i + 1] - c[1]);
      if (d < best) [best, k] = [d, j];
    });
    if (best <= limit) {
      good++;
      counts[k]++;
    }
  }
  return { modes: counts.filter((c) => c >= minFraction * n).length, quality: n > 0 ? good / n : 0, counts };
}

/**
 * Energy distance between two sets of 2-D points (row-major [n, 2]):
 * 2 E|X - Y| - E|X - X'| - E|Y - Y'| over all pairs (V-statistic). Zero for equal
 * sets, positive otherwise; unlike mode counts it also moves when the samples are
 * spread around the right places but too wide or biased.
 */
export function energyDistance(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length === 0 || y.length === 0 || x.length % 2 !== 0 || y.length % 2 !== 0) {
    throw new RangeError(`energyDistance: x and y must hold a positive even number of coordinates (points [n, 2]), got ${x.length} and ${y.length}`);
  }
  const meanDistance = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    let sum = 0;
    for (let i = 0; i < a.length; i += 2) for (let j = 0; j < b.length; j += 2) sum += Math.hypot(a[i] - b[j], a[i + 1] - b[j + 1]);
    return sum / ((a.length / 2) * (b.length / 2));
  };
  return 2 * meanDistance(x, y) - meanDistance(x, x) - meanDistance(y, y);
}

export interface GanOptions extends MixtureOptions {
  noiseDim?: number;
  hidden?: number;
  /** Hidden layers of each network. */
  depth?: number;
  activation?: ActivationName;
  batch?: number;
  seed?: number;
}

export interface GanGame extends Game {
  generator: Mlp;
  discriminator: Mlp;
  mixture: Mixture2d;
  /** n generated points [n, 2] (row-major), from noise seeded by `seed`. */
  generate(n: number, seed?: number): Float32Array;
  /** Coverage of n generated points. */
  coverage(n?: number, seed?: number): Coverage;
  /** Energy distance between n generated points and n points of the mixture (both from `seed`). */
  distance(n?: number, seed?: number): number;
}

const softplus = (x: tf.Tensor) => tf.softplus(x);

export function ganGame(options: GanOptions = {}): GanGame {
  const { noiseDim = 2, hidden = 32, depth = 2, activation = 'relu', batch = 128, seed = 0 } = options;
  const mixture = gaussianMixture2d(options);
  const widths = Array.from({ length: depth }, () => hidden);
  const generator = new Mlp({ sizes: [noiseDim, ...widths, 2], activation, init: 'he-normal', seed: seed * 2 + 1 });
  const discriminator = new Mlp({ sizes: [2, ...widths, 1], activation, init: 'he-normal', seed: seed * 2 + 2 });
  const data = rng(seed, 'gan-data');
  const noise = rng(seed, 'gan-noise');
  let z: tf.Tensor2D | undefined;
  let real: tf.Tensor2D | undefined;
  const gaussian = (n: number, d: number, r: Rng) => Float32Array.from({ length: n * d }, () => r.normal());
  const draw = () => {
    tf.dispose([z!, real!].filter(Boolean));
    z = tf.keep(tf.tensor2d(gaussian(batch, noiseDim, noise), [batch, noiseDim]));
    real = tf.keep(tf.tensor2d(mixture.sample(batch, data), [batch, 2]));
  };
  draw();
  const gLoss = () => tf.tidy(() => tf.mean(softplus(tf.neg(discriminator.apply(generator.apply(z!))))) as tf.Scalar);
  const dLoss = () =>
    tf.tidy(() => tf.add(tf.mean(softplus(tf.neg(discriminator.apply(real!)))), tf.mean(softplus(discriminator.apply(generator.apply(z!))))) as tf.Scalar);
  const generate = (n: number, s = 12345) =>
    tf.tidy(() => generator.apply(tf.tensor2d(gaussian(n, noiseDim, rng(s, 'gan-eval')), [n, noiseDim])).dataSync() as Float32Array);
  return {
    generator,
    discriminator,
    mixture,
    players: [generator.variables, discriminator.variables],
    losses: [gLoss, dLoss],
    beforeStep: (step) => {
      if (step > 1) draw();
    },
    generate,
    coverage: (n = 2500, s = 12345) => coverage(generate(n, s), mixture),
    distance: (n = 500, s = 12345) => energyDistance(generate(n, s), mixture.sample(n, rng(s, 'gan-eval-data'))),
    dispose: () => {
      tf.dispose([z!, real!]);
      generator.dispose();
      discriminator.dispose();
    },
  };
}
