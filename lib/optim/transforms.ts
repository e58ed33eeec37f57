/**
 * The elementary transformations every optimizer is built from (optax names,
 * camelCase): scaling, the learning rate, decoupled weight decay, momentum.
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, map, updateMoment, zerosLike } from './tree.js';
import { type GradientTransformation, requireParams } from './transform.js';
import { type Schedule, valueAt } from './schedules.js';
import { type Mask, masked } from './wrappers.js';
import { checkNumber, checkBeta, checkBoolean, checkLearningRate, checkNonNegative } from './validate.js';

export interface CountState {
  count: number;
}

/** Multiplies updates by a constant. */
export function scale(factor: number): GradientTransformation<Record<string, never>> {
  checkNumber('scale', 'factor', factor);
  return { init: () => ({}), update: (u, state) => ({ updates: map((x) => tf.mul(x, factor), u), state }) };
}

/** Multiplies updates by `schedule(count)`, count = updates applied so far. */
export function scaleBySchedule(schedule: Schedule): GradientTransformation<CountState> {
  if (typeof schedule !== 'function') throw new TypeError('scaleBySchedule: schedule must be a function step => value');
  return {
    init: () => ({ count: 0 }),
    update: (u, state) => {
      const s = schedule(state.count);
      return { updates: map((x) => tf.mul(x, s), u), state: { count: state.count + 1 } };
    },
  };
}

/**
 * The last link of an optimizer chain: updates * -lr (a descent step). `lr` is a
 * number or a schedule evaluated at the number of updates applied so far.
 */
export function scaleByLearningRate(lr: number | Schedule, { flipSign = true } = {}): GradientTransformation<CountState> {
  checkLearningRate('scaleByLearningRate', 'lr', lr);
  const sign = flipSign ? -1 : 1;
  return {
    init: () => ({ count: 0 }),
    update: (u, state) => {
      const s = sign * valueAt(lr, state.count);
      return { updates: map((x) => tf.mul(x, s), u), state: { count: state.count + 1 } };
    },
  };
}

/**
 * Adds `weightDecay * params` to the updates. Placed before
 * `scaleByLearningRate` it gives decoupled weight decay (AdamW: p -= lr*wd*p);
 * placed first in a chain it is the coupled L2 penalty (torch's `weight_decay`
 * in SGD and Adam). `mask` limits it to some parameters (see `masked`).
 */
export function addDecayedWeights(weightDecay: number | Schedule = 0, mask?: Mask): GradientTransformation {
  checkLearningRate('addDecayedWeights', 'weightDecay', weightDecay);
  const decay = (u: TensorTree, wd: number, params?: TensorTree) =>
    wd === 0 ? u : map((x, w) => tf.add(x, tf.mul(w, wd)), u, requireParams('addDecayedWeights', params));
  // a constant decay needs no state; a scheduled one counts its steps
  const inner: GradientTransformation =
    typeof weightDecay === 'number'
      ? { init: () => ({}), update: (u, state, params) => ({ updates: decay(u, weightDecay, params), state }) }
      : {
          init: () => ({ count: 0 }),
          update: (u, state: CountState, params) => ({
            updates: decay(u, weightDecay(state.count), params),
            state: { count: state.count + 1 },
          }),
        };
  return mask === undefined ? inner : masked(inner, mask);
}

export interface TraceOptions {
  /** Momentum coefficient (torch `momentum`, optax `decay`). */
  decay: number;
  /** Fraction of the incoming update dropped from the buffer after the first step (torch `dampening`). */
  dampening?: number;
  nesterov?: boolean;
}

export interface TraceState {
  count: number;
  trace: TensorTree;
}

/**
 * Heavy-ball momentum with torch.optim.SGD semantics: the buffer starts as the
 * first update, then b = decay*b + (1-dampening)*u; the output is b, or
 * u + decay*b with Nesterov. With dampening 0 this is optax `trace`.
 */
export function trace(options: TraceOptions): GradientTransformation<TraceState> {
  const o = 'trace';
  const decay = checkBeta(o, 'decay', options.decay);
  const damp = checkNumber(o, 'dampening', options.dampening ?? 0, { min: 0, max: 1 });
  const nesterov = checkBoolean(o, 'nesterov', options.nesterov ?? false);
  return {
    init: (params) => ({ count: 0, trace: zerosLike(params) }),
    update: (u, state) => {
      const first = state.count === 0;
      const buf = first ? map((x) => tf.clone(x), u) : map((b, x) => tf.add(tf.mul(b, decay), damp === 0 ? x : tf.mul(x, 1 - damp)), state.trace, u);
      const updates = nesterov ? map((x, b) => tf.add(x, tf.mul(b, decay)), u, buf) : buf;
      return { updates, state: { count: state.count + 1, trace: buf } };
    },
  };
}

export interface EmaState {
  count: number;
  ema: TensorTree;
}

/** Exponential moving average of the updates (optax `ema`), optionally debiased by 1 - decay^t. */
export function ema(decay: number, { debias = true } = {}): GradientTransformation<EmaState> {
  checkBeta('ema', 'decay', decay);
  return {
    init: (params) => ({ count: 0, ema: zerosLike(params) }),
    update: (u, state) => {
      const count = state.count + 1;
      const m = updateMoment(u, state.ema, decay, 1);
      const updates = debias ? map((x) => tf.div(x, 1 - decay ** count), m) : m;
      return { updates, state: { count, ema: m } };
    },
  };
}

/** Adds `weightDecay * params` to the incoming gradient: the coupled L2 penalty torch's optimizers call `weight_decay`. */
export function addL2(weightDecay: number): GradientTransformation {
  checkNonNegative('addL2', 'weightDecay', weightDecay);
  return addDecayedWeights(weightDecay);
}

/** Negates the gradient (torch's `maximize=True`). */
export function negate(): GradientTransformation<Record<string, never>> {
  return { init: () => ({}), update: (u, state) => ({ updates: map((x) => tf.neg(x), u), state }) };
}

export type { Mask };

/**
 * The gradient preprocessing of torch.optim optimizers: negate when maximizing,
 * then add the coupled L2 term `weightDecay * p` (torch's `weight_decay`).
 */
export function torchPrelude(maximize: boolean, l2: number, mask?: Mask): GradientTransformation[] {
  const out: GradientTransformation[] = [];
  if (maximize) out.push(negate());
  if (l2 !== 0) out.push(addDecayedWeights(l2, mask));
  return out;
}

/**
 * Subtracts `weightDecay * params` after the learning rate has been applied: a
 * decay that does not scale with the learning rate (AdaBelief's `fixedDecay`,
 * AdaBoundW: p <- p - weightDecay * p).
 */
export function decayParams(weightDecay: number): GradientTransformation {
  checkNonNegative('decayParams', 'weightDecay', weightDecay);
  return {
    init: () => ({}),
    update: (u, state, params) => ({
      updates: weightDecay === 0 ? u : map((x, w) => tf.sub(x, tf.mul(w, weightDecay)), u, requireParams('decayParams', params)),
      state,
    }),
  };
}
