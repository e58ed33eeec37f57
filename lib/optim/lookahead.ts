/**
 * Lookahead: Zhang, Lucas, Hinton & Ba, "Lookahead Optimizer: k steps forward,
 * 1 step back", NeurIPS 2019 (arXiv:1907.08610), Algorithm 1; official code
 * michaelrzhang/lookahead `lookahead_pytorch.py`. Defaults are the paper's
 * k=5, alpha=0.5 (the official code defaults to alpha=0.8, timm to k=6).
 *
 * The inner ("fast") optimizer updates the parameters every step; every k steps
 * the slow weights move a fraction alpha toward the fast ones and the fast
 * weights restart from there:
 *
 *   phi <- phi + alpha (theta - phi) ;  theta <- phi
 *
 * The slow weights start at the initial parameters and are the evaluation point
 * (`opt.withEvalParams(...)`, like the official `_backup_and_load_cache`). The
 * official `pullback_momentum` options (which edit SGD's momentum buffer) are not
 * offered: the inner optimizer's state is left as it is, the official default.
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, map } from './tree.js';
import { type GradientTransformation } from './transform.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer, fromTransform, type OptilabOptimizer, type TransformOptimizer } from './adapter.js';
import { checkBoolean, checkKnownKeys, checkNumber, checkPositiveInt } from './validate.js';
import { innerOf, innerSpec, lrOf, type InnerSpec } from './wrap.js';

export interface LookaheadOptions {
  /** Synchronisation period (fast steps per slow step). */
  k?: number;
  /** Slow step size. */
  alpha?: number;
  /** Whether `evalParams` returns the slow weights (default true). */
  evaluateSlow?: boolean;
}

export interface LookaheadState<S> {
  count: number;
  slow: TensorTree;
  inner: S;
}

function checkLookahead(owner: string, o: LookaheadOptions): Required<LookaheadOptions> {
  return {
    k: checkPositiveInt(owner, 'k', o.k ?? 5),
    alpha: checkNumber(owner, 'alpha', o.alpha ?? 0.5, { min: 0, max: 1 }),
    evaluateSlow: checkBoolean(owner, 'evaluateSlow', o.evaluateSlow ?? true),
  };
}

/**
 * Lookahead around a whole optimizer transformation (its output is the
 * parameter change, learning rate included).
 */
export function lookaheadTransform<S>(inner: GradientTransformation<S>, options: LookaheadOptions = {}): GradientTransformation<LookaheadState<S>> {
  const { k, alpha, evaluateSlow } = checkLookahead('lookahead', options);
  return {
    init: (params) => ({ count: 0, slow: map((p) => tf.clone(p), params), inner: inner.init(params) }),
    update: (u, state, params, extra) => {
      if (params === undefined) throw new Error('lookahead: this transformation needs params; pass them to update(updates, state, params)');
      const r = inner.update(u, state.inner, params, extra);
      const count = state.count + 1;
      if (count % k !== 0) return { updates: r.updates, state: { count, slow: state.slow, inner: r.state } };
      const slow = map((s, p, d) => tf.add(s, tf.mul(tf.sub(tf.add(p, d), s), alpha)), state.slow, params, r.updates);
      const updates = map((s, p) => tf.sub(s, p), slow, params);
      return { updates, state: { count, slow, inner: r.state } };
    },
    evalParams: evaluateSlow ? (state) => state.slow : undefined,
  };
}

export interface LookaheadConfig extends CommonOptions, LookaheadOptions {
  /** The fast optimizer, as saved by the factory. */
  inner: InnerSpec;
}

export const Lookahead = defineOptimizer<LookaheadConfig>('Lookahead', 'lookahead', (c) => {
  const o = 'lookahead';
  checkKnownKeys(o, c, ['inner', 'k', 'alpha', 'evaluateSlow', ...COMMON_KEYS]);
  const inner = innerOf(o, c.inner);
  return { transform: lookaheadTransform(inner.transform, checkLookahead(o, c)), lr: inner.lr, nonFinite: c.nonFinite };
});

/**
 * Lookahead around any optimizer: `optim.lookahead(optim.adam({lr: 1e-3}), {k: 5, alpha: 0.5})`.
 * The inner optimizer's options are copied (its own state is not used).
 */
export function lookahead(inner: OptilabOptimizer, options: LookaheadOptions & CommonOptions = {}): TransformOptimizer {
  const spec = innerSpec('lookahead', inner);
  if (spec === null) {
    const t = inner as TransformOptimizer;
    return fromTransform(lookaheadTransform(t.transform, options), { name: 'lookahead', lr: lrOf(inner), nonFinite: options.nonFinite });
  }
  return new Lookahead({ inner: spec, ...options });
}
