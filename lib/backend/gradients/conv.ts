/**
 * Second derivatives through convolution and pooling.
 *
 * The gradients of these kernels call dedicated backward kernels. Where the backward
 * kernel is linear in its inputs its own gradient is another forward kernel, and is
 * registered here (avgPool, conv2d's filter gradient), which makes those ops
 * differentiable to any order. The other backward kernels are refused (./refused.ts).
 */
import * as tf from '../tf.js';
import type { GradConfig } from './registry.js';

type Tensor = tf.Tensor;
type Pad = 'valid' | 'same' | number;

const avgPoolGrad: GradConfig = {
  kernelName: 'AvgPoolGrad',
  inputsToSave: ['input'],
  gradFunc: (ddx, saved, attrs) => ({
    // avgPoolGrad is linear in dy with adjoint avgPool, and does not depend on the input's values.
    dy: () => tf.avgPool(ddx as tf.Tensor4D, attrs.filterSize as [number, number], attrs.strides as [number, number], attrs.pad as Pad),
    input: () => tf.zeros(saved[0].shape, 'float32'),
  }),
};

const avgPool3DGrad: GradConfig = {
  kernelName: 'AvgPool3DGrad',
  inputsToSave: ['input'],
  gradFunc: (ddx, saved, attrs) => ({
    dy: () => tf.avgPool3d(ddx as tf.Tensor5D, attrs.filterSize as [number, number, number],
      attrs.strides as [number, number, number], attrs.pad as Pad, attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined),
    input: () => tf.zeros(saved[0].shape, 'float32'),
  }),
};

/** The filter gradient dW = B(x, dy) is bilinear; its partial derivatives are conv2d and its input gradient. */
const conv2DBackpropFilter: GradConfig = {
  kernelName: 'Conv2DBackpropFilter',
  inputsToSave: ['x', 'dy'],
  gradFunc: (ddw, saved, attrs) => {
    const [x, dy] = saved;
    const { strides, pad, dataFormat, dimRoundingMode } = attrs;
    return {
      x: () => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: ddw as Tensor },
        { strides, pad, dataFormat, dimRoundingMode, inputShape: x.shape }) as Tensor,
      dy: () => tf.conv2d(x as tf.Tensor4D, ddw as tf.Tensor4D, strides as [number, number], pad as Pad,
        dataFormat as 'NHWC' | 'NCHW', 1, dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined),
    };
  },
};

export const convGradients: GradConfig[] = [avgPoolGrad, avgPool3DGrad, conv2DBackpropFilter];
