/**
 * Gradient clipping.
 *
 * Paper: Pascanu, Mikolov & Bengio, "On the difficulty of training recurrent
 * neural networks", ICML 2013 (arXiv:1211.5063), Algorithm 1: if ||g|| >= threshold,
 * g <- threshold * g / ||g||. `clipByGlobalNorm` is that rule over all parameters
 * together (optax `clip_by_global_norm`, which computes exactly
 * g * maxNorm / max(||g||, maxNorm); torch's `clip_grad_norm_` divides by
 * ||g|| + 1e-6 instead), `clipByLayerNorm` applies it to each tensor separately.
 * `adaptiveGradClip` is AGC (Brock et al., "High-Performance Large-Scale Image
 * Recognition Without Normalization", 2021), as optax `adaptive_grad_clip`.
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, map, globalNorm } from './tree.js';
import { type GradientTransformation, requireParams } from './transform.js';
import { checkNonNegative, checkPositive } from './validate.js';

type Stateless = GradientTransformation<Record<string, never>>;

function stateless(f: (u: TensorTree, params?: TensorTree) => TensorTree): Stateless {
  return { init: () => ({}), update: (u, state, params) => ({ updates: f(u, params), state }) };
}

/** Clips every element to [-maxDelta, maxDelta] (optax `clip`). */
export function clipByValue(maxDelta: number): Stateless {
  checkNonNegative('clipByValue', 'maxDelta', maxDelta);
  return stateless((u) => map((x) => tf.clipByValue(x, -maxDelta, maxDelta), u));
}

/** Rescales all updates together so that their global L2 norm is at most `maxNorm`. */
export function clipByGlobalNorm(maxNorm: number): Stateless {
  checkPositive('clipByGlobalNorm', 'maxNorm', maxNorm);
  return stateless((u) => {
    const factor = tf.div(maxNorm, tf.maximum(globalNorm(u), maxNorm));
    return map((x) => tf.mul(x, factor), u);
  });
}

/** Rescales each tensor separately so that its L2 norm is at most `maxNorm` (per-layer clipping). */
export function clipByLayerNorm(maxNorm: number): Stateless {
  checkPositive('clipByLayerNorm', 'maxNorm', maxNorm);
  return stateless((u) => map((x) => tf.mul(x, tf.div(maxNorm, tf.maximum(tf.norm(x), maxNorm))), u));
}

/** Rescales each tensor so that its root-mean-square is at most `threshold` (optax `clip_by_block_rms`). */
export function clipByBlockRms(threshold: number): Stateless {
  checkPositive('clipByBlockRms', 'threshold', threshold);
  return stateless((u) =>
    map((x) => {
      const rms = tf.sqrt(tf.mean(tf.square(x)));
      return tf.mul(x, tf.div(threshold, tf.maximum(rms, threshold)));
    }, u),
  );
}

/**
 * Norms per output unit, broadcast to the tensor's shape (optax `unitwise_norm`):
 * scalars and vectors as a whole, dense kernels [in, out] (and [.., in, out]
 * multi-head kernels) over axis 0, conv kernels [h, w, in, out] over axes 0-2.
 */
export function unitwiseNorm(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const squeezedRank = x.shape.filter((d) => d !== 1).length;
    let sq: tf.Tensor;
    if (squeezedRank <= 1) sq = tf.sum(tf.square(x), undefined, true);
    else if (x.rank === 2 || x.rank === 3) sq = tf.sum(tf.square(x), 0, true);
    else if (x.rank === 4) sq = tf.sum(tf.square(x), [0, 1, 2], true);
    else throw new Error(`adaptiveGradClip: unitwise norm is defined for tensors of rank <= 4, got shape [${x.shape}]`);
    return tf.broadcastTo(tf.sqrt(sq), x.shape);
  });
}

/**
 * Norms per channel, with the reduced axes kept (size 1) so they broadcast
 * against the tensor: tensors of rank <= 1 as a whole (a scalar), others over
 * every axis but `channelAxis` (0: torch's [out, in, ...] layout, as Ranger21's
 * `unit_norm`; -1: TF.js's [..., in, out]).
 */
export function channelNorm(x: tf.Tensor, channelAxis: 0 | -1): tf.Tensor {
  return tf.tidy(() => {
    if (x.rank <= 1) return tf.norm(x);
    const keep = channelAxis === 0 ? 0 : x.rank - 1;
    const axes = Array.from({ length: x.rank }, (_, i) => i).filter((i) => i !== keep);
    return tf.sqrt(tf.sum(tf.square(x), axes, true));
  });
}

/**
 * Adaptive gradient clipping: per unit, g <- g * max(||w||, eps) * clipping / ||g||
 * where ||g|| exceeds max(||w||, eps) * clipping. Units follow optax's
 * `unitwise_norm`, or `channelNorm` when `channelAxis` is given.
 */
export function adaptiveGradClip(clipping: number, eps = 1e-3, { channelAxis }: { channelAxis?: 0 | -1 } = {}): Stateless {
  checkPositive('adaptiveGradClip', 'clipping', clipping);
  checkNonNegative('adaptiveGradClip', 'eps', eps);
  const norm = channelAxis === undefined ? unitwiseNorm : (x: tf.Tensor) => channelNorm(x, channelAxis);
  return stateless((u, params) => {
    const p = requireParams('adaptiveGradClip', params);
    return map((g, w) => {
      const maxNorm = tf.mul(tf.maximum(norm(w), eps), clipping);
      // g * maxNorm / ||g|| where ||g|| >= maxNorm, else g: one factor per unit
      const factor = tf.minimum(tf.div(maxNorm, tf.maximum(norm(g), 1e-6)), 1);
      return tf.mul(g, factor);
    }, u, p);
  });
}
