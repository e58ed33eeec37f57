/**
 * Argument checks for the library's public functions: a wrong argument (undefined, an
 * array where a tensor belongs, a tensor of the wrong rank) fails at the call with an
 * error naming the function, the argument, what is accepted and what was passed,
 * instead of "Cannot read properties of undefined" from deep inside.
 *
 *   checkTensor('nn.crossEntropy', 'logits', logits, { rank: 2, shape: '[batch, classes]' });
 */
import * as tf from './tf.js';

/** A short description of what was passed, for error messages. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (v instanceof tf.Tensor) return `a ${v.dtype} tensor of shape [${v.shape.join(', ')}]${v.isDisposed ? ' (disposed)' : ''}`;
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  if (typeof v === 'number') return `the number ${v}`;
  if (typeof v === 'string') return `the string '${v.length > 40 ? v.slice(0, 40) + '...' : v}'`;
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'object') return `an object (${v.constructor?.name ?? 'Object'})`;
  return `a ${typeof v}`;
}

export interface TensorRequirement {
  /** The rank the tensor must have. */
  rank?: number;
  /** The lowest rank accepted. */
  minRank?: number;
  /** How the expected shape reads in the message, e.g. '[batch, classes]'. */
  shape?: string;
}

/** Throws unless `value` is a live tf.Tensor meeting `req`. */
export function checkTensor(owner: string, name: string, value: unknown, req: TensorRequirement = {}): asserts value is tf.Tensor {
  const wanted = `a tf.Tensor${req.shape ? ` of shape ${req.shape}` : req.rank !== undefined ? ` of rank ${req.rank}` : req.minRank !== undefined ? ` of rank >= ${req.minRank}` : ''}`;
  const ok =
    value instanceof tf.Tensor &&
    !value.isDisposed &&
    (req.rank === undefined || value.rank === req.rank) &&
    (req.minRank === undefined || value.rank >= req.minRank);
  if (!ok) {
    const hint = Array.isArray(value) || ArrayBuffer.isView(value) ? ' (wrap numbers with tf.tensor)' : '';
    throw new TypeError(`${owner}: ${name} must be ${wanted}, got ${describeValue(value)}${hint}`);
  }
}

/** Throws unless `value` is a function. */
export function checkFunction(owner: string, name: string, value: unknown, what = 'a function'): asserts value is (...args: any[]) => unknown {
  if (typeof value !== 'function') throw new TypeError(`${owner}: ${name} must be ${what}, got ${describeValue(value)}`);
}

/** Throws unless `value` is an array or typed array of numbers (NaN allowed: statistics propagate it). */
export function checkNumbers(owner: string, name: string, value: unknown): asserts value is ArrayLike<number> {
  const ok = (Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView))) && Array.prototype.every.call(value, (x: unknown) => typeof x === 'number');
  if (!ok) {
    const bad = Array.isArray(value) ? value.findIndex((x) => typeof x !== 'number') : -1;
    const why = bad >= 0 ? `entry ${bad} is ${describeValue((value as unknown[])[bad])}` : describeValue(value);
    throw new TypeError(`${owner}: ${name} must be an array of numbers, got ${why}`);
  }
}

/** Throws unless `value` is an instance of `type`. */
export function checkInstance<T>(owner: string, name: string, value: unknown, type: abstract new (...args: any[]) => T, what: string): asserts value is T {
  if (!(value instanceof type)) throw new TypeError(`${owner}: ${name} must be ${what}, got ${describeValue(value)}`);
}

/** Throws unless `value` is an options object (not an array); `example` shows a minimal one. */
export function checkOptions(owner: string, name: string, value: unknown, example: string): asserts value is object {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof tf.Tensor) {
    throw new TypeError(`${owner}: ${name} must be an options object such as ${example}, got ${describeValue(value)}`);
  }
}
