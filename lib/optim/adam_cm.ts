/**
 * Adam with critical momenta (Adam+CM): Malviya, Mordido, Baratin, Harikandeh,
 * Huang, Lacoste-Julien, Pascanu & Chandar, "Promoting Exploration in
 * Memory-Augmented Adam using Critical Momenta", TMLR 2024 (arXiv:2307.09638).
 * Ported from the official implementation, chandar-lab/CMOptimizer
 * (`cmoptimizer/optim.py::Adam_CM`, `prioritydict.py::TensorList`), with its
 * defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, decay 0.7, topC 5,
 * weightDecay 0 (decoupled), synced priorities.
 *
 * A buffer keeps up to topC past momenta with priorities (the gradient norm when
 * they were stored, multiplied by `decay` after every step). The update uses the
 * momentum plus the buffer's mean,
 *
 *   m = b1 m + (1 - b1) g ;  m_tilde = m + mean(buffer)
 *   v = b2 v + (1 - b2) m_tilde^2                     (second moment of the aggregate)
 *   x <- x (1 - lr wd) - lr / bc1 * m_tilde / (sqrt(v) / sqrt(bc2) + eps)
 *
 * and then stores m: while the buffer is not full, always; once full, in place of
 * the lowest-priority entry if the current gradient norm exceeds that priority.
 * The norm is the official "synced" one: the sum of the per-tensor gradient
 * norms. As in the official code, the first step only fills the buffer with the
 * raw gradient and moves nothing (its momentum is still zero).
 *
 * `priorityTest: false` replaces the lowest-priority entry every step. The
 * official default (`critical_test=True`) takes that branch, but without first
 * locating the lowest entry (`pokeSmallest` is never called on it), so it keeps
 * overwriting slot 0; this port follows the paper's rule on both branches and
 * the golden test exercises the official priority path (`critical_test=False`).
 * One host sync per step (the priority comparison).
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, map, leaves, zerosLike } from './tree.js';
import { type GradientTransformation, requireParams } from './transform.js';
import { type Schedule, valueAt } from './schedules.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer } from './adapter.js';
import { checkBetas, checkBoolean, checkKnownKeys, checkLearningRate, checkNonNegative, checkNumber, checkPositiveInt } from './validate.js';

export interface AdamCMState {
  count: number;
  mu: TensorTree;
  nu: TensorTree;
  /** topC slots of stored momenta (zeros while empty). */
  buffer: TensorTree[];
  /** Their priorities (decayed gradient norms). */
  priorities: number[];
  /** Number of filled slots. */
  size: number;
}

export interface AdamCMOptions {
  lr?: number | Schedule;
  b1?: number;
  b2?: number;
  eps?: number;
  decay?: number;
  topC?: number;
  weightDecay?: number;
  priorityTest?: boolean;
}

/** Sum of the per-tensor L2 norms (the official synced "grad_norm"), on the host. */
function syncedNorm(g: TensorTree): number {
  const t = tf.tidy(() => tf.addN(leaves(g).map((x) => tf.norm(x))));
  const v = t.dataSync()[0];
  t.dispose();
  return v;
}

export function adamCmUpdate(o: AdamCMOptions = {}): GradientTransformation<AdamCMState> {
  const { lr = 1e-3, b1 = 0.9, b2 = 0.999, eps = 1e-8, decay = 0.7, topC = 5, weightDecay = 0, priorityTest = true } = o;
  return {
    init: (params) => ({
      count: 0,
      mu: zerosLike(params),
      nu: zerosLike(params),
      buffer: Array.from({ length: topC }, () => zerosLike(params)),
      priorities: new Array<number>(topC).fill(0),
      size: 0,
    }),
    update(g, s, params) {
      const x = requireParams('adamCm', params);
      const t = s.count + 1;
      const lrT = valueAt(lr, s.count);
      const norm = syncedNorm(g);
      const buffer = [...s.buffer];
      const priorities = [...s.priorities];
      let size = s.size;
      let mu = s.mu;
      let aggregate: TensorTree = s.mu; // zero at the first step
      if (t === 1) {
        buffer[0] = map((gi) => tf.clone(gi), g);
        priorities[0] = norm;
        size = 1;
      } else {
        mu = map((m, gi) => tf.add(tf.mul(m, b1), tf.mul(gi, 1 - b1)), s.mu, g);
        const filled = buffer.slice(0, size);
        aggregate = map((m, ...bs) => tf.add(m, tf.div(tf.addN(bs), size)), mu, ...filled);
        let slot = -1;
        if (size < topC) slot = size++;
        else {
          const lowest = priorities.indexOf(Math.min(...priorities));
          if (!priorityTest || norm > priorities[lowest]) slot = lowest;
        }
        if (slot >= 0) {
          buffer[slot] = mu;
          priorities[slot] = norm;
        }
      }
      const nu = map((v, a) => tf.add(tf.mul(v, b2), tf.mul(tf.square(a), 1 - b2)), s.nu, aggregate);
      const bc1 = 1 - b1 ** t;
      const sbc2 = Math.sqrt(1 - b2 ** t);
      const updates = map(
        (p, a, v) => {
          const step = tf.mul(tf.div(a, tf.add(tf.div(tf.sqrt(v), sbc2), eps)), -lrT / bc1);
          return weightDecay === 0 ? step : tf.sub(step, tf.mul(p, lrT * weightDecay));
        },
        x,
        aggregate,
        nu,
      );
      return {
        updates,
        state: { count: t, mu, nu, buffer, priorities: priorities.map((q) => q * decay), size },
      };
    },
  };
}

export interface AdamCMConfig extends CommonOptions {
  lr?: number | Schedule;
  betas?: [number, number];
  eps?: number;
  /** Priority decay per step. */
  decay?: number;
  /** Buffer size C. */
  topC?: number;
  /** Decoupled weight decay. */
  weightDecay?: number;
  /** Replace the lowest-priority momentum only when the gradient norm exceeds its priority. */
  priorityTest?: boolean;
}

export const AdamCM = defineOptimizer<AdamCMConfig>('AdamCM', 'adamCm', (c) => {
  const o = 'adamCm';
  checkKnownKeys(o, c, ['lr', 'betas', 'eps', 'decay', 'topC', 'weightDecay', 'priorityTest', ...COMMON_KEYS]);
  const lr = checkLearningRate(o, 'lr', c.lr ?? 1e-3);
  const [b1, b2] = checkBetas(o, 'betas', c.betas ?? [0.9, 0.999], 2);
  const transform = adamCmUpdate({
    lr,
    b1,
    b2,
    eps: checkNonNegative(o, 'eps', c.eps ?? 1e-8),
    decay: checkNumber(o, 'decay', c.decay ?? 0.7, { min: 0, max: 1, maxInclusive: false }),
    topC: checkPositiveInt(o, 'topC', c.topC ?? 5),
    weightDecay: checkNonNegative(o, 'weightDecay', c.weightDecay ?? 0),
    priorityTest: checkBoolean(o, 'priorityTest', c.priorityTest ?? true),
  });
  return { transform, lr, nonFinite: c.nonFinite };
});

/** Adam with a buffer of critical momenta. */
export function adamCm(config: AdamCMConfig = {}): InstanceType<typeof AdamCM> {
  return new AdamCM(config);
}
