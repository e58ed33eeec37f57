/**
 * Gradients of two-input kernels (with broadcasting) and of comparisons.
 *
 * - Pow: TF.js's exponent gradient reuses the saved output and takes log of the base
 *   under `where`, which turns into NaN in the next derivative at base 0.
 * - Maximum / Minimum: ties split the gradient evenly, as in JAX and PyTorch (TF.js
 *   gives all of it to one side).
 * - FloorDiv: floor(a / b) is piecewise constant, so its gradient is zero (TF.js
 *   returns the gradient of a / b, a wrong first derivative).
 * - Comparisons and logical ops have piecewise-constant outputs: zero gradients. TF.js
 *   registers none, so a mask built with `greater` inside a gradient (leakyRelu, prelu,
 *   relu6, clipByValue, ...) made every second derivative through it throw.
 */
import * as tf from '../tf.js';
import { recordingHigherOrder, type GradConfig } from './registry.js';

type Tensor = tf.Tensor;

/** Sums a broadcast gradient back down to `shape`. */
export function unbroadcast(grad: Tensor, shape: number[]): Tensor {
  if (tf.util.arraysEqual(grad.shape, shape)) return grad;
  const axes = tf.broadcast_util.getReductionAxes(shape, grad.shape);
  const reduced = axes.length > 0 ? tf.sum(grad, axes) : grad;
  return tf.reshape(reduced, shape);
}

const f32 = (x: Tensor) => (x.dtype === 'float32' ? x : tf.cast(x, 'float32'));
const mask = (x: Tensor) => tf.cast(x, 'float32');

/** log(a) where a > 0, else 0, with no NaN or inf anywhere in the graph. */
function safeLog(a: Tensor): Tensor {
  const positive = tf.greater(a, 0);
  return tf.where(positive, tf.log(tf.where(positive, a, tf.onesLike(a))), tf.zerosLike(a));
}

const pow: GradConfig = {
  kernelName: 'Pow',
  inputsToSave: ['a', 'b'],
  outputsToSave: [true],
  gradFunc: (dy, saved) => {
    const a = f32(saved[0]);
    const b = f32(saved[1]);
    const d = dy as Tensor;
    return {
      a: () => unbroadcast(tf.mul(d, tf.mul(b, tf.pow(a, tf.sub(b, 1)))), a.shape),
      b: () => {
        const y = recordingHigherOrder() ? tf.pow(a, b) : saved[2];
        return unbroadcast(tf.mul(d, tf.mul(y, safeLog(a))), b.shape);
      },
    };
  },
};

/** max/min of two tensors: `wins(a, b)` says where a is selected strictly. */
function extremum(kernelName: string, wins: (a: Tensor, b: Tensor) => Tensor): GradConfig {
  return {
    kernelName,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved) => {
      const [a, b] = saved;
      const d = dy as Tensor;
      const tie = tf.mul(0.5, mask(tf.equal(a, b)));
      return {
        a: () => unbroadcast(tf.mul(d, tf.add(mask(wins(a, b)), tie)), a.shape),
        b: () => unbroadcast(tf.mul(d, tf.add(mask(wins(b, a)), tie)), b.shape),
      };
    },
  };
}

/**
 * Add, Sub, Multiply, RealDiv: TF.js's gradients, minus the float32-to-float32 casts they
 * run on every call (on wasm a cast copies the tensor).
 */
const arithmetic: GradConfig[] = [
  {
    kernelName: 'Add',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b]) => ({ a: () => unbroadcast(dy as Tensor, a.shape), b: () => unbroadcast(dy as Tensor, b.shape) }),
  },
  {
    kernelName: 'Sub',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b]) => ({ a: () => unbroadcast(dy as Tensor, a.shape), b: () => unbroadcast(tf.neg(dy as Tensor), b.shape) }),
  },
  {
    kernelName: 'Multiply',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b]) => ({
      a: () => unbroadcast(tf.mul(dy as Tensor, f32(b)), a.shape),
      b: () => unbroadcast(tf.mul(dy as Tensor, f32(a)), b.shape),
    }),
  },
  {
    kernelName: 'RealDiv',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b]) => ({
      a: () => unbroadcast(tf.div(dy as Tensor, f32(b)), a.shape),
      b: () => unbroadcast(tf.neg(tf.div(tf.mul(dy as Tensor, f32(a)), tf.square(f32(b)))), b.shape),
    }),
  },
];

/** A kernel whose output is piecewise constant in every input. */
function zeroGradient(kernelName: string, inputs: string[]): GradConfig {
  return {
    kernelName,
    inputsToSave: inputs,
    gradFunc: (_dy, saved) =>
      Object.fromEntries(inputs.map((name, i) => [name, () => tf.zeros(saved[i].shape, 'float32')])),
  };
}

export const binaryGradients: GradConfig[] = [
  ...arithmetic,
  pow,
  extremum('Maximum', tf.greater),
  extremum('Minimum', tf.less),
  zeroGradient('FloorDiv', ['a', 'b']),
  ...['Greater', 'GreaterEqual', 'Less', 'LessEqual', 'Equal', 'NotEqual', 'LogicalAnd', 'LogicalOr', 'LogicalXor']
    .map((name) => zeroGradient(name, ['a', 'b'])),
  zeroGradient('LogicalNot', ['x']),
];
