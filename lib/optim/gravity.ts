/**
 * Gravity: Bahrami & Zadeh, "Gravity Optimizer: a Kinematic Approach on
 * Optimization in Deep Learning" (arXiv:2101.09192). Ported from the official
 * implementation, dariush-bahrami/gravity.optimizer
 * (`implementations/gravity_optimizer_keras.py`, the version the paper's
 * experiments ran), with its defaults: lr = 0.1, alpha = 0.01, beta = 0.9.
 *
 *   m = 1 / max|g|                          (per tensor)
 *   zeta = g / (1 + (g / m)^2)              (a step that peaks at |g| = m and vanishes for large |g|)
 *   beta_hat_t = (beta t + 1) / (t + 2)     t = 0 at the first update
 *   v = beta_hat_t v + (1 - beta_hat_t) zeta ;   x <- x - lr v
 *
 * The velocity starts from N(0, (alpha / lr)^2) noise (`initialVelocity:
 * 'random'`, drawn from the library generator or `seed`); 'zeros' starts it at 0.
 * The repository's PyTorch file counts t from 1 (beta_hat = (beta + 1) / 3 at the
 * first step); the Keras file and the paper's derivation ("at first step t = 0")
 * count from 0, which is followed here.
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, map } from './tree.js';
import { type GradientTransformation, chain } from './transform.js';
import { scaleByLearningRate } from './transforms.js';
import { resolveRng, type Rng } from '../backend/random.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer } from './adapter.js';
import { checkBeta, checkKnownKeys, checkNonNegative, checkOneOf, checkPositive } from './validate.js';

export interface ScaleByGravityState {
  count: number;
  velocity: TensorTree;
}

export function scaleByGravity({
  beta = 0.9,
  initStd = 0,
  rng,
}: { beta?: number; initStd?: number; rng?: Rng } = {}): GradientTransformation<ScaleByGravityState> {
  return {
    init: (params) => ({
      count: 0,
      velocity: map((p) => {
        if (initStd === 0) return tf.zerosLike(p);
        const r = rng ?? resolveRng(undefined);
        const vals = new Float32Array(p.size);
        for (let i = 0; i < vals.length; i++) vals[i] = r.normal() * initStd;
        return tf.tensor(vals, p.shape, 'float32');
      }, params),
    }),
    update(g, s) {
      const t = s.count;
      const bHat = (beta * t + 1) / (t + 2);
      const velocity = map((v, gi) => {
        const m = tf.div(1, tf.max(tf.abs(gi)));
        const zeta = tf.div(gi, tf.add(1, tf.square(tf.div(gi, m))));
        return tf.add(tf.mul(v, bHat), tf.mul(zeta, 1 - bHat));
      }, s.velocity, g);
      return { updates: velocity, state: { count: t + 1, velocity } };
    },
  };
}

export interface GravityConfig extends CommonOptions {
  lr?: number;
  /** Scale of the initial velocity: std = alpha / lr. */
  alpha?: number;
  beta?: number;
  initialVelocity?: 'random' | 'zeros';
  /** Seed of the initial velocity (default: the library generator). */
  seed?: number;
}

export const Gravity = defineOptimizer<GravityConfig>('Gravity', 'gravity', (c) => {
  const o = 'gravity';
  checkKnownKeys(o, c, ['lr', 'alpha', 'beta', 'initialVelocity', 'seed', ...COMMON_KEYS]);
  const lr = checkPositive(o, 'lr', c.lr ?? 0.1);
  const alpha = checkNonNegative(o, 'alpha', c.alpha ?? 0.01);
  const beta = checkBeta(o, 'beta', c.beta ?? 0.9);
  const init = checkOneOf(o, 'initialVelocity', c.initialVelocity ?? 'random', ['random', 'zeros'] as const);
  const rng = c.seed === undefined ? undefined : resolveRng(c.seed);
  const transform = chain(scaleByGravity({ beta, initStd: init === 'random' ? alpha / lr : 0, rng }), scaleByLearningRate(lr));
  return { transform, lr, nonFinite: c.nonFinite };
});

export function gravity(config: GravityConfig = {}): InstanceType<typeof Gravity> {
  return new Gravity(config);
}
