/**
 * diffGrad: Dubey et al., "diffGrad: An Optimization Method for Convolutional
 * Neural Networks", IEEE TNNLS 2020 (arXiv:1909.11015). Ported from the official
 * implementation, shivram1987/diffGrad `diffGrad_v2.py` (v1 stored a reference to
 * the gradient buffer as the "previous gradient", so the friction was always
 * sigmoid(0) = 0.5; v2 stores a copy). Defaults: lr=1e-3, betas=(0.9, 0.999),
 * eps=1e-8, weightDecay=0 (L2).
 *
 *   xi = sigmoid(|g_{t-1} - g_t|)   (g_0 = 0)
 *   p -= lr sqrt(bc2)/bc1 * (xi m) / (sqrt(v) + eps)
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, map, updateMoment, zerosLike } from './tree.js';
import { type GradientTransformation, chain } from './transform.js';
import { type Schedule } from './schedules.js';
import { addL2, scaleByLearningRate } from './transforms.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer } from './adapter.js';
import { checkBetas, checkKnownKeys, checkLearningRate, checkNonNegative } from './validate.js';

export interface ScaleByDiffGradState {
  count: number;
  mu: TensorTree;
  nu: TensorTree;
  prevGrad: TensorTree;
}

export function scaleByDiffGrad({ b1 = 0.9, b2 = 0.999, eps = 1e-8 } = {}): GradientTransformation<ScaleByDiffGradState> {
  return {
    init: (params) => ({ count: 0, mu: zerosLike(params), nu: zerosLike(params), prevGrad: zerosLike(params) }),
    update: (u, state) => {
      const t = state.count + 1;
      const mu = updateMoment(u, state.mu, b1, 1);
      const nu = updateMoment(u, state.nu, b2, 2);
      const k = Math.sqrt(1 - b2 ** t) / (1 - b1 ** t);
      const updates = map(
        (m, v, g, prev) => {
          const friction = tf.sigmoid(tf.abs(tf.sub(prev, g)));
          return tf.div(tf.mul(tf.mul(m, friction), k), tf.add(tf.sqrt(v), eps));
        },
        mu,
        nu,
        u,
        state.prevGrad,
      );
      return { updates, state: { count: t, mu, nu, prevGrad: map((g) => tf.clone(g), u) } };
    },
  };
}

export interface DiffGradConfig extends CommonOptions {
  lr?: number | Schedule;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
}

export const DiffGrad = defineOptimizer<DiffGradConfig>('DiffGrad', 'diffgrad', (c) => {
  const o = 'diffgrad';
  checkKnownKeys(o, c, ['lr', 'betas', 'eps', 'weightDecay', ...COMMON_KEYS]);
  const lr = checkLearningRate(o, 'lr', c.lr ?? 1e-3);
  const [b1, b2] = checkBetas(o, 'betas', c.betas ?? [0.9, 0.999], 2);
  const eps = checkNonNegative(o, 'eps', c.eps ?? 1e-8);
  const wd = checkNonNegative(o, 'weightDecay', c.weightDecay ?? 0);
  // the official code adds the L2 term to the gradient in place, so the stored previous gradient includes it
  const transform = chain(...(wd !== 0 ? [addL2(wd)] : []), scaleByDiffGrad({ b1, b2, eps }), scaleByLearningRate(lr));
  return { transform, lr, nonFinite: c.nonFinite };
});

export function diffgrad(config: DiffGradConfig = {}): InstanceType<typeof DiffGrad> {
  return new DiffGrad(config);
}
