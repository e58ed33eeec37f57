/**
 * Adadelta: Zeiler, "ADADELTA: An Adaptive Learning Rate Method", 2012
 * (arXiv:1212.5701), Algorithm 1. Semantics and defaults of
 * torch.optim.Adadelta (torch 2.13): lr=1.0, rho=0.9, eps=1e-6,
 * weightDecay=0 (L2), maximize=false.
 *
 *   s = rho s + (1-rho) g^2 ;  d = sqrt(a + eps) / sqrt(s + eps) * g
 *   a = rho a + (1-rho) d^2 ;  p -= lr d
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, map, updateMoment, zerosLike } from './tree.js';
import { type GradientTransformation, chain } from './transform.js';
import { type Schedule } from './schedules.js';
import { scaleByLearningRate, torchPrelude } from './transforms.js';
import { type Mask } from './wrappers.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer } from './adapter.js';
import { checkBoolean, checkKnownKeys, checkLearningRate, checkNonNegative, checkNumber } from './validate.js';

export interface ScaleByAdadeltaState {
  squareAvg: TensorTree;
  accDelta: TensorTree;
}

export function scaleByAdadelta({ rho = 0.9, eps = 1e-6 } = {}): GradientTransformation<ScaleByAdadeltaState> {
  return {
    init: (params) => ({ squareAvg: zerosLike(params), accDelta: zerosLike(params) }),
    update: (u, state) => {
      const squareAvg = updateMoment(u, state.squareAvg, rho, 2);
      const delta = map((a, s, g) => tf.mul(tf.div(tf.sqrt(tf.add(a, eps)), tf.sqrt(tf.add(s, eps))), g), state.accDelta, squareAvg, u);
      const accDelta = map((a, d) => tf.add(tf.mul(a, rho), tf.mul(tf.square(d), 1 - rho)), state.accDelta, delta);
      return { updates: delta, state: { squareAvg, accDelta } };
    },
  };
}

export interface AdadeltaConfig extends CommonOptions {
  lr?: number | Schedule;
  rho?: number;
  eps?: number;
  weightDecay?: number;
  weightDecayMask?: Mask;
  maximize?: boolean;
}

export const Adadelta = defineOptimizer<AdadeltaConfig>('Adadelta', 'adadelta', (c) => {
  const o = 'adadelta';
  checkKnownKeys(o, c, ['lr', 'rho', 'eps', 'weightDecay', 'weightDecayMask', 'maximize', ...COMMON_KEYS]);
  const lr = checkLearningRate(o, 'lr', c.lr ?? 1.0);
  const rho = checkNumber(o, 'rho', c.rho ?? 0.9, { min: 0, max: 1 });
  const eps = checkNonNegative(o, 'eps', c.eps ?? 1e-6);
  const wd = checkNonNegative(o, 'weightDecay', c.weightDecay ?? 0);
  const maximize = checkBoolean(o, 'maximize', c.maximize ?? false);
  const transform = chain(...torchPrelude(maximize, wd, c.weightDecayMask), scaleByAdadelta({ rho, eps }), scaleByLearningRate(lr));
  return { transform, lr, nonFinite: c.nonFinite };
});

/** torch.optim.Adadelta with camelCase options. */
export function adadelta(config: AdadeltaConfig = {}): InstanceType<typeof Adadelta> {
  return new Adadelta(config);
}
