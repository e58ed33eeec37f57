/**
 * AdamP and SGDP: Heo et al., "AdamP: Slowing Down the Slowdown for Momentum
 * Optimizers on Scale-invariant Weights", ICLR 2021 (arXiv:2006.08217). Ported
 * from the official implementation, clovaai/AdamP (`adamp/adamp.py`,
 * `adamp/sgdp.py`), with its defaults: delta=0.1, wdRatio=0.1, eps=1e-8; AdamP
 * lr=1e-3, betas=(0.9, 0.999), weightDecay=0, nesterov=false; SGDP momentum=0,
 * dampening=0, weightDecay=0, nesterov=false, lr required.
 *
 * For every parameter of rank > 1, when the gradient is nearly orthogonal to the
 * weight (max |cos| < delta / sqrt(view size), tested per channel, then for the
 * whole layer), the radial component of the step is removed and weight decay is
 * scaled by wdRatio. The official code takes channels along the first axis
 * (PyTorch's [out, in, ...] layout); TF.js kernels are [in, out] and
 * [h, w, in, out], so `channelAxis` defaults to -1 (the last axis); pass 0 for
 * PyTorch-layout weights.
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, map, updateMoment, zerosLike } from './tree.js';
import { type GradientTransformation, chain, requireParams } from './transform.js';
import { type Schedule } from './schedules.js';
import { scaleByLearningRate } from './transforms.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer } from './adapter.js';
import { checkBeta, checkBetas, checkBoolean, checkKnownKeys, checkLearningRate, checkNonNegative, checkNumber, checkOneOf } from './validate.js';

interface ProjectionOptions {
  delta: number;
  wdRatio: number;
  eps: number;
  channelAxis: 0 | -1;
}

/** |<x, y>| / (max(||x||, eps) max(||y||, eps)) along axis 1 of [rows, cols] matrices (torch's cosine_similarity). */
function absCosine(x: tf.Tensor2D, y: tf.Tensor2D, eps: number): tf.Tensor1D {
  const dot = tf.sum(tf.mul(x, y), 1);
  const nx = tf.maximum(tf.norm(x, 2, 1), eps);
  const ny = tf.maximum(tf.norm(y, 2, 1), eps);
  return tf.abs(tf.div(dot, tf.mul(nx, ny))) as tf.Tensor1D;
}

/** Removes the radial component of `u` in the view [rows, cols]: u - p_n <p_n, u>, p_n = p / (||p|| + eps). */
function removeRadial(p: tf.Tensor2D, u: tf.Tensor2D, eps: number): tf.Tensor2D {
  const pn = tf.div(p, tf.add(tf.norm(p, 2, 1, true), eps));
  return tf.sub(u, tf.mul(pn, tf.sum(tf.mul(pn, u), 1, true)));
}

/**
 * AdamP's projection, without host syncs: returns the projected step and the
 * weight-decay factor (wdRatio where a projection happened, else 1).
 */
export function adampProjection(p: tf.Tensor, g: tf.Tensor, u: tf.Tensor, o: ProjectionOptions): { step: tf.Tensor; wdFactor: tf.Scalar } {
  // channel view: [C, rest] with C the channel axis
  const perm = o.channelAxis === 0 ? undefined : [p.rank - 1, ...Array.from({ length: p.rank - 1 }, (_, i) => i)];
  const toChannels = (x: tf.Tensor) => {
    const moved = perm ? tf.transpose(x, perm) : x;
    return tf.reshape(moved, [moved.shape[0], -1]) as tf.Tensor2D;
  };
  const fromChannels = (x: tf.Tensor2D) => {
    if (!perm) return tf.reshape(x, p.shape);
    const movedShape = perm.map((a) => p.shape[a]);
    const inverse = perm.map((_, i) => perm.indexOf(i));
    return tf.transpose(tf.reshape(x, movedShape), inverse);
  };
  const pc = toChannels(p);
  const channelHit = tf.less(tf.max(absCosine(pc, toChannels(g), o.eps)), o.delta / Math.sqrt(pc.shape[1]));
  const pl = tf.reshape(p, [1, -1]) as tf.Tensor2D;
  const layerHit = tf.less(tf.max(absCosine(pl, tf.reshape(g, [1, -1]) as tf.Tensor2D, o.eps)), o.delta / Math.sqrt(p.size));
  const byChannel = fromChannels(removeRadial(pc, toChannels(u), o.eps));
  const byLayer = tf.reshape(removeRadial(pl, tf.reshape(u, [1, -1]) as tf.Tensor2D, o.eps), p.shape);
  const step = tf.where(channelHit, byChannel, tf.where(layerHit, byLayer, u));
  const wdFactor = tf.where(tf.logicalOr(channelHit, layerHit), tf.scalar(o.wdRatio), tf.scalar(1)) as tf.Scalar;
  return { step, wdFactor };
}

export interface ScaleByAdampState {
  count: number;
  mu: TensorTree;
  nu: TensorTree;
}

/** AdamP's step including decoupled weight decay, before the learning rate: step/bc1 + wd * wdFactor * p. */
export function scaleByAdamp(
  options: { b1?: number; b2?: number; eps?: number; nesterov?: boolean; weightDecay?: number } & Partial<ProjectionOptions> = {},
): GradientTransformation<ScaleByAdampState> {
  const { b1 = 0.9, b2 = 0.999, eps = 1e-8, nesterov = false, weightDecay = 0, delta = 0.1, wdRatio = 0.1, channelAxis = -1 } = options;
  return {
    init: (params) => ({ count: 0, mu: zerosLike(params), nu: zerosLike(params) }),
    update: (u, state, params) => {
      const p = requireParams('adamp', params);
      const t = state.count + 1;
      const bc1 = 1 - b1 ** t;
      const sbc2 = Math.sqrt(1 - b2 ** t);
      const mu = updateMoment(u, state.mu, b1, 1);
      const nu = updateMoment(u, state.nu, b2, 2);
      const updates = map(
        (m, v, g, w) => {
          const denom = tf.add(tf.div(tf.sqrt(v), sbc2), eps);
          const perturb = tf.div(nesterov ? tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1)) : m, denom);
          const { step, wdFactor } =
            w.rank > 1 ? adampProjection(w, g, perturb, { delta, wdRatio, eps, channelAxis }) : { step: perturb, wdFactor: tf.scalar(1) };
          const out = tf.div(step, bc1);
          return weightDecay === 0 ? out : tf.add(out, tf.mul(w, tf.mul(wdFactor, weightDecay)));
        },
        mu,
        nu,
        u,
        p,
      );
      return { updates, state: { count: t, mu, nu } };
    },
  };
}

export interface AdamPConfig extends CommonOptions {
  lr?: number | Schedule;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  delta?: number;
  wdRatio?: number;
  nesterov?: boolean;
  channelAxis?: 0 | -1;
}

function checkProjection(o: string, c: { delta?: number; wdRatio?: number; channelAxis?: 0 | -1 }) {
  return {
    delta: checkNonNegative(o, 'delta', c.delta ?? 0.1),
    wdRatio: checkNumber(o, 'wdRatio', c.wdRatio ?? 0.1, { min: 0, max: 1 }),
    channelAxis: checkOneOf(o, 'channelAxis', String(c.channelAxis ?? -1), ['0', '-1'] as const) === '0' ? (0 as const) : (-1 as const),
  };
}

export const AdamP = defineOptimizer<AdamPConfig>('AdamP', 'adamp', (c) => {
  const o = 'adamp';
  checkKnownKeys(o, c, ['lr', 'betas', 'eps', 'weightDecay', 'delta', 'wdRatio', 'nesterov', 'channelAxis', ...COMMON_KEYS]);
  const lr = checkLearningRate(o, 'lr', c.lr ?? 1e-3);
  const [b1, b2] = checkBetas(o, 'betas', c.betas ?? [0.9, 0.999], 2);
  const eps = checkNonNegative(o, 'eps', c.eps ?? 1e-8);
  const weightDecay = checkNonNegative(o, 'weightDecay', c.weightDecay ?? 0);
  const nesterov = checkBoolean(o, 'nesterov', c.nesterov ?? false);
  const transform = chain(scaleByAdamp({ b1, b2, eps, nesterov, weightDecay, ...checkProjection(o, c) }), scaleByLearningRate(lr));
  return { transform, lr, nonFinite: c.nonFinite };
});

export function adamp(config: AdamPConfig = {}): InstanceType<typeof AdamP> {
  return new AdamP(config);
}

export interface ScaleBySgdpState {
  momentum: TensorTree;
}

/** SGDP's direction including decoupled weight decay, before the learning rate. */
export function scaleBySgdp(
  options: { momentum?: number; dampening?: number; nesterov?: boolean; weightDecay?: number; eps?: number } & Partial<ProjectionOptions> = {},
): GradientTransformation<ScaleBySgdpState> {
  const { momentum = 0, dampening = 0, nesterov = false, weightDecay = 0, eps = 1e-8, delta = 0.1, wdRatio = 0.1, channelAxis = -1 } = options;
  return {
    init: (params) => ({ momentum: zerosLike(params) }),
    update: (u, state, params) => {
      const p = requireParams('sgdp', params);
      // the official buffer starts at zero: b = momentum b + (1 - dampening) g
      const buf = map((b, g) => tf.add(tf.mul(b, momentum), tf.mul(g, 1 - dampening)), state.momentum, u);
      const updates = map(
        (b, g, w) => {
          const d = nesterov ? tf.add(g, tf.mul(b, momentum)) : b;
          const { step, wdFactor } = w.rank > 1 ? adampProjection(w, g, d, { delta, wdRatio, eps, channelAxis }) : { step: d, wdFactor: tf.scalar(1) };
          return weightDecay === 0 ? step : tf.add(step, tf.mul(w, tf.mul(wdFactor, weightDecay / (1 - momentum))));
        },
        buf,
        u,
        p,
      );
      return { updates, state: { momentum: buf } };
    },
  };
}

export interface SGDPConfig extends CommonOptions {
  lr: number | Schedule;
  momentum?: number;
  dampening?: number;
  weightDecay?: number;
  nesterov?: boolean;
  eps?: number;
  delta?: number;
  wdRatio?: number;
  channelAxis?: 0 | -1;
}

export const SGDP = defineOptimizer<SGDPConfig>('SGDP', 'sgdp', (c) => {
  const o = 'sgdp';
  checkKnownKeys(o, c, ['lr', 'momentum', 'dampening', 'weightDecay', 'nesterov', 'eps', 'delta', 'wdRatio', 'channelAxis', ...COMMON_KEYS]);
  if (c?.lr === undefined) throw new RangeError(`${o}: lr is required (the official SGDP has no default)`);
  const lr = checkLearningRate(o, 'lr', c.lr);
  const momentum = checkBeta(o, 'momentum', c.momentum ?? 0);
  const dampening = checkNumber(o, 'dampening', c.dampening ?? 0, { min: 0, max: 1 });
  const weightDecay = checkNonNegative(o, 'weightDecay', c.weightDecay ?? 0);
  const nesterov = checkBoolean(o, 'nesterov', c.nesterov ?? false);
  const eps = checkNonNegative(o, 'eps', c.eps ?? 1e-8);
  const transform = chain(
    scaleBySgdp({ momentum, dampening, nesterov, weightDecay, eps, ...checkProjection(o, c) }),
    scaleByLearningRate(lr),
  );
  return { transform, lr, nonFinite: c.nonFinite };
});

export function sgdp(config: SGDPConfig): InstanceType<typeof SGDP> {
  return new SGDP(config);
}
