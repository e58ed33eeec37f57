/**
 * Lion: Chen et al., "Symbolic Discovery of Optimization Algorithms", NeurIPS
 * 2023 (arXiv:2302.06675); official code google/automl `lion/lion_pytorch.py`,
 * with its defaults lr=1e-4, betas=(0.9, 0.99), weightDecay=0.
 *
 *   u = sign(b1 m + (1-b1) g) ;  p <- p (1 - lr wd) - lr u ;  m <- b2 m + (1-b2) g
 *
 * Lion-K: Chen, Liu, Liang & Liu, "Lion Secretly Solves Constrained
 * Optimization: As Lyapunov Predicts", ICLR 2024 (arXiv:2310.05898), replace
 * sign by the (sub)gradient of a convex K (`kappa`). With decoupled decay wd,
 * Lion-K minimises f(x) + K*(wd x)/wd; for K = ||.||_1 (Lion) that is f subject
 * to ||x||_inf <= 1/wd. Offered: 'sign' (K = ||x||_1, Lion), 'l2' (K = ||x||_2
 * per tensor: the normalised momentum x/||x||, constraint ||x||_2 <= 1/wd),
 * 'linear' (K = ||x||^2/2: heavy-ball momentum with decoupled decay, an L2
 * penalty wd/2 ||x||^2 instead of a constraint), or any function x => dK(x).
 *
 * `cautious: true` gives C-Lion (kyleliang919/C-Optim `c_lion.py`: mask
 * normalised by numel / (count + 1); C-Optim's own defaults are betas
 * (0.95, 0.98)).
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, map, updateMoment, zerosLike } from './tree.js';
import { type GradientTransformation, chain } from './transform.js';
import { type Schedule } from './schedules.js';
import { addDecayedWeights, scaleByLearningRate } from './transforms.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer } from './adapter.js';
import { cautious } from './cautious.js';
import { checkBetas, checkBoolean, checkKnownKeys, checkLearningRate, checkNonNegative, checkOneOf } from './validate.js';

export type KappaName = 'sign' | 'l2' | 'linear';
export const KAPPA_NAMES = ['sign', 'l2', 'linear'] as const;
/** A convex K given by its (sub)gradient, applied to each parameter tensor. */
export type Kappa = KappaName | ((x: tf.Tensor) => tf.Tensor);

/** The (sub)gradient of K for a named K. */
export function kappaGradient(kappa: Kappa): (x: tf.Tensor) => tf.Tensor {
  if (typeof kappa === 'function') return kappa;
  if (kappa === 'sign') return (x) => tf.sign(x);
  if (kappa === 'linear') return (x) => x;
  // x / ||x||, and 0 for x = 0 (a subgradient of the norm there)
  return (x) => tf.tidy(() => {
    const n = tf.norm(x);
    return tf.where(tf.greater(n, 0), tf.div(x, tf.maximum(n, 1e-30)), tf.zerosLike(x));
  });
}

export interface ScaleByLionState {
  mu: TensorTree;
}

/** Lion's direction dK(b1 m + (1-b1) g) and the momentum update m <- b2 m + (1-b2) g. */
export function scaleByLion({ b1 = 0.9, b2 = 0.99, kappa = 'sign' as Kappa } = {}): GradientTransformation<ScaleByLionState> {
  const dK = kappaGradient(kappa);
  return {
    init: (params) => ({ mu: zerosLike(params) }),
    update: (u, state) => {
      const updates = map((m, g) => dK(tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1))), state.mu, u);
      return { updates, state: { mu: updateMoment(u, state.mu, b2, 1) } };
    },
  };
}

export interface LionConfig extends CommonOptions {
  lr?: number | Schedule;
  betas?: [number, number];
  weightDecay?: number;
  /** The convex K of Lion-K (default 'sign': Lion itself). */
  kappa?: Kappa;
  /** C-Lion: mask update components whose sign disagrees with the gradient. */
  cautious?: boolean;
}

export const Lion = defineOptimizer<LionConfig>('Lion', 'lion', (c) => {
  const o = 'lion';
  checkKnownKeys(o, c, ['lr', 'betas', 'weightDecay', 'kappa', 'cautious', ...COMMON_KEYS]);
  const lr = checkLearningRate(o, 'lr', c.lr ?? 1e-4);
  const [b1, b2] = checkBetas(o, 'betas', c.betas ?? [0.9, 0.99], 2);
  const wd = checkNonNegative(o, 'weightDecay', c.weightDecay ?? 0);
  const kappa = typeof c.kappa === 'function' ? c.kappa : checkOneOf(o, 'kappa', c.kappa ?? 'sign', KAPPA_NAMES);
  const isCautious = checkBoolean(o, 'cautious', c.cautious ?? false);
  const core = scaleByLion({ b1, b2, kappa });
  const transform = chain(isCautious ? cautious(core, { normalize: 'count' }) : core, addDecayedWeights(wd), scaleByLearningRate(lr));
  return { transform, lr, nonFinite: c.nonFinite };
});

/** Lion (google/automl) and Lion-K with camelCase options. */
export function lion(config: LionConfig = {}): InstanceType<typeof Lion> {
  return new Lion(config);
}
