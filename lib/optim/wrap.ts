/**
 * Optimizers that wrap another optimizer (Lookahead, the cautious wrapper) keep
 * the inner optimizer as data, {className, config}, so the wrapper serializes
 * with `getConfig` / `fromConfig` like any optimizer and rebuilds the inner one
 * from the serialization registry.
 */
import * as tf from '../backend/tf.js';
import type { GradientTransformation } from './transform.js';
import type { Schedule } from './schedules.js';
import { type OptilabOptimizer, TransformOptimizer } from './adapter.js';

export interface InnerSpec {
  className: string;
  config: tf.serialization.ConfigDict;
}

/** The learning rate an optimizer was built with (undefined for L-BFGS-like ones without). */
export function lrOf(opt: OptilabOptimizer): number | Schedule | undefined {
  return (opt as unknown as { lr: number | Schedule | undefined }).lr;
}

/**
 * The inner optimizer as data, or null for a `fromTransform` optimizer (arbitrary
 * code that cannot be rebuilt from a config; the wrapper then is not serializable).
 */
export function innerSpec(owner: string, opt: OptilabOptimizer): InnerSpec | null {
  if (!(opt instanceof TransformOptimizer)) {
    throw new TypeError(`${owner}: the inner optimizer must be an optilab optimizer built from gradient transformations (optim.adam(), optim.fromTransform(...), ...)`);
  }
  const className = (opt.constructor as unknown as { className: string }).className;
  if (className === TransformOptimizer.className) return null;
  return { className, config: opt.getConfig() };
}

/** Rebuilds the inner optimizer of a wrapper from its spec. */
export function innerOf(owner: string, spec: InnerSpec | undefined): { transform: GradientTransformation; lr: number | Schedule | undefined } {
  if (spec === undefined || spec === null || typeof spec !== 'object' || typeof spec.className !== 'string') {
    throw new TypeError(`${owner}: inner must be {className, config} of a registered optilab optimizer; build wrappers with their factory, e.g. optim.${owner}(optim.adam())`);
  }
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[spec.className];
  if (entry === undefined) throw new Error(`${owner}: inner optimizer class '${spec.className}' is not registered`);
  const [cls, fromConfig] = entry;
  const inner = fromConfig(cls, spec.config ?? {}) as unknown as TransformOptimizer;
  return { transform: inner.transform, lr: lrOf(inner) };
}
