/**
 * Flow matching on a Gaussian path (Lipman et al. 2023; Liu et al. 2023;
 * Tong et al. 2024): x_t = alpha(t) x1 + sigma(t) x0 for coupled pairs (x0, x1),
 * regress v(x_t, t) on the conditional velocity alpha'(t) x1 + sigma'(t) x0.
 * With the linear path and x0 ~ N(0, I) this is OT-CFM / rectified flow; a VP
 * path gives the diffusion path of the FM paper; the source can be any
 * distribution and pairs can come from a minibatch coupling or from reflow.
 */
import * as tf from '../backend/tf.js';
import { checkFunction, checkTensor } from '../backend/args.js';
import { couple, type Coupling } from './coupling.js';
import type { Distribution } from './distribution.js';
import type { Labels, TimeNet, VelocityField } from './model.js';
import { odeSolve, type OdeMethod } from './ode.js';
import { linearPath, type GaussianPath } from './paths.js';
import { takeRows } from './points.js';
import { rng, type Rng, type SeedLike } from './random.js';
import { train, type TrainOptions } from './train.js';

/** Per-sample times drawn uniformly between the path's two ends. */
export function uniformTimes(path: GaussianPath, n: number, r: Rng): Float32Array {
  const lo = Math.min(path.tNoise, path.tData);
  const hi = Math.max(path.tNoise, path.tData);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * r.uniform());
}

/** x_t and the conditional velocity for pairs at per-sample times t. */
export function conditionalPath(path: GaussianPath, x0: tf.Tensor2D, x1: tf.Tensor2D, t: Float32Array): { xt: tf.Tensor2D; ut: tf.Tensor2D } {
  const col = (f: (s: number) => number) => tf.tensor2d(Float32Array.from(t, f), [t.length, 1]);
  return tf.tidy(() => ({
    xt: tf.add(tf.mul(x1, col(path.alpha)), tf.mul(x0, col(path.sigma))) as tf.Tensor2D,
    ut: tf.add(tf.mul(x1, col(path.dalpha)), tf.mul(x0, col(path.dsigma))) as tf.Tensor2D,
  }));
}

/** Mean squared error between v(x_t, t) and the conditional velocity (averaged over batch and dimensions). */
export function flowMatchingLoss(net: TimeNet, x0: tf.Tensor2D, x1: tf.Tensor2D, { path = linearPath(), seed = 0, labels }: { path?: GaussianPath; seed?: SeedLike; labels?: Labels } = {}): tf.Scalar {
  checkFunction('flowMatchingLoss', 'net', net, 'a network (x [n, d], t [n]) => [n, d]');
  checkTensor('flowMatchingLoss', 'x0', x0, { shape: '[n, d]', rank: 2 });
  checkTensor('flowMatchingLoss', 'x1', x1, { shape: '[n, d]', rank: 2 });
  if (x0.shape.join() !== x1.shape.join()) throw new Error(`flowMatchingLoss: x0 [${x0.shape}] and x1 [${x1.shape}] differ in shape`);
  const t = uniformTimes(path, x0.shape[0], rng(seed));
  return tf.tidy(() => {
    const { xt, ut } = conditionalPath(path, x0, x1, t);
    return tf.mean(tf.square(tf.sub(net(xt, tf.tensor1d(t), labels), ut))) as tf.Scalar;
  });
}

/** A fixed set of coupled pairs (e.g. from reflow) to draw training batches from. */
export interface Pairs {
  x0: tf.Tensor2D;
  x1: tf.Tensor2D;
}

/** Where training pairs come from: fixed pairs, or a source and a data distribution joined by a coupling. */
export interface PairSource {
  /** Target samples x1 (ignored when `pairs` is given). */
  data?: Distribution;
  /** Source samples x0 (default N(0, I)). */
  source?: Distribution;
  /** Fixed pairs to regress on (reflow); batches are drawn from them with replacement. */
  pairs?: Pairs;
  coupling?: Coupling | 'independent' | 'ot' | 'sinkhorn';
}

export interface FitFlowOptions extends TrainOptions, PairSource {
  path?: GaussianPath;
  batchSize?: number;
  seed?: SeedLike;
}

/** A batch of n pairs (x0, x1); the caller disposes both. */
export function drawPairs(opts: PairSource, dim: number, n: number, r: Rng): Pairs {
  if (!opts.data && !opts.pairs) throw new Error('drawPairs: give `data` (a distribution) or `pairs` (fixed couplings)');
  if (opts.pairs) {
    const idx = Int32Array.from({ length: n }, () => r.int(opts.pairs!.x0.shape[0]));
    return { x0: takeRows(opts.pairs.x0, idx), x1: takeRows(opts.pairs.x1, idx) };
  }
  const x1 = opts.data!.sample(n, r.fork());
  const x0 = opts.source ? opts.source.sample(n, r.fork()) : r.normalTensor<tf.Rank.R2>([n, dim]);
  const pairs = couple(x0, x1, opts.coupling ?? 'independent', r.fork());
  tf.dispose([x0, x1]);
  return pairs;
}

/** Trains a velocity network by flow matching; returns the loss history. */
export function fitFlowMatching(net: { apply: TimeNet; params: tf.Variable[]; dim: number }, opts: FitFlowOptions): { losses: Float64Array } {
  const { batchSize = 256, seed = 0, path = linearPath() } = opts;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`fitFlowMatching: batchSize must be a positive integer, got ${batchSize}`);
  const r = rng(seed);
  return train(
    net.params,
    () => {
      const { x0, x1 } = drawPairs(opts, net.dim, batchSize, r);
      const loss = flowMatchingLoss(net.apply, x0, x1, { path, seed: r.fork() });
      tf.dispose([x0, x1]);
      return loss;
    },
    opts,
  );
}

/** The velocity field of a network, for the ODE samplers. */
export function velocityOf(net: TimeNet, labels: Labels = null): VelocityField {
  return (x, t) => tf.tidy(() => net(x, tf.fill([x.shape[0]], t) as tf.Tensor1D, labels));
}

/**
 * Reflow (Liu et al. 2023): push source samples x0 through the learned ODE to
 * get x1 = Z_1(x0); the new pairs (x0, x1) are the coupling the next rectified
 * flow is trained on.
 */
export function reflowPairs(field: VelocityField, x0: tf.Tensor2D, { steps = 100, method = 'rk4', path = linearPath() }: { steps?: number; method?: OdeMethod; path?: GaussianPath } = {}): Pairs {
  const res = odeSolve(field, x0, path.grid(steps), { method });
  return { x0: x0.clone(), x1: res.x };
}
