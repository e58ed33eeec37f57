/**
 * Adagrad: Duchi, Hazan & Singer, "Adaptive Subgradient Methods for Online
 * Learning and Stochastic Optimization", JMLR 2011. Semantics and defaults of
 * torch.optim.Adagrad (torch 2.13): lr=1e-2, lrDecay=0, weightDecay=0 (L2),
 * initialAccumulatorValue=0, eps=1e-10, maximize=false.
 *
 *   s += g^2 ;  p -= lr / (1 + (t-1) lrDecay) * g / (sqrt(s) + eps)
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, fullLike, map } from './tree.js';
import { type GradientTransformation, chain } from './transform.js';
import { type Schedule, valueAt } from './schedules.js';
import { scaleByLearningRate, torchPrelude } from './transforms.js';
import { type Mask } from './wrappers.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer } from './adapter.js';
import { checkBoolean, checkKnownKeys, checkLearningRate, checkNonNegative } from './validate.js';

export interface ScaleByRssState {
  sumOfSquares: TensorTree;
}

/** g / (sqrt(sum of squared gradients) + eps), the accumulator starting at `initialAccumulatorValue`. */
export function scaleByRss({ initialAccumulatorValue = 0, eps = 1e-10 } = {}): GradientTransformation<ScaleByRssState> {
  return {
    init: (params) => ({ sumOfSquares: fullLike(params, initialAccumulatorValue) }),
    update: (u, state) => {
      const sum = map((s, g) => tf.add(s, tf.square(g)), state.sumOfSquares, u);
      return { updates: map((g, s) => tf.div(g, tf.add(tf.sqrt(s), eps)), u, sum), state: { sumOfSquares: sum } };
    },
  };
}

export interface AdagradConfig extends CommonOptions {
  lr?: number | Schedule;
  lrDecay?: number;
  weightDecay?: number;
  weightDecayMask?: Mask;
  initialAccumulatorValue?: number;
  eps?: number;
  maximize?: boolean;
}

export const Adagrad = defineOptimizer<AdagradConfig>('Adagrad', 'adagrad', (c) => {
  const o = 'adagrad';
  checkKnownKeys(o, c, ['lr', 'lrDecay', 'weightDecay', 'weightDecayMask', 'initialAccumulatorValue', 'eps', 'maximize', ...COMMON_KEYS]);
  const lr = checkLearningRate(o, 'lr', c.lr ?? 1e-2);
  const lrDecay = checkNonNegative(o, 'lrDecay', c.lrDecay ?? 0);
  const wd = checkNonNegative(o, 'weightDecay', c.weightDecay ?? 0);
  const init = checkNonNegative(o, 'initialAccumulatorValue', c.initialAccumulatorValue ?? 0);
  const eps = checkNonNegative(o, 'eps', c.eps ?? 1e-10);
  const maximize = checkBoolean(o, 'maximize', c.maximize ?? false);
  const effectiveLr: number | Schedule = lrDecay === 0 ? lr : (step: number) => valueAt(lr, step) / (1 + step * lrDecay);
  const transform = chain(
    ...torchPrelude(maximize, wd, c.weightDecayMask),
    scaleByRss({ initialAccumulatorValue: init, eps }),
    scaleByLearningRate(effectiveLr),
  );
  return { transform, lr: effectiveLr, nonFinite: c.nonFinite };
});

/** torch.optim.Adagrad with camelCase options. */
export function adagrad(config: AdagradConfig = {}): InstanceType<typeof Adagrad> {
  return new Adagrad(config);
}
