/**
 * Schedule-Free SGD and AdamW: Defazio, Yang, Mehta, Mishchenko, Khaled &
 * Cutkosky, "The Road Less Scheduled", NeurIPS 2024 (arXiv:2405.15682).
 * Ported from the official reference implementations,
 * facebookresearch/schedule_free `schedulefree/sgd_schedulefree_reference.py`
 * and `adamw_schedulefree_reference.py`, with their defaults:
 * SGD lr=1, momentum=0.9; AdamW lr=0.0025, betas=(0.9, 0.999), eps=1e-8;
 * both weightDecay=0, warmupSteps=0, r=0, weightLrPower=2.
 *
 * Three sequences: z (the base SGD / Adam iterate), x (a weighted average of
 * the z's, where the model is evaluated) and y (where gradients are taken, the
 * parameters during training). At step k = 0, 1, ...:
 *
 *   lr_k = lr min(1, (k+1)/warmupSteps) ;  lr_max = max(lr_max, lr_k)
 *   w_k = (k+1)^r lr_max^weightLrPower ;  c = w_k / sum_{i<=k} w_i
 *   SGD  : z <- z - lr_k (g + wd y)
 *   AdamW: z <- z - lr_k wd y  (or wd z with decayAtZ) ;  v = b2 v + (1-b2) g^2
 *          z <- z - lr_k g / (sqrt(v/(1-b2^(k+1))) + eps)
 *   x <- (1-c) x + c z ;  y <- b1 x + (1-b1) z       (b1 = momentum for SGD)
 *
 * The parameters hold y; `opt.withEvalParams(() => evaluate())` evaluates at x
 * (the official `.eval()`), which is where the method's guarantees hold.
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, map, updateMoment, zerosLike } from './tree.js';
import { type GradientTransformation, requireParams } from './transform.js';
import { type Schedule, valueAt } from './schedules.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer } from './adapter.js';
import { checkBetas, checkBoolean, checkKnownKeys, checkLearningRate, checkNonNegative, checkNumber } from './validate.js';

export interface ScheduleFreeState {
  count: number;
  lrMax: number;
  weightSum: number;
  z: TensorTree;
  x: TensorTree;
  /** AdamW's second moment (empty record for SGD). */
  nu: TensorTree;
}

interface ScheduleFreeOptions {
  lr: number | Schedule;
  /** b1 (AdamW) or momentum (SGD): the interpolation weight of x in y. */
  b1: number;
  weightDecay: number;
  warmupSteps: number;
  r: number;
  weightLrPower: number;
  /** AdamW only: b2, eps and where the decay is taken. */
  adam?: { b2: number; eps: number; decayAtZ: boolean };
}

/** The averaging weight c_k and the new running quantities. */
function averagingWeight(o: ScheduleFreeOptions, state: ScheduleFreeState): { lrK: number; c: number; lrMax: number; weightSum: number } {
  const k = state.count;
  const sched = k < o.warmupSteps ? (k + 1) / o.warmupSteps : 1;
  const lrK = valueAt(o.lr, k) * sched;
  const lrMax = Math.max(lrK, state.lrMax);
  const weight = (k + 1) ** o.r * lrMax ** o.weightLrPower;
  const weightSum = state.weightSum + weight;
  return { lrK, c: weightSum === 0 ? 0 : weight / weightSum, lrMax, weightSum };
}

function scheduleFree(o: ScheduleFreeOptions): GradientTransformation<ScheduleFreeState> {
  return {
    init: (params) => ({
      count: 0,
      lrMax: -1,
      weightSum: 0,
      z: map((p) => tf.clone(p), params),
      x: map((p) => tf.clone(p), params),
      nu: o.adam ? zerosLike(params) : {},
    }),
    update: (g, state, params) => {
      const y = requireParams('scheduleFree', params);
      const { lrK, c, lrMax, weightSum } = averagingWeight(o, state);
      let z: TensorTree;
      let nu = state.nu;
      if (o.adam) {
        const { b2, eps, decayAtZ } = o.adam;
        const decayed = o.weightDecay === 0 ? state.z : map((zi, yi) => tf.sub(zi, tf.mul(decayAtZ ? zi : yi, lrK * o.weightDecay)), state.z, y);
        nu = updateMoment(g, state.nu, b2, 2);
        const bc2 = 1 - b2 ** (state.count + 1);
        z = map((zi, gi, vi) => tf.sub(zi, tf.mul(tf.div(gi, tf.add(tf.sqrt(tf.div(vi, bc2)), eps)), lrK)), decayed, g, nu);
      } else {
        z = map((zi, gi, yi) => tf.sub(zi, tf.mul(o.weightDecay === 0 ? gi : tf.add(gi, tf.mul(yi, o.weightDecay)), lrK)), state.z, g, y);
      }
      const x = map((xi, zi) => tf.add(tf.mul(xi, 1 - c), tf.mul(zi, c)), state.x, z);
      const updates = map((xi, zi, yi) => tf.sub(tf.add(tf.mul(xi, o.b1), tf.mul(zi, 1 - o.b1)), yi), x, z, y);
      return { updates, state: { count: state.count + 1, lrMax, weightSum, z, x, nu } };
    },
    evalParams: (state) => state.x,
  };
}

/** Schedule-Free SGD as a transformation (learning rate included). */
export function scheduleFreeSgdTransform(o: Omit<ScheduleFreeOptions, 'adam'>): GradientTransformation<ScheduleFreeState> {
  return scheduleFree(o);
}

/** Schedule-Free AdamW as a transformation (learning rate included). */
export function scheduleFreeAdamwTransform(o: ScheduleFreeOptions & { adam: NonNullable<ScheduleFreeOptions['adam']> }): GradientTransformation<ScheduleFreeState> {
  return scheduleFree(o);
}

interface ScheduleFreeCommon extends CommonOptions {
  lr?: number | Schedule;
  weightDecay?: number;
  /** Linear warm-up of the learning rate over this many steps (default 0). */
  warmupSteps?: number;
  /** Polynomial weighting power of the average (default 0). */
  r?: number;
  /** The averaging weights are lr_max^weightLrPower (default 2). */
  weightLrPower?: number;
}

const COMMON_SF_KEYS = ['lr', 'weightDecay', 'warmupSteps', 'r', 'weightLrPower', ...COMMON_KEYS];

function checkCommon(o: string, c: ScheduleFreeCommon, lr: number) {
  return {
    lr: checkLearningRate(o, 'lr', c.lr ?? lr),
    weightDecay: checkNonNegative(o, 'weightDecay', c.weightDecay ?? 0),
    warmupSteps: checkNumber(o, 'warmupSteps', c.warmupSteps ?? 0, { min: 0, integer: true }),
    r: checkNonNegative(o, 'r', c.r ?? 0),
    weightLrPower: checkNonNegative(o, 'weightLrPower', c.weightLrPower ?? 2),
  };
}

export interface ScheduleFreeSGDConfig extends ScheduleFreeCommon {
  momentum?: number;
}

export const ScheduleFreeSGD = defineOptimizer<ScheduleFreeSGDConfig>('ScheduleFreeSGD', 'scheduleFreeSgd', (c) => {
  const o = 'scheduleFreeSgd';
  checkKnownKeys(o, c, [...COMMON_SF_KEYS, 'momentum']);
  const common = checkCommon(o, c, 1);
  const b1 = checkNumber(o, 'momentum', c.momentum ?? 0.9, { min: 0, max: 1, minInclusive: false, maxInclusive: false });
  return { transform: scheduleFreeSgdTransform({ ...common, b1 }), lr: common.lr, nonFinite: c.nonFinite };
});

export interface ScheduleFreeAdamWConfig extends ScheduleFreeCommon {
  betas?: [number, number];
  eps?: number;
  /** Take the weight decay at z instead of y (default false). */
  decayAtZ?: boolean;
}

export const ScheduleFreeAdamW = defineOptimizer<ScheduleFreeAdamWConfig>('ScheduleFreeAdamW', 'scheduleFreeAdamw', (c) => {
  const o = 'scheduleFreeAdamw';
  checkKnownKeys(o, c, [...COMMON_SF_KEYS, 'betas', 'eps', 'decayAtZ']);
  const common = checkCommon(o, c, 0.0025);
  const [b1, b2] = checkBetas(o, 'betas', c.betas ?? [0.9, 0.999], 2);
  const eps = checkNonNegative(o, 'eps', c.eps ?? 1e-8);
  const decayAtZ = checkBoolean(o, 'decayAtZ', c.decayAtZ ?? false);
  return { transform: scheduleFreeAdamwTransform({ ...common, b1, adam: { b2, eps, decayAtZ } }), lr: common.lr, nonFinite: c.nonFinite };
});

/** Schedule-Free SGD (official reference implementation) with camelCase options. */
export function scheduleFreeSgd(config: ScheduleFreeSGDConfig = {}): InstanceType<typeof ScheduleFreeSGD> {
  return new ScheduleFreeSGD(config);
}

/** Schedule-Free AdamW (official reference implementation) with camelCase options. */
export function scheduleFreeAdamw(config: ScheduleFreeAdamWConfig = {}): InstanceType<typeof ScheduleFreeAdamW> {
  return new ScheduleFreeAdamW(config);
}
