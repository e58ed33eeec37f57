/**
 * AdaBelief: Zhuang et al., "AdaBelief Optimizer: Adapting Stepsizes by the
 * Belief in Observed Gradients", NeurIPS 2020 (arXiv:2010.07468). Ported from
 * the official implementation, juntang-zhuang/Adabelief-Optimizer
 * `adabelief_pytorch` 0.2.0/0.2.1 (`AdaBelief.py`), with its defaults: lr=1e-3,
 * betas=(0.9, 0.999), eps=1e-16, weightDecay=0, weightDecouple=true,
 * fixedDecay=false, rectify=true, degeneratedToSgd=true, amsgrad=false.
 * (jettify's port keeps the 0.0.5 defaults eps=1e-8, rectify=false.)
 *
 *   m = b1 m + (1-b1) g ;  s = b2 s + (1-b2) (g - m)^2 + eps     (eps added in place)
 *   plain:     p -= lr/bc1 * m / (sqrt(s / bc2) + eps)
 *   rectified: rho_t >= 5: p -= lr * r_t sqrt(bc2)/bc1 * m / (sqrt(s) + eps)
 *              else (degeneratedToSgd): p -= lr/bc1 * m
 *
 * As in the official code, `amsgrad` only affects the unrectified update (the
 * rectified branch reads s, not its running maximum).
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, map, updateMoment, zerosLike } from './tree.js';
import { type GradientTransformation, chain } from './transform.js';
import { type Schedule } from './schedules.js';
import { addDecayedWeights, addL2, decayParams, scaleByLearningRate } from './transforms.js';
import { radamRectifier } from './radam.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer } from './adapter.js';
import { checkBetas, checkBoolean, checkKnownKeys, checkLearningRate, checkNonNegative } from './validate.js';

export interface ScaleByBeliefState {
  count: number;
  mu: TensorTree;
  s: TensorTree;
  sMax?: TensorTree;
}

export interface ScaleByBeliefOptions {
  b1?: number;
  b2?: number;
  eps?: number;
  amsgrad?: boolean;
  rectify?: boolean;
  degeneratedToSgd?: boolean;
}

export function scaleByBelief(options: ScaleByBeliefOptions = {}): GradientTransformation<ScaleByBeliefState> {
  const { b1 = 0.9, b2 = 0.999, eps = 1e-16, amsgrad = false, rectify = true, degeneratedToSgd = true } = options;
  return {
    init: (params) => ({ count: 0, mu: zerosLike(params), s: zerosLike(params), ...(amsgrad ? { sMax: zerosLike(params) } : {}) }),
    update: (u, state) => {
      const t = state.count + 1;
      const bc1 = 1 - b1 ** t;
      const bc2 = 1 - b2 ** t;
      const mu = updateMoment(u, state.mu, b1, 1);
      const s = map((v, g, m) => tf.add(tf.add(tf.mul(v, b2), tf.mul(tf.square(tf.sub(g, m)), 1 - b2)), eps), state.s, u, mu);
      const sMax = amsgrad ? map((a, v) => tf.maximum(a, v), state.sMax!, s) : undefined;
      const next = { count: t, mu, s, ...(sMax ? { sMax } : {}) };
      if (!rectify) {
        const den = sMax ?? s;
        return { updates: map((m, v) => tf.div(tf.div(m, bc1), tf.add(tf.sqrt(tf.div(v, bc2)), eps)), mu, den), state: next };
      }
      const rect = radamRectifier(b2, t, 5, true);
      if (rect !== undefined) {
        const k = (rect * Math.sqrt(bc2)) / bc1;
        return { updates: map((m, v) => tf.div(tf.mul(m, k), tf.add(tf.sqrt(v), eps)), mu, s), state: next };
      }
      const updates = degeneratedToSgd ? map((m) => tf.div(m, bc1), mu) : zerosLike(mu);
      return { updates, state: next };
    },
  };
}

export interface AdaBeliefConfig extends CommonOptions {
  lr?: number | Schedule;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  /** Decoupled weight decay p *= 1 - lr * weightDecay (default true); false adds weightDecay * p to the gradient. */
  weightDecouple?: boolean;
  /** With weightDecouple: p *= 1 - weightDecay, independent of lr. */
  fixedDecay?: boolean;
  rectify?: boolean;
  degeneratedToSgd?: boolean;
  amsgrad?: boolean;
}

export const AdaBelief = defineOptimizer<AdaBeliefConfig>('AdaBelief', 'adabelief', (c) => {
  const o = 'adabelief';
  checkKnownKeys(o, c, ['lr', 'betas', 'eps', 'weightDecay', 'weightDecouple', 'fixedDecay', 'rectify', 'degeneratedToSgd', 'amsgrad', ...COMMON_KEYS]);
  const lr = checkLearningRate(o, 'lr', c.lr ?? 1e-3);
  const [b1, b2] = checkBetas(o, 'betas', c.betas ?? [0.9, 0.999], 2);
  const eps = checkNonNegative(o, 'eps', c.eps ?? 1e-16);
  const wd = checkNonNegative(o, 'weightDecay', c.weightDecay ?? 0);
  const decouple = checkBoolean(o, 'weightDecouple', c.weightDecouple ?? true);
  const fixed = checkBoolean(o, 'fixedDecay', c.fixedDecay ?? false);
  const rectify = checkBoolean(o, 'rectify', c.rectify ?? true);
  const degeneratedToSgd = checkBoolean(o, 'degeneratedToSgd', c.degeneratedToSgd ?? true);
  const amsgrad = checkBoolean(o, 'amsgrad', c.amsgrad ?? false);
  // The official code decays p before the step, so every form reads the pre-step p.
  const transform = chain(
    ...(!decouple && wd !== 0 ? [addL2(wd)] : []),
    scaleByBelief({ b1, b2, eps, amsgrad, rectify, degeneratedToSgd }),
    ...(decouple && !fixed && wd !== 0 ? [addDecayedWeights(wd)] : []),
    scaleByLearningRate(lr),
    ...(decouple && fixed && wd !== 0 ? [decayParams(wd)] : []),
  );
  return { transform, lr, nonFinite: c.nonFinite };
});

export function adabelief(config: AdaBeliefConfig = {}): InstanceType<typeof AdaBelief> {
  return new AdaBelief(config);
}
