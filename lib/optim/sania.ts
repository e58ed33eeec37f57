/**
 * SANIA: Abdukhakimov, Xiang, Kamzolov, Gower & Takáč, "SANIA: Polyak-type
 * Optimization Framework Leads to Scale Invariant Stochastic Algorithms"
 * (arXiv:2312.17369). Ported from the official implementation, fxrshed/SANIA
 * (`SANIA/sania_adam_sqr.py`, `SANIA/sania_adagrad_sqr.py`), with its defaults:
 * lr = 1, eps = 0.1, betas = (0.9, 0.999) (only beta2 is used), isSqrt = false.
 *
 * A preconditioned Polyak step with f* = 0: with a diagonal preconditioner B
 * (Adam: the bias-corrected EMA of g^2; AdaGrad: the sum of g^2), floored at eps,
 * and s = B^-1 g (or B^-1/2 g with isSqrt),
 *
 *   q = <s, g> = ||g||^2_{B^-1}
 *   step = 1 - sqrt(1 - 2 f / q)   if 2 f <= q (the smaller root of the quadratic model), else 1
 *   x <- x - lr * step * s
 *
 * With B ~ g^2 (not its square root), rescaling a coordinate by c rescales s by
 * 1/c, which is what makes the method invariant to the scaling of features.
 * The AdaGrad file of the official code ignores lr; here lr applies to both (the
 * default 1 reproduces it). Needs the loss (see `polyak.ts`).
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, map, zerosLike } from './tree.js';
import { type GradientTransformation, chain } from './transform.js';
import { scaleByLearningRate } from './transforms.js';
import { requireLoss } from './polyak.js';
import { treeDot } from './momo.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer } from './adapter.js';
import { checkBetas, checkBoolean, checkKnownKeys, checkLearningRate, checkOneOf, checkPositive } from './validate.js';
import { type Schedule } from './schedules.js';

export interface ScaleBySaniaState {
  count: number;
  /** EMA (Adam) or sum (AdaGrad) of squared gradients. */
  sumSq: TensorTree;
}

export interface ScaleBySaniaOptions {
  preconditioner?: 'adam' | 'adagrad';
  beta2?: number;
  eps?: number;
  isSqrt?: boolean;
}

export function scaleBySania({ preconditioner = 'adam', beta2 = 0.999, eps = 0.1, isSqrt = false }: ScaleBySaniaOptions = {}): GradientTransformation<ScaleBySaniaState> {
  return {
    init: (params) => ({ count: 0, sumSq: zerosLike(params) }),
    update(g, s, _params, extra) {
      const f = requireLoss('sania', extra);
      const t = s.count + 1;
      const sumSq =
        preconditioner === 'adam'
          ? map((v, gi) => tf.add(tf.mul(v, beta2), tf.mul(tf.square(gi), 1 - beta2)), s.sumSq, g)
          : map((v, gi) => tf.add(v, tf.square(gi)), s.sumSq, g);
      const bc = preconditioner === 'adam' ? 1 - beta2 ** t : 1;
      const dir = map((v, gi) => {
        const b = tf.maximum(tf.div(v, bc), eps);
        return tf.div(gi, isSqrt ? tf.sqrt(b) : b);
      }, sumSq, g);
      const q = treeDot(dir, g);
      const det = tf.sub(1, tf.div(tf.mul(f, 2), q));
      const polyak = tf.sub(1, tf.sqrt(tf.relu(det)));
      const step = tf.where(tf.logicalAnd(tf.lessEqual(tf.mul(f, 2), q), tf.greater(det, 0)), polyak, tf.scalar(1));
      return { updates: map((d) => tf.mul(d, step), dir), state: { count: t, sumSq } };
    },
  };
}

export interface SANIAConfig extends CommonOptions {
  lr?: number | Schedule;
  /** Diagonal preconditioner: Adam's EMA of g^2 (default) or AdaGrad's sum. */
  preconditioner?: 'adam' | 'adagrad';
  betas?: [number, number];
  /** Floor of the preconditioner. */
  eps?: number;
  /** Precondition with B^-1/2 (Adam-like) instead of B^-1 (scale invariant). */
  isSqrt?: boolean;
}

export const SANIA = defineOptimizer<SANIAConfig>('SANIA', 'sania', (c) => {
  const o = 'sania';
  checkKnownKeys(o, c, ['lr', 'preconditioner', 'betas', 'eps', 'isSqrt', ...COMMON_KEYS]);
  const lr = checkLearningRate(o, 'lr', c.lr ?? 1);
  const [, beta2] = checkBetas(o, 'betas', c.betas ?? [0.9, 0.999], 2);
  const transform = chain(
    scaleBySania({
      preconditioner: checkOneOf(o, 'preconditioner', c.preconditioner ?? 'adam', ['adam', 'adagrad'] as const),
      beta2,
      eps: checkPositive(o, 'eps', c.eps ?? 0.1),
      isSqrt: checkBoolean(o, 'isSqrt', c.isSqrt ?? false),
    }),
    scaleByLearningRate(lr),
  );
  return { transform, lr, nonFinite: c.nonFinite };
});

/** SANIA: scale-invariant preconditioned Polyak steps (f* = 0). */
export function sania(config: SANIAConfig = {}): InstanceType<typeof SANIA> {
  return new SANIA(config);
}
