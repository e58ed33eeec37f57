/**
 * Ranger21: Wright & Demeure, "Ranger21: a synergistic deep learning
 * optimizer", 2021 (arXiv:2106.13731). Ported from the official code,
 * lessw2020/Ranger21 `ranger21/ranger21.py` (AdamW core with positive-negative
 * momentum), with its defaults: betas=(0.9, 0.999), eps=1e-8, weightDecay=1e-4,
 * adaptive gradient clipping (agcClip=1e-2, agcEps=1e-3), gradient
 * centralization and normalization, softplus denominator (beta 50), norm loss
 * 1e-4, linear warm-up over ceil(2/(1-b2)) steps (22 % of the run when that is
 * over 45 % of it), linear warm-down over the last 28 % to 3e-5, Lookahead
 * k=5, alpha=0.5. `numIterations` (the official num_epochs *
 * num_batches_per_epoch) is required; lr defaults to 1e-3.
 *
 * One step, t = 1, 2, ...:
 *   g <- AGC(g) ; g <- g - mean_channel(g) ; g <- g / (std(g) + 1e-8)
 *   v = b2 v + (1-b2) g^2 ;  vn = sqrt(sum(v/bc2) / N)           (over all parameters)
 *   p <- p (1 - wd lr_t / vn)                                     stable weight decay
 *   p <- p (1 - lr_t 2 nl (1 - 1/(||p||_channel + eps)))          norm loss
 *   (m, n) = (m_A, m_B) on odd t, (m_B, m_A) on even t ;  m = b1^2 m + (1-b1^2) g
 *   p -= lr_t/bc1 (2 m - n) / sqrt((1+b2)^2 + b2^2) / softplus(sqrt(v)/sqrt(bc2) + eps, 50)
 *   every 5 steps: Lookahead with alpha 0.5
 *
 * Where the official code departs from its evident intent, this follows the
 * intent (the fixture script shows both agree on single-tensor problems):
 * stable weight decay and norm loss are applied to every parameter (the
 * official loop applies them to the last parameter only), gradient
 * centralization and normalization run once (the official code runs them again
 * on the already processed gradient before the momentum update, a near no-op),
 * and the inert AMSGrad maximum (`torch.max(max_variance_ma, variance_ma,
 * out=variance_ma)` never updates its maximum) is left out. The MADGRAD core,
 * AdaBelief variance and Chebyshev schedule options are not offered.
 * `pnm: false` (an extension for ablations) uses a plain Adam momentum b1 with
 * the same denominator.
 *
 * `channelAxis` names the output-channel axis for centralization, AGC and the
 * norm loss: -1 for TF.js kernels [in, out] (default), 0 for torch's [out, in].
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, leaves, map, zerosLike } from './tree.js';
import { type GradientTransformation, chain, requireParams } from './transform.js';
import { type Schedule } from './schedules.js';
import { adaptiveGradClip, channelNorm } from './clipping.js';
import { lookaheadTransform } from './lookahead.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer } from './adapter.js';
import { checkBetas, checkBoolean, checkKnownKeys, checkLearningRate, checkNonNegative, checkNumber, checkOneOf, checkPositiveInt } from './validate.js';

/** Gradient centralization (Yong et al. 2020): subtract the mean over every axis but the channel axis (rank >= 2 only). */
export function centralizeGradient({ channelAxis = -1 as 0 | -1 } = {}): GradientTransformation<Record<string, never>> {
  return {
    init: () => ({}),
    update: (u, state) => ({
      updates: map((g) => {
        if (g.rank <= 1) return g;
        const keep = channelAxis === 0 ? 0 : g.rank - 1;
        const axes = Array.from({ length: g.rank }, (_, i) => i).filter((i) => i !== keep);
        return tf.sub(g, tf.mean(g, axes, true));
      }, u),
      state,
    }),
  };
}

/** Gradient normalization: g / (std(g) + eps) per tensor with more than two entries (unbiased std, as torch). */
export function normalizeGradient({ eps = 1e-8 } = {}): GradientTransformation<Record<string, never>> {
  return {
    init: () => ({}),
    update: (u, state) => ({
      updates: map((g) => {
        if (g.size <= 2) return g;
        const centred = tf.sub(g, tf.mean(g));
        const std = tf.sqrt(tf.div(tf.sum(tf.square(centred)), g.size - 1));
        return tf.div(g, tf.add(std, eps));
      }, u),
      state,
    }),
  };
}

export interface Ranger21ScheduleOptions {
  lr: number;
  numIterations: number;
  warmup?: boolean;
  /** Warm-up length (default: ceil(2/(1-b2)), or 22 % of the run when that exceeds 45 % of it). */
  numWarmupIterations?: number;
  b2?: number;
  warmdown?: boolean;
  warmdownStartPct?: number;
  warmdownMinLr?: number;
}

/** Ranger21's learning rate at step `t` (1-based): linear warm-up, flat, linear warm-down. */
export function ranger21Lr(t: number, o: Required<Omit<Ranger21ScheduleOptions, 'numWarmupIterations'>> & { numWarmupIterations: number }): number {
  let lr = o.lr;
  if (o.warmup) lr = o.lr * Math.min(1, t / o.numWarmupIterations);
  if (o.warmdown) {
    const start = Math.floor(o.warmdownStartPct * o.numIterations);
    if (t >= start) {
      const iteration = Math.max(1, t + 1 - start);
      const pct = Math.min(1, iteration / (o.numIterations - start + 1));
      lr = Math.max(o.warmdownMinLr, o.lr - (o.lr - o.warmdownMinLr) * pct);
    }
  }
  return lr;
}

/** The official default warm-up length. */
export function ranger21WarmupIterations(numIterations: number, b2: number, pct = 0.22): number {
  const betaIters = Math.ceil(2 / (1 - b2));
  return betaIters / numIterations > 0.45 ? Math.floor(pct * numIterations) : betaIters;
}

export interface ScaleByRanger21Options {
  /** The learning rate at update k (0-based), warm-up and warm-down included. */
  lr: Schedule;
  b1?: number;
  b2?: number;
  eps?: number;
  weightDecay?: number;
  normLoss?: number;
  softplus?: boolean;
  softplusBeta?: number;
  pnm?: boolean;
  channelAxis?: 0 | -1;
}

export interface ScaleByRanger21State {
  count: number;
  /** Positive-negative momentum pair (m_A used as the momentum on odd steps, m_B on even ones). */
  momA: TensorTree;
  momB: TensorTree;
  nu: TensorTree;
}

/** Ranger21's step after gradient preprocessing: the parameter change, learning rate included. */
export function scaleByRanger21(options: ScaleByRanger21Options): GradientTransformation<ScaleByRanger21State> {
  const { lr, b1 = 0.9, b2 = 0.999, eps = 1e-8, weightDecay = 1e-4, normLoss = 1e-4, softplus = true, softplusBeta = 50, pnm = true, channelAxis = -1 } = options;
  const noiseNorm = Math.sqrt((1 + b2) ** 2 + b2 ** 2);
  return {
    init: (params) => ({ count: 0, momA: zerosLike(params), momB: pnm ? zerosLike(params) : {}, nu: zerosLike(params) }),
    update: (g, state, params) => {
      const p = requireParams('ranger21', params);
      const t = state.count + 1;
      const lrT = lr(state.count);
      const bc1 = 1 - b1 ** t;
      const sbc2 = Math.sqrt(1 - b2 ** t);
      const nu = map((v, x) => tf.add(tf.mul(v, b2), tf.mul(tf.square(x), 1 - b2)), state.nu, g);
      const size = leaves(p).reduce((n, x) => n + x.size, 0);
      const vn = tf.sqrt(tf.div(tf.addN(leaves(nu).map((v) => tf.sum(v))), (1 - b2 ** t) * size));
      const odd = t % 2 === 1;
      const [cur, other] = pnm ? (odd ? [state.momA, state.momB] : [state.momB, state.momA]) : [state.momA, state.momA];
      const beta = pnm ? b1 * b1 : b1;
      const mom = map((m, x) => tf.add(tf.mul(m, beta), tf.mul(x, 1 - beta)), cur, g);
      const updates = map((w, m, n, v) => {
        let q = w;
        if (weightDecay !== 0) q = tf.mul(q, tf.sub(1, tf.div(weightDecay * lrT, vn)));
        if (normLoss !== 0) q = tf.mul(q, tf.sub(1, tf.mul(2 * normLoss * lrT, tf.sub(1, tf.div(1, tf.add(channelNorm(q, channelAxis), eps))))));
        let denom = tf.add(tf.div(tf.sqrt(v), sbc2), eps);
        if (softplus) denom = tf.div(tf.softplus(tf.mul(denom, softplusBeta)), softplusBeta);
        const num = pnm ? tf.div(tf.sub(tf.mul(m, 2), n), noiseNorm) : m;
        return tf.sub(tf.sub(q, tf.div(tf.mul(num, lrT / bc1), denom)), w);
      }, p, mom, other, nu);
      const momA = pnm ? (odd ? mom : state.momA) : mom;
      const momB = pnm ? (odd ? state.momB : mom) : state.momB;
      return { updates, state: { count: t, momA, momB, nu } };
    },
  };
}

export interface Ranger21Config extends CommonOptions {
  lr?: number;
  /** Total number of steps of the run (sets warm-up and warm-down). Required. */
  numIterations: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  /** Adaptive gradient clipping (Brock et al. 2021). */
  agc?: boolean;
  agcClip?: number;
  agcEps?: number;
  /** Gradient centralization. */
  gc?: boolean;
  /** Gradient normalization by its standard deviation. */
  normGc?: boolean;
  /** Norm-loss factor (0: off). */
  normLoss?: number;
  softplus?: boolean;
  softplusBeta?: number;
  /** Positive-negative momentum (false: plain Adam momentum). */
  pnm?: boolean;
  warmup?: boolean;
  numWarmupIterations?: number;
  warmdown?: boolean;
  warmdownStartPct?: number;
  warmdownMinLr?: number;
  lookahead?: boolean;
  lookaheadK?: number;
  lookaheadAlpha?: number;
  channelAxis?: 0 | -1;
}

const KEYS = ['lr', 'numIterations', 'betas', 'eps', 'weightDecay', 'agc', 'agcClip', 'agcEps', 'gc', 'normGc', 'normLoss', 'softplus', 'softplusBeta',
  'pnm', 'warmup', 'numWarmupIterations', 'warmdown', 'warmdownStartPct', 'warmdownMinLr', 'lookahead', 'lookaheadK', 'lookaheadAlpha', 'channelAxis', ...COMMON_KEYS];

export const Ranger21 = defineOptimizer<Ranger21Config>('Ranger21', 'ranger21', (c) => {
  const o = 'ranger21';
  checkKnownKeys(o, c, KEYS);
  if (c?.numIterations === undefined) throw new RangeError(`${o}: numIterations (the total number of steps) is required; it sets the warm-up and warm-down`);
  const numIterations = checkPositiveInt(o, 'numIterations', c.numIterations);
  const lr0 = checkNonNegative(o, 'lr', c.lr ?? 1e-3);
  const [b1, b2] = checkBetas(o, 'betas', c.betas ?? [0.9, 0.999], 2);
  const flag = (name: keyof Ranger21Config, d: boolean) => checkBoolean(o, name, c[name] ?? d);
  const warmup = flag('warmup', true);
  const numWarmupIterations = checkPositiveInt(o, 'numWarmupIterations', c.numWarmupIterations ?? Math.max(1, ranger21WarmupIterations(numIterations, b2)));
  const sched = {
    lr: lr0,
    numIterations,
    warmup,
    numWarmupIterations,
    b2,
    warmdown: flag('warmdown', true),
    warmdownStartPct: checkNumber(o, 'warmdownStartPct', c.warmdownStartPct ?? 0.72, { min: 0, max: 1 }),
    warmdownMinLr: checkNonNegative(o, 'warmdownMinLr', c.warmdownMinLr ?? 3e-5),
  };
  const lr: Schedule = (k: number) => ranger21Lr(k + 1, sched);
  const channelAxis = checkOneOf(o, 'channelAxis', String(c.channelAxis ?? -1), ['0', '-1'] as const) === '0' ? (0 as const) : (-1 as const);
  const core = scaleByRanger21({
    lr,
    b1,
    b2,
    eps: checkNonNegative(o, 'eps', c.eps ?? 1e-8),
    weightDecay: checkNonNegative(o, 'weightDecay', c.weightDecay ?? 1e-4),
    normLoss: checkNonNegative(o, 'normLoss', c.normLoss ?? 1e-4),
    softplus: flag('softplus', true),
    softplusBeta: checkNumber(o, 'softplusBeta', c.softplusBeta ?? 50, { min: 0, minInclusive: false }),
    pnm: flag('pnm', true),
    channelAxis,
  });
  const agcClip = checkNumber(o, 'agcClip', c.agcClip ?? 1e-2, { min: 0, minInclusive: false });
  const agcEps = checkNonNegative(o, 'agcEps', c.agcEps ?? 1e-3);
  const step = chain(
    ...(flag('agc', true) ? [adaptiveGradClip(agcClip, agcEps, { channelAxis })] : []),
    ...(flag('gc', true) ? [centralizeGradient({ channelAxis })] : []),
    ...(flag('normGc', true) ? [normalizeGradient()] : []),
    core,
  );
  const k = checkPositiveInt(o, 'lookaheadK', c.lookaheadK ?? 5);
  const alpha = checkNumber(o, 'lookaheadAlpha', c.lookaheadAlpha ?? 0.5, { min: 0, max: 1 });
  // the official code evaluates at the fast weights unless asked (lookahead_load_at_validation)
  const transform = flag('lookahead', true) ? lookaheadTransform(step, { k, alpha, evaluateSlow: false }) : step;
  return { transform, lr, nonFinite: c.nonFinite };
});

/** Ranger21 (official lessw2020/Ranger21 code, see the notes above) with camelCase options. */
export function ranger21(config: Ranger21Config): InstanceType<typeof Ranger21> {
  return new Ranger21(config);
}

