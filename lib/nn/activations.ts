/**
 * Activation functions by name, each with its first, second and third derivative built
 * from TF.js ops. `jet(z, order)` returns [s(z), s'(z), s''(z), s'''(z)] up to `order`,
 * sharing the work between them (one sigmoid for all of tanh's): Taylor-mode input
 * derivatives of networks use it, and TF.js can back-propagate through it.
 */
import * as tf from '../backend/tf.js';
import * as fast from '../backend/fast.js';

type Tensor = tf.Tensor;

export const ACTIVATION_NAMES = [
  'tanh', 'sin', 'cos', 'sigmoid', 'softplus', 'gelu', 'swish', 'relu', 'elu', 'linear',
] as const;
export type ActivationName = (typeof ACTIVATION_NAMES)[number];

export interface Activation {
  readonly name: ActivationName;
  /** s(z). */
  apply(z: Tensor): Tensor;
  /** [s(z), s'(z), s''(z), s'''(z)] up to `order` (0 to 3). */
  jet(z: Tensor, order: 0 | 1 | 2 | 3): Tensor[];
}

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** `jet(z, third)` returns [s, s', s''] and, when `third`, the third derivative as well. */
function make(name: ActivationName, apply: (z: Tensor) => Tensor, jet: (z: Tensor, third: boolean) => Tensor[]): Activation {
  return {
    name,
    apply,
    jet: (z, order) => (order === 0 ? [apply(z)] : jet(z, order === 3).slice(0, order + 1)),
  };
}

const ACTIVATIONS: Record<ActivationName, Activation> = {
  // tanh: s' = 1 - t^2, s'' = -2 t s', s''' = s' (4 t^2 - 2 s').
  tanh: make('tanh', fast.tanh, (z, third) => {
    const t = fast.tanh(z);
    const d1 = tf.sub(1, tf.square(t));
    const d2 = tf.mul(-2, tf.mul(t, d1));
    return third ? [t, d1, d2, tf.mul(d1, tf.sub(tf.mul(4, tf.square(t)), tf.mul(2, d1)))] : [t, d1, d2];
  }),
  sin: make('sin', tf.sin, (z, third) => {
    const s = tf.sin(z);
    const c = tf.cos(z);
    return third ? [s, c, tf.neg(s), tf.neg(c)] : [s, c, tf.neg(s)];
  }),
  cos: make('cos', tf.cos, (z, third) => {
    const c = tf.cos(z);
    const s = tf.sin(z);
    return third ? [c, tf.neg(s), tf.neg(c), s] : [c, tf.neg(s), tf.neg(c)];
  }),
  // sigmoid: s' = s (1 - s), s'' = s' (1 - 2 s), s''' = s'' (1 - 2 s) - 2 s'^2.
  sigmoid: make('sigmoid', tf.sigmoid, (z, third) => {
    const s = tf.sigmoid(z);
    const d1 = tf.mul(s, tf.sub(1, s));
    const u = tf.sub(1, tf.mul(2, s));
    const d2 = tf.mul(d1, u);
    return third ? [s, d1, d2, tf.sub(tf.mul(d2, u), tf.mul(2, tf.square(d1)))] : [s, d1, d2];
  }),
  // softplus: s' = sigma, s'' = sigma (1 - sigma), s''' = s'' (1 - 2 sigma).
  softplus: make('softplus', tf.softplus, (z, third) => {
    const s = tf.sigmoid(z);
    const d2 = tf.mul(s, tf.sub(1, s));
    return third ? [tf.softplus(z), s, d2, tf.mul(d2, tf.sub(1, tf.mul(2, s)))] : [tf.softplus(z), s, d2];
  }),
  // Exact GELU: z Phi(z); s' = Phi + z phi; s'' = phi (2 - z^2); s''' = phi (z^3 - 4 z).
  gelu: make('gelu', (z) => tf.mul(z, normalCdf(z)), (z, third) => {
    const cdf = normalCdf(z);
    const pdf = tf.mul(INV_SQRT_2PI, tf.exp(tf.mul(-0.5, tf.square(z))));
    const out = [tf.mul(z, cdf), tf.add(cdf, tf.mul(z, pdf)), tf.mul(pdf, tf.sub(2, tf.square(z)))];
    if (third) out.push(tf.mul(pdf, tf.mul(z, tf.sub(tf.square(z), 4))));
    return out;
  }),
  // swish / SiLU: z sigma; with p = sigma', q = sigma'', r = sigma''':
  // s' = sigma + z p, s'' = 2 p + z q, s''' = 3 q + z r.
  swish: make('swish', (z) => tf.mul(z, tf.sigmoid(z)), (z, third) => {
    const s = tf.sigmoid(z);
    const u = tf.sub(1, tf.mul(2, s));
    const p = tf.mul(s, tf.sub(1, s));
    const q = tf.mul(p, u);
    const out = [tf.mul(z, s), tf.add(s, tf.mul(z, p)), tf.add(tf.mul(2, p), tf.mul(z, q))];
    if (third) out.push(tf.add(tf.mul(3, q), tf.mul(z, tf.sub(tf.mul(q, u), tf.mul(2, tf.square(p))))));
    return out;
  }),
  relu: make('relu', tf.relu, (z, third) => {
    const zero = tf.zerosLike(z);
    return third ? [tf.relu(z), tf.step(z), zero, zero] : [tf.relu(z), tf.step(z), zero];
  }),
  // elu (alpha 1): s' = exp(min(z, 0)); s'' = s''' = exp(z) for z < 0, else 0.
  elu: make('elu', tf.elu, (z, third) => {
    const d1 = tf.exp(tf.minimum(z, 0));
    const d2 = tf.mul(d1, tf.cast(tf.less(z, 0), 'float32'));
    return third ? [tf.elu(z), d1, d2, d2] : [tf.elu(z), d1, d2];
  }),
  linear: make('linear', (z) => z, (z, third) => {
    const zero = tf.zerosLike(z);
    return third ? [z, tf.onesLike(z), zero, zero] : [z, tf.onesLike(z), zero];
  }),
};

function normalCdf(z: Tensor): Tensor {
  return tf.mul(0.5, tf.add(1, tf.erf(tf.mul(Math.SQRT1_2, z))));
}

/** The activation called `name`; throws naming the accepted names otherwise. */
export function activation(name: string): Activation {
  const found = (ACTIVATIONS as Record<string, Activation | undefined>)[name];
  if (found === undefined) {
    throw new Error(`activation: unknown name '${name}'; expected one of ${ACTIVATION_NAMES.join(', ')}`);
  }
  return found;
}
