/**
 * Gradients evaluated away from the weights being trained: the common core of
 * weight prediction (XGrad), look-ahead momentum (Nesterov as "gradient at
 * w + mu v") and other methods whose gradient is taken at a point computed from
 * the optimizer state.
 *
 *   gradientsAt(inner, shift)
 *
 * keeps the trained weights w in its state and leaves the model's variables at
 * the shifted point shift(innerState, w), so every gradient path (`step`,
 * `minimize`, `applyGradients`, `LayersModel.fit`) computes the gradient there
 * without knowing about it. Each update runs `inner` on that gradient with the
 * true weights as `params`, then moves the variables to the shifted point of the
 * new state. `evalParams` returns w, so `opt.withEvalParams(() => evaluate())`
 * measures the trained weights, not the shifted ones.
 *
 * The first gradient is taken at the initial weights (a transformation cannot
 * move the variables before its first update); for XGrad that is exact, because
 * the prediction from a fresh state is zero.
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, map } from './tree.js';
import { type GradientTransformation, requireParams } from './transform.js';

export interface ShiftedState<S> {
  /** The weights being trained (the variables hold the shifted point). */
  weights: TensorTree;
  inner: S;
}

/**
 * Runs `inner` with gradients evaluated at `shift(innerState, weights)`. `shift`
 * receives the inner state after an update and the new weights, and returns the
 * point where the next gradient is to be computed (a tree shaped like the
 * weights; returning the weights themselves gives `inner` unchanged).
 */
export function gradientsAt<S>(
  inner: GradientTransformation<S>,
  shift: (innerState: S, weights: TensorTree) => TensorTree,
): GradientTransformation<ShiftedState<S>> {
  if (typeof shift !== 'function') throw new TypeError('gradientsAt: shift must be a function (innerState, weights) => point');
  return {
    init: (params) => ({ weights: map((p) => tf.clone(p), params), inner: inner.init(params) }),
    update(grads, state, params, extra) {
      const point = requireParams('gradientsAt', params);
      const r = inner.update(grads, state.inner, state.weights, { ...extra, grads });
      const weights = map((w, u) => tf.add(w, u), state.weights, r.updates);
      const next = shift(r.state, weights);
      return { updates: map((n, p) => tf.sub(n, p), next, point), state: { weights, inner: r.state } };
    },
    evalParams: (state) => (inner.evalParams ? inner.evalParams(state.inner, state.weights) : state.weights),
  };
}
