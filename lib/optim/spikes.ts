/**
 * Injected gradient spikes, the test harness of SPAM and Stable-SPAM (Huang et
 * al. 2025 observe spikes up to 1000x the typical gradient in LLM training). A
 * transformation placed first in a chain multiplies a random share of each
 * gradient tensor by `scale` at chosen steps:
 *
 *   const opt = optim.fromTransform(optim.chain(optim.injectSpikes({ every: 100, scale: 1000 }), optim.adam({lr}).transform));
 *
 * Which steps and which components are spiked depends only on `seed` and the
 * step number (1-based), so every optimizer in a comparison sees the same
 * spikes; `isSpikeStep` says whether a step is one.
 */
import * as tf from '../backend/tf.js';
import { Rng } from '../backend/random.js';
import { map } from './tree.js';
import { type GradientTransformation } from './transform.js';
import { checkKnownKeys, checkNonNegative, checkNumber, checkPositiveInt } from './validate.js';

export interface SpikeOptions {
  /** Steps (1-based) to spike. */
  steps?: number[];
  /** Or every `every` steps, from step `start` (default `every`). */
  every?: number;
  start?: number;
  /** Or each step independently with this probability. */
  probability?: number;
  /** Factor applied to the spiked components (default 1000). */
  scale?: number;
  /** Share of each tensor's components spiked (default 1: the whole gradient). */
  fraction?: number;
  /** Seed of the step and component draws (default 0). */
  seed?: number;
}

const KEYS = ['steps', 'every', 'start', 'probability', 'scale', 'fraction', 'seed'];

function checkSpikes(o: SpikeOptions): Required<Pick<SpikeOptions, 'scale' | 'fraction' | 'seed'>> & SpikeOptions {
  const owner = 'injectSpikes';
  checkKnownKeys(owner, o, KEYS);
  const modes = [o.steps !== undefined, o.every !== undefined, o.probability !== undefined].filter(Boolean).length;
  if (modes !== 1) throw new RangeError(`${owner}: give exactly one of steps, every or probability`);
  if (o.steps !== undefined) {
    if (!Array.isArray(o.steps)) throw new TypeError(`${owner}: steps must be an array of step numbers (1-based)`);
    o.steps.forEach((s, i) => checkPositiveInt(owner, `steps[${i}]`, s));
  }
  if (o.every !== undefined) checkPositiveInt(owner, 'every', o.every);
  if (o.start !== undefined) checkPositiveInt(owner, 'start', o.start);
  if (o.probability !== undefined) checkNumber(owner, 'probability', o.probability, { min: 0, max: 1 });
  return {
    ...o,
    scale: checkNonNegative(owner, 'scale', o.scale ?? 1000),
    fraction: checkNumber(owner, 'fraction', o.fraction ?? 1, { min: 0, max: 1 }),
    seed: checkNumber(owner, 'seed', o.seed ?? 0, { min: 0, max: 0xffffffff, integer: true }),
  };
}

/** A generator determined by (seed, step, stream). */
function drawFor(seed: number, step: number, stream: number): Rng {
  let h = (seed ^ Math.imul(step, 0x9e3779b1) ^ Math.imul(stream + 1, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
  return new Rng(h);
}

/** Whether step `step` (1-based) is spiked under `options`. */
export function isSpikeStep(options: SpikeOptions, step: number): boolean {
  const o = checkSpikes(options);
  if (o.steps !== undefined) return o.steps.includes(step);
  if (o.every !== undefined) {
    const start = o.start ?? o.every;
    return step >= start && (step - start) % o.every === 0;
  }
  return drawFor(o.seed, step, -1).uniform() < o.probability!;
}

/** Multiplies a random share of each gradient tensor by `scale` at the spike steps. */
export function injectSpikes(options: SpikeOptions): GradientTransformation<{ count: number }> {
  const o = checkSpikes(options);
  return {
    init: () => ({ count: 0 }),
    update: (u, state) => {
      const step = state.count + 1;
      if (!isSpikeStep(o, step)) return { updates: u, state: { count: step } };
      let stream = 0;
      const updates = map((g) => {
        if (o.fraction >= 1) return tf.mul(g, o.scale);
        const r = drawFor(o.seed, step, stream++);
        const factors = new Float32Array(g.size);
        for (let i = 0; i < g.size; i++) factors[i] = r.uniform() < o.fraction ? o.scale : 1;
        return tf.mul(g, tf.tensor(factors, g.shape, 'float32'));
      }, u);
      return { updates, state: { count: step } };
    },
  };
}
