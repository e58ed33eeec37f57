/**
 * Gradient transformations, optax style. A transformation is a pair of pure
 * functions over parameter trees:
 *
 *   init(params)                          -> state
 *   update(updates, state, params, extra) -> { updates, state }
 *
 * `update` maps incoming updates (at first the gradients) to outgoing updates;
 * `chain` feeds one transformation's output into the next; the learning rate is
 * applied last (`scaleByLearningRate`, which also flips the sign), and the
 * result is added to the parameters (`applyUpdates`).
 *
 * Ownership: `update` must not dispose its inputs and may return tensors of the
 * old state unchanged. Call it through `runUpdate` (or an optimizer adapter),
 * which runs it in `tf.tidy`, keeps the new state, disposes the old state
 * tensors that were replaced, and hands back updates the caller owns.
 *
 * Hooks for transformations that need more than gradients:
 * - `extra.value`: the loss at the current parameters (Polyak steps, MoMo).
 * - `extra.grads`: the raw gradients of this step; `chain` fills it in so a
 *   transformation late in a chain can compare its input with the gradient
 *   (Cautious masks). A transformation that needs the previous gradient (MARS,
 *   diffGrad, Adan) keeps it in its own state.
 * - `params`: the current parameters, for weight decay, trust ratios,
 *   Lookahead's slow weights, Schedule-Free's interpolation.
 * - `evalParams(state, params)`: where the model should be evaluated when that
 *   differs from the training point (Schedule-Free's x, Lookahead's slow
 *   weights); the adapter's `withEvalParams` swaps them in.
 * - `fusedApply`: an optional fast path that returns new parameters directly;
 *   it must match `applyUpdates(params, update(...).updates)`.
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, isTensor, leaves, map } from './tree.js';

export interface ExtraArgs {
  /** The loss at the current parameters, when the caller has it (valid during the call only). */
  value?: tf.Scalar;
  /** The raw gradients of this step (set by `chain` when absent). */
  grads?: TensorTree;
  [key: string]: unknown;
}

export interface UpdateResult<S> {
  updates: TensorTree;
  state: S;
}

export interface FusedResult<S> {
  params: TensorTree;
  state: S;
  /** Paths of gradients that held NaN or Infinity (a fused kernel detects them for free). */
  nonFinite?: string[];
}

export interface GradientTransformation<S = any> {
  init(params: TensorTree): S;
  update(updates: TensorTree, state: S, params?: TensorTree, extra?: ExtraArgs): UpdateResult<S>;
  /**
   * Optional fast path computing the new parameters in one go. Returns null when
   * it does not apply (e.g. another backend), in which case `update` is used.
   */
  fusedApply?(grads: TensorTree, state: S, params: TensorTree, extra?: ExtraArgs): FusedResult<S> | null;
  /** Optional: the parameters at which to evaluate the model (default: `params`). */
  evalParams?(state: S, params: TensorTree): TensorTree;
}

/** Requires `params` for transformations that read them (weight decay, trust ratios). */
export function requireParams(owner: string, params: TensorTree | undefined): TensorTree {
  if (params === undefined) throw new Error(`${owner}: this transformation needs params; pass them to update(updates, state, params)`);
  return params;
}

export function identity(): GradientTransformation<Record<string, never>> {
  return { init: () => ({}), update: (updates, state) => ({ updates, state }) };
}

/** Runs transformations in sequence; the state is the array of their states. */
export function chain(...transforms: GradientTransformation[]): GradientTransformation<unknown[]> {
  transforms.forEach((t, i) => {
    if (!t || typeof t.init !== 'function' || typeof t.update !== 'function') {
      throw new TypeError(`chain: argument ${i} is not a gradient transformation (an object with init and update)`);
    }
  });
  const evals = transforms.filter((t) => t.evalParams);
  return {
    init: (params) => transforms.map((t) => t.init(params)),
    update(updates, state, params, extra) {
      const ex: ExtraArgs = { ...extra, grads: extra?.grads ?? updates };
      const next: unknown[] = [];
      let u = updates;
      transforms.forEach((t, i) => {
        const r = t.update(u, state[i], params, ex);
        u = r.updates;
        next.push(r.state);
      });
      return { updates: u, state: next };
    },
    evalParams:
      evals.length === 0
        ? undefined
        : (state, params) => {
            let p = params;
            transforms.forEach((t, i) => {
              if (t.evalParams) p = t.evalParams(state[i], p);
            });
            return p;
          },
  };
}

/** Returns `transform` with a fused fast path attached (see `fusedApply`). */
export function withFusedApply<S>(
  transform: GradientTransformation<S>,
  fusedApply: NonNullable<GradientTransformation<S>['fusedApply']>,
): GradientTransformation<S> {
  return { ...transform, fusedApply };
}

/** params + updates, leaf by leaf. */
export function applyUpdates<T extends TensorTree>(params: T, updates: TensorTree): T {
  return map((p, u) => tf.add(p, u), params, updates);
}

// ---------------------------------------------------------------------------
// State bookkeeping

export type StateLeaf = tf.Tensor | number | boolean;

/** The tensors and numbers inside a state, with their paths, in a fixed order. */
export function stateEntries(state: unknown, prefix = ''): Array<[string, StateLeaf]> {
  const out: Array<[string, StateLeaf]> = [];
  const walk = (s: unknown, path: string): void => {
    if (isTensor(s) || typeof s === 'number' || typeof s === 'boolean') out.push([path, s]);
    else if (Array.isArray(s)) s.forEach((c, i) => walk(c, path === '' ? String(i) : `${path}/${i}`));
    else if (s !== null && typeof s === 'object') {
      for (const k of Object.keys(s)) walk((s as Record<string, unknown>)[k], path === '' ? k : `${path}/${k}`);
    }
    // strings, null and undefined carry no learned state
  };
  walk(state, prefix);
  return out;
}

export function stateTensors(state: unknown): tf.Tensor[] {
  return stateEntries(state)
    .map((e) => e[1])
    .filter(isTensor);
}

/** Disposes every tensor of a state. */
export function disposeState(state: unknown): void {
  for (const t of stateTensors(state)) t.dispose();
}

/** Rebuilds a state with each leaf replaced by `f(path, leaf)`. */
export function mapState<S>(state: S, f: (path: string, leaf: StateLeaf) => StateLeaf, prefix = ''): S {
  const walk = (s: unknown, path: string): unknown => {
    if (isTensor(s) || typeof s === 'number' || typeof s === 'boolean') return f(path, s);
    if (Array.isArray(s)) return s.map((c, i) => walk(c, path === '' ? String(i) : `${path}/${i}`));
    if (s !== null && typeof s === 'object') {
      const o: Record<string, unknown> = {};
      for (const k of Object.keys(s)) o[k] = walk((s as Record<string, unknown>)[k], path === '' ? k : `${path}/${k}`);
      return o;
    }
    return s;
  };
  return walk(state, prefix) as S;
}

/**
 * Makes the tensors of a fresh result independent: each new state tensor is kept
 * (it survives enclosing `tf.tidy` scopes), and tensors that alias an input or
 * another slot are cloned so every owner can dispose its own.
 */
function settle<S>(result: UpdateResult<S>, inputs: Set<tf.Tensor>): UpdateResult<S> {
  const seen = new Set<tf.Tensor>(inputs);
  const own = (t: tf.Tensor) => {
    const out = seen.has(t) ? tf.clone(t) : t;
    seen.add(out);
    return out;
  };
  const state = mapState(result.state, (_p, leaf) => (isTensor(leaf) ? tf.keep(own(leaf)) : leaf));
  const updates = map((u) => own(u), result.updates);
  return { updates, state };
}

/** Disposes the tensors of `oldState` that do not appear in `newState`. */
export function disposeReplaced(oldState: unknown, newState: unknown, alsoKeep: Iterable<tf.Tensor> = []): void {
  const live = new Set(stateTensors(newState));
  for (const t of alsoKeep) live.add(t);
  for (const t of stateTensors(oldState)) if (!live.has(t)) t.dispose();
}

/**
 * One update with the bookkeeping done: runs `transform.update` inside
 * `tf.tidy`, keeps the new state, disposes what it replaced of the old one, and
 * returns updates that the caller owns (and must dispose).
 */
export function runUpdate<S>(
  transform: GradientTransformation<S>,
  updates: TensorTree,
  state: S,
  params?: TensorTree,
  extra?: ExtraArgs,
): UpdateResult<S> {
  const inputs = new Set<tf.Tensor>([...leaves(updates), ...(params ? leaves(params) : [])]);
  const raw = tf.tidy(() => {
    const r = transform.update(updates, state, params, extra);
    return { updates: r.updates, state: r.state } as unknown as tf.TensorContainer;
  }) as unknown as UpdateResult<S>;
  // state tensors of the old state returned unchanged stay owned by the state
  const oldTensors = new Set(stateTensors(state));
  const result = settle(raw, new Set([...inputs].filter((t) => !oldTensors.has(t))));
  disposeReplaced(state, result.state, inputs);
  return result;
}

/** `init` with its tensors kept, so a state built inside `tf.tidy` survives it. */
export function initState<S>(transform: GradientTransformation<S>, params: TensorTree): S {
  const s = tf.tidy(() => transform.init(params) as unknown as tf.TensorContainer) as unknown as S;
  for (const t of stateTensors(s)) tf.keep(t);
  return s;
}
