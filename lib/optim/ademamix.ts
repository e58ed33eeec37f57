/**
 * AdEMAMix: Pagliardini, Ablin & Grangier, "The AdEMAMix Optimizer: Better,
 * Faster, Older", ICLR 2025 (arXiv:2409.03137). Ported from the official
 * PyTorch code, apple/ml-ademamix `pytorch/ademamix.py`, with its defaults
 * lr=1e-3, betas=(0.9, 0.999, 0.9999), alpha=2, no warm-ups, eps=1e-8,
 * weightDecay=0. (The repository's optax file, optax.contrib and kozistr use
 * alpha=5; kozistr also bias-corrects the slow EMA, which the official code
 * does not.)
 *
 *   m1 = b1 m1 + (1-b1) g            fast EMA
 *   m2 = b3(t) m2 + (1-b3(t)) g      slow EMA, not bias-corrected
 *   v  = b2 v + (1-b2) g^2
 *   p -= lr ( (m1/bc1 + alpha(t) m2) / (sqrt(v)/sqrt(bc2) + eps) + wd p )
 *
 * Warm-ups over T steps (t = 1, 2, ... counts updates including the current one):
 * alpha(t) = alpha * t/T (then alpha); b3(t) interpolates the half-life
 * f(b) = ln(0.5)/ln(b) - 1 linearly from f(b1) to f(b3) and inverts it,
 * b3(t) = 0.5^(1/(f(t)+1)) (then b3). `alphaAt` and `beta3At` expose them.
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, map, updateMoment, zerosLike } from './tree.js';
import { type GradientTransformation, chain } from './transform.js';
import { type Schedule } from './schedules.js';
import { addDecayedWeights, scaleByLearningRate } from './transforms.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer } from './adapter.js';
import { cautious } from './cautious.js';
import { checkBetas, checkBoolean, checkKnownKeys, checkLearningRate, checkNonNegative, checkPositiveInt } from './validate.js';

/** alpha(t): linear warm-up from 0 to `alpha` over `warmup` steps (official `linear_warmup_scheduler`). */
export function alphaAt(step: number, alpha: number, warmup?: number): number {
  if (warmup === undefined || step >= warmup) return alpha;
  const a = step / warmup;
  return a * alpha;
}

/** b3(t): half-life-linear warm-up from `start` (b1) to `end` (b3) (official `linear_hl_warmup_scheduler`). */
export function beta3At(step: number, end: number, start: number, warmup?: number): number {
  if (warmup === undefined || step >= warmup) return end;
  const f = (beta: number) => Math.log(0.5) / Math.log(beta + 1e-8) - 1;
  const fInv = (t: number) => Math.pow(0.5, 1 / (t + 1));
  const a = step / warmup;
  return fInv((1 - a) * f(start) + a * f(end));
}

export interface ScaleByAdemamixOptions {
  b1?: number;
  b2?: number;
  b3?: number;
  alpha?: number;
  alphaWarmup?: number;
  beta3Warmup?: number;
  eps?: number;
}

export interface ScaleByAdemamixState {
  count: number;
  fast: TensorTree;
  slow: TensorTree;
  nu: TensorTree;
}

export function scaleByAdemamix(options: ScaleByAdemamixOptions = {}): GradientTransformation<ScaleByAdemamixState> {
  const { b1 = 0.9, b2 = 0.999, b3 = 0.9999, alpha = 2, alphaWarmup, beta3Warmup, eps = 1e-8 } = options;
  return {
    init: (params) => ({ count: 0, fast: zerosLike(params), slow: zerosLike(params), nu: zerosLike(params) }),
    update: (u, state) => {
      const t = state.count + 1;
      const bc1 = 1 - b1 ** t;
      const sbc2 = Math.sqrt(1 - b2 ** t);
      const a = alphaAt(t, alpha, alphaWarmup);
      const beta3 = beta3At(t, b3, b1, beta3Warmup);
      const fast = updateMoment(u, state.fast, b1, 1);
      const slow = updateMoment(u, state.slow, beta3, 1);
      const nu = updateMoment(u, state.nu, b2, 2);
      const updates = map(
        (m1, m2, v) => tf.div(tf.add(tf.div(m1, bc1), tf.mul(m2, a)), tf.add(tf.div(tf.sqrt(v), sbc2), eps)),
        fast,
        slow,
        nu,
      );
      return { updates, state: { count: t, fast, slow, nu } };
    },
  };
}

export interface AdEMAMixConfig extends CommonOptions {
  lr?: number | Schedule;
  betas?: [number, number, number];
  alpha?: number;
  /** Steps of the linear alpha warm-up (the paper's T_alpha; default none). */
  alphaWarmup?: number;
  /** Steps of the half-life warm-up of beta3 (the paper's T_beta3; default none). */
  beta3Warmup?: number;
  eps?: number;
  weightDecay?: number;
  cautious?: boolean;
}

export const AdEMAMix = defineOptimizer<AdEMAMixConfig>('AdEMAMix', 'ademamix', (c) => {
  const o = 'ademamix';
  checkKnownKeys(o, c, ['lr', 'betas', 'alpha', 'alphaWarmup', 'beta3Warmup', 'eps', 'weightDecay', 'cautious', ...COMMON_KEYS]);
  const lr = checkLearningRate(o, 'lr', c.lr ?? 1e-3);
  const [b1, b2, b3] = checkBetas(o, 'betas', c.betas ?? [0.9, 0.999, 0.9999], 3);
  const alpha = checkNonNegative(o, 'alpha', c.alpha ?? 2);
  const alphaWarmup = c.alphaWarmup === undefined ? undefined : checkPositiveInt(o, 'alphaWarmup', c.alphaWarmup);
  const beta3Warmup = c.beta3Warmup === undefined ? undefined : checkPositiveInt(o, 'beta3Warmup', c.beta3Warmup);
  const eps = checkNonNegative(o, 'eps', c.eps ?? 1e-8);
  const wd = checkNonNegative(o, 'weightDecay', c.weightDecay ?? 0);
  const isCautious = checkBoolean(o, 'cautious', c.cautious ?? false);
  const core = scaleByAdemamix({ b1, b2, b3, alpha, alphaWarmup, beta3Warmup, eps });
  const transform = chain(isCautious ? cautious(core) : core, addDecayedWeights(wd), scaleByLearningRate(lr));
  return { transform, lr, nonFinite: c.nonFinite };
});

/** AdEMAMix (official apple/ml-ademamix PyTorch code) with camelCase options. */
export function ademamix(config: AdEMAMixConfig = {}): InstanceType<typeof AdEMAMix> {
  return new AdEMAMix(config);
}
