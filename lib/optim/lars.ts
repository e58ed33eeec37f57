/**
 * LARS: You, Gitman & Ginsburg, "Large Batch Training of Convolutional Networks",
 * 2017 (arXiv:1708.03888), as implemented in optax (`optax.lars`), the form used
 * by Nado et al., "A Large Batch Optimizer Reality Check" (2021): weight decay,
 * then a per-layer trust ratio trustCoefficient * ||w|| / ||g + wd w||, the
 * learning rate, then heavy-ball momentum. Defaults (optax): weightDecay=0,
 * trustCoefficient=1e-3, eps=0, momentum=0.9, nesterov=false; lr is required.
 * (The LARS paper writes the ratio as ||w|| / (||g|| + wd ||w||).) Checked
 * against optax 0.2.
 */
import * as tf from '../backend/tf.js';
import { map } from './tree.js';
import { type GradientTransformation, chain, requireParams } from './transform.js';
import { type Schedule } from './schedules.js';
import { addDecayedWeights, scaleByLearningRate, trace } from './transforms.js';
import { type Mask, masked } from './wrappers.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer } from './adapter.js';
import { checkBeta, checkBoolean, checkKnownKeys, checkLearningRate, checkNonNegative } from './validate.js';

/**
 * Per tensor: updates * trustCoefficient * ||p|| / (||u|| + eps), or unchanged when
 * either norm is zero (optax `scale_by_trust_ratio`; norms floored at minNorm).
 */
export function scaleByTrustRatio({ minNorm = 0, trustCoefficient = 1, eps = 0 } = {}): GradientTransformation<Record<string, never>> {
  return {
    init: () => ({}),
    update: (u, state, params) => {
      const p = requireParams('scaleByTrustRatio', params);
      const updates = map((x, w) => {
        const pn = tf.maximum(tf.norm(w), minNorm);
        const un = tf.maximum(tf.norm(x), minNorm);
        const ratio = tf.div(tf.mul(pn, trustCoefficient), tf.add(un, eps));
        const zero = tf.logicalOr(tf.equal(pn, 0), tf.equal(un, 0));
        return tf.mul(x, tf.where(zero, tf.onesLike(ratio), ratio));
      }, u, p);
      return { updates, state };
    },
  };
}

export interface LARSConfig extends CommonOptions {
  lr: number | Schedule;
  weightDecay?: number;
  weightDecayMask?: Mask;
  trustCoefficient?: number;
  eps?: number;
  /** Parameters the trust ratio applies to (default all; commonly `(p) => p.rank > 1`). */
  trustRatioMask?: Mask;
  momentum?: number;
  nesterov?: boolean;
}

export const LARS = defineOptimizer<LARSConfig>('LARS', 'lars', (c) => {
  const o = 'lars';
  checkKnownKeys(o, c, ['lr', 'weightDecay', 'weightDecayMask', 'trustCoefficient', 'eps', 'trustRatioMask', 'momentum', 'nesterov', ...COMMON_KEYS]);
  if (c?.lr === undefined) throw new RangeError(`${o}: lr is required (optax's lars has no default)`);
  const lr = checkLearningRate(o, 'lr', c.lr);
  const wd = checkNonNegative(o, 'weightDecay', c.weightDecay ?? 0);
  const trustCoefficient = checkNonNegative(o, 'trustCoefficient', c.trustCoefficient ?? 1e-3);
  const eps = checkNonNegative(o, 'eps', c.eps ?? 0);
  const momentum = checkBeta(o, 'momentum', c.momentum ?? 0.9);
  const nesterov = checkBoolean(o, 'nesterov', c.nesterov ?? false);
  const ratio = scaleByTrustRatio({ trustCoefficient, eps });
  const transform = chain(
    addDecayedWeights(wd, c.weightDecayMask),
    c.trustRatioMask === undefined ? ratio : masked(ratio, c.trustRatioMask),
    scaleByLearningRate(lr),
    ...(momentum > 0 ? [trace({ decay: momentum, nesterov })] : []),
  );
  return { transform, lr, nonFinite: c.nonFinite };
});

export function lars(config: LARSConfig): InstanceType<typeof LARS> {
  return new LARS(config);
}
