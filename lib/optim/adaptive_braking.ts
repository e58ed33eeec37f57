/**
 * Adaptive Braking (AB): Venigalla, Kosson, Chiley & Köster, "Adaptive Braking
 * for Mitigating Gradient Delay" (arXiv:2007.01397). No official code was
 * released. AB rescales the gradient of SGD with momentum by its alignment with
 * the velocity:
 *
 *   g_tilde = (1 - rho cos(g, v)) g          (cos = 0 while v = 0)
 *   v <- momentum v + g_tilde ;   x <- x - lr v
 *
 * A gradient that opposes the velocity (cos < 0, the iterate has overshot along a
 * high-curvature direction, as stale gradients make it do) is amplified up to
 * (1 + rho) times and brakes the motion; one aligned with it is shrunk, and with
 * rho = 2 reversed when fully aligned. Defaults: momentum 0.9, rho 2, the cosine
 * per tensor (`layerwise`, false for one cosine over all parameters), coupled L2
 * `weightDecay` 0; lr is required. The form and rho follow the paper's abstract
 * and our reading of its method section (the printed text was not available when
 * this was written); `tests/optim/papers_b_properties.test.ts` pins the scaling as
 * a function of the cosine. Pair it with `delay.DelayedGradients` to reproduce
 * the paper's setting.
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, map, leaves, unflatten, squaredNorm, zerosLike } from './tree.js';
import { type GradientTransformation, chain } from './transform.js';
import { addL2, scaleByLearningRate } from './transforms.js';
import { treeDot } from './momo.js';
import { type Schedule } from './schedules.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer } from './adapter.js';
import { checkBeta, checkBoolean, checkKnownKeys, checkLearningRate, checkNonNegative, checkNumber } from './validate.js';

/** cos(a, b), 0 where either is zero. */
function cosine(a: TensorTree, b: TensorTree): tf.Scalar {
  const den = tf.sqrt(tf.mul(squaredNorm(a), squaredNorm(b)));
  return tf.where(tf.greater(den, 0), tf.div(treeDot(a, b), tf.maximum(den, 1e-30)), tf.scalar(0)) as tf.Scalar;
}

export interface BrakingMomentumState {
  velocity: TensorTree;
}

/** SGD momentum on the braked gradient; outputs the velocity (the lr comes after). */
export function scaleByAdaptiveBraking({
  momentum = 0.9,
  rho = 2,
  layerwise = true,
}: { momentum?: number; rho?: number; layerwise?: boolean } = {}): GradientTransformation<BrakingMomentumState> {
  return {
    init: (params) => ({ velocity: zerosLike(params) }),
    update(g, s) {
      let braked: TensorTree;
      if (layerwise) {
        const vs = leaves(s.velocity);
        braked = unflatten(g, leaves(g).map((x, i) => tf.mul(x, tf.sub(1, tf.mul(cosine(x, vs[i]), rho)))));
      } else {
        const factor = tf.sub(1, tf.mul(cosine(g, s.velocity), rho));
        braked = map((x) => tf.mul(x, factor), g);
      }
      const velocity = map((v, x) => tf.add(tf.mul(v, momentum), x), s.velocity, braked);
      return { updates: velocity, state: { velocity } };
    },
  };
}

export interface AdaptiveBrakingConfig extends CommonOptions {
  lr: number | Schedule;
  momentum?: number;
  rho?: number;
  layerwise?: boolean;
  weightDecay?: number;
}

export const AdaptiveBraking = defineOptimizer<AdaptiveBrakingConfig>('AdaptiveBraking', 'adaptiveBraking', (c) => {
  const o = 'adaptiveBraking';
  checkKnownKeys(o, c, ['lr', 'momentum', 'rho', 'layerwise', 'weightDecay', ...COMMON_KEYS]);
  if (c?.lr === undefined) throw new RangeError(`${o}: lr is required (a number >= 0 or a schedule)`);
  const lr = checkLearningRate(o, 'lr', c.lr);
  const wd = checkNonNegative(o, 'weightDecay', c.weightDecay ?? 0);
  const transform = chain(
    ...(wd > 0 ? [addL2(wd)] : []),
    scaleByAdaptiveBraking({
      momentum: checkBeta(o, 'momentum', c.momentum ?? 0.9),
      rho: checkNumber(o, 'rho', c.rho ?? 2, { min: 0, max: 10 }),
      layerwise: checkBoolean(o, 'layerwise', c.layerwise ?? true),
    }),
    scaleByLearningRate(lr),
  );
  return { transform, lr, nonFinite: c.nonFinite };
});

/** SGD with momentum and Adaptive Braking. */
export function adaptiveBraking(config: AdaptiveBrakingConfig): InstanceType<typeof AdaptiveBraking> {
  return new AdaptiveBraking(config);
}
