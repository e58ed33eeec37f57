/**
 * Stable-SPAM: Huang, Hu, Jaiswal, Wang, Yin, Pechenizkiy, Liu & Wang,
 * "Stable-SPAM: How to Train in 4-Bit More Stably than 16-Bit Adam", 2025
 * (arXiv:2502.17055). Ported from the official code, TianjinYellow/StableSPAM
 * `galore_torch/stablespam.py`, with its defaults lr=1e-3, betas=(0.9, 0.999),
 * eps=1e-8, weightDecay=0, gamma1=0.7, gamma2=0.9, gamma3=0.999,
 * resetInterval=1000 (official `update_proj_gap`), totalSteps=undefined
 * (official `total_T`), etaMin=0.5.
 *
 * Per tensor, at step t (k counts the tensor's steps since the last reset):
 *   AdaClip: M = g3 M + (1-g3) max|g| ;  M^ = M/(1-g3^k) ;  g_i <- g_i / max|g| * M^  where |g_i| > M^
 *   AdaGN:   n = ||g|| ;  mu = g1 mu + (1-g1) n ;  nu = g2 nu + (1-g2) n^2
 *            g <- g / n * (mu/(1-g1^k)) / (sqrt(nu/(1-g2^k)) + eps)     (when n > 0)
 *   reset:   every resetInterval steps m = v = 0, k = 1
 *   Adam:    p <- p (1 - lr wd) - lr/bc1 m / (sqrt(v)/sqrt(bc2) + eps)   (bias corrections at k)
 * With totalSteps = T, g1 and b1 are multiplied by the cosine factor
 * s(t) = etaMin + (1 - etaMin)(1 + cos(pi t / (T + 1)))/2 (the official
 * CosineDecay, which rises again after T + 1 steps).
 *
 * `reset: 'official'` (default) reproduces the official code exactly: at a reset
 * step the stored moments are replaced by zeros but that step's update still
 * runs on the old moments (with the bias correction of k = 1); the zeros take
 * over from the next step. `reset: 'immediate'` zeroes them before the update.
 * The AdaClip and AdaGN bias corrections use k too (they restart at a reset
 * although their averages do not), as in the official code. kozistr's
 * StableSPAM clips a copy of the gradient, so its AdaClip does nothing.
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, entries, unflatten, zerosLike, map } from './tree.js';
import { type GradientTransformation, chain } from './transform.js';
import { type Schedule } from './schedules.js';
import { addDecayedWeights, scaleByLearningRate } from './transforms.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer } from './adapter.js';
import { checkBeta, checkBetas, checkKnownKeys, checkLearningRate, checkNonNegative, checkNumber, checkOneOf } from './validate.js';

/** The official CosineDecay(1.0, totalSteps, etaMin).get_dr(t). */
export function stableSpamScale(t: number, totalSteps: number | undefined, etaMin: number): number {
  if (totalSteps === undefined) return 1;
  return etaMin + ((1 - etaMin) * (1 + Math.cos((Math.PI * t) / (totalSteps + 1)))) / 2;
}

export type StableSpamReset = 'official' | 'immediate';

export interface ScaleByStableSpamOptions {
  b1?: number;
  b2?: number;
  eps?: number;
  /** AdaGN: EMA coefficient of the gradient norm. */
  gamma1?: number;
  /** AdaGN: EMA coefficient of the squared gradient norm. */
  gamma2?: number;
  /** AdaClip: EMA coefficient of the maximum |g| (the official `gamma3`, the paper's theta). */
  gamma3?: number;
  /** Momentum reset interval (official `update_proj_gap`, the paper's Delta T; 0: never). */
  resetInterval?: number;
  /** Total number of steps T for the cosine factor on gamma1 and beta1 (official `total_T`; default off). */
  totalSteps?: number;
  etaMin?: number;
  reset?: StableSpamReset;
}

export interface ScaleByStableSpamState {
  /** Global step count (the official total_steps). */
  count: number;
  /** Steps since the last reset (the official per-parameter step; all tensors share it). */
  k: number;
  mu: TensorTree;
  nu: TensorTree;
  /** Per tensor: EMA of max|g| (AdaClip threshold), EMAs of ||g|| and ||g||^2 (AdaGN), as scalars. */
  maxEma: TensorTree;
  normEma: TensorTree;
  normSqEma: TensorTree;
}

/**
 * Stable-SPAM's gradient preprocessing of one tensor at statistics step k:
 * AdaClip then AdaGN, with the updated scalar statistics.
 */
export function stableSpamGradient(
  g: tf.Tensor,
  stats: { maxEma: tf.Tensor; normEma: tf.Tensor; normSqEma: tf.Tensor },
  k: number,
  o: { g1: number; g2: number; g3: number; eps: number },
): { g: tf.Tensor; maxEma: tf.Tensor; normEma: tf.Tensor; normSqEma: tf.Tensor } {
  const gmax = tf.max(tf.abs(g));
  const maxEma = tf.add(tf.mul(stats.maxEma, o.g3), tf.mul(gmax, 1 - o.g3));
  const threshold = tf.div(maxEma, 1 - o.g3 ** k);
  const clipped = tf.where(tf.greater(tf.abs(g), threshold), tf.mul(tf.div(g, gmax), threshold), g);
  const n = tf.norm(clipped);
  const normEma = tf.add(tf.mul(stats.normEma, o.g1), tf.mul(n, 1 - o.g1));
  const normSqEma = tf.add(tf.mul(stats.normSqEma, o.g2), tf.mul(tf.square(n), 1 - o.g2));
  const target = tf.div(tf.div(normEma, 1 - o.g1 ** k), tf.add(tf.sqrt(tf.div(normSqEma, 1 - o.g2 ** k)), o.eps));
  const normalized = tf.where(tf.greater(n, 0), tf.mul(tf.div(clipped, tf.maximum(n, 1e-30)), target), clipped);
  return { g: normalized, maxEma, normEma, normSqEma };
}

/** Stable-SPAM's Adam direction (decay and learning rate follow in the chain). */
export function scaleByStableSpam(options: ScaleByStableSpamOptions = {}): GradientTransformation<ScaleByStableSpamState> {
  const { b1 = 0.9, b2 = 0.999, eps = 1e-8, gamma1 = 0.7, gamma2 = 0.9, gamma3 = 0.999 } = options;
  const { resetInterval = 1000, totalSteps, etaMin = 0.5, reset = 'official' } = options;
  const scalars = (params: TensorTree) => map(() => tf.scalar(0), params);
  return {
    init: (params) => ({
      count: 0,
      k: 0,
      mu: zerosLike(params),
      nu: zerosLike(params),
      maxEma: scalars(params),
      normEma: scalars(params),
      normSqEma: scalars(params),
    }),
    update: (u, state) => {
      const count = state.count + 1;
      const scale = stableSpamScale(count, totalSteps, etaMin);
      const beta1 = b1 * scale;
      // the statistics' bias corrections use the step count before a reset at this step
      const kStats = state.k + 1;
      const isReset = resetInterval > 0 && count % resetInterval === 0;
      const k = isReset ? 1 : kStats;
      const gs = entries(u);
      const [ms, vs, mx, ne, nse] = [state.mu, state.nu, state.maxEma, state.normEma, state.normSqEma].map((t) => entries(t).map((e) => e[1]));
      const out = { u: [] as tf.Tensor[], m: [] as tf.Tensor[], v: [] as tf.Tensor[], mx: [] as tf.Tensor[], ne: [] as tf.Tensor[], nse: [] as tf.Tensor[] };
      const bc1 = 1 - beta1 ** k;
      const sbc2 = Math.sqrt(1 - b2 ** k);
      gs.forEach(([, g0], i) => {
        const p = stableSpamGradient(g0, { maxEma: mx[i], normEma: ne[i], normSqEma: nse[i] }, kStats, { g1: gamma1 * scale, g2: gamma2, g3: gamma3, eps });
        const startM = isReset && reset === 'immediate' ? tf.zerosLike(ms[i]) : ms[i];
        const startV = isReset && reset === 'immediate' ? tf.zerosLike(vs[i]) : vs[i];
        const m = tf.add(tf.mul(startM, beta1), tf.mul(p.g, 1 - beta1));
        const v = tf.add(tf.mul(startV, b2), tf.mul(tf.square(p.g), 1 - b2));
        out.u.push(tf.div(tf.div(m, bc1), tf.add(tf.div(tf.sqrt(v), sbc2), eps)));
        // 'official': the reset's zeros replace the moments only after this step's update
        const keepZeros = isReset && reset === 'official';
        out.m.push(keepZeros ? tf.zerosLike(m) : m);
        out.v.push(keepZeros ? tf.zerosLike(v) : v);
        out.mx.push(p.maxEma);
        out.ne.push(p.normEma);
        out.nse.push(p.normSqEma);
      });
      return {
        updates: unflatten(u, out.u),
        state: {
          count,
          k,
          mu: unflatten(state.mu, out.m),
          nu: unflatten(state.nu, out.v),
          maxEma: unflatten(state.maxEma, out.mx),
          normEma: unflatten(state.normEma, out.ne),
          normSqEma: unflatten(state.normSqEma, out.nse),
        },
      };
    },
  };
}

export interface StableSPAMConfig extends CommonOptions, Omit<ScaleByStableSpamOptions, 'b1' | 'b2'> {
  lr?: number | Schedule;
  betas?: [number, number];
  weightDecay?: number;
}

export const StableSPAM = defineOptimizer<StableSPAMConfig>('StableSPAM', 'stableSpam', (c) => {
  const o = 'stableSpam';
  checkKnownKeys(o, c, ['lr', 'betas', 'eps', 'weightDecay', 'gamma1', 'gamma2', 'gamma3', 'resetInterval', 'totalSteps', 'etaMin', 'reset', ...COMMON_KEYS]);
  const lr = checkLearningRate(o, 'lr', c.lr ?? 1e-3);
  const [b1, b2] = checkBetas(o, 'betas', c.betas ?? [0.9, 0.999], 2);
  const eps = checkNonNegative(o, 'eps', c.eps ?? 1e-8);
  const weightDecay = checkNonNegative(o, 'weightDecay', c.weightDecay ?? 0);
  const gamma1 = checkBeta(o, 'gamma1', c.gamma1 ?? 0.7);
  const gamma2 = checkBeta(o, 'gamma2', c.gamma2 ?? 0.9);
  const gamma3 = checkBeta(o, 'gamma3', c.gamma3 ?? 0.999);
  const resetInterval = checkNumber(o, 'resetInterval', c.resetInterval ?? 1000, { min: 0, integer: true });
  const totalSteps = c.totalSteps === undefined ? undefined : checkNumber(o, 'totalSteps', c.totalSteps, { min: 1, integer: true });
  const etaMin = checkNumber(o, 'etaMin', c.etaMin ?? 0.5, { min: 0, max: 1 });
  const reset = checkOneOf(o, 'reset', c.reset ?? 'official', ['official', 'immediate'] as const);
  const transform = chain(
    scaleByStableSpam({ b1, b2, eps, gamma1, gamma2, gamma3, resetInterval, totalSteps, etaMin, reset }),
    addDecayedWeights(weightDecay),
    scaleByLearningRate(lr),
  );
  return { transform, lr, nonFinite: c.nonFinite };
});

/** Stable-SPAM (official TianjinYellow/StableSPAM code) with camelCase options. */
export function stableSpam(config: StableSPAMConfig = {}): InstanceType<typeof StableSPAM> {
  return new StableSPAM(config);
}
