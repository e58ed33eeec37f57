/**
 * MARS: Yuan, Liu, Wu, Zhou & Gu, "MARS: Unleashing the Power of Variance
 * Reduction for Training Large Models", ICML 2025 (arXiv:2411.10438). Ported
 * from the official code, AGI-Arena/MARS `MARS/optimizers/mars.py`, with its
 * defaults lr=3e-3, betas=(0.95, 0.99), eps=1e-8, weightDecay=0, gamma=0.025,
 * marsType='adamw', optimize1d=false, lr1d=3e-3, betas1d=(0.9, 0.95),
 * weightDecay1d=0.1 (timm's MARS uses betas (0.9, 0.99)).
 *
 * For matrices (every tensor of rank 2; all tensors with `optimize1d`):
 *
 *   c = g + gamma b1/(1-b1) (g - g_prev) ;  c <- c / ||c|| if ||c|| > 1     (per tensor)
 *   m = b1 m + (1-b1) c
 *   'adamw': v = b2 v + (1-b2) c^2 ;  p -= lr ( wd p + m / ((sqrt(v)/sqrt(bc2) + eps) bc1) )
 *   'lion' : p -= lr ( wd p + sign(m) )
 *
 * Other tensors take plain AdamW steps with betas1d, weightDecay1d and the
 * learning rate scaled by lr1d / lr (lr at the first step when lr is a schedule).
 *
 * g_prev is the gradient at the previous parameters. MARS-approx (the default
 * and the official code's default) uses the previous step's gradient, taken on
 * the previous batch; at the first step it is zero, so the correction term is
 * gamma b1/(1-b1) g (timm starts from c = g instead). Exact MARS needs the
 * gradient at the previous parameters on the *current* batch, one extra
 * backward pass per step: pass it as `extra.previousGrads` (same keys as the
 * gradients) to `applyGradients(grads, { previousGrads })`, or use `marsStep`.
 * MARS-Shampoo is not offered.
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, entries, map, unflatten, zerosLike } from './tree.js';
import { type GradientTransformation, chain, requireParams } from './transform.js';
import { type Schedule, valueAt } from './schedules.js';
import { scaleByLearningRate } from './transforms.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer, type TransformOptimizer } from './adapter.js';
import { checkBetas, checkBoolean, checkKnownKeys, checkLearningRate, checkNonNegative, checkOneOf } from './validate.js';

export type MarsType = 'adamw' | 'lion';

export interface ScaleByMarsOptions {
  b1?: number;
  b2?: number;
  eps?: number;
  weightDecay?: number;
  gamma?: number;
  marsType?: MarsType;
  optimize1d?: boolean;
  /** Learning-rate factor of the AdamW steps on other tensors (lr1d / lr). */
  lr1dFactor?: number;
  betas1d?: [number, number];
  weightDecay1d?: number;
}

export interface ScaleByMarsState {
  count: number;
  mu: TensorTree;
  nu: TensorTree;
  lastGrad: TensorTree;
}

/**
 * The MARS direction including its weight decay (per tensor: the matrix and
 * vector paths use different decays and learning-rate factors), to be
 * followed by `scaleByLearningRate`.
 */
export function scaleByMars(options: ScaleByMarsOptions = {}): GradientTransformation<ScaleByMarsState> {
  const { b1 = 0.95, b2 = 0.99, eps = 1e-8, weightDecay = 0, gamma = 0.025, marsType = 'adamw', optimize1d = false } = options;
  const { lr1dFactor = 1, betas1d = [0.9, 0.95], weightDecay1d = 0.1 } = options;
  const [b1v, b2v] = betas1d;
  const coef = (gamma * b1) / (1 - b1);
  return {
    init: (params) => ({ count: 0, mu: zerosLike(params), nu: zerosLike(params), lastGrad: zerosLike(params) }),
    update: (u, state, params, extra) => {
      const p = requireParams('scaleByMars', params);
      const t = state.count + 1;
      const prev = (extra?.previousGrads as TensorTree | undefined) ?? state.lastGrad;
      const gs = entries(u);
      const ps = entries(p);
      const ms = entries(state.mu);
      const vs = entries(state.nu);
      // aligned with the gradients by key (throws naming the first mismatch)
      const prevs = entries(map((_g, pg) => pg, u, prev));
      const outU: tf.Tensor[] = [];
      const outM: tf.Tensor[] = [];
      const outV: tf.Tensor[] = [];
      gs.forEach(([, g], i) => {
        const w = ps[i][1];
        const m0 = ms[i][1];
        const v0 = vs[i][1];
        if (optimize1d || g.rank === 2) {
          let c = tf.add(g, tf.mul(tf.sub(g, prevs[i][1]), coef));
          const n = tf.norm(c);
          c = tf.where(tf.greater(n, 1), tf.div(c, n), c);
          const m = tf.add(tf.mul(m0, b1), tf.mul(c, 1 - b1));
          let dir: tf.Tensor;
          let v = v0;
          if (marsType === 'adamw') {
            v = tf.add(tf.mul(v0, b2), tf.mul(tf.square(c), 1 - b2));
            const bc1 = 1 - b1 ** t;
            const sbc2 = Math.sqrt(1 - b2 ** t);
            dir = tf.div(m, tf.mul(tf.add(tf.div(tf.sqrt(v), sbc2), eps), bc1));
          } else dir = tf.sign(m);
          outU.push(tf.add(tf.mul(w, weightDecay), dir));
          outM.push(m);
          outV.push(v);
        } else {
          const m = tf.add(tf.mul(m0, b1v), tf.mul(g, 1 - b1v));
          const v = tf.add(tf.mul(v0, b2v), tf.mul(tf.square(g), 1 - b2v));
          const bc1 = 1 - b1v ** t;
          const sbc2 = Math.sqrt(1 - b2v ** t);
          const dir = tf.div(m, tf.mul(tf.add(tf.div(tf.sqrt(v), sbc2), eps), bc1));
          outU.push(tf.mul(tf.add(tf.mul(w, weightDecay1d), dir), lr1dFactor));
          outM.push(m);
          outV.push(v);
        }
      });
      return {
        updates: unflatten(u, outU),
        state: { count: t, mu: unflatten(state.mu, outM), nu: unflatten(state.nu, outV), lastGrad: map((g) => tf.clone(g), u) },
      };
    },
  };
}

export interface MARSConfig extends CommonOptions {
  lr?: number | Schedule;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  gamma?: number;
  marsType?: MarsType;
  /** Use MARS for tensors of every rank (default: only rank 2; others take AdamW steps). */
  optimize1d?: boolean;
  lr1d?: number;
  betas1d?: [number, number];
  weightDecay1d?: number;
}

export const MARS = defineOptimizer<MARSConfig>('MARS', 'mars', (c) => {
  const o = 'mars';
  checkKnownKeys(o, c, ['lr', 'betas', 'eps', 'weightDecay', 'gamma', 'marsType', 'optimize1d', 'lr1d', 'betas1d', 'weightDecay1d', ...COMMON_KEYS]);
  const lr = checkLearningRate(o, 'lr', c.lr ?? 3e-3);
  const [b1, b2] = checkBetas(o, 'betas', c.betas ?? [0.95, 0.99], 2);
  const eps = checkNonNegative(o, 'eps', c.eps ?? 1e-8);
  const weightDecay = checkNonNegative(o, 'weightDecay', c.weightDecay ?? 0);
  const gamma = checkNonNegative(o, 'gamma', c.gamma ?? 0.025);
  const marsType = checkOneOf(o, 'marsType', c.marsType ?? 'adamw', ['adamw', 'lion'] as const);
  const optimize1d = checkBoolean(o, 'optimize1d', c.optimize1d ?? false);
  const lr1d = checkNonNegative(o, 'lr1d', c.lr1d ?? 3e-3);
  const betas1d = checkBetas(o, 'betas1d', c.betas1d ?? [0.9, 0.95], 2) as [number, number];
  const weightDecay1d = checkNonNegative(o, 'weightDecay1d', c.weightDecay1d ?? 0.1);
  const lr0 = valueAt(lr, 0);
  if (!optimize1d && lr0 === 0) throw new RangeError(`${o}: lr must be positive at the first step (lr1d is applied as the factor lr1d / lr), got 0`);
  const lr1dFactor = optimize1d ? 1 : lr1d / lr0;
  const transform = chain(
    scaleByMars({ b1, b2, eps, weightDecay, gamma, marsType, optimize1d, lr1dFactor, betas1d, weightDecay1d }),
    scaleByLearningRate(lr),
  );
  return { transform, lr, nonFinite: c.nonFinite };
});

/** MARS (official AGI-Arena/MARS code) with camelCase options. */
export function mars(config: MARSConfig = {}): InstanceType<typeof MARS> {
  return new MARS(config);
}

/**
 * One exact-MARS step: the gradient of `loss` at the current parameters and at
 * `previous` (the parameter values before the last step, same order as
 * `varList`) on the same batch, then the update. Returns the loss and the
 * parameter values to pass as `previous` next time. Two backward passes.
 */
export function marsStep(opt: TransformOptimizer, loss: () => tf.Scalar, varList: tf.Variable[], previous?: tf.Tensor[]): { loss: number; previous: tf.Tensor[] } {
  const before = varList.map((v) => tf.keep(tf.clone(v)));
  let previousGrads: Record<string, tf.Tensor> | undefined;
  if (previous !== undefined) {
    if (previous.length !== varList.length) throw new Error(`marsStep: previous has ${previous.length} tensors, varList ${varList.length}`);
    varList.forEach((v, i) => v.assign(previous[i]));
    const g = tf.variableGrads(loss, varList);
    g.value.dispose();
    previousGrads = g.grads;
    varList.forEach((v, i) => v.assign(before[i]));
  }
  const { value, grads } = tf.variableGrads(loss, varList);
  try {
    opt.applyGradients(varList.map((v) => ({ name: v.name, tensor: grads[v.name] })), { value, ...(previousGrads ? { previousGrads } : {}) });
  } finally {
    tf.dispose(grads);
    if (previousGrads) tf.dispose(Object.values(previousGrads));
  }
  const out = value.dataSync()[0];
  value.dispose();
  if (previous) tf.dispose(previous);
  return { loss: out, previous: before };
}
