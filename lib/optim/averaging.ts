/**
 * Iterate averaging as a wrapper: the model is trained with `inner`, and
 * `evalParams` (hence `opt.withEvalParams(...)`) returns a running average of the
 * iterates. Polynomial-decay averaging (Shamir & Zhang, "Stochastic Gradient
 * Descent for Non-smooth Optimization", ICML 2013), as in the DoG authors'
 * `PolynomialDecayAverager` (formll/dog, `averager.py`):
 *
 *   x_bar_t = (1 - w_t) x_bar_{t-1} + w_t x_t,   w_t = (1 + gamma) / (t + gamma)
 *
 * where x_t are the parameters after the t-th update. gamma = 0 is the uniform
 * (Polyak-Ruppert) average; the DoG authors recommend gamma = 8.
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, map } from './tree.js';
import { type GradientTransformation, requireParams } from './transform.js';
import { checkNonNegative } from './validate.js';

export interface AveragingState<S> {
  /** Number of iterates averaged so far. */
  count: number;
  average: TensorTree;
  inner: S;
}

export function iterateAveraging<S>(inner: GradientTransformation<S>, { gamma = 8 }: { gamma?: number } = {}): GradientTransformation<AveragingState<S>> {
  checkNonNegative('iterateAveraging', 'gamma', gamma);
  return {
    init: (params) => ({ count: 0, average: map((p) => tf.clone(p), params), inner: inner.init(params) }),
    update(u, state, params, extra) {
      const p = requireParams('iterateAveraging', params);
      const r = inner.update(u, state.inner, params, extra);
      const t = state.count + 1;
      const w = (1 + gamma) / (t + gamma);
      const average = map((a, x, d) => tf.add(tf.mul(a, 1 - w), tf.mul(tf.add(x, d), w)), state.average, p, r.updates);
      return { updates: r.updates, state: { count: t, average, inner: r.state } };
    },
    evalParams: (state) => state.average,
  };
}
