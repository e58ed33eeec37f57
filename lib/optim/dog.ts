/**
 * DoG and L-DoG: Ivgi, Hinder & Carmon, "DoG is SGD's Best Friend: A
 * Parameter-Free Dynamic Step Size Schedule", ICML 2023 (arXiv:2302.12022).
 * Ported from the official implementation, formll/dog `src/dog/torch/dog.py`
 * (v1.1.0), with its defaults: lr (the paper's c) = 1, repsRel = 1e-6,
 * eps = 1e-8, weightDecay = 0 (coupled L2), initEta unset.
 *
 *   r_eps = repsRel (1 + ||x_0||)                  the initial movement
 *   r_bar_t = max(r_eps, max_{i<=t} ||x_i - x_0||)
 *   G_t = eps + sum_{i<=t} ||g_i||^2
 *   x_{t+1} = x_t - lr * r_bar_t / sqrt(G_t) * g_t
 *
 * Norms are over all parameters together (DoG) or per tensor (`layerwise: true`,
 * L-DoG). `initEta` replaces the first step size (and makes repsRel unused), as
 * the official `init_eta`. The authors stress that DoG needs iterate averaging:
 * `averaging: {gamma}` makes `evalParams` (and `opt.withEvalParams`) return the
 * polynomial-decay average of the official `PolynomialDecayAverager` (gamma = 8
 * there; gamma = 0 is the uniform Polyak average).
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, map, squaredNorm, leaves, unflatten } from './tree.js';
import { type GradientTransformation, chain, requireParams } from './transform.js';
import { addL2, scaleByLearningRate } from './transforms.js';
import { iterateAveraging } from './averaging.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer } from './adapter.js';
import { checkBoolean, checkKnownKeys, checkNonNegative, checkPositive } from './validate.js';

export interface ScaleByDogOptions {
  repsRel?: number;
  eps?: number;
  initEta?: number;
  layerwise?: boolean;
}

export interface ScaleByDogState {
  count: number;
  /** x_0, the parameters at the first update. */
  init: TensorTree;
  /** r_bar: one scalar (DoG) or one per tensor (L-DoG), in leaf order. */
  rbar: tf.Tensor[];
  /** eps + sum of squared gradient norms, same layout as rbar. */
  sumSq: tf.Tensor[];
}

/** DoG's step size r_bar / sqrt(G) times the update (the lr is applied after, by the chain). */
export function scaleByDog(options: ScaleByDogOptions = {}): GradientTransformation<ScaleByDogState> {
  const { repsRel = 1e-6, eps = 1e-8, initEta, layerwise = false } = options;
  // the norms DoG tracks: one over the whole tree, or one per leaf
  const norms2 = (tree: TensorTree): tf.Tensor[] => (layerwise ? leaves(tree).map((x) => tf.sum(tf.square(x))) : [squaredNorm(tree)]);
  return {
    init: (params) => {
      // fixed layout from the start, so a saved state restores into a fresh optimizer
      const n = layerwise ? leaves(params).length : 1;
      const zeros = () => Array.from({ length: n }, () => tf.scalar(0));
      return { count: 0, init: map((p) => tf.clone(p), params), rbar: zeros(), sumSq: zeros() };
    },
    update(u, state, params) {
      const p = requireParams('dog', params);
      const g2 = norms2(u);
      let rbar: tf.Tensor[];
      let sumSq: tf.Tensor[];
      if (state.count === 0) {
        rbar = norms2(p).map((n) => tf.mul(tf.add(tf.sqrt(n), 1), initEta === undefined ? repsRel : 0));
        sumSq = g2.map((s) => tf.add(s, eps));
      } else {
        const dist = norms2(map((x, x0) => tf.sub(x, x0), p, state.init)).map((d) => tf.sqrt(d));
        rbar = state.rbar.map((r, i) => tf.maximum(r, dist[i]));
        sumSq = state.sumSq.map((s, i) => tf.add(s, g2[i]));
      }
      const eta = state.count === 0 && initEta !== undefined ? sumSq.map(() => tf.scalar(initEta)) : rbar.map((r, i) => tf.div(r, tf.sqrt(sumSq[i])));
      const ls = leaves(u);
      const updates = unflatten(u, ls.map((x, i) => tf.mul(x, eta[layerwise ? i : 0])));
      return { updates, state: { count: state.count + 1, init: state.init, rbar, sumSq } };
    },
  };
}

export interface DoGConfig extends CommonOptions {
  /** The paper's c; the authors advise keeping 1. */
  lr?: number;
  /** r_eps = repsRel (1 + ||x_0||); 1e-6, or 1e-4 for models with batch normalisation. */
  repsRel?: number;
  eps?: number;
  /** First step size, overriding repsRel. */
  initEta?: number;
  /** Coupled L2 penalty added to the gradient (the official `weight_decay`). */
  weightDecay?: number;
  /** L-DoG: one step size per tensor. */
  layerwise?: boolean;
  /** Evaluate at the polynomial-decay average of the iterates (gamma = 8 in the official averager). */
  averaging?: { gamma?: number };
}

function buildDog(name: string, c: DoGConfig, layerwiseDefault: boolean) {
  checkKnownKeys(name, c, ['lr', 'repsRel', 'eps', 'initEta', 'weightDecay', 'layerwise', 'averaging', ...COMMON_KEYS]);
  const lr = checkPositive(name, 'lr', c.lr ?? 1);
  const repsRel = checkPositive(name, 'repsRel', c.repsRel ?? 1e-6);
  const eps = checkNonNegative(name, 'eps', c.eps ?? 1e-8);
  const initEta = c.initEta === undefined ? undefined : checkPositive(name, 'initEta', c.initEta);
  const wd = checkNonNegative(name, 'weightDecay', c.weightDecay ?? 0);
  const layerwise = checkBoolean(name, 'layerwise', c.layerwise ?? layerwiseDefault);
  if (c.averaging !== undefined && (typeof c.averaging !== 'object' || c.averaging === null)) {
    throw new TypeError(`${name}: averaging must be an object {gamma} (gamma >= 0, default 8), got ${String(c.averaging)}`);
  }
  const gamma = c.averaging === undefined ? undefined : checkNonNegative(name, 'averaging.gamma', c.averaging.gamma ?? 8);
  const core = chain(...(wd > 0 ? [addL2(wd)] : []), scaleByDog({ repsRel, eps, initEta, layerwise }), scaleByLearningRate(lr));
  return { transform: gamma === undefined ? core : iterateAveraging(core, { gamma }), lr, nonFinite: c.nonFinite };
}

export const DoG = defineOptimizer<DoGConfig>('DoG', 'dog', (c) => buildDog('dog', c, false));
export const LDoG = defineOptimizer<DoGConfig>('LDoG', 'ldog', (c) => buildDog('ldog', c, true));

/** DoG (global step size). */
export function dog(config: DoGConfig = {}): InstanceType<typeof DoG> {
  return new DoG(config);
}

/** L-DoG: DoG with one step size per tensor. */
export function ldog(config: DoGConfig = {}): InstanceType<typeof LDoG> {
  return new LDoG(config);
}

/**
 * The step sizes r_bar / sqrt(G) of the last DoG / L-DoG update (one, or one per
 * tensor), read from an optimizer's state, for step-size traces. Empty before the
 * first update.
 */
export function dogStepSizes(opt: { transformState: unknown }): number[] {
  const find = (s: unknown): ScaleByDogState | undefined => {
    if (s === null || typeof s !== 'object') return undefined;
    if ('rbar' in s && 'sumSq' in s && 'init' in s && Array.isArray((s as ScaleByDogState).rbar)) return s as ScaleByDogState;
    for (const v of Array.isArray(s) ? s : Object.values(s)) {
      const f = find(v);
      if (f) return f;
    }
    return undefined;
  };
  const st = find(opt.transformState);
  if (!st || st.count === 0) return [];
  return st.rbar.map((r, i) => r.dataSync()[0] / Math.sqrt(st.sumSq[i].dataSync()[0]));
}
