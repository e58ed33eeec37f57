/**
 * Hyper-parameter checks shared by every optimizer. Each error names the
 * optimizer, the argument, the accepted range and the value received, e.g.
 * `adamw: betas[1] must be in [0, 1), got 1.2`.
 */
import type { Schedule } from './schedules.js';

export interface Range {
  /** Lower bound (default -inf). */
  min?: number;
  /** Upper bound (default +inf). */
  max?: number;
  /** Whether `min` itself is accepted (default true). */
  minInclusive?: boolean;
  /** Whether `max` itself is accepted (default true). */
  maxInclusive?: boolean;
  integer?: boolean;
}

function fmt(x: number): string {
  return x === Infinity ? 'inf' : x === -Infinity ? '-inf' : String(x);
}

function describeRange(r: Range): string {
  const lo = r.min ?? -Infinity;
  const hi = r.max ?? Infinity;
  const open = r.minInclusive === false || lo === -Infinity ? '(' : '[';
  const close = r.maxInclusive === false || hi === Infinity ? ')' : ']';
  return `${r.integer ? 'an integer ' : ''}in ${open}${fmt(lo)}, ${fmt(hi)}${close}`;
}

function show(x: unknown): string {
  if (typeof x === 'string') return `'${x}'`;
  if (Array.isArray(x)) return `[${x.map(show).join(', ')}]`;
  return String(x);
}

/** Throws unless `value` is a number in `range`; returns it. */
export function checkNumber(owner: string, name: string, value: unknown, range: Range = {}): number {
  const ok =
    typeof value === 'number' &&
    !Number.isNaN(value) &&
    (!range.integer || Number.isInteger(value)) &&
    (range.min === undefined || (range.minInclusive === false ? value > range.min : value >= range.min)) &&
    (range.max === undefined || (range.maxInclusive === false ? value < range.max : value <= range.max));
  if (!ok) throw new RangeError(`${owner}: ${name} must be ${describeRange(range)}, got ${show(value)}`);
  return value as number;
}

/** A coefficient in [0, 1) such as a beta or a momentum. */
export function checkBeta(owner: string, name: string, value: unknown): number {
  return checkNumber(owner, name, value, { min: 0, max: 1, maxInclusive: false });
}

/** A tuple of `n` betas, each in [0, 1). */
export function checkBetas(owner: string, name: string, value: unknown, n: number): number[] {
  if (!Array.isArray(value) || value.length !== n) {
    throw new RangeError(`${owner}: ${name} must be an array of ${n} numbers in [0, 1), got ${show(value)}`);
  }
  return value.map((b, i) => checkBeta(owner, `${name}[${i}]`, b));
}

export function checkNonNegative(owner: string, name: string, value: unknown): number {
  return checkNumber(owner, name, value, { min: 0 });
}

export function checkPositive(owner: string, name: string, value: unknown): number {
  return checkNumber(owner, name, value, { min: 0, minInclusive: false });
}

export function checkPositiveInt(owner: string, name: string, value: unknown): number {
  return checkNumber(owner, name, value, { min: 1, integer: true });
}

export function checkBoolean(owner: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new TypeError(`${owner}: ${name} must be true or false, got ${show(value)}`);
  return value;
}

/** A learning rate: a number >= 0 or a schedule `step => lr`. */
export function checkLearningRate(owner: string, name: string, value: unknown): number | Schedule {
  if (typeof value === 'function') return value as Schedule;
  return checkNonNegative(owner, name, value);
}

export function checkOneOf<T extends string>(owner: string, name: string, value: unknown, options: readonly T[]): T {
  if (!options.includes(value as T)) {
    throw new RangeError(`${owner}: ${name} must be one of ${options.map(show).join(', ')}, got ${show(value)}`);
  }
  return value as T;
}

/** Refuses option names the optimizer does not know (catches `weight_decay` for `weightDecay`). */
export function checkKnownKeys(owner: string, config: object | undefined, known: readonly string[]): void {
  if (config === undefined || config === null) return;
  if (typeof config !== 'object') throw new TypeError(`${owner}: options must be an object, got ${show(config)}`);
  for (const key of Object.keys(config)) {
    if (!known.includes(key)) {
      throw new RangeError(`${owner}: unknown option '${key}'; accepted: ${known.join(', ')}`);
    }
  }
}
