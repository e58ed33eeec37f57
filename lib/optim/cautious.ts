/**
 * Cautious optimizers: Liang, Chen, Liu & Liu, "Cautious Optimizers: Improving
 * Training with One Line of Code", 2024 (arXiv:2411.16085); official code
 * kyleliang919/C-Optim (`c_adamw.py`, `c_lion.py`).
 *
 * The one line: zero the components of the update whose sign disagrees with the
 * current gradient, and rescale the rest so the update keeps its size:
 *
 *   phi = 1[u * g > 0]
 *   'mean'  : u <- u * phi / max(mean(phi), 1e-3)      (C-AdamW in C-Optim, timm's c* optimizers)
 *   'count' : u <- u * phi * numel / (sum(phi) + 1)     (the paper's Algorithm, C-Lion in C-Optim)
 *
 * per tensor. Two ways to apply it:
 * - `cautious(inner)` wraps an update-direction transformation (one placed before
 *   the learning rate, such as `scaleByAdam` or `scaleByLion`) and compares its
 *   output with its own input, so a coupled L2 term or `maximize` is taken into
 *   account. This is what the `cautious: true` option of Adam, AdamW, NAdam, RAdam,
 *   Lion and AdEMAMix does (decoupled weight decay stays unmasked, as in C-Optim).
 * - `cautiousOptimizer(opt)` wraps any whole optimizer: its output is a parameter
 *   change, kept where it moves against the raw gradient; weight decay inside the
 *   optimizer is masked with the rest.
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, map } from './tree.js';
import { type GradientTransformation } from './transform.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer, fromTransform, type OptilabOptimizer, type TransformOptimizer } from './adapter.js';
import { checkKnownKeys, checkOneOf } from './validate.js';
import { innerOf, innerSpec, lrOf, type InnerSpec } from './wrap.js';

export type CautiousNormalization = 'mean' | 'count' | 'none';
export const CAUTIOUS_NORMALIZATIONS = ['mean', 'count', 'none'] as const;

/**
 * `update` masked where `sign` (times `orientation`) disagrees with the
 * reference, rescaled per tensor.
 */
export function cautiousMask(update: tf.Tensor, reference: tf.Tensor, normalize: CautiousNormalization, orientation: 1 | -1 = 1): tf.Tensor {
  return tf.tidy(() => {
    const agree = orientation === 1 ? tf.greater(tf.mul(update, reference), 0) : tf.less(tf.mul(update, reference), 0);
    const phi = tf.cast(agree, update.dtype);
    let scale: tf.Tensor;
    if (normalize === 'mean') scale = tf.div(1, tf.maximum(tf.mean(phi), 1e-3));
    else if (normalize === 'count') scale = tf.div(phi.size, tf.add(tf.sum(phi), 1));
    else scale = tf.scalar(1);
    return tf.mul(tf.mul(update, phi), scale);
  });
}

function maskTree(u: TensorTree, ref: TensorTree, normalize: CautiousNormalization, orientation: 1 | -1): TensorTree {
  return map((x, g) => cautiousMask(x, g, normalize, orientation), u, ref);
}

function masking<S>(owner: string, inner: GradientTransformation<S>, normalize: CautiousNormalization, orientation: 1 | -1): GradientTransformation<S> {
  checkOneOf(owner, 'normalize', normalize, CAUTIOUS_NORMALIZATIONS);
  return {
    init: (params) => inner.init(params),
    update: (u, state, params, extra) => {
      const r = inner.update(u, state, params, extra);
      const reference = orientation === 1 ? u : extra?.grads ?? u;
      return { updates: maskTree(r.updates, reference, normalize, orientation), state: r.state };
    },
    evalParams: inner.evalParams,
  };
}

/**
 * Wraps an update-direction transformation: its output is masked where it
 * disagrees in sign with its input (the gradient it was given).
 */
export function cautious<S>(inner: GradientTransformation<S>, { normalize = 'mean' as CautiousNormalization } = {}): GradientTransformation<S> {
  return masking('cautious', inner, normalize, 1);
}

/**
 * Wraps a whole optimizer transformation (whose output is the parameter change):
 * the change is kept where it moves against the raw gradient of the step.
 */
export function cautiousDelta<S>(inner: GradientTransformation<S>, { normalize = 'mean' as CautiousNormalization } = {}): GradientTransformation<S> {
  return masking('cautiousOptimizer', inner, normalize, -1);
}

export interface CautiousOptimizerConfig extends CommonOptions {
  /** The wrapped optimizer, as saved by `innerSpec` (the factory fills it in). */
  inner: InnerSpec;
  normalize?: CautiousNormalization;
}

export const CautiousOptimizer = defineOptimizer<CautiousOptimizerConfig>('CautiousOptimizer', 'cautiousOptimizer', (c) => {
  const o = 'cautiousOptimizer';
  checkKnownKeys(o, c, ['inner', 'normalize', ...COMMON_KEYS]);
  const inner = innerOf(o, c.inner);
  const normalize = checkOneOf(o, 'normalize', c.normalize ?? 'mean', CAUTIOUS_NORMALIZATIONS);
  return { transform: cautiousDelta(inner.transform, { normalize }), lr: inner.lr, nonFinite: c.nonFinite };
});

/**
 * Any optimizer made cautious: `optim.cautiousOptimizer(optim.adabelief({lr: 1e-3}))`.
 * The wrapped optimizer's own state is fresh (its options are copied).
 */
export function cautiousOptimizer(opt: OptilabOptimizer, options: { normalize?: CautiousNormalization } & CommonOptions = {}): TransformOptimizer {
  const spec = innerSpec('cautiousOptimizer', opt);
  if (spec === null) {
    const t = opt as TransformOptimizer;
    return fromTransform(cautiousDelta(t.transform, options), { name: 'cautiousOptimizer', lr: lrOf(opt), nonFinite: options.nonFinite });
  }
  return new CautiousOptimizer({ inner: spec, ...options });
}
