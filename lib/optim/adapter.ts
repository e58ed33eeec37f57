/**
 * The adapter: every optimizer is also a `tf.Optimizer`, so it works with
 * `minimize`, `applyGradients` and `tf.LayersModel.compile({optimizer})` /
 * `fit`, and with a torch-like closure API:
 *
 *   const opt = optim.adamw({ lr: 1e-3 });
 *   for (let i = 0; i < 100; i++) opt.step(() => loss());   // returns the loss
 *
 * Under the hood it holds one gradient transformation (`opt.transform`) and its
 * state over a record {variable name -> variable}; `getWeights`/`setWeights`
 * save and restore that state exactly; `getConfig`/`fromConfig` rebuild the
 * optimizer (classes are registered with `tf.serialization.registerClass`).
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, allFinite, nonFinitePaths, isTensor } from './tree.js';
import {
  type GradientTransformation,
  type ExtraArgs,
  type StateLeaf,
  runUpdate,
  initState,
  stateEntries,
  mapState,
  disposeState,
  disposeReplaced,
} from './transform.js';
import { type Schedule, type ScheduleSpec, scheduleFromSpec, valueAt } from './schedules.js';
import { checkOneOf } from './validate.js';

export type NonFinitePolicy = 'error' | 'skip' | 'ignore';

/** Options every optimizer accepts besides its hyper-parameters. */
export interface CommonOptions {
  /**
   * What to do when a gradient holds NaN or Infinity: 'error' (default) throws an
   * error naming the variable, 'skip' leaves parameters and state untouched and
   * counts the step in `skippedSteps`, 'ignore' applies it anyway.
   */
  nonFinite?: NonFinitePolicy;
}

export const COMMON_KEYS = ['nonFinite'] as const;

/** A named tensor, as `tf.Optimizer.getWeights` returns them. */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

type Grads = tf.NamedTensorMap | NamedTensor[];

/** Thrown when a gradient holds NaN or Infinity and `nonFinite` is 'error'. */
export class NonFiniteGradientError extends Error {
  constructor(
    readonly optimizer: string,
    readonly variables: string[],
    readonly step: number,
  ) {
    super(
      `${optimizer}: the gradient of ${variables.map((v) => `'${v}'`).join(', ')} holds NaN or Infinity at step ${step}; ` +
        `parameters were left unchanged (pass {nonFinite: 'skip'} to skip such steps)`,
    );
    this.name = 'NonFiniteGradientError';
  }
}

function variableByName(owner: string, name: string): tf.Variable {
  const v = tf.engine().registeredVariables[name];
  if (v === undefined) throw new Error(`${owner}: no variable named '${name}' is registered; gradients must be keyed by variable name`);
  return v;
}

/** Turns the two `applyGradients` forms into ordered names and gradients (missing ones as undefined). */
function normalizeGrads(grads: Grads): Array<[string, tf.Tensor | undefined]> {
  if (Array.isArray(grads)) return grads.map((g) => [g.name, g.tensor ?? undefined]);
  return Object.keys(grads).map((k) => [k, grads[k] ?? undefined]);
}

/** Numbers in a state are saved bit-exactly as the two int32 halves of their float64. */
export function encodeNumber(x: number): tf.Tensor {
  return tf.tensor1d(new Int32Array(new Float64Array([x]).buffer), 'int32');
}
export function decodeNumber(t: tf.Tensor): number {
  const data = t.dataSync() as Int32Array;
  return new Float64Array(new Int32Array([data[0], data[1]]).buffer)[0];
}

function encodeConfig(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    if (typeof v === 'function') {
      const spec = (v as Schedule).spec;
      if (!spec) throw new Error(`getConfig: option '${k}' is a function without a schedule spec and cannot be serialized; use a schedule from optim.schedules`);
      out[k] = { scheduleSpec: spec };
    } else out[k] = v;
  }
  return out;
}

function decodeConfig(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    const spec = v !== null && typeof v === 'object' && 'scheduleSpec' in v ? (v as { scheduleSpec: ScheduleSpec }).scheduleSpec : undefined;
    out[k] = spec ? scheduleFromSpec(spec) : v;
  }
  return out;
}

/**
 * Shared base of optilab optimizers: the closure API, `minimize` that passes the
 * loss on, the learning rate accessor, configuration round trip.
 */
export abstract class OptilabOptimizer extends tf.Optimizer {
  /** Non-finite steps skipped so far (with `nonFinite: 'skip'`). */
  skippedSteps = 0;

  constructor(
    /** The factory name, e.g. 'adamw'. */
    readonly optimizerName: string,
    /** The options the optimizer was built with. */
    readonly config: Record<string, unknown>,
    protected readonly lr: number | Schedule | undefined,
  ) {
    super();
  }

  abstract override applyGradients(grads: Grads, extra?: ExtraArgs): void;

  /** The learning rate of the next update (for plots). */
  currentLr(): number {
    if (this.lr === undefined) throw new Error(`${this.optimizerName}: this optimizer has no learning rate`);
    return valueAt(this.lr, this.iterations);
  }

  override minimize(f: () => tf.Scalar, returnCost = false, varList?: tf.Variable[]): tf.Scalar | null {
    const { value, grads } = this.computeGradients(f, varList);
    try {
      const g: Grads = varList ? varList.map((v) => ({ name: v.name, tensor: grads[v.name] })) : grads;
      this.applyGradients(g, { value });
    } finally {
      tf.dispose(grads);
    }
    if (returnCost) return value;
    value.dispose();
    return null;
  }

  /**
   * torch-style step: evaluates `closure` (which returns the loss as a scalar
   * tensor), differentiates it with respect to `varList` (default: every
   * trainable variable it uses), applies one update, and returns the loss.
   */
  step(closure: () => tf.Scalar, varList?: tf.Variable[]): number {
    const loss = this.minimize(closure, true, varList)!;
    const v = loss.dataSync()[0];
    loss.dispose();
    return v;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return encodeConfig(this.config) as tf.serialization.ConfigDict;
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new (cls as unknown as new (c: Record<string, unknown>) => T)(decodeConfig(config as Record<string, unknown>));
  }
}

/** What a factory builds from its options. */
export interface BuiltOptimizer {
  transform: GradientTransformation;
  lr?: number | Schedule;
  nonFinite?: NonFinitePolicy;
}

/** A `tf.Optimizer` running a gradient transformation. */
export class TransformOptimizer extends OptilabOptimizer {
  static get className(): string {
    return 'optilab.TransformOptimizer';
  }

  /** The underlying transformation, for composition (`chain(clipByGlobalNorm(1), opt.transform)`). */
  readonly transform: GradientTransformation;
  private readonly nonFinite: NonFinitePolicy;
  private state: unknown = undefined;
  private names: string[] | undefined;
  private pending: Map<string, tf.Tensor> | undefined;

  constructor(name: string, config: Record<string, unknown>, built: BuiltOptimizer) {
    super(name, config, built.lr);
    this.transform = built.transform;
    this.nonFinite = checkOneOf(name, 'nonFinite', built.nonFinite ?? config.nonFinite ?? 'error', ['error', 'skip', 'ignore'] as const);
  }

  /** Built by `fromTransform` from arbitrary code, a bare TransformOptimizer cannot be rebuilt from a config. */
  static override fromConfig<T extends tf.serialization.Serializable>(
    _cls: tf.serialization.SerializableConstructor<T>,
    _config: tf.serialization.ConfigDict,
  ): T {
    throw new Error('optim.fromTransform optimizers run arbitrary transformations and cannot be rebuilt from a config; rebuild the chain in code');
  }

  /** The variable names the state was built for, in order (undefined before the first update). */
  get variableNames(): string[] | undefined {
    return this.names?.slice();
  }

  /** Number of floats held in the state's tensors (optimizer memory, e.g. Adafactor's factored moments). */
  stateSize(): number {
    return stateEntries(this.state).reduce((n, [, leaf]) => n + (isTensor(leaf) ? leaf.size : 0), 0);
  }

  /** The transformation state (read-only view; it changes identity every step). */
  get transformState(): unknown {
    return this.state;
  }

  private gather(grads: Grads): { params: Record<string, tf.Variable>; g: Record<string, tf.Tensor>; zeros: tf.Tensor[] } {
    const given = normalizeGrads(grads);
    if (this.names === undefined) this.names = given.filter(([, t]) => t !== undefined).map(([n]) => n);
    const known = new Set(this.names);
    for (const [n, t] of given) {
      if (t !== undefined && !known.has(n)) {
        throw new Error(
          `${this.optimizerName}: got a gradient for '${n}', but the optimizer state was built for [${this.names.join(', ')}]; ` +
            `use one optimizer per set of variables, or call reset() first`,
        );
      }
    }
    const byName = new Map(given);
    const params: Record<string, tf.Variable> = {};
    const g: Record<string, tf.Tensor> = {};
    const zeros: tf.Tensor[] = [];
    for (const n of this.names) {
      params[n] = variableByName(this.optimizerName, n);
      let t = byName.get(n);
      if (t === undefined) {
        // a variable without gradient this step (unused by the loss) gets a zero gradient
        t = tf.zerosLike(params[n]);
        zeros.push(t);
      }
      g[n] = t;
    }
    return { params, g, zeros };
  }

  override applyGradients(grads: Grads, extra?: ExtraArgs): void {
    const { params, g, zeros } = this.gather(grads);
    try {
      if (this.state === undefined) {
        this.state = initState(this.transform, params);
        if (this.pending) this.restore(this.pending);
      }
      const names = this.names!;
      if (this.transform.fusedApply) {
        const r = tf.tidy(() => {
          const out = this.transform.fusedApply!(g, this.state, params, extra);
          return out as unknown as tf.TensorContainer;
        }) as unknown as { params: Record<string, tf.Tensor>; state: unknown; nonFinite?: string[] } | null;
        if (r !== null) {
          const bad = this.nonFinite === 'ignore' ? [] : r.nonFinite ?? (allFinite(g) ? [] : nonFinitePaths(g));
          if (bad.length > 0) {
            const keepOld = new Set(stateEntries(this.state).map((e) => e[1]).filter(isTensor));
            for (const [, t] of stateEntries(r.state)) if (isTensor(t) && !keepOld.has(t)) t.dispose();
            tf.dispose(Object.values(r.params));
            this.onNonFinite(bad);
            return;
          }
          for (const n of names) {
            params[n].assign(r.params[n]);
            r.params[n].dispose();
          }
          const next = mapState(r.state, (_p, leaf) => (isTensor(leaf) ? tf.keep(leaf) : leaf));
          disposeReplaced(this.state, next);
          this.state = next;
          this.incrementIterations();
          return;
        }
      }
      if (this.nonFinite !== 'ignore' && !allFinite(g)) {
        this.onNonFinite(nonFinitePaths(g));
        return;
      }
      const { updates, state } = runUpdate(this.transform, g, this.state, params, extra);
      this.state = state;
      const u = updates as Record<string, tf.Tensor>;
      tf.tidy(() => {
        for (const n of names) params[n].assign(tf.add(params[n], u[n]));
      });
      tf.dispose(Object.values(u));
      this.incrementIterations();
    } finally {
      tf.dispose(zeros);
    }
  }

  private onNonFinite(paths: string[]): void {
    if (this.nonFinite === 'skip') {
      this.skippedSteps++;
      return;
    }
    throw new NonFiniteGradientError(this.optimizerName, paths, this.iterations + 1);
  }

  /**
   * Runs `fn` with the variables set to the transformation's evaluation point
   * (Schedule-Free's averaged iterate, Lookahead's slow weights), then restores
   * the training values. Without such a point it simply runs `fn`.
   */
  withEvalParams<T>(fn: () => T): T {
    if (!this.transform.evalParams || this.state === undefined) return fn();
    const names = this.names!;
    const vars = names.map((n) => variableByName(this.optimizerName, n));
    const saved = vars.map((v) => tf.clone(v));
    const params = Object.fromEntries(names.map((n, i) => [n, vars[i]]));
    tf.tidy(() => {
      const e = this.transform.evalParams!(this.state, params) as Record<string, tf.Tensor>;
      names.forEach((n, i) => vars[i].assign(e[n]));
    });
    const restore = () => {
      vars.forEach((v, i) => v.assign(saved[i]));
      tf.dispose(saved);
    };
    let out: T;
    try {
      out = fn();
    } catch (e) {
      restore();
      throw e;
    }
    if (out instanceof Promise) return out.finally(restore) as T;
    restore();
    return out;
  }

  /** Drops the state (moments, counters); the next update starts afresh. */
  reset(): void {
    if (this.state !== undefined) disposeState(this.state);
    this.state = undefined;
    this.names = undefined;
    this.iterations_ = 0;
  }

  override dispose(): void {
    this.reset();
    if (this.pending) tf.dispose([...this.pending.values()]);
    this.pending = undefined;
  }

  /** The state as named tensors: 'iter' first, then one entry per state leaf (copies the caller owns). */
  override async getWeights(): Promise<NamedTensor[]> {
    const out: NamedTensor[] = [await this.saveIterations()];
    if (this.state === undefined) {
      if (this.pending) for (const [name, t] of this.pending) out.push({ name, tensor: tf.clone(t) });
      return out;
    }
    for (const [path, leaf] of stateEntries(this.state)) {
      out.push({ name: path, tensor: isTensor(leaf) ? tf.clone(leaf) : encodeNumber(Number(leaf)) });
    }
    return out;
  }

  /** Restores a state saved by `getWeights` (applied at the first update if the state does not exist yet). */
  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    const saved = new Map(rest.map((w) => [w.name, tf.keep(tf.clone(w.tensor))] as [string, tf.Tensor]));
    if (this.pending) tf.dispose([...this.pending.values()]);
    this.pending = saved;
    if (this.state !== undefined) this.restore(saved);
  }

  /**
   * Replaces the state leaves by saved values: by name when every name matches,
   * else by position (the same optimizer on a model of the same architecture whose
   * variables carry other names, e.g. a rebuilt model), checking shapes either way.
   */
  private restore(saved: Map<string, tf.Tensor>): void {
    const old = this.state;
    const template = stateEntries(old);
    const byName = template.every(([path]) => saved.has(path));
    if (!byName && template.length !== saved.size) {
      const missing = template.find(([path]) => !saved.has(path))![0];
      throw new Error(
        `${this.optimizerName}: setWeights got ${saved.size} state entries, this optimizer has ${template.length} ` +
          `(no entry '${missing}'); the saved state belongs to another optimizer or model`,
      );
    }
    const values = [...saved.values()];
    let i = 0;
    const next = mapState(old, (path, leaf): StateLeaf => {
      const t = byName ? saved.get(path)! : values[i];
      const label = byName ? path : `${i} ('${path}')`;
      i++;
      if (isTensor(leaf)) {
        if (!tf.util.arraysEqual(leaf.shape, t.shape)) {
          throw new Error(`${this.optimizerName}: setWeights entry ${label} has shape [${t.shape}], expected [${leaf.shape}]`);
        }
        return tf.keep(tf.clone(t));
      }
      const x = decodeNumber(t);
      return typeof leaf === 'boolean' ? x !== 0 : x;
    });
    disposeState(old);
    this.state = next;
    tf.dispose(values);
    this.pending = undefined;
  }
}

type OptimizerClass<C> = {
  new (config?: C): TransformOptimizer;
  readonly className: string;
};

/**
 * Defines the `tf.Optimizer` class of one optimizer and registers it for
 * serialization. `build` validates the options and returns the transformation.
 */
export function defineOptimizer<C extends object>(
  className: string,
  factoryName: string,
  build: (config: C) => BuiltOptimizer,
): OptimizerClass<C> {
  const cls = class extends TransformOptimizer {
    static override get className(): string {
      return `optilab.${className}`;
    }
    constructor(config: C = {} as C) {
      super(factoryName, { ...config } as Record<string, unknown>, build(config));
    }
    static override fromConfig<T extends tf.serialization.Serializable>(
      c: tf.serialization.SerializableConstructor<T>,
      config: tf.serialization.ConfigDict,
    ): T {
      return new (c as unknown as new (cfg: Record<string, unknown>) => T)(decodeConfig(config as Record<string, unknown>));
    }
  };
  Object.defineProperty(cls, 'name', { value: className });
  tf.serialization.registerClass(cls);
  return cls as unknown as OptimizerClass<C>;
}

/** A `tf.Optimizer` for a hand-built chain: `optim.fromTransform(chain(...), {lr})`. */
export function fromTransform(transform: GradientTransformation, options: { lr?: number | Schedule; name?: string } & CommonOptions = {}): TransformOptimizer {
  return new TransformOptimizer(options.name ?? 'transform', {}, { transform, lr: options.lr, nonFinite: options.nonFinite });
}

export type { TensorTree };
