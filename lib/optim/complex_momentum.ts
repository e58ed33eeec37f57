/**
 * Complex momentum: Lorraine, Acuna, Vicol & Duvenaud, "Complex Momentum for
 * Optimization in Games", AISTATS 2022 (arXiv:2102.08431), Algorithm 1. No
 * official code was released; this is the algorithm as printed, with a complex
 * momentum coefficient beta and a real step size:
 *
 *   mu <- beta mu - g           (mu complex, kept as two real tensors re/im)
 *   x  <- x + lr Re(mu)
 *
 * Parameters stay real; beta real reduces to heavy-ball momentum (positive or
 * negative). Default beta = 0.9 exp(i pi/8) (|beta| = 0.9, arg = pi/8, the
 * paper's bilinear-game setting); lr is required. For games, give each player
 * its own optimizer and run them with `games.play` (simultaneous or alternating
 * updates).
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, map, zerosLike } from './tree.js';
import { type GradientTransformation, chain } from './transform.js';
import { scaleByLearningRate } from './transforms.js';
import { type Schedule } from './schedules.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer } from './adapter.js';
import { checkKnownKeys, checkLearningRate, checkNumber } from './validate.js';

export interface ComplexMomentumState {
  re: TensorTree;
  im: TensorTree;
}

/** A complex number given as {re, im} or in polar form {magnitude, phase}. */
export type ComplexSpec = { re: number; im: number } | { magnitude: number; phase: number };

export function toComplex(owner: string, name: string, c: ComplexSpec): { re: number; im: number } {
  if (c !== null && typeof c === 'object' && 'magnitude' in c) {
    const m = checkNumber(owner, `${name}.magnitude`, c.magnitude, { min: 0 });
    const ph = checkNumber(owner, `${name}.phase`, c.phase);
    return { re: m * Math.cos(ph), im: m * Math.sin(ph) };
  }
  if (c !== null && typeof c === 'object' && 're' in c) {
    return { re: checkNumber(owner, `${name}.re`, c.re), im: checkNumber(owner, `${name}.im`, c.im) };
  }
  throw new TypeError(`${owner}: ${name} must be {re, im} or {magnitude, phase}, got ${JSON.stringify(c)}`);
}

/** The descent direction -Re(mu) after mu <- beta mu - g (so that the chain's lr makes x += lr Re(mu)). */
export function scaleByComplexMomentum(beta: { re: number; im: number }): GradientTransformation<ComplexMomentumState> {
  return {
    init: (params) => ({ re: zerosLike(params), im: zerosLike(params) }),
    update(g, s) {
      // (b_r + i b_i)(m_r + i m_i) - g
      const re = map((mr, mi, x) => tf.sub(tf.sub(tf.mul(mr, beta.re), tf.mul(mi, beta.im)), x), s.re, s.im, g);
      const im = map((mr, mi) => tf.add(tf.mul(mi, beta.re), tf.mul(mr, beta.im)), s.re, s.im);
      return { updates: map((x) => tf.neg(x), re), state: { re, im } };
    },
  };
}

export interface ComplexMomentumConfig extends CommonOptions {
  lr: number | Schedule;
  beta?: ComplexSpec;
}

export const ComplexMomentum = defineOptimizer<ComplexMomentumConfig>('ComplexMomentum', 'complexMomentum', (c) => {
  const o = 'complexMomentum';
  checkKnownKeys(o, c, ['lr', 'beta', ...COMMON_KEYS]);
  if (c?.lr === undefined) throw new RangeError(`${o}: lr is required (a number >= 0 or a schedule)`);
  const lr = checkLearningRate(o, 'lr', c.lr);
  const beta = toComplex(o, 'beta', c.beta ?? { magnitude: 0.9, phase: Math.PI / 8 });
  if (Math.hypot(beta.re, beta.im) >= 1) {
    throw new RangeError(`${o}: |beta| must be < 1, got ${Math.hypot(beta.re, beta.im)}`);
  }
  return { transform: chain(scaleByComplexMomentum(beta), scaleByLearningRate(lr)), lr, nonFinite: c.nonFinite };
});

/** Gradient descent with complex momentum (real parameter updates). */
export function complexMomentum(config: ComplexMomentumConfig): InstanceType<typeof ComplexMomentum> {
  return new ComplexMomentum(config);
}
