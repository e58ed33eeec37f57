/**
 * Exact posteriors for mixtures of diagonal Gaussians joined by a linear
 * interpolant  x_t = a x0 + b x1 + g z,  x0 ~ source mixture, x1 ~ target
 * mixture, z ~ N(0, I), all independent. Every pair of components gives a
 * Gaussian, so E[x0 | x_t], E[x1 | x_t], E[z | x_t] and the score of x_t are
 * closed-form mixtures over pairs.
 *
 * Special cases: a Gaussian path (source = N(0, I), a = sigma, b = alpha,
 * g = 0) gives the exact denoiser, score and velocity of every diffusion /
 * flow-matching model of the mixture; a stochastic interpolant between two
 * mixtures gives its exact drift b and denoiser eta_z.
 */
import * as tf from '../backend/tf.js';
import { GaussianMixture } from './mixture.js';
import type { Denoiser, Labels, TimeNet, VelocityField } from './model.js';
import type { GaussianPath } from './paths.js';
import type { VelocityAndScore } from './sde.js';

export interface BridgePosterior {
  e0: tf.Tensor2D;
  e1: tf.Tensor2D;
  ez: tf.Tensor2D;
  score: tf.Tensor2D;
}

export class MixtureBridge {
  private readonly P: number;
  private readonly mu0: tf.Tensor2D;
  private readonly mu1: tf.Tensor2D;
  private readonly var0: tf.Tensor2D;
  private readonly var1: tf.Tensor2D;
  private readonly logw: number[];
  private readonly targetLabel: number[];

  constructor(readonly source: GaussianMixture, readonly target: GaussianMixture) {
    if (source.dim !== target.dim) throw new Error(`MixtureBridge: source has ${source.dim} dims, target ${target.dim}`);
    const m0: number[][] = [];
    const m1: number[][] = [];
    const v0: number[][] = [];
    const v1: number[][] = [];
    this.logw = [];
    this.targetLabel = [];
    for (let j = 0; j < source.k; j++) {
      for (let k = 0; k < target.k; k++) {
        m0.push(source.means[j]);
        m1.push(target.means[k]);
        v0.push(source.stds[j].map((s) => s * s));
        v1.push(target.stds[k].map((s) => s * s));
        this.logw.push(Math.log(source.weights[j]) + Math.log(target.weights[k]));
        this.targetLabel.push(target.labels[k]);
      }
    }
    this.P = m0.length;
    this.mu0 = tf.keep(tf.tensor2d(m0));
    this.mu1 = tf.keep(tf.tensor2d(m1));
    this.var0 = tf.keep(tf.tensor2d(v0));
    this.var1 = tf.keep(tf.tensor2d(v1));
  }

  /** Log pair weights per sample, with pairs outside each sample's class masked out. */
  private pairLogWeights(n: number, labels: Labels | undefined): tf.Tensor2D {
    const out = new Float32Array(n * this.P);
    for (let i = 0; i < n; i++) {
      const y = labels ? labels[i] : -1;
      if (labels && !(y === -1 || (Number.isInteger(y) && y >= 0 && y < this.target.numClasses))) {
        throw new Error(`labels[${i}] = ${y} is not a class of the target mixture (0..${this.target.numClasses - 1}, or -1)`);
      }
      for (let p = 0; p < this.P; p++) out[i * this.P + p] = y === -1 || this.targetLabel[p] === y ? this.logw[p] : -1e30;
    }
    return tf.tensor2d(out, [n, this.P]);
  }

  /**
   * Posterior expectations at x for interpolant coefficients (a, b, g): numbers for the whole
   * batch, or per-sample arrays of length n. `labels` condition the target class.
   */
  posterior(x: tf.Tensor2D, a: number | ArrayLike<number>, b: number | ArrayLike<number>, g: number | ArrayLike<number>, labels?: Labels): BridgePosterior {
    const n = x.shape[0];
    if (x.shape[1] !== this.source.dim) throw new Error(`posterior: x has ${x.shape[1]} dims, mixtures have ${this.source.dim}`);
    if (labels && labels.length !== n) throw new Error(`posterior: labels has ${labels.length} entries, x has ${n} rows`);
    return tf.tidy(() => {
      // coefficients broadcast as scalars or as [n, 1, 1] columns against [P, d] component tensors
      const coef = (c: number | ArrayLike<number>): number | tf.Tensor => {
        if (typeof c === 'number') return c;
        if (c.length !== n) throw new Error(`posterior: per-sample coefficients have ${c.length} entries, x has ${n} rows`);
        return tf.tensor3d(Float32Array.from(c), [n, 1, 1]);
      };
      const [ca, cb, cg] = [coef(a), coef(b), coef(g)];
      const sq = (c: number | tf.Tensor) => (typeof c === 'number' ? c * c : tf.square(c));
      const mean = tf.add(tf.mul(this.mu0, ca), tf.mul(this.mu1, cb)); // [P, d] or [n, P, d]
      const v = tf.add(tf.add(tf.mul(this.var0, sq(ca)), tf.mul(this.var1, sq(cb))), sq(cg)); // [P, d] or [n, P, d]
      const diff = tf.sub(tf.expandDims(x, 1), mean); // [n, P, d]
      const scaled = tf.div(diff, v); // diff / v
      const logN = tf.mul(tf.sum(tf.add(tf.mul(diff, scaled), tf.log(tf.mul(v, 2 * Math.PI))), -1), -0.5); // [n, P]
      const r = tf.expandDims(tf.softmax(tf.add(logN, this.pairLogWeights(n, labels))), 2); // [n, P, 1]
      const mix = (perPair: tf.Tensor) => tf.sum(tf.mul(r, perPair), 1) as tf.Tensor2D;
      return {
        e0: mix(tf.add(this.mu0, tf.mul(tf.mul(this.var0, ca), scaled))),
        e1: mix(tf.add(this.mu1, tf.mul(tf.mul(this.var1, cb), scaled))),
        ez: mix(tf.mul(scaled, cg)),
        score: mix(tf.neg(scaled)),
      };
    });
  }

  dispose(): void {
    tf.dispose([this.mu0, this.mu1, this.var0, this.var1]);
  }
}

function take(post: BridgePosterior, key: keyof BridgePosterior): tf.Tensor2D {
  for (const k of Object.keys(post) as (keyof BridgePosterior)[]) if (k !== key) post[k].dispose();
  return post[key];
}

/** The exact denoiser E[x0 | x_t] of a mixture on a Gaussian path (labels select class-conditional mixtures). */
export function mixtureDenoiser(mixture: GaussianMixture, path: GaussianPath): Denoiser {
  const bridge = new MixtureBridge(GaussianMixture.standardNormal(mixture.dim), mixture);
  return (x, t, labels) => take(bridge.posterior(x, path.sigma(t), path.alpha(t), 0, labels), 'e1');
}

/**
 * The exact denoiser as a network of per-sample times (a `TimeNet` predicting x0): lets training
 * objectives and ELBO estimates be evaluated at the optimum without training.
 */
export function mixtureDenoiserNet(mixture: GaussianMixture, path: GaussianPath): TimeNet {
  const bridge = new MixtureBridge(GaussianMixture.standardNormal(mixture.dim), mixture);
  return (x, t, labels) => {
    const ts = t.dataSync();
    return take(bridge.posterior(x, Array.from(ts, path.sigma), Array.from(ts, path.alpha), 0, labels), 'e1');
  };
}

/** The exact score grad log p_t of a mixture on a Gaussian path. */
export function mixtureScore(mixture: GaussianMixture, path: GaussianPath, labels: Labels = null): VelocityField {
  const bridge = new MixtureBridge(GaussianMixture.standardNormal(mixture.dim), mixture);
  return (x, t) => take(bridge.posterior(x, path.sigma(t), path.alpha(t), 0, labels), 'score');
}

/**
 * The exact probability-flow velocity alpha' E[x0 | x_t] + sigma' E[eps | x_t] of a mixture on a
 * Gaussian path; computed from the posterior directly, so it stays finite where sigma = 0.
 */
export function mixtureVelocity(mixture: GaussianMixture, path: GaussianPath, labels: Labels = null): VelocityField {
  const bridge = new MixtureBridge(GaussianMixture.standardNormal(mixture.dim), mixture);
  return (x, t) =>
    tf.tidy(() => {
      const p = bridge.posterior(x, path.sigma(t), path.alpha(t), 0, labels);
      return tf.add(tf.mul(p.e1, path.dalpha(t)), tf.mul(p.e0, path.dsigma(t))) as tf.Tensor2D;
    });
}

/** Coefficients of an interpolant x_t = a(t) x0 + b(t) x1 + g(t) z and their time derivatives. */
export interface InterpolantCoefficients {
  a(t: number): number;
  b(t: number): number;
  g(t: number): number;
  da(t: number): number;
  db(t: number): number;
  dg(t: number): number;
}

/**
 * Exact drift b(t, x) = E[a' x0 + b' x1 + g' z | x_t = x] and denoiser
 * eta_z(t, x) = E[z | x_t = x] of an interpolant between two mixtures; `fields`
 * gives the drift and the exact score of x_t from one posterior evaluation, for
 * `eulerMaruyama` (half the cost of the drift and denoiser computed apart).
 */
export function mixtureInterpolantFields(source: GaussianMixture, target: GaussianMixture, c: InterpolantCoefficients): { velocity: VelocityField; denoiser: VelocityField; score: VelocityField; fields: VelocityAndScore; bridge: MixtureBridge } {
  const bridge = new MixtureBridge(source, target);
  const drift = (p: BridgePosterior, t: number) => tf.add(tf.add(tf.mul(p.e0, c.da(t)), tf.mul(p.e1, c.db(t))), tf.mul(p.ez, c.dg(t))) as tf.Tensor2D;
  return {
    bridge,
    velocity: (x, t) => tf.tidy(() => drift(bridge.posterior(x, c.a(t), c.b(t), c.g(t)), t)),
    denoiser: (x, t) => take(bridge.posterior(x, c.a(t), c.b(t), c.g(t)), 'ez'),
    score: (x, t) => take(bridge.posterior(x, c.a(t), c.b(t), c.g(t)), 'score'),
    fields: (x, t) =>
      tf.tidy(() => {
        const p = bridge.posterior(x, c.a(t), c.b(t), c.g(t));
        return { velocity: drift(p, t), score: p.score };
      }),
  };
}
