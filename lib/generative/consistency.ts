/**
 * Consistency flow matching (Yang et al. 2024), following the official
 * loss (YangLing0818/consistency_flow_matching, losses.py): with the linear
 * path x_t = t x1 + (1 - t) x0 and K segments of [0, 1], the endpoint estimate
 * f(t, x_t) = x_t + (end - t) v(x_t, t) toward the end of t's segment must agree
 * with the one from r = t + delta computed without gradient (or the true segment
 * end when r >= boundary), plus alpha times the velocity-consistency term
 * |v(x_t, t) - v(x_r, r)|^2 away from segment ends.
 */
import * as tf from '../backend/tf.js';
import type { Labels, TimeNet } from './model.js';
import { rng, type SeedLike } from './random.js';

export interface ConsistencyFmOptions {
  delta?: number;
  segments?: number;
  boundary?: number;
  alpha?: number;
  /** Smallest t (the official eps). */
  eps?: number;
  /** Network for the no-gradient target (e.g. an EMA copy); default: the trained network, detached. */
  target?: TimeNet;
  labels?: Labels;
  seed?: SeedLike;
}

/** A constant copy of a tensor: the gradient does not flow through it (torch.no_grad). */
function detached<T extends tf.Tensor>(x: T): T {
  return tf.tensor(x.dataSync(), x.shape, x.dtype) as T;
}

export function consistencyFmLoss(net: TimeNet, x0: tf.Tensor2D, x1: tf.Tensor2D, { delta = 1e-3, segments = 2, boundary = 0.9, alpha = 1e-5, eps = 1e-3, target, labels, seed = 0 }: ConsistencyFmOptions = {}): tf.Scalar {
  if (!Number.isInteger(segments) || segments < 1) throw new Error(`consistencyFmLoss: segments must be a positive integer, got ${segments}`);
  if (!(delta > 0)) throw new Error(`consistencyFmLoss: delta must be positive, got ${delta}`);
  const r = rng(seed);
  const n = x0.shape[0];
  const t = Float32Array.from({ length: n }, () => eps + (1 - eps) * r.uniform());
  const rr = Float32Array.from(t, (v) => Math.min(v + delta, 1));
  // end of t's segment: the smallest segment boundary >= t (never 0)
  const ends = Float32Array.from(t, (v) => Math.max(1, Math.ceil(v * segments - 1e-12)) / segments);
  const col = (v: Float32Array) => tf.tensor2d(v, [n, 1]);
  const at = (s: Float32Array) => tf.add(tf.mul(x1, col(s)), tf.mul(x0, col(Float32Array.from(s, (v) => 1 - v)))) as tf.Tensor2D;
  const xr = at(rr);
  const vr = tf.tidy(() => {
    const v = (target ?? net)(xr, tf.tensor1d(rr), labels);
    return tf.where(tf.isFinite(v), v, tf.zerosLike(v));
  });
  const vrConst = detached(vr);
  vr.dispose();
  return tf.tidy(() => {
    const xt = at(t);
    const xEnd = at(ends);
    const vt = net(xt, tf.tensor1d(t), labels);
    const ft = tf.add(xt, tf.mul(vt, col(Float32Array.from(t, (v, i) => ends[i] - v))));
    const fEuler = tf.add(xr, tf.mul(vrConst, col(Float32Array.from(rr, (v, i) => ends[i] - v))));
    const useEuler = col(Float32Array.from(rr, (v) => (v < boundary ? 1 : 0)));
    const fr = tf.add(tf.mul(fEuler, useEuler), tf.mul(xEnd, tf.sub(1, useEuler)));
    const lossF = tf.mean(tf.square(tf.sub(ft, fr)), 1);
    const mask = col(Float32Array.from(t, (v, i) => (v < boundary && ends[i] - v > 1.01 * delta ? 1 : 0)));
    const lossV = tf.mean(tf.mul(tf.square(tf.sub(vt, vrConst)), mask), 1);
    xr.dispose();
    vrConst.dispose();
    return tf.mean(tf.add(lossF, tf.mul(lossV, alpha))) as tf.Scalar;
  });
}
