/**
 * Gradients of kernels that move data around.
 *
 * MirrorPad: TF.js's gradient only slices out the centre, dropping what the mirrored
 * borders contribute (a wrong first derivative). Here each padded border is reversed
 * and added back onto the entries it copied.
 */
import * as tf from '../tf.js';
import type { GradConfig } from './registry.js';

type Tensor = tf.Tensor;

/** Adds the mirrored borders of `g` along `axis` back onto a length-`n` centre. */
function foldMirror(g: Tensor, axis: number, n: number, before: number, after: number, offset: number): Tensor {
  const sliceAlong = (start: number, size: number) => {
    const begin = g.shape.map((_, i) => (i === axis ? start : 0));
    const sizes = g.shape.map((d, i) => (i === axis ? size : d));
    return tf.slice(g, begin, sizes);
  };
  const padAlong = (t: Tensor, lo: number, hi: number) =>
    tf.pad(t, t.shape.map((_, i) => (i === axis ? [lo, hi] : [0, 0]) as [number, number]));
  let folded = sliceAlong(before, n);
  if (before > 0) {
    folded = tf.add(folded, padAlong(tf.reverse(sliceAlong(0, before), axis), offset, n - offset - before));
  }
  if (after > 0) {
    folded = tf.add(folded, padAlong(tf.reverse(sliceAlong(before + n, after), axis), n - offset - after, offset));
  }
  return folded;
}

const mirrorPad: GradConfig = {
  kernelName: 'MirrorPad',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const x = saved[0];
    const paddings = attrs.paddings as Array<[number, number]>;
    const offset = attrs.mode === 'reflect' ? 1 : 0;
    return {
      x: () => {
        let g = dy as Tensor;
        paddings.forEach(([before, after], axis) => {
          if (before > 0 || after > 0) g = foldMirror(g, axis, x.shape[axis], before, after, offset);
        });
        return g;
      },
    };
  },
};

export const structuralGradients: GradConfig[] = [mirrorPad];
