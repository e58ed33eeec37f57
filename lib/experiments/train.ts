/**
 * The training loop the optimizer notebooks share: any model (a list of variables
 * and a loss), any optilab optimizer, per-step records of the loss and the raw
 * gradient norm, periodic evaluation, and a clean stop when training diverges.
 *
 *   const r = experiments.train({
 *     variables: net.variables, optimizer: optim.adam({ lr: 1e-3 }), steps: 500,
 *     loss: (step) => nn.crossEntropy(net.apply(x), y),
 *     evaluate: () => ({ testAccuracy: nn.accuracy(net.apply(test.x), test.y) }), evalEvery: 50,
 *     log,                                   // a data.runSeeds logger, optional
 *   });
 *   r.records   // [{step, loss, gradNorm, ...evaluation at eval steps}]
 *
 * Step t's record holds the loss and gradient norm computed for update t (at the
 * parameters after t - 1 updates); an evaluation at step t sees the parameters after
 * t updates, and step 0 is the initial evaluation.
 */
import * as tf from '../backend/tf.js';
import { NonFiniteGradientError, type OptilabOptimizer } from '../optim/adapter.js';
import { progress as makeProgress, type Progress } from '../progress/index.js';
import type { Logger } from '../data/seeds.js';

export type Metrics = Record<string, number>;

export interface TrainOptions {
  /** The variables to train. */
  variables: tf.Variable[];
  /** The loss for update `step` (1-based), built from the variables; it runs inside a gradient tape. */
  loss: (step: number) => tf.Scalar;
  /** Any optilab optimizer (it is given the raw gradients and the loss). */
  optimizer: OptilabOptimizer;
  /** Number of updates. */
  steps: number;
  /** Keep a record every `recordEvery` steps (default 1; the last step is always recorded). */
  recordEvery?: number;
  /** Metrics of the model after `step` updates (e.g. test accuracy), at the optimizer's evaluation point. */
  evaluate?: (step: number) => Metrics;
  /** Evaluate every `evalEvery` steps, at step 0 and after the last step (default: steps / 20). */
  evalEvery?: number;
  /** Cheap metrics added to every record (e.g. weight norms), after the update. */
  track?: (step: number) => Metrics;
  /** Also the record of the raw gradient's global L2 norm (default true). */
  gradNorm?: boolean;
  /** Stop (diverged) when the loss exceeds this value; a non-finite loss or gradient always stops. */
  divergeAbove?: number;
  /** Receives every record, e.g. the logger of `data.runSeeds`. */
  log?: Logger;
  /** Called after every update with its loss and gradient norm (NaN when not computed). */
  onStep?: (step: number, loss: number, gradNorm: number) => void;
  /** Show a progress bar with this label. */
  progress?: string;
}

export interface TrainRecord extends Metrics {
  step: number;
}

export interface TrainResult {
  records: TrainRecord[];
  /** The loss of every update, in order (up to the divergence). */
  losses: number[];
  /** The raw gradient norm of every update (empty when `gradNorm` is false). */
  gradNorms: number[];
  /** True when training stopped on a non-finite value or `divergeAbove`. */
  diverged: boolean;
  /** The update at which it diverged (null when it did not). */
  divergedAt: number | null;
  /** The last evaluation's metrics (empty without `evaluate`). */
  final: Metrics;
  seconds: number;
}

function checkCount(name: string, v: unknown, min: number): number {
  if (!Number.isInteger(v) || (v as number) < min) throw new RangeError(`train: ${name} must be an integer >= ${min}, got ${String(v)}`);
  return v as number;
}

/** The global L2 norm of a set of tensors. */
export function globalNorm(tensors: readonly tf.Tensor[]): number {
  if (tensors.length === 0) return 0;
  return tf.tidy(() => tf.sqrt(tf.addN(tensors.map((t) => tf.sum(tf.square(t))))).dataSync()[0]);
}

/** The L2 norm of each tensor. */
export function norms(tensors: readonly tf.Tensor[]): number[] {
  return tensors.map((t) => tf.tidy(() => tf.norm(t).dataSync()[0]));
}

/** Runs `fn` at the optimizer's evaluation point when it has one (Schedule-Free, Lookahead). */
function atEvalPoint<T>(optimizer: OptilabOptimizer, fn: () => T): T {
  const o = optimizer as OptilabOptimizer & { withEvalParams?: <R>(f: () => R) => R };
  return typeof o.withEvalParams === 'function' ? o.withEvalParams(fn) : fn();
}

export function train(options: TrainOptions): TrainResult {
  const t0 = Date.now();
  const { variables, loss, optimizer, evaluate, track, log, onStep } = options;
  if (!Array.isArray(variables) || variables.length === 0 || !variables.every((v) => v instanceof tf.Variable)) {
    throw new TypeError('train: variables must be a non-empty array of tf.Variable (e.g. net.variables)');
  }
  if (typeof loss !== 'function') throw new TypeError('train: loss must be a function (step) => scalar tensor');
  if (!optimizer || typeof (optimizer as { applyGradients?: unknown }).applyGradients !== 'function') {
    throw new TypeError('train: optimizer must be an optilab optimizer, e.g. optim.adam({ lr: 1e-3 })');
  }
  const steps = checkCount('steps', options.steps, 0);
  const recordEvery = checkCount('recordEvery', options.recordEvery ?? 1, 1);
  const evalEvery = checkCount('evalEvery', options.evalEvery ?? Math.max(1, Math.round(steps / 20)), 1);
  const wantNorm = options.gradNorm ?? true;
  const divergeAbove = options.divergeAbove ?? Infinity;
  if (typeof divergeAbove !== 'number' || Number.isNaN(divergeAbove)) throw new TypeError(`train: divergeAbove must be a number, got ${String(divergeAbove)}`);

  const records: TrainRecord[] = [];
  const losses: number[] = [];
  const gradNorms: number[] = [];
  let final: Metrics = {};
  const emit = (r: TrainRecord) => {
    records.push(r);
    log?.(r);
  };
  const runEval = (step: number): Metrics => {
    if (!evaluate) return {};
    final = atEvalPoint(optimizer, () => evaluate(step));
    return final;
  };

  const bar: Progress | undefined = options.progress !== undefined ? makeProgress(steps, { label: options.progress }) : undefined;
  if (evaluate) emit({ step: 0, ...runEval(0), ...(track ? track(0) : {}) });
  let diverged = false;
  let divergedAt: number | null = null;
  let completed = false;
  try {
    for (let step = 1; step <= steps; step++) {
      const { value, grads } = tf.variableGrads(() => loss(step), variables);
      let lossValue: number;
      let gn = NaN;
      try {
        lossValue = value.dataSync()[0];
        if (wantNorm) gn = globalNorm(Object.values(grads));
        if (Number.isFinite(lossValue) && lossValue <= divergeAbove && !(wantNorm && !Number.isFinite(gn))) {
          optimizer.applyGradients(grads, { value });
        }
      } catch (e) {
        if (!(e instanceof NonFiniteGradientError)) throw e;
        lossValue = value.dataSync()[0];
        gn = Infinity;
      } finally {
        tf.dispose(grads);
        value.dispose();
      }
      losses.push(lossValue);
      if (wantNorm) gradNorms.push(gn);
      onStep?.(step, lossValue, gn);
      bar?.tick();
      const bad = !Number.isFinite(lossValue) || lossValue > divergeAbove || (wantNorm && !Number.isFinite(gn));
      if (bad) {
        diverged = true;
        divergedAt = step;
        emit({ step, loss: lossValue, ...(wantNorm ? { gradNorm: gn } : {}) });
        break;
      }
      const isEval = evaluate !== undefined && (step % evalEvery === 0 || step === steps);
      if (step % recordEvery === 0 || step === steps || isEval) {
        const r: TrainRecord = { step, loss: lossValue, ...(wantNorm ? { gradNorm: gn } : {}) };
        if (isEval) Object.assign(r, runEval(step));
        if (track) Object.assign(r, track(step));
        emit(r);
      }
    }
    completed = !diverged;
  } finally {
    if (bar) {
      if (diverged) bar.postfix({ diverged: `at step ${divergedAt}` });
      if (completed) bar.done();
      else bar.stop();
    }
  }
  return { records, losses, gradNorms, diverged, divergedAt, final, seconds: (Date.now() - t0) / 1000 };
}
