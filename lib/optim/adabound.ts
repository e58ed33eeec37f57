/**
 * AdaBound and AMSBound: Luo, Xiong, Liu & Sun, "Adaptive Gradient Methods with
 * Dynamic Bound of Learning Rate", ICLR 2019 (arXiv:1902.09843). Ported from
 * the official implementation, Luolc/AdaBound `adabound/adabound.py`, with its
 * defaults: lr=1e-3, betas=(0.9, 0.999), finalLr=0.1, gamma=1e-3, eps=1e-8,
 * weightDecay=0 (L2; `decoupledWeightDecay` gives the repository's AdaBoundW,
 * p -= weightDecay * p), amsbound=false.
 *
 *   eta = lr_t sqrt(bc2)/bc1 / (sqrt(v) + eps),  clipped to
 *   [fl (1 - 1/(gamma t + 1)), fl (1 + 1/(gamma t))],  fl = finalLr * lr_t / lr_0
 *   p -= eta * m
 *
 * As in the official code, a learning-rate schedule scales the final rate too.
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, map, updateMoment, zerosLike } from './tree.js';
import { type GradientTransformation, chain } from './transform.js';
import { type Schedule, valueAt } from './schedules.js';
import { addL2, decayParams, scale } from './transforms.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer } from './adapter.js';
import { checkBetas, checkBoolean, checkKnownKeys, checkLearningRate, checkNonNegative, checkNumber } from './validate.js';

export interface ScaleByAdaboundState {
  count: number;
  mu: TensorTree;
  nu: TensorTree;
  nuMax?: TensorTree;
}

/** The bounded step eta * m (positive; the chain negates it). It includes the learning rate. */
export function scaleByAdabound(options: {
  lr: number | Schedule;
  b1?: number;
  b2?: number;
  finalLr?: number;
  gamma?: number;
  eps?: number;
  amsbound?: boolean;
}): GradientTransformation<ScaleByAdaboundState> {
  const { lr, b1 = 0.9, b2 = 0.999, finalLr = 0.1, gamma = 1e-3, eps = 1e-8, amsbound = false } = options;
  const lr0 = valueAt(lr, 0);
  return {
    init: (params) => ({ count: 0, mu: zerosLike(params), nu: zerosLike(params), ...(amsbound ? { nuMax: zerosLike(params) } : {}) }),
    update: (u, state) => {
      const t = state.count + 1;
      const lrT = valueAt(lr, state.count);
      const mu = updateMoment(u, state.mu, b1, 1);
      const nu = updateMoment(u, state.nu, b2, 2);
      const nuMax = amsbound ? map((a, v) => tf.maximum(a, v), state.nuMax!, nu) : undefined;
      const stepSize = (lrT * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
      const fl = (finalLr * lrT) / lr0;
      const lo = fl * (1 - 1 / (gamma * t + 1));
      const hi = fl * (1 + 1 / (gamma * t));
      const updates = map(
        (m, v) => tf.mul(tf.clipByValue(tf.div(stepSize, tf.add(tf.sqrt(v), eps)), lo, hi), m),
        mu,
        nuMax ?? nu,
      );
      return { updates, state: { count: t, mu, nu, ...(nuMax ? { nuMax } : {}) } };
    },
  };
}

export interface AdaBoundConfig extends CommonOptions {
  lr?: number | Schedule;
  betas?: [number, number];
  finalLr?: number;
  gamma?: number;
  eps?: number;
  weightDecay?: number;
  decoupledWeightDecay?: boolean;
  amsbound?: boolean;
}

const KEYS = ['lr', 'betas', 'finalLr', 'gamma', 'eps', 'weightDecay', 'decoupledWeightDecay', 'amsbound', ...COMMON_KEYS];

function build(o: string, c: AdaBoundConfig, amsbound: boolean) {
  checkKnownKeys(o, c, KEYS);
  const lr = checkLearningRate(o, 'lr', c.lr ?? 1e-3);
  if (!(valueAt(lr, 0) > 0)) throw new RangeError(`${o}: lr at step 0 must be > 0 (the final rate scales with lr / lr_0), got ${valueAt(lr, 0)}`);
  const [b1, b2] = checkBetas(o, 'betas', c.betas ?? [0.9, 0.999], 2);
  const finalLr = checkNonNegative(o, 'finalLr', c.finalLr ?? 0.1);
  const gamma = checkNumber(o, 'gamma', c.gamma ?? 1e-3, { min: 0, max: 1, minInclusive: false, maxInclusive: false });
  const eps = checkNonNegative(o, 'eps', c.eps ?? 1e-8);
  const wd = checkNonNegative(o, 'weightDecay', c.weightDecay ?? 0);
  const decoupled = checkBoolean(o, 'decoupledWeightDecay', c.decoupledWeightDecay ?? false);
  const ams = checkBoolean(o, 'amsbound', c.amsbound ?? amsbound);
  const transform = chain(
    ...(!decoupled && wd !== 0 ? [addL2(wd)] : []),
    scaleByAdabound({ lr, b1, b2, finalLr, gamma, eps, amsbound: ams }),
    scale(-1),
    ...(decoupled && wd !== 0 ? [decayParams(wd)] : []),
  );
  return { transform, lr, nonFinite: c.nonFinite };
}

export const AdaBound = defineOptimizer<AdaBoundConfig>('AdaBound', 'adabound', (c) => build('adabound', c, false));
export const AMSBound = defineOptimizer<AdaBoundConfig>('AMSBound', 'amsbound', (c) => build('amsbound', c, true));

export function adabound(config: AdaBoundConfig = {}): InstanceType<typeof AdaBound> {
  return new AdaBound(config);
}

/** AdaBound with `amsbound: true`. */
export function amsbound(config: AdaBoundConfig = {}): InstanceType<typeof AMSBound> {
  return new AMSBound(config);
}
