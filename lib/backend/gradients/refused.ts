/**
 * Gradients that raise instead of returning a wrong number.
 *
 * - Backward kernels with no derivative (max pooling, LRN, 3-D and depthwise convolution,
 *   dilation, resizing): those ops are supported to first order only, and
 *   differentiating them twice must not silently produce a number.
 * - abs of a complex tensor: TF.js applied the real abs rule.
 */
import type { GradConfig } from './registry.js';

/** Backward kernels with no derivative, and the op a user would recognise them by. */
const firstOrderOnly: Record<string, string> = {
  MaxPoolGrad: 'maxPool',
  MaxPool3DGrad: 'maxPool3d',
  LRNGrad: 'localResponseNormalization',
  Conv3DBackpropInputV2: 'conv3d',
  Conv3DBackpropFilterV2: 'conv3d',
  DepthwiseConv2dNativeBackpropInput: 'depthwiseConv2d',
  DepthwiseConv2dNativeBackpropFilter: 'depthwiseConv2d',
  Dilation2DBackpropInput: 'dilation2d',
  Dilation2DBackpropFilter: 'dilation2d',
  ResizeBilinearGrad: 'resizeBilinear',
  ResizeNearestNeighborGrad: 'resizeNearestNeighbor',
  EluGrad: 'elu (through the EluGrad kernel)',
};

function refuse(kernelName: string, op: string): GradConfig {
  return {
    kernelName,
    gradFunc: () => {
      throw new Error(
        `optilab: cannot differentiate ${op} twice: its gradient runs the TF.js kernel ${kernelName}, ` +
          `which has no derivative. ${op} is supported to first order only (README, "Derivatives").`);
    },
  };
}

/** TF.js differentiates abs of a complex tensor with the real abs rule: a wrong number. */
const complexAbs: GradConfig = {
  kernelName: 'ComplexAbs',
  gradFunc: () => {
    throw new Error('optilab: abs of a complex tensor has no gradient here (TF.js applied the real abs rule, which is wrong for complex input)');
  },
};

export const refusedGradients: GradConfig[] = [
  complexAbs,
  ...Object.entries(firstOrderOnly).map(([kernel, op]) => refuse(kernel, op)),
];
