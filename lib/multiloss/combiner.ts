/**
 * What every combiner is: a function of the per-loss gradient matrix G ([losses,
 * parameters], one gradient per row) returning one update direction [parameters].
 * The methods here are all *weightings*: the result is w^T G for weights w computed
 * from G (mostly from its Gram matrix G G^T), so each combiner also exposes
 * `.weights(G)` (the m weights, float64) for inspection and tests.
 *
 * Stateful methods (M-ConFIG, learning-rate annealing, GradNorm, NTK weights,
 * MultiAdam) are objects holding their state in an explicit `state` field; the
 * stateless ones are plain functions. `Aggregator` is the common interface the PINN
 * trainer uses for both.
 */
import * as tf from '../backend/tf.js';
import { type HostMatrix, readGradients, combineRows, toTensor } from './matrix.js';

/** Extra per-step information some weightings need. */
export interface CombineContext {
  /** The current value of each loss (GradNorm). */
  losses?: ArrayLike<number>;
  /** Mean NTK diagonal of each loss term (NTK weighting). */
  ntkTraces?: ArrayLike<number>;
}

/** A combiner as the trainer uses it: stateless or stateful, it maps G to one direction. */
export interface Aggregator {
  readonly name: string;
  /** The combined direction w^T G as a [parameters] tensor the caller owns. */
  combine(G: tf.Tensor2D, context?: CombineContext): tf.Tensor1D;
  /** Which context entries it needs (so a trainer computes only those). */
  readonly needs?: ReadonlyArray<keyof CombineContext>;
}

/** A stateless combiner: `f(G, options)` and `f.weights(G, options)`. */
export interface Combiner<O> {
  (G: tf.Tensor2D, options?: O): tf.Tensor1D;
  /** The weights w with f(G) = w^T G. */
  weights(G: tf.Tensor2D, options?: O): number[];
  readonly combinerName: string;
}

/** Builds a stateless combiner from its weighting rule on the host matrix. */
export function defineCombiner<O>(name: string, weighting: (G: HostMatrix, options: O, owner: string) => Float64Array): Combiner<O> {
  const owner = `multiloss.${name}`;
  const weightsOf = (G: tf.Tensor2D, options?: O) => {
    const H = readGradients(G, owner);
    return { H, w: weighting(H, (options ?? {}) as O, owner) };
  };
  const f = ((G: tf.Tensor2D, options?: O) => {
    const { H, w } = weightsOf(G, options);
    return toTensor(combineRows(H, w));
  }) as Combiner<O>;
  f.weights = (G, options) => Array.from(weightsOf(G, options).w);
  Object.defineProperty(f, 'combinerName', { value: name });
  return f;
}

/** An Aggregator view of a stateless combiner with fixed options. */
export function fromCombiner<O>(combiner: Combiner<O>, options?: O): Aggregator {
  return { name: combiner.combinerName, combine: (G) => combiner(G, options) };
}

/** Checks an options object has only known keys. */
export function checkKeys(owner: string, options: object | undefined, known: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object') throw new TypeError(`${owner}: options must be an object, got ${options === null ? 'null' : typeof options}`);
  for (const k of Object.keys(options)) {
    if (!known.includes(k)) throw new Error(`${owner}: unknown option '${k}'; accepted: ${known.length ? known.join(', ') : '(none)'}`);
  }
}

/** A finite number in an open or closed range, with a message naming it. */
export function checkNumber(owner: string, name: string, v: unknown, lo: number, hi: number, { openLo = false, openHi = false } = {}): number {
  const ok = typeof v === 'number' && Number.isFinite(v) && (openLo ? v > lo : v >= lo) && (openHi ? v < hi : v <= hi);
  if (!ok) {
    const range = `${openLo ? '(' : '['}${lo}, ${hi}${openHi ? ')' : ']'}`;
    throw new Error(`${owner}: ${name} must be a number in ${range}, got ${String(v)}`);
  }
  return v as number;
}

/** sum: the plain sum of the gradients (the gradient of the summed loss). */
export const sum = defineCombiner<Record<string, never>>('sum', (G, options, owner) => {
  checkKeys(owner, options, []);
  return new Float64Array(G.m).fill(1);
});

/** mean: the average of the gradients. */
export const mean = defineCombiner<Record<string, never>>('mean', (G, options, owner) => {
  checkKeys(owner, options, []);
  return new Float64Array(G.m).fill(1 / G.m);
});
