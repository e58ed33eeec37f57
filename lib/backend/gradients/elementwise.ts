/**
 * Gradients of elementwise kernels, written so that they can be differentiated again.
 *
 * TF.js's gradients for these kernels reuse the kernel's saved *output* (tanh, sigmoid,
 * exp), call a backward kernel that has no gradient (elu's EluGrad), or put an
 * overflowing branch under `where` (selu: 0 * inf = NaN in the next derivative). Here
 * every derivative factor is built from the input with differentiable ops, so the
 * outer tape of a nested `tf.grad` sees the whole chain. When no outer tape records
 * the gradient (plain first-order training), the saved output is reused instead,
 * which costs one op less.
 */
import * as tf from '../tf.js';
import { recordingHigherOrder, type GradConfig } from './registry.js';

type Tensor = tf.Tensor;

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

const f32 = (x: Tensor) => (x.dtype === 'float32' ? x : tf.cast(x, 'float32'));

/**
 * A gradient config for `y = kernel(x)`: dx = dy * factor(x, y), where `y` is the
 * saved output when the gradient is not itself being differentiated, else undefined
 * (factor then recomputes what it needs from x).
 */
function unary(
  kernelName: string,
  factor: (x: Tensor, y: Tensor | undefined) => Tensor,
  reuseOutput = false,
): GradConfig {
  return {
    kernelName,
    inputsToSave: ['x'],
    outputsToSave: reuseOutput ? [true] : undefined,
    gradFunc: (dy, saved) => {
      const x = f32(saved[0]);
      const y = reuseOutput && !recordingHigherOrder() ? saved[1] : undefined;
      return { x: () => tf.mul(dy as Tensor, factor(x, y)) };
    },
  };
}

export const elementwiseGradients: GradConfig[] = [
  // tanh' = 1 - tanh^2
  unary('Tanh', (x, y) => tf.sub(1, tf.square(y ?? tf.tanh(x))), true),
  // sigmoid' = s (1 - s)
  unary('Sigmoid', (x, y) => {
    const s = y ?? tf.sigmoid(x);
    return tf.mul(s, tf.sub(1, s));
  }, true),
  unary('Exp', (x, y) => y ?? tf.exp(x), true),
  // elu'(x) = 1 for x > 0, exp(x) otherwise; exp(min(x, 0)) is both, with no branch to overflow.
  unary('Elu', (x) => tf.exp(tf.minimum(x, 0))),
  // selu'(x) = scale for x > 0, scale * alpha * exp(x) otherwise.
  unary('Selu', (x) =>
    tf.mul(SELU_SCALE, tf.add(tf.mul(SELU_ALPHA, tf.exp(tf.minimum(x, 0))), tf.mul(1 - SELU_ALPHA, tf.step(x))))),
  unary('Softplus', (x) => tf.sigmoid(x)),
  // |x|' = sign(x), with 0 at 0 as in JAX and PyTorch (TF.js gives -1 there).
  unary('Abs', (x) => tf.sign(x)),
];
