/**
 * Access to TF.js's global gradient registry, and the guard that keeps optilab's
 * gradients in place.
 *
 * TF.js keeps one gradient registry per process (a Map stored in the global
 * `_tfGlobals`), shared by every copy of tfjs-core that gets loaded. The tfjs-layers
 * Node bundle fills it when it is first evaluated, and any other copy of TF.js loaded
 * later (the `@tensorflow/tfjs` union package, a second tfjs-layers) fills it again
 * with the stock gradients. The guard below ignores such re-registrations of stock
 * gradients for the kernels that optilab owns, so the import order cannot bring a
 * broken gradient back. A deliberate `tf.registerGradient` by the user with a
 * different gradient function still wins.
 */
import * as tf from '../tf.js';

export type GradConfig = tf.GradConfig;

type Registry = Map<string, GradConfig>;

function globalRegistry(): Registry {
  const globals = (globalThis as unknown as { _tfGlobals?: Map<string, unknown> })._tfGlobals;
  const registry = globals?.get('gradRegistry') as Registry | undefined;
  if (registry === undefined) {
    // tfjs-core creates the registry on first use; registering through it creates it.
    tf.registerGradient({ kernelName: '__optilab_probe__', gradFunc: () => ({}) });
    tf.unregisterGradient('__optilab_probe__');
    return globalRegistry();
  }
  return registry;
}

/** The stock TF.js gradient configs found in the registry before optilab installed its own. */
const stock = new Map<string, GradConfig>();
/** The gradient configs optilab installed, by kernel name. */
const owned = new Map<string, GradConfig>();

const sourceOf = (config: GradConfig | undefined) => config?.gradFunc.toString();

function guard(registry: Registry): void {
  const marker = Symbol.for('optilab.gradientGuard');
  const tagged = registry as Registry & { [marker]?: boolean };
  if (tagged[marker]) return;
  tagged[marker] = true;
  const plainSet = Map.prototype.set;
  registry.set = function (this: Registry, kernelName: string, config: GradConfig) {
    const mine = owned.get(kernelName);
    // A later copy of TF.js re-registering the stock gradient: keep optilab's.
    if (mine !== undefined && config !== mine && sourceOf(config) === sourceOf(stock.get(kernelName))) {
      return this;
    }
    return plainSet.call(this, kernelName, config) as Registry;
  };
}

/** Registers `configs` as optilab's gradients, remembering the stock ones they replace. */
export function installGradients(configs: readonly GradConfig[]): void {
  const registry = globalRegistry();
  guard(registry);
  for (const config of configs) {
    const previous = registry.get(config.kernelName);
    if (previous !== undefined && !owned.has(config.kernelName)) stock.set(config.kernelName, previous);
    owned.set(config.kernelName, config);
    tf.registerGradient(config);
  }
}

/** Kernel names with a gradient registered right now (TF.js's and optilab's). */
export function registeredGradientKernels(): string[] {
  return [...globalRegistry().keys()].sort();
}

/** Whether the gradient in effect for `kernelName` is the one optilab installed. */
export function isOptilabGradient(kernelName: string): boolean {
  const config = owned.get(kernelName);
  return config !== undefined && tf.getGradient(kernelName) === config;
}

/** The stock TF.js gradient config for `kernelName`, if TF.js registered one before optilab. */
export function stockGradient(kernelName: string): GradConfig | undefined {
  return stock.get(kernelName);
}

/**
 * True while a gradient function runs under an active tape, that is when its own
 * operations are being recorded because an outer derivative will differentiate them.
 * Gradient functions then recompute what they need from their inputs; otherwise they
 * may reuse saved outputs, which is cheaper but invisible to an outer tape.
 */
export function recordingHigherOrder(): boolean {
  return tf.engine().state.gradientDepth > 0;
}
