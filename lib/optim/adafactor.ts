/**
 * Adafactor: Shazeer & Stern, "Adafactor: Adaptive Learning Rates with
 * Sublinear Memory Cost", ICML 2018 (arXiv:1804.04235), Algorithms 4-5. Ported
 * from the official implementation, tensorflow/tensor2tensor
 * `tensor2tensor/utils/adafactor.py`, with the paper's defaults: no external
 * learning rate (relative step rho_t = min(1e-2, 1/sqrt(t))), parameter scaling
 * by max(eps2, RMS(p)) with eps2 = 1e-3, decay beta2_t = 1 - t^-0.8,
 * eps1 = 1e-30 added to g^2, update clipping threshold d = 1, no momentum, and
 * factored second moments for rank-2 parameters:
 *
 *   R = b R + (1-b) rowmean(g^2 + eps1) ;  C = b C + (1-b) colmean(g^2 + eps1)
 *   U = g / sqrt(R C / mean(R))            (unfactored: V = b V + (1-b)(g^2 + eps1))
 *   U /= max(1, RMS(U) / d) ;  p -= max(eps2, RMS(p)) rho_t U
 *
 * kozistr/pytorch_optimizer's Adafactor inverted the update clipping
 * (clamp_max instead of clamp(min=1), commit 8ad63675), scaling every update up
 * to RMS = d; the tests check that a small gradient after large ones gives a
 * small update. torch.optim.Adafactor places eps differently (it clamps the
 * variance estimate instead of adding eps1 to g^2).
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, entries, map } from './tree.js';
import { type GradientTransformation, requireParams } from './transform.js';
import { type Schedule, valueAt } from './schedules.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer } from './adapter.js';
import { checkBeta, checkBoolean, checkKnownKeys, checkLearningRate, checkNonNegative, checkNumber } from './validate.js';

export interface AdafactorOptions {
  /** Relative step size (absolute if multiplyByParameterScale is false); default min(1e-2, 1/sqrt(t)). */
  lr?: number | Schedule;
  multiplyByParameterScale?: boolean;
  /** Exponent c of beta2_t = 1 - t^-c (paper: 0.8). */
  decayRate?: number;
  /**
   * A fixed decay instead: beta2_t = beta2 (1 - beta2^(t-1)) / (1 - beta2^t), Adam's
   * bias correction folded into the rate (tensor2tensor `adafactor_decay_rate_adam`,
   * the paper's Table 2 rows with beta2 = 0.999). Excludes `decayRate`.
   */
  beta2?: number;
  /** Momentum; 0 (the paper's default) keeps no first moment. */
  beta1?: number;
  /** Update clipping threshold d; Infinity disables clipping. */
  clipThreshold?: number;
  factored?: boolean;
  eps1?: number;
  eps2?: number;
}

/** Second-moment slot of one parameter: factored (row, column) or full. */
type Slot = { vr: tf.Tensor; vc: tf.Tensor } | { v: tf.Tensor };

export interface AdafactorState {
  count: number;
  /** Keyed by parameter path. */
  second: Record<string, Slot>;
  /** First moment (only with beta1 > 0). */
  mu?: TensorTree;
}

const rms = (x: tf.Tensor) => tf.sqrt(tf.mean(tf.square(x)));

/** The complete Adafactor update (its own step size included). */
export function adafactorTransform(o: AdafactorOptions = {}): GradientTransformation<AdafactorState> {
  const { multiplyByParameterScale = true, decayRate = 0.8, beta1 = 0, clipThreshold = 1, factored = true, eps1 = 1e-30, eps2 = 1e-3 } = o;
  const isFactored = (x: tf.Tensor) => factored && x.rank === 2;
  return {
    init: (params) => {
      const second: Record<string, Slot> = {};
      for (const [path, p] of entries(params)) {
        second[path] = isFactored(p) ? { vr: tf.zeros([p.shape[0] as number]), vc: tf.zeros([p.shape[1] as number]) } : { v: tf.zerosLike(p) };
      }
      return { count: 0, second, ...(beta1 > 0 ? { mu: map((p) => tf.zerosLike(p), params) } : {}) };
    },
    update: (u, state, params) => {
      const p = requireParams('adafactor', params);
      const t = state.count + 1;
      const decay = o.beta2 === undefined ? 1 - t ** -decayRate : (o.beta2 * (1 - o.beta2 ** (t - 1))) / (1 - o.beta2 ** t);
      // tensor2tensor's default: min(rsqrt(step + 1), 0.01), times 0.05 without parameter scaling
      const rel = o.lr === undefined ? Math.min(1 / Math.sqrt(t), 1e-2) * (multiplyByParameterScale ? 1 : 0.05) : valueAt(o.lr, state.count);
      const second: Record<string, Slot> = {};
      const paths = entries(u).map(([path]) => path);
      let i = 0;
      const steps = map((g, w) => {
        const path = paths[i++];
        const g2 = tf.add(tf.square(g), eps1);
        const slot = state.second[path];
        let x: tf.Tensor;
        if ('vr' in slot) {
          const vr = tf.add(tf.mul(slot.vr, decay), tf.mul(tf.mean(g2, 1), 1 - decay));
          const vc = tf.add(tf.mul(slot.vc, decay), tf.mul(tf.mean(g2, 0), 1 - decay));
          second[path] = { vr, vc };
          const rFactor = tf.rsqrt(tf.div(vr, tf.mean(vr)));
          const cFactor = tf.rsqrt(vc);
          x = tf.mul(tf.mul(g, tf.expandDims(rFactor, 1)), tf.expandDims(cFactor, 0));
        } else {
          const v = tf.add(tf.mul(slot.v, decay), tf.mul(g2, 1 - decay));
          second[path] = { v };
          x = tf.mul(g, tf.rsqrt(v));
        }
        if (Number.isFinite(clipThreshold)) x = tf.div(x, tf.maximum(tf.div(rms(x), clipThreshold), 1));
        const scale = multiplyByParameterScale ? tf.mul(tf.maximum(rms(w), eps2), rel) : tf.scalar(rel);
        return tf.mul(x, scale);
      }, u, p);
      let mu: TensorTree | undefined;
      let out = steps;
      if (beta1 > 0) {
        mu = map((m, s) => tf.add(tf.mul(m, beta1), tf.mul(s, 1 - beta1)), state.mu!, steps);
        out = mu;
      }
      return { updates: map((s) => tf.neg(s), out), state: { count: t, second, ...(mu ? { mu } : {}) } };
    },
  };
}

export interface AdafactorConfig extends AdafactorOptions, CommonOptions {}

export const Adafactor = defineOptimizer<AdafactorConfig>('Adafactor', 'adafactor', (c) => {
  const o = 'adafactor';
  checkKnownKeys(o, c, ['lr', 'multiplyByParameterScale', 'decayRate', 'beta2', 'beta1', 'clipThreshold', 'factored', 'eps1', 'eps2', ...COMMON_KEYS]);
  if (c.beta2 !== undefined && c.decayRate !== undefined) throw new RangeError(`${o}: give decayRate (beta2_t = 1 - t^-decayRate) or beta2 (a fixed decay), not both`);
  const options: AdafactorOptions = {
    lr: c.lr === undefined ? undefined : checkLearningRate(o, 'lr', c.lr),
    multiplyByParameterScale: checkBoolean(o, 'multiplyByParameterScale', c.multiplyByParameterScale ?? true),
    decayRate: checkNumber(o, 'decayRate', c.decayRate ?? 0.8, { min: 0, max: 1, minInclusive: false }),
    beta2: c.beta2 === undefined ? undefined : checkNumber(o, 'beta2', c.beta2, { min: 0, max: 1, maxInclusive: false }),
    beta1: checkBeta(o, 'beta1', c.beta1 ?? 0),
    clipThreshold: checkNumber(o, 'clipThreshold', c.clipThreshold ?? 1, { min: 0, minInclusive: false }),
    factored: checkBoolean(o, 'factored', c.factored ?? true),
    eps1: checkNonNegative(o, 'eps1', c.eps1 ?? 1e-30),
    eps2: checkNonNegative(o, 'eps2', c.eps2 ?? 1e-3),
  };
  const relative: Schedule = (step) => Math.min(1 / Math.sqrt(step + 1), 1e-2);
  return { transform: adafactorTransform(options), lr: options.lr ?? relative, nonFinite: c.nonFinite };
});

export function adafactor(config: AdafactorConfig = {}): InstanceType<typeof Adafactor> {
  return new Adafactor(config);
}
