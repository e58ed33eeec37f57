/**
 * XGrad, weight prediction: Guan, Li, Liang et al., "XGrad: Boosting
 * Gradient-Based Optimizers With Weight Prediction", IEEE TPAMI 2024
 * (arXiv:2305.18240). Ported from the official implementation, guanleics/XGrad
 * (`SGD.py`, `Adam.py`, `AdamW.py`, `load_predicted_weights`): before each
 * forward/backward pass the weights are moved s steps ahead along the base
 * optimizer's current update,
 *
 *   w_hat = w - s * lr * Delta(state)
 *     SGDM:       Delta = momentum buffer
 *     Adam/AdamW: Delta = m / bc1 / (sqrt(v) / sqrt(bc2) + eps)     (no decay term)
 *
 * the gradient is computed at w_hat, and the base optimizer updates w with it.
 * Built on `gradientsAt` (see `shifted.ts`): the variables hold w_hat, so any
 * gradient path sees the predicted weights, and `opt.withEvalParams(fn)` runs
 * `fn` on the trained weights w. Base optimizers and defaults are the official
 * ones: 'sgdm' (lr 1e-3, momentum 0.9, dampening 0, coupled L2 weightDecay 0; the
 * buffer starts at zero), 'adam' (lr 1e-3, betas (0.9, 0.999), eps 1e-8, no
 * decay), 'adamw' (as adam, decoupled weightDecay 1e-2). predictionSteps s = 1.
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, map, zerosLike } from './tree.js';
import { type GradientTransformation, chain } from './transform.js';
import { addDecayedWeights, addL2, scaleByLearningRate } from './transforms.js';
import { type ScaleByAdamState, scaleByAdam } from './adam.js';
import { gradientsAt } from './shifted.js';
import { type Schedule, valueAt } from './schedules.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer } from './adapter.js';
import { checkBeta, checkBetas, checkKnownKeys, checkLearningRate, checkNonNegative, checkNumber, checkOneOf } from './validate.js';

export interface MomentumBufferState {
  buffer: TensorTree;
}

/** buf = momentum buf + (1 - dampening) g, from a zero buffer (the official XGrad SGD). */
export function momentumBuffer(momentum: number, dampening = 0): GradientTransformation<MomentumBufferState> {
  return {
    init: (params) => ({ buffer: zerosLike(params) }),
    update: (g, s) => {
      const buffer = map((b, x) => tf.add(tf.mul(b, momentum), tf.mul(x, 1 - dampening)), s.buffer, g);
      return { updates: buffer, state: { buffer } };
    },
  };
}

export interface XGradConfig extends CommonOptions {
  base?: 'sgdm' | 'adam' | 'adamw';
  lr?: number | Schedule;
  /** SGDM momentum. */
  momentum?: number;
  /** SGDM dampening. */
  dampening?: number;
  /** Adam betas. */
  betas?: [number, number];
  eps?: number;
  /** Coupled L2 for 'sgdm', decoupled for 'adamw'. */
  weightDecay?: number;
  /** s, the number of steps predicted ahead. */
  predictionSteps?: number;
}

export const XGrad = defineOptimizer<XGradConfig>('XGrad', 'xgrad', (c) => {
  const o = 'xgrad';
  checkKnownKeys(o, c, ['base', 'lr', 'momentum', 'dampening', 'betas', 'eps', 'weightDecay', 'predictionSteps', ...COMMON_KEYS]);
  const base = checkOneOf(o, 'base', c.base ?? 'sgdm', ['sgdm', 'adam', 'adamw'] as const);
  const lr = checkLearningRate(o, 'lr', c.lr ?? 1e-3);
  const s = checkNonNegative(o, 'predictionSteps', c.predictionSteps ?? 1);
  if (base === 'adam' && c.weightDecay) {
    throw new RangeError(`${o}: base 'adam' has no weight decay (the official Adam.py ignores it); use base 'adamw', got weightDecay ${c.weightDecay}`);
  }
  const wd = checkNonNegative(o, 'weightDecay', c.weightDecay ?? (base === 'adamw' ? 1e-2 : 0));
  let inner: GradientTransformation<unknown[]>;
  let direction: (innerState: unknown[]) => TensorTree | null;
  if (base === 'sgdm') {
    if (c.betas !== undefined || c.eps !== undefined) throw new RangeError(`${o}: betas and eps apply to base 'adam'/'adamw', not 'sgdm'`);
    const momentum = checkBeta(o, 'momentum', c.momentum ?? 0.9);
    const dampening = checkNumber(o, 'dampening', c.dampening ?? 0, { min: 0, max: 1, maxInclusive: false });
    const at = wd > 0 ? 1 : 0;
    inner = chain(...(wd > 0 ? [addL2(wd)] : []), momentumBuffer(momentum, dampening), scaleByLearningRate(lr));
    direction = (st) => (st[at] as MomentumBufferState).buffer;
  } else {
    if (c.momentum !== undefined || c.dampening !== undefined) throw new RangeError(`${o}: momentum and dampening apply to base 'sgdm', not '${base}'`);
    const [b1, b2] = checkBetas(o, 'betas', c.betas ?? [0.9, 0.999], 2);
    const eps = checkNonNegative(o, 'eps', c.eps ?? 1e-8);
    inner = chain(scaleByAdam({ b1, b2, eps }), ...(wd > 0 ? [addDecayedWeights(wd)] : []), scaleByLearningRate(lr));
    direction = (st) => {
      const a = st[0] as ScaleByAdamState;
      if (a.count === 0) return null;
      const bc1 = 1 - b1 ** a.count;
      const sbc2 = Math.sqrt(1 - b2 ** a.count);
      return map((m, v) => tf.div(tf.div(m, bc1), tf.add(tf.div(tf.sqrt(v), sbc2), eps)), a.mu, a.nu);
    };
  }
  const lrState = (st: unknown[]) => (st[st.length - 1] as { count: number }).count;
  const transform = gradientsAt(inner, (st, w) => {
    const d = direction(st);
    const scale = s * valueAt(lr, lrState(st));
    return d === null || scale === 0 ? w : map((x, dx) => tf.sub(x, tf.mul(dx, scale)), w, d);
  });
  return { transform, lr, nonFinite: c.nonFinite };
});

/** XGrad: SGDM / Adam / AdamW with gradients taken at the predicted next weights. */
export function xgrad(config: XGradConfig = {}): InstanceType<typeof XGrad> {
  return new XGrad(config);
}
