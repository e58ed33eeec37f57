/**
 * Activation functions by name, each with its first and second derivative built from
 * TF.js ops. `jet(z)` returns [s(z), s'(z), s''(z)] sharing the work between them (one
 * tanh for all three, say): Taylor-mode input derivatives of networks use it, and
 * TF.js can back-propagate through it to the parameters.
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
  /** [s(z), s'(z), s''(z)] up to `order` (0, 1 or 2). */
  jet(z: Tensor, order: 0 | 1 | 2): Tensor[];
}

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

function make(name: ActivationName, apply: (z: Tensor) => Tensor, jet: (z: Tensor) => Tensor[]): Activation {
  return {
    name,
    apply,
    jet: (z, order) => (order === 0 ? [apply(z)] : jet(z).slice(0, order + 1)),
  };
}

const ACTIVATIONS: Record<ActivationName, Activation> = {
  tanh: make('tanh', fast.tanh, (z) => {
    const t = fast.tanh(z);
    const d1 = tf.sub(1, tf.square(t));
    return [t, d1, tf.mul(-2, tf.mul(t, d1))];
  }),
  sin: make('sin', tf.sin, (z) => {
    const s = tf.sin(z);
    return [s, tf.cos(z), tf.neg(s)];
  }),
  cos: make('cos', tf.cos, (z) => {
    const c = tf.cos(z);
    return [c, tf.neg(tf.sin(z)), tf.neg(c)];
  }),
  sigmoid: make('sigmoid', tf.sigmoid, (z) => {
    const s = tf.sigmoid(z);
    const d1 = tf.mul(s, tf.sub(1, s));
    return [s, d1, tf.mul(d1, tf.sub(1, tf.mul(2, s)))];
  }),
  softplus: make('softplus', tf.softplus, (z) => {
    const s = tf.sigmoid(z);
    return [tf.softplus(z), s, tf.mul(s, tf.sub(1, s))];
  }),
  // Exact GELU: z * Phi(z); s' = Phi + z phi; s'' = phi (2 - z^2).
  gelu: make('gelu', (z) => tf.mul(z, normalCdf(z)), (z) => {
    const cdf = normalCdf(z);
    const pdf = tf.mul(INV_SQRT_2PI, tf.exp(tf.mul(-0.5, tf.square(z))));
    return [tf.mul(z, cdf), tf.add(cdf, tf.mul(z, pdf)), tf.mul(pdf, tf.sub(2, tf.square(z)))];
  }),
  // swish / SiLU: z sigma(z); s' = sigma + z sigma (1 - sigma); s'' = sigma (1 - sigma) (2 + z (1 - 2 sigma)).
  swish: make('swish', (z) => tf.mul(z, tf.sigmoid(z)), (z) => {
    const s = tf.sigmoid(z);
    const ds = tf.mul(s, tf.sub(1, s));
    return [tf.mul(z, s), tf.add(s, tf.mul(z, ds)), tf.mul(ds, tf.add(2, tf.mul(z, tf.sub(1, tf.mul(2, s)))))];
  }),
  relu: make('relu', tf.relu, (z) => [tf.relu(z), tf.step(z), tf.zerosLike(z)]),
  // elu (alpha 1): s' = exp(min(z, 0)), s'' = exp(z) for z < 0, else 0.
  elu: make('elu', tf.elu, (z) => {
    const d1 = tf.exp(tf.minimum(z, 0));
    return [tf.elu(z), d1, tf.mul(d1, tf.cast(tf.less(z, 0), 'float32'))];
  }),
  linear: make('linear', (z) => z, (z) => [z, tf.onesLike(z), tf.zerosLike(z)]),
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
