/**
 * AdaMax: Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015,
 * Algorithm 2 (the infinity-norm variant). Semantics and defaults of
 * torch.optim.Adamax (torch 2.13): lr=2e-3, betas=(0.9, 0.999), eps=1e-8 (added
 * to |g| inside the max), weightDecay=0 (L2), maximize=false.
 *
 *   m = b1 m + (1-b1) g ;  u = max(b2 u, |g| + eps) ;  p -= lr / (1 - b1^t) * m / u
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, map, updateMoment, zerosLike } from './tree.js';
import { type GradientTransformation, chain } from './transform.js';
import { type Schedule } from './schedules.js';
import { scaleByLearningRate, torchPrelude } from './transforms.js';
import { type Mask } from './wrappers.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer } from './adapter.js';
import { checkBetas, checkBoolean, checkKnownKeys, checkLearningRate, checkNonNegative } from './validate.js';

export interface ScaleByAdamaxState {
  count: number;
  mu: TensorTree;
  /** Exponentially weighted infinity norm. */
  nu: TensorTree;
}

export function scaleByAdamax({ b1 = 0.9, b2 = 0.999, eps = 1e-8 } = {}): GradientTransformation<ScaleByAdamaxState> {
  return {
    init: (params) => ({ count: 0, mu: zerosLike(params), nu: zerosLike(params) }),
    update: (u, state) => {
      const count = state.count + 1;
      const mu = updateMoment(u, state.mu, b1, 1);
      const nu = map((n, g) => tf.maximum(tf.mul(n, b2), tf.add(tf.abs(g), eps)), state.nu, u);
      const bc1 = 1 - b1 ** count;
      return { updates: map((m, n) => tf.div(tf.div(m, n), bc1), mu, nu), state: { count, mu, nu } };
    },
  };
}

export interface AdamaxConfig extends CommonOptions {
  lr?: number | Schedule;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  weightDecayMask?: Mask;
  maximize?: boolean;
}

export const Adamax = defineOptimizer<AdamaxConfig>('Adamax', 'adamax', (c) => {
  const o = 'adamax';
  checkKnownKeys(o, c, ['lr', 'betas', 'eps', 'weightDecay', 'weightDecayMask', 'maximize', ...COMMON_KEYS]);
  const lr = checkLearningRate(o, 'lr', c.lr ?? 2e-3);
  const [b1, b2] = checkBetas(o, 'betas', c.betas ?? [0.9, 0.999], 2);
  const eps = checkNonNegative(o, 'eps', c.eps ?? 1e-8);
  const wd = checkNonNegative(o, 'weightDecay', c.weightDecay ?? 0);
  const maximize = checkBoolean(o, 'maximize', c.maximize ?? false);
  const transform = chain(...torchPrelude(maximize, wd, c.weightDecayMask), scaleByAdamax({ b1, b2, eps }), scaleByLearningRate(lr));
  return { transform, lr, nonFinite: c.nonFinite };
});

/** torch.optim.Adamax with camelCase options. */
export function adamax(config: AdamaxConfig = {}): InstanceType<typeof Adamax> {
  return new Adamax(config);
}
