/**
 * Parameter trees: the containers optimizers work over. A tree is a tensor, an
 * array of trees, or a record of trees (optax's "pytree", restricted to what
 * TypeScript users build: `[w, b]`, `{kernel, bias}`, `{layer1: {w, b}}`).
 * Every transformation maps over the leaves and returns a tree of the same
 * structure, so users keep their own layout.
 */
import * as tf from '../backend/tf.js';

export type TensorTree = tf.Tensor | TensorTree[] | { [key: string]: TensorTree };

export function isTensor(x: unknown): x is tf.Tensor {
  return x instanceof tf.Tensor;
}

function isRecord(x: unknown): x is { [key: string]: TensorTree } {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && !isTensor(x);
}

/**
 * Applies `f` leaf by leaf to `tree` and to the trees in `rest` (which must have
 * the same structure), returning a tree shaped like `tree`.
 */
export function map<T extends TensorTree>(
  f: (...leaves: tf.Tensor[]) => tf.Tensor,
  tree: T,
  ...rest: TensorTree[]
): T {
  return mapAt(f, tree, rest, '') as T;
}

function mapAt(f: (...leaves: tf.Tensor[]) => tf.Tensor, tree: TensorTree, rest: TensorTree[], path: string): TensorTree {
  if (isTensor(tree)) {
    for (const r of rest) if (!isTensor(r)) throw mismatch(path, 'a tensor', r);
    return f(tree, ...(rest as tf.Tensor[]));
  }
  if (Array.isArray(tree)) {
    for (const r of rest) {
      if (!Array.isArray(r) || r.length !== tree.length) throw mismatch(path, `an array of ${tree.length}`, r);
    }
    return tree.map((t, i) => mapAt(f, t, rest.map((r) => (r as TensorTree[])[i]), join(path, String(i))));
  }
  if (!isRecord(tree)) throw new Error(`tree: expected a tensor, an array or a record at '${path || '<root>'}', got ${describe(tree)}`);
  const out: { [key: string]: TensorTree } = {};
  for (const key of Object.keys(tree)) {
    const sub = rest.map((r) => {
      if (!isRecord(r) || !(key in r)) throw mismatch(join(path, key), 'a record with this key', r);
      return r[key];
    });
    out[key] = mapAt(f, tree[key], sub, join(path, key));
  }
  return out;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}/${key}`;
}

function describe(x: unknown): string {
  if (isTensor(x)) return `a tensor of shape [${x.shape}]`;
  if (Array.isArray(x)) return `an array of ${x.length}`;
  if (x === null || x === undefined) return String(x);
  return typeof x === 'object' ? 'a record' : typeof x;
}

function mismatch(path: string, expected: string, got: unknown): Error {
  return new Error(`tree: structures differ at '${path || '<root>'}': expected ${expected}, got ${describe(got)}`);
}

/** The leaves of a tree paired with their paths ('0', 'kernel', 'layer1/w'), in a fixed order. */
export function entries(tree: TensorTree): Array<[string, tf.Tensor]> {
  const out: Array<[string, tf.Tensor]> = [];
  const walk = (t: TensorTree, path: string): void => {
    if (isTensor(t)) out.push([path, t]);
    else if (Array.isArray(t)) t.forEach((c, i) => walk(c, join(path, String(i))));
    else if (isRecord(t)) for (const k of Object.keys(t)) walk(t[k], join(path, k));
    else throw new Error(`tree: expected a tensor, an array or a record at '${path || '<root>'}', got ${describe(t)}`);
  };
  walk(tree, '');
  return out;
}

/** The leaves of a tree in the order of `entries`. */
export function leaves(tree: TensorTree): tf.Tensor[] {
  return entries(tree).map((e) => e[1]);
}

/** Rebuilds a tree shaped like `like` from leaves given in the order of `entries(like)`. */
export function unflatten<T extends TensorTree>(like: T, newLeaves: tf.Tensor[]): T {
  let i = 0;
  const out = map(() => newLeaves[i++], like);
  if (i !== newLeaves.length) throw new Error(`tree: ${newLeaves.length} leaves given for a tree of ${i}`);
  return out;
}

export function zerosLike<T extends TensorTree>(tree: T): T {
  return map((x) => tf.zerosLike(x), tree);
}

export function fullLike<T extends TensorTree>(tree: T, value: number): T {
  return map((x) => tf.fill(x.shape, value, x.dtype), tree);
}

/** Sum over leaves of sum(x^2): the squared global L2 norm, as a scalar tensor. */
export function squaredNorm(tree: TensorTree): tf.Scalar {
  return tf.tidy(() => {
    const parts = leaves(tree).map((x) => tf.sum(tf.square(x)));
    return (parts.length === 1 ? parts[0] : tf.addN(parts)) as tf.Scalar;
  });
}

/** The global L2 norm of all leaves together, as a scalar tensor. */
export function globalNorm(tree: TensorTree): tf.Scalar {
  return tf.tidy(() => tf.sqrt(squaredNorm(tree)));
}

/** True when every element of every leaf is finite (one host sync). */
export function allFinite(tree: TensorTree): boolean {
  const flag = tf.tidy(() => {
    // 0 * x is 0 for finite x and NaN for NaN or +-Infinity, so one sum tests everything.
    const parts = leaves(tree).map((x) => tf.sum(tf.mul(x, 0)));
    return parts.length === 1 ? parts[0] : tf.addN(parts);
  });
  const v = flag.dataSync()[0];
  flag.dispose();
  return Number.isFinite(v);
}

/** The paths of the leaves that hold NaN or +-Infinity (for error messages). */
export function nonFinitePaths(tree: TensorTree): string[] {
  return entries(tree)
    .filter(([, x]) => !tf.tidy(() => Number.isFinite(tf.sum(tf.mul(x, 0)).dataSync()[0])))
    .map(([p]) => p);
}

/**
 * Exponential moving average of the updates (order 1) or of their squares
 * (order 2): decay * moment + (1 - decay) * u^order, leaf by leaf (optax
 * `tree_update_moment`).
 */
export function updateMoment<T extends TensorTree>(updates: TensorTree, moments: T, decay: number, order: 1 | 2): T {
  return map((m, g) => tf.add(tf.mul(m, decay), tf.mul(order === 1 ? g : tf.square(g), 1 - decay)), moments, updates);
}
