/**
 * Gradients of reductions and of the softmax family.
 *
 * - Max / Min: ties split the gradient evenly (JAX's convention; TF.js hands the full
 *   gradient to every tied element, so the gradient sums to more than dy).
 * - Prod: TF.js's gradient calls Tensor methods that its Node bundle never installs and
 *   a cumprod that has no gradient. Here it is the leave-one-out product, computed with
 *   `prod` itself, so it is exact with zeros in x and differentiable to any order; it
 *   holds an extra factor n (the reduced size) of memory.
 * - Softmax / LogSoftmax: TF.js reuses the saved output; here the softmax is
 *   recomputed from the logits whenever an outer tape records the gradient.
 */
import * as tf from '../tf.js';
import { recordingHigherOrder, type GradConfig } from './registry.js';

type Tensor = tf.Tensor;

/** Shape of `shape` reduced over `axes` with the reduced axes kept as size 1. */
function keptShape(shape: number[], axes: number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

function extremumReduction(kernelName: 'Max' | 'Min', axisAttr: 'reductionIndices' | 'axis'): GradConfig {
  return {
    kernelName,
    inputsToSave: ['x'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, y] = saved;
      const axes = tf.util.parseAxisParam(attrs[axisAttr] as number | number[], x.shape);
      const shape = keptShape(x.shape, axes);
      // The selection mask is piecewise constant, so the saved output is safe to reuse here.
      const selected = tf.cast(tf.equal(x, tf.reshape(y, shape)), 'float32');
      const share = tf.div(selected, tf.sum(selected, axes, true));
      return { x: () => tf.mul(tf.reshape(dy as Tensor, shape), share) };
    },
  };
}

const prod: GradConfig = {
  kernelName: 'Prod',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const x = tf.cast(saved[0], 'float32');
    const rank = x.rank;
    const axes = tf.util.parseAxisParam(attrs.axis as number | number[], x.shape);
    return {
      x: () => {
        // Move the reduced axes last and flatten them to one axis of size n.
        const perm = tf.backend_util.getAxesPermutation(axes, rank) ?? [...Array(rank).keys()];
        const permuted = tf.transpose(x, perm);
        const outer = permuted.shape.slice(0, rank - axes.length);
        const n = axes.reduce((p, a) => p * x.shape[a], 1);
        const flat = tf.reshape(permuted, [...outer, 1, n]);
        // others[..., i, j] = x_j for j != i and 1 on the diagonal; its product over j
        // is the product of all entries but the i-th.
        const eye = tf.reshape(tf.cast(tf.eye(n), 'bool'), [...outer.map(() => 1), n, n]);
        const others = tf.where(eye, tf.onesLike(flat), flat);
        const leaveOneOut = tf.prod(others, -1);
        const dyFlat = tf.reshape(dy as Tensor, [...outer, 1]);
        const dx = tf.reshape(tf.mul(dyFlat, leaveOneOut), permuted.shape);
        return tf.transpose(dx, tf.backend_util.getUndoAxesPermutation(perm));
      },
    };
  },
};

const softmax: GradConfig = {
  kernelName: 'Softmax',
  inputsToSave: ['logits'],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const dim = attrs.dim as number;
    const s = recordingHigherOrder() ? tf.softmax(saved[0], dim) : saved[1];
    const d = dy as Tensor;
    return { logits: () => tf.mul(s, tf.sub(d, tf.sum(tf.mul(d, s), dim, true))) };
  },
};

const logSoftmax: GradConfig = {
  kernelName: 'LogSoftmax',
  inputsToSave: ['logits'],
  gradFunc: (dy, saved, attrs) => {
    const axis = attrs.axis as number;
    const d = dy as Tensor;
    return { logits: () => tf.sub(d, tf.mul(tf.sum(d, axis, true), tf.softmax(saved[0], axis))) };
  },
};

export const reductionGradients: GradConfig[] = [
  extremumReduction('Max', 'reductionIndices'),
  extremumReduction('Min', 'axis'),
  prod,
  softmax,
  logSoftmax,
];
