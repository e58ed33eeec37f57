/**
 * SPAM: Huang, Zhu, Jin, Liu, Wang & Liu, "SPAM: Spike-Aware Adam with Momentum
 * Reset for Stable LLM Training", ICLR 2025 (arXiv:2501.06842). Ported from the
 * official code, TianjinYellow/SPAM-Optimizer `galore_torch/SPAM.py` (class
 * AdamW, dense parameters), with its defaults lr=1e-3, betas=(0.9, 0.999),
 * eps=1e-6, weightDecay=0, threshold=5000, resetInterval=500 (official
 * `DeltaT`), gradAccuSteps=20, warmupSteps=150, correctBias=true.
 *
 * At step t (1, 2, ...):
 *   t % resetInterval == 0          : m = v = 0 (momentum reset)
 *   t >= gradAccuSteps and t % resetInterval >= gradAccuSteps:
 *       spikes g_i^2 > threshold v_i are clipped to sign(g_i) sqrt(threshold v_i)
 *   m, v Adam EMAs ;  s = cosine warm-up factor after the last reset
 *   p <- (p - lr s sqrt(bc2)/bc1 m / (sqrt(v) + eps)) (1 - lr wd)
 *
 * The warm-up factor is s = 1 - 0.99 (1 + cos(pi c / (warmupSteps + 1))) / 2 for
 * c = 0, 1, ... steps since the reset, and 1 from c = warmupSteps on and before
 * the first reset. The bias corrections keep counting through resets, as in
 * the official code. kozistr/pytorch_optimizer's SPAM clips a copy of the
 * gradient (boolean indexing), so its spike clipping does nothing. The
 * official optional sparse-momentum masks (`density`) are not offered.
 * `resetInterval: 0` (an extension) never resets and clips from gradAccuSteps on.
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, map, zerosLike } from './tree.js';
import { type GradientTransformation, chain, requireParams } from './transform.js';
import { type Schedule, valueAt } from './schedules.js';
import { scaleByLearningRate } from './transforms.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer } from './adapter.js';
import { checkBetas, checkBoolean, checkKnownKeys, checkLearningRate, checkNonNegative, checkNumber } from './validate.js';

/** The official CosineDecay(0.99, warmupSteps).get_dr, turned into SPAM's step factor 1 - dr. */
export function spamWarmupFactor(stepsSinceReset: number, warmupSteps: number): number {
  if (stepsSinceReset >= warmupSteps) return 1;
  return 1 - (0.99 * (1 + Math.cos((Math.PI * stepsSinceReset) / (warmupSteps + 1)))) / 2;
}

export interface ScaleBySpamOptions {
  b1?: number;
  b2?: number;
  eps?: number;
  threshold?: number;
  resetInterval?: number;
  gradAccuSteps?: number;
  warmupSteps?: number;
  correctBias?: boolean;
  /** The learning rate and decay, for the official decay after the step: (p - step)(1 - lr wd). */
  lr?: number | Schedule;
  weightDecay?: number;
}

export interface ScaleBySpamState {
  count: number;
  /** Steps since the last momentum reset (starts past the warm-up). */
  sinceReset: number;
  mu: TensorTree;
  nu: TensorTree;
}

/**
 * SPAM's direction d such that p_new = p - lr d (decay included, so it must be
 * followed by `scaleByLearningRate` with the same lr).
 */
export function scaleBySpam(options: ScaleBySpamOptions = {}): GradientTransformation<ScaleBySpamState> {
  const { b1 = 0.9, b2 = 0.999, eps = 1e-6, threshold = 5000, resetInterval = 500, gradAccuSteps = 20, warmupSteps = 150 } = options;
  const { correctBias = true, lr = 1e-3, weightDecay = 0 } = options;
  return {
    init: (params) => ({ count: 0, sinceReset: warmupSteps + 1, mu: zerosLike(params), nu: zerosLike(params) }),
    update: (u, state, params) => {
      const t = state.count + 1;
      const reset = resetInterval > 0 && t % resetInterval === 0;
      const mu0 = reset ? zerosLike(state.mu) : state.mu;
      const nu0 = reset ? zerosLike(state.nu) : state.nu;
      const clip = threshold > 0 && t >= gradAccuSteps && (resetInterval === 0 || t % resetInterval >= gradAccuSteps);
      const g = clip
        ? map((x, v) => {
            const bound = tf.sqrt(tf.mul(v, threshold));
            return tf.where(tf.greater(tf.square(x), tf.mul(v, threshold)), tf.mul(tf.sign(x), bound), x);
          }, u, nu0)
        : u;
      const mu = map((m, x) => tf.add(tf.mul(m, b1), tf.mul(x, 1 - b1)), mu0, g);
      const nu = map((v, x) => tf.add(tf.mul(v, b2), tf.mul(tf.square(x), 1 - b2)), nu0, g);
      const s = spamWarmupFactor(state.sinceReset, warmupSteps);
      const stepSize = (correctBias ? Math.sqrt(1 - b2 ** t) / (1 - b1 ** t) : 1) * s;
      const lrT = valueAt(lr, state.count);
      const keep = 1 - lrT * weightDecay;
      const step = map((m, v) => tf.mul(tf.div(m, tf.add(tf.sqrt(v), eps)), stepSize), mu, nu);
      const updates =
        weightDecay === 0
          ? step
          : map((d, w) => tf.add(tf.mul(d, keep), tf.mul(w, weightDecay)), step, requireParams('scaleBySpam', params));
      // the official bookkeeping restarts the warm-up after step t when t + 1 is a reset step
      const sinceReset = resetInterval > 0 && (t + 1) % resetInterval === 0 ? 0 : state.sinceReset + 1;
      return { updates, state: { count: t, sinceReset, mu, nu } };
    },
  };
}

export interface SPAMConfig extends CommonOptions {
  lr?: number | Schedule;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  /** Spike threshold theta: g^2 > theta v counts as a spike (0 turns clipping off). */
  threshold?: number;
  /** Momentum reset interval (official `DeltaT`; 0: never). */
  resetInterval?: number;
  /** Steps after a reset (and at the start) without spike clipping. */
  gradAccuSteps?: number;
  /** Length of the cosine learning-rate warm-up after each reset. */
  warmupSteps?: number;
  correctBias?: boolean;
}

export const SPAM = defineOptimizer<SPAMConfig>('SPAM', 'spam', (c) => {
  const o = 'spam';
  checkKnownKeys(o, c, ['lr', 'betas', 'eps', 'weightDecay', 'threshold', 'resetInterval', 'gradAccuSteps', 'warmupSteps', 'correctBias', ...COMMON_KEYS]);
  const lr = checkLearningRate(o, 'lr', c.lr ?? 1e-3);
  const [b1, b2] = checkBetas(o, 'betas', c.betas ?? [0.9, 0.999], 2);
  const eps = checkNonNegative(o, 'eps', c.eps ?? 1e-6);
  const weightDecay = checkNonNegative(o, 'weightDecay', c.weightDecay ?? 0);
  const threshold = checkNonNegative(o, 'threshold', c.threshold ?? 5000);
  const resetInterval = checkNumber(o, 'resetInterval', c.resetInterval ?? 500, { min: 0, integer: true });
  const gradAccuSteps = checkNumber(o, 'gradAccuSteps', c.gradAccuSteps ?? 20, { min: 0, integer: true });
  const warmupSteps = checkNumber(o, 'warmupSteps', c.warmupSteps ?? 150, { min: 0, integer: true });
  const correctBias = checkBoolean(o, 'correctBias', c.correctBias ?? true);
  const transform = chain(
    scaleBySpam({ b1, b2, eps, threshold, resetInterval, gradAccuSteps, warmupSteps, correctBias, lr, weightDecay }),
    scaleByLearningRate(lr),
  );
  return { transform, lr, nonFinite: c.nonFinite };
});

/** SPAM (official TianjinYellow/SPAM-Optimizer code) with camelCase options. */
export function spam(config: SPAMConfig = {}): InstanceType<typeof SPAM> {
  return new SPAM(config);
}
