/**
 * A delayed-gradient simulator: asynchronous data-parallel training, where a
 * worker's gradient reaches the parameter server D updates after the worker read
 * the weights, reproduced on one machine. Each step evaluates the loss and its
 * gradient at the weights of D steps ago and applies that gradient to the
 * current weights with the wrapped optimizer:
 *
 *   const sim = new delay.DelayedGradients(optim.sgd({ lr: 0.1, momentum: 0.9 }), net.variables, { delay: 8 });
 *   for (let i = 0; i < 1000; i++) sim.step(() => loss());   // returns the (stale) loss
 *
 * The delay is a constant, a distribution ({kind: 'uniform', min, max} or
 * {kind: 'geometric', mean, max}) drawn from a seeded generator, or a function
 * of the step. While fewer than D past weights exist (the first D steps), the
 * oldest available ones are used. Memory: max delay + 1 copies of the weights.
 */
import * as tf from '../backend/tf.js';
import { rng, type Rng } from '../data/random.js';

export type DelaySpec =
  | number
  | { kind: 'constant'; value: number }
  | { kind: 'uniform'; min?: number; max: number }
  | { kind: 'geometric'; mean: number; max: number }
  | ((step: number) => number);

export interface DelayOptions {
  delay: DelaySpec;
  /** Seed of the delay draws (random distributions only). */
  seed?: number;
}

type Optimizer = tf.Optimizer & { applyGradients(grads: tf.NamedTensorMap, extra?: { value?: tf.Scalar }): void };

function checkInt(name: string, v: unknown, min = 0): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new RangeError(`DelayedGradients: ${name} must be an integer >= ${min}, got ${String(v)}`);
  return v;
}

/** Turns a spec into (step) => delay and the largest delay it can produce. */
export function delaySampler(spec: DelaySpec, seed = 0): { draw: (step: number) => number; max: number } {
  if (typeof spec === 'number') {
    const d = checkInt('delay', spec);
    return { draw: () => d, max: d };
  }
  if (typeof spec === 'function') return { draw: (s) => checkInt(`delay(${s})`, spec(s)), max: Infinity };
  const r: Rng = rng(seed, 'delay');
  if (spec.kind === 'constant') return delaySampler(spec.value, seed);
  if (spec.kind === 'uniform') {
    const lo = checkInt('delay.min', spec.min ?? 0);
    const hi = checkInt('delay.max', spec.max, lo);
    return { draw: () => lo + Math.floor(r.uniform() * (hi - lo + 1)), max: hi };
  }
  if (spec.kind === 'geometric') {
    const hi = checkInt('delay.max', spec.max);
    if (!(spec.mean > 0)) throw new RangeError(`DelayedGradients: delay.mean must be > 0, got ${spec.mean}`);
    const p = 1 / (1 + spec.mean); // P(D = k) = p (1 - p)^k has mean (1 - p) / p
    return { draw: () => Math.min(hi, Math.floor(Math.log(1 - r.uniform()) / Math.log(1 - p))), max: hi };
  }
  throw new RangeError(`DelayedGradients: unknown delay kind '${(spec as { kind: string }).kind}'; use a number, 'constant', 'uniform', 'geometric' or a function`);
}

export class DelayedGradients {
  /** Delay used at each step so far. */
  readonly delays: number[] = [];
  private readonly history: tf.Tensor[][] = [];
  private readonly sampler: { draw: (step: number) => number; max: number };
  private steps = 0;

  constructor(
    readonly optimizer: Optimizer,
    readonly variables: tf.Variable[],
    options: DelayOptions,
  ) {
    if (!Array.isArray(variables) || variables.length === 0) throw new RangeError('DelayedGradients: variables must be a non-empty array of tf.Variable');
    this.sampler = delaySampler(options.delay, options.seed ?? 0);
  }

  /** One update with the gradient of `loss` at stale weights; returns the loss there. */
  step(loss: () => tf.Scalar): number {
    const vars = this.variables;
    this.history.push(vars.map((v) => tf.keep(tf.clone(v))));
    const keep = Number.isFinite(this.sampler.max) ? this.sampler.max + 1 : Infinity;
    while (this.history.length > keep) tf.dispose(this.history.shift()!);
    const d = this.sampler.draw(this.steps);
    this.delays.push(d);
    const stale = this.history[Math.max(0, this.history.length - 1 - d)];
    const current = this.history[this.history.length - 1];
    let value: tf.Scalar;
    let grads: tf.NamedTensorMap;
    if (stale === current) ({ value, grads } = tf.variableGrads(loss, vars));
    else {
      vars.forEach((v, i) => v.assign(stale[i]));
      try {
        ({ value, grads } = tf.variableGrads(loss, vars));
      } finally {
        vars.forEach((v, i) => v.assign(current[i]));
      }
    }
    try {
      this.optimizer.applyGradients(grads, { value });
    } finally {
      tf.dispose(Object.values(grads));
    }
    const out = value.dataSync()[0];
    value.dispose();
    this.steps++;
    return out;
  }

  /** Frees the stored weights (not the optimizer or the variables). */
  dispose(): void {
    for (const snap of this.history) tf.dispose(snap);
    this.history.length = 0;
  }
}
