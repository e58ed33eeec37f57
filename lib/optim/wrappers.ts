/**
 * Transformations that wrap another: masks (apply to some parameters only),
 * gradient accumulation (`multiSteps`) and non-finite handling
 * (`applyIfFinite`, `zeroNans`). Semantics follow optax's `masked`,
 * `MultiSteps`, `apply_if_finite` and `zero_nans`.
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, entries, map, zerosLike, allFinite } from './tree.js';
import { type GradientTransformation, type ExtraArgs } from './transform.js';
import { checkPositiveInt, checkNonNegative } from './validate.js';

export type BoolTree = boolean | BoolTree[] | { [key: string]: BoolTree };

/**
 * Which parameters a transformation applies to: a tree of booleans shaped like
 * the parameters (a boolean on a subtree covers all its leaves), or a predicate
 * on each parameter and its path, e.g. `(p) => p.rank > 1` for "no weight decay
 * on biases and norms".
 */
export type Mask = BoolTree | ((param: tf.Tensor, path: string) => boolean);

function maskValue(mask: BoolTree, path: string): boolean {
  let node: BoolTree = mask;
  for (const key of path === '' ? [] : path.split('/')) {
    if (typeof node === 'boolean') return node;
    const next: BoolTree | undefined = Array.isArray(node) ? node[Number(key)] : node[key];
    if (next === undefined) throw new Error(`masked: the mask has no entry for parameter '${path}'`);
    node = next;
  }
  if (typeof node !== 'boolean') throw new Error(`masked: the mask entry for parameter '${path}' is not a boolean`);
  return node;
}

/** The paths of the parameters selected by `mask`. */
export function maskedPaths(mask: Mask, params: TensorTree): string[] {
  return entries(params)
    .filter(([path, p]) => (typeof mask === 'function' ? mask(p, path) : maskValue(mask, path)))
    .map(([path]) => path);
}

function select(tree: TensorTree, paths: Set<string>): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const [path, x] of entries(tree)) if (paths.has(path)) out[path] = x;
  return out;
}

export interface MaskedState<S> {
  paths: string[];
  inner: S;
}

/**
 * Applies `inner` to the parameters selected by `mask` and passes the other
 * updates through unchanged. The inner transformation sees a record keyed by
 * parameter path.
 */
export function masked<S>(inner: GradientTransformation<S>, mask: Mask): GradientTransformation<MaskedState<S>> {
  if (typeof mask !== 'function' && typeof mask !== 'boolean' && (typeof mask !== 'object' || mask === null)) {
    throw new TypeError('masked: mask must be a tree of booleans or a function (param, path) => boolean');
  }
  return {
    init: (params) => {
      const paths = maskedPaths(mask, params);
      return { paths, inner: inner.init(select(params, new Set(paths))) };
    },
    update: (u, state, params, extra) => {
      const set = new Set(state.paths);
      const sub = (t: TensorTree | undefined) => (t === undefined ? undefined : select(t, set));
      const ex: ExtraArgs | undefined = extra && { ...extra, grads: sub(extra.grads) };
      const r = inner.update(select(u, set), state.inner, sub(params), ex);
      const inner_u = r.updates as Record<string, tf.Tensor>;
      const byPath = new Map(entries(u));
      for (const p of set) byPath.set(p, inner_u[p]);
      let i = 0;
      const order = entries(u).map(([p]) => p);
      const updates = map(() => byPath.get(order[i++])!, u);
      return { updates, state: { paths: state.paths, inner: r.state } };
    },
    evalParams: inner.evalParams && ((state, params) => {
      const set = new Set(state.paths);
      const e = inner.evalParams!(state.inner, select(params, set)) as Record<string, tf.Tensor>;
      const order = entries(params).map(([p]) => p);
      let i = 0;
      return map((x) => {
        const p = order[i++];
        return set.has(p) ? e[p] : x;
      }, params);
    }),
  };
}

export interface MultiStepsState<S> {
  miniStep: number;
  gradientStep: number;
  acc: TensorTree;
  inner: S;
}

/**
 * Gradient accumulation (optax `MultiSteps`): averages the gradients of
 * `everyK` calls and applies `inner` to the average on every k-th call; the
 * calls in between return zero updates and leave the inner state untouched.
 */
export function multiSteps<S>(inner: GradientTransformation<S>, everyK: number): GradientTransformation<MultiStepsState<S>> {
  checkPositiveInt('multiSteps', 'everyK', everyK);
  return {
    init: (params) => ({ miniStep: 0, gradientStep: 0, acc: zerosLike(params), inner: inner.init(params) }),
    update: (u, state, params, extra) => {
      const k = state.miniStep + 1;
      // running mean: acc + (g - acc) / k
      const acc = map((a, g) => tf.add(a, tf.div(tf.sub(g, a), k)), state.acc, u);
      if (k < everyK) {
        return { updates: zerosLike(u), state: { ...state, miniStep: k, acc } };
      }
      const r = inner.update(acc, state.inner, params, { ...extra, grads: acc });
      return {
        updates: r.updates,
        state: { miniStep: 0, gradientStep: state.gradientStep + 1, acc: zerosLike(acc), inner: r.state },
      };
    },
    evalParams: inner.evalParams && ((state, params) => inner.evalParams!(state.inner, params)),
  };
}

export interface ApplyIfFiniteState<S> {
  notFiniteCount: number;
  lastFinite: boolean;
  totalNotFinite: number;
  inner: S;
}

/**
 * Skips updates whose input holds NaN or Infinity (zero update, inner state
 * kept) unless more than `maxConsecutiveErrors` happened in a row, as optax
 * `apply_if_finite`. Costs one host sync per step.
 */
export function applyIfFinite<S>(inner: GradientTransformation<S>, maxConsecutiveErrors = Infinity): GradientTransformation<ApplyIfFiniteState<S>> {
  checkNonNegative('applyIfFinite', 'maxConsecutiveErrors', maxConsecutiveErrors);
  return {
    init: (params) => ({ notFiniteCount: 0, lastFinite: true, totalNotFinite: 0, inner: inner.init(params) }),
    update: (u, state, params, extra) => {
      const finite = allFinite(u);
      const count = finite ? 0 : state.notFiniteCount + 1;
      const total = state.totalNotFinite + (finite ? 0 : 1);
      if (finite || count > maxConsecutiveErrors) {
        const r = inner.update(u, state.inner, params, extra);
        return { updates: r.updates, state: { notFiniteCount: count, lastFinite: finite, totalNotFinite: total, inner: r.state } };
      }
      return { updates: zerosLike(u), state: { notFiniteCount: count, lastFinite: false, totalNotFinite: total, inner: state.inner } };
    },
    evalParams: inner.evalParams && ((state, params) => inner.evalParams!(state.inner, params)),
  };
}

/** Replaces NaN entries of the updates by 0 (optax `zero_nans`). */
export function zeroNans(): GradientTransformation<Record<string, never>> {
  return {
    init: () => ({}),
    update: (u, state) => ({ updates: map((x) => tf.where(tf.isNaN(x), tf.zerosLike(x), x), u), state }),
  };
}

