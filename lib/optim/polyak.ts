/**
 * Polyak step sizes: the f*-aware machinery shared by SPS, the Polyak-momentum
 * methods and MoMo. They need the loss at the current parameters, which the
 * adapter passes as `extra.value` from `step`, `minimize` and `LayersModel.fit`.
 *
 * `scaleByPolyak` is the stochastic Polyak step of Loizou et al., "Stochastic
 * Polyak Step-size for SGD: An Adaptive Learning Rate for Fast Convergence",
 * AISTATS 2021 (arXiv:2002.10542), SPS_max, with optax's semantics
 * (`optax.scale_by_polyak`, checked against optax 0.2.8): applied to the incoming
 * direction d (the gradient, or a momentum buffer),
 *
 *   tau = min(maxLr, (f - fMin) / (c ||d||^2 + eps))       (0 when c ||d||^2 + eps = 0)
 *   update = tau d
 *
 * `variant: 'sps+'` clips f - fMin at 0 (never an ascent step).
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, map, squaredNorm } from './tree.js';
import { type ExtraArgs, type GradientTransformation, chain } from './transform.js';
import { scaleByLearningRate } from './transforms.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer } from './adapter.js';
import { checkKnownKeys, checkNonNegative, checkNumber, checkOneOf, checkPositive } from './validate.js';

/** The loss passed with the gradients, or a clear error naming the optimizer. */
export function requireLoss(owner: string, extra: ExtraArgs | undefined): tf.Scalar {
  const v = extra?.value;
  if (v === undefined) {
    throw new Error(
      `${owner}: this optimizer needs the loss value of each step; use opt.step(closure), opt.minimize(f), ` +
        'LayersModel.fit, or applyGradients(grads, {value: loss})',
    );
  }
  return v;
}

export interface ScaleByPolyakOptions {
  /** Cap on the step size (gamma_max); Infinity for the uncapped Polyak step. */
  maxLr?: number;
  /** Lower bound f* of the loss (0 for interpolating models). */
  fMin?: number;
  /** The constant c of SPS / ALR-SMAG: tau = (f - f*) / (c ||d||^2). */
  c?: number;
  eps?: number;
  variant?: 'sps' | 'sps+';
}

/** Multiplies the incoming direction by the (capped) Polyak step size computed from it and the loss. */
export function scaleByPolyak(options: ScaleByPolyakOptions = {}): GradientTransformation<Record<string, never>> {
  const { maxLr = 1, fMin = 0, c = 1, eps = 0, variant = 'sps' } = options;
  return {
    init: () => ({}),
    update(u, state, _params, extra) {
      const f = requireLoss('scaleByPolyak', extra);
      const denom = tf.add(tf.mul(squaredNorm(u), c), eps);
      let gap: tf.Tensor = tf.sub(f, fMin);
      if (variant === 'sps+') gap = tf.relu(gap);
      const tau = tf.where(tf.lessEqual(denom, 0), tf.scalar(0), tf.minimum(tf.div(gap, denom), maxLr));
      return { updates: map((x) => tf.mul(x, tau), u as TensorTree), state };
    },
  };
}

export function checkPolyakOptions(o: string, c: { maxLr?: number; fMin?: number; eps?: number; variant?: string }, maxLrDefault: number) {
  return {
    maxLr: checkPositive(o, 'maxLr', c.maxLr ?? maxLrDefault),
    fMin: checkNumber(o, 'fMin', c.fMin ?? 0),
    eps: checkNonNegative(o, 'eps', c.eps ?? 0),
    variant: checkOneOf(o, 'variant', c.variant ?? 'sps', ['sps', 'sps+'] as const),
  };
}

export interface PolyakSGDConfig extends CommonOptions {
  /** gamma_max, the cap on the step size (default 1, as optax). */
  maxLr?: number;
  /** Lower bound of the loss (default 0). */
  fMin?: number;
  eps?: number;
  variant?: 'sps' | 'sps+';
}

export const PolyakSGD = defineOptimizer<PolyakSGDConfig>('PolyakSGD', 'polyakSgd', (c) => {
  const o = 'polyakSgd';
  checkKnownKeys(o, c, ['maxLr', 'fMin', 'eps', 'variant', ...COMMON_KEYS]);
  const p = checkPolyakOptions(o, c, 1);
  return { transform: chain(scaleByPolyak(p), scaleByLearningRate(1)), nonFinite: c.nonFinite };
});

/** SGD with the stochastic Polyak step size SPS_max (optax `polyak_sgd`). */
export function polyakSgd(config: PolyakSGDConfig = {}): InstanceType<typeof PolyakSGD> {
  return new PolyakSGD(config);
}
