/**
 * What optilab knows about the gradient of every TF.js kernel that has one: whether
 * it was rewritten, is TF.js's own (already differentiable to any order once the
 * comparison kernels have zero gradients), or is first order only. The README's table
 * of supported ops is this catalog; a test checks that every kernel in the live
 * registry appears here, so a TF.js upgrade that adds gradients gets noticed.
 */
export type GradientStatus =
  /** optilab's gradient, built from the inputs with differentiable ops: any order. */
  | 'rewritten'
  /** TF.js's gradient, already built from the inputs with differentiable ops: any order. */
  | 'stock'
  /** Piecewise-constant op: zero gradient, at every order. */
  | 'zero'
  /** First derivative only; a second derivative raises an error naming the op. */
  | 'first-order'
  /** Gradient of a backward kernel (makes its forward op differentiable again). */
  | 'backward'
  /** Not usable for derivatives here (complex numbers). */
  | 'unsupported';

export interface GradientEntry { status: GradientStatus; op: string; note?: string }

const e = (status: GradientStatus, op: string, note?: string): GradientEntry => ({ status, op, note });

export const GRADIENT_CATALOG: Readonly<Record<string, GradientEntry>> = {
  // Rewritten: TF.js's gradient reused its output, called a kernel with no gradient, or was wrong.
  Tanh: e('rewritten', 'tanh', 'TF.js reuses the output: second derivative lost'),
  Sigmoid: e('rewritten', 'sigmoid', 'TF.js reuses the output'),
  Exp: e('rewritten', 'exp', 'TF.js reuses the output'),
  Elu: e('rewritten', 'elu', 'TF.js calls EluGrad, which has no gradient'),
  Selu: e('rewritten', 'selu', 'TF.js: 0 * inf = NaN in the second derivative for large x'),
  Softplus: e('rewritten', 'softplus'),
  Abs: e('rewritten', 'abs', "derivative at 0 is 0 (JAX, PyTorch); TF.js gives -1"),
  Pow: e('rewritten', 'pow', 'TF.js reuses the output; NaN at base 0 in the next derivative'),
  Maximum: e('rewritten', 'maximum', 'ties split evenly (JAX)'),
  Minimum: e('rewritten', 'minimum', 'ties split evenly (JAX)'),
  FloorDiv: e('rewritten', 'floorDiv', 'zero gradient; TF.js returned the gradient of a / b'),
  Max: e('rewritten', 'max', 'ties split evenly (JAX); TF.js reuses the output'),
  Min: e('rewritten', 'min', 'ties split evenly (JAX); TF.js reuses the output'),
  Prod: e('rewritten', 'prod', 'TF.js gradient threw in Node; leave-one-out products, exact with zeros'),
  Softmax: e('rewritten', 'softmax', 'TF.js reuses the output'),
  LogSoftmax: e('rewritten', 'logSoftmax (kernel)', 'TF.js reuses the output'),
  MirrorPad: e('rewritten', 'mirrorPad', 'TF.js dropped the mirrored borders (wrong first derivative)'),
  // Zero gradients for comparisons: TF.js had none, so masks inside gradients threw.
  Greater: e('zero', 'greater'), GreaterEqual: e('zero', 'greaterEqual'), Less: e('zero', 'less'),
  LessEqual: e('zero', 'lessEqual'), Equal: e('zero', 'equal'), NotEqual: e('zero', 'notEqual'),
  LogicalAnd: e('zero', 'logicalAnd'), LogicalOr: e('zero', 'logicalOr'), LogicalXor: e('zero', 'logicalXor'),
  LogicalNot: e('zero', 'logicalNot'),
  ArgMax: e('zero', 'argMax'), ArgMin: e('zero', 'argMin'), Ceil: e('zero', 'ceil'), Floor: e('zero', 'floor'),
  Round: e('zero', 'round'), Sign: e('zero', 'sign'), Step: e('zero', 'step'), IsFinite: e('zero', 'isFinite'),
  IsInf: e('zero', 'isInf'), IsNan: e('zero', 'isNaN'), OneHot: e('zero', 'oneHot'), OnesLike: e('zero', 'onesLike'),
  ZerosLike: e('zero', 'zerosLike'),
  // TF.js's own gradients, built from inputs: correct to any order.
  Acos: e('stock', 'acos'), Acosh: e('stock', 'acosh'), Asin: e('stock', 'asin'), Asinh: e('stock', 'asinh'),
  Atan: e('stock', 'atan'), Atanh: e('stock', 'atanh'), Atan2: e('stock', 'atan2'), Cos: e('stock', 'cos'),
  Cosh: e('stock', 'cosh'), Sin: e('stock', 'sin'), Sinh: e('stock', 'sinh'), Tan: e('stock', 'tan'),
  Erf: e('stock', 'erf'), Expm1: e('stock', 'expm1'), Log: e('stock', 'log'), Log1p: e('stock', 'log1p'),
  Reciprocal: e('stock', 'reciprocal'), Rsqrt: e('stock', 'rsqrt'), Sqrt: e('stock', 'sqrt'),
  Square: e('stock', 'square'), Neg: e('stock', 'neg'),
  Relu: e('stock', 'relu', 'second derivative 0 (a.e.)'), Relu6: e('stock', 'relu6'),
  LeakyRelu: e('stock', 'leakyRelu'), Prelu: e('stock', 'prelu'),
  ClipByValue: e('stock', 'clipByValue', 'gradient passes at the bounds'),
  Add: e('rewritten', 'add', 'same maths without the casts TF.js runs'), AddN: e('stock', 'addN'),
  Sub: e('rewritten', 'sub', 'same maths without casts'), Multiply: e('rewritten', 'mul', 'same maths without casts'),
  RealDiv: e('rewritten', 'div', 'same maths without casts'), Mod: e('stock', 'mod'), SquaredDifference: e('stock', 'squaredDifference'),
  BatchMatMul: e('rewritten', 'matMul', 'same maths; transposes materialised on wasm, where transposed products are slow'),
  Sum: e('stock', 'sum'), Mean: e('stock', 'mean'),
  Cumsum: e('stock', 'cumsum'), Select: e('stock', 'where'), Cast: e('stock', 'cast'),
  Identity: e('stock', 'identity'), Reshape: e('stock', 'reshape'), ExpandDims: e('stock', 'expandDims'),
  Transpose: e('stock', 'transpose'), Reverse: e('stock', 'reverse'), Slice: e('stock', 'slice'),
  Concat: e('stock', 'concat'), SplitV: e('stock', 'split'), Pack: e('stock', 'stack'),
  Unpack: e('stock', 'unstack'), Tile: e('stock', 'tile', 'rank <= 4'), PadV2: e('stock', 'pad'),
  BroadcastTo: e('stock', 'broadcastTo'), SpaceToBatchND: e('stock', 'spaceToBatchND'),
  BatchToSpaceND: e('stock', 'batchToSpaceND'),
  GatherV2: e('stock', 'gather', 'on wasm through the UnsortedSegmentSum kernel optilab adds'),
  UnsortedSegmentSum: e('stock', 'unsortedSegmentSum'),
  FusedBatchNorm: e('rewritten', 'batchNorm', 'TF.js: wrong shapes with scalar mean/variance; tf.batchNorm without scale/offset crashed under any gradient'),
  Conv2D: e('stock', 'conv2d', 'any order with Conv2DBackpropFilter below (on wasm through the kernel optilab adds)'),
  Conv2DBackpropInput: e('stock', 'conv2dTranspose'),
  AvgPool: e('stock', 'avgPool', 'any order with AvgPoolGrad below'),
  AvgPool3D: e('stock', 'avgPool3d', 'any order with AvgPool3DGrad below'),
  // Gradients of backward kernels.
  AvgPoolGrad: e('backward', 'avgPool'), AvgPool3DGrad: e('backward', 'avgPool3d'),
  Conv2DBackpropFilter: e('backward', 'conv2d'),
  // First order only: their gradients call backward kernels with no derivative.
  MaxPool: e('first-order', 'maxPool'), MaxPool3D: e('first-order', 'maxPool3d'),
  LRN: e('first-order', 'localResponseNormalization'), Conv3D: e('first-order', 'conv3d'),
  DepthwiseConv2dNative: e('first-order', 'depthwiseConv2d'), Dilation2D: e('first-order', 'dilation2d'),
  ResizeBilinear: e('first-order', 'resizeBilinear'),
  ResizeNearestNeighbor: e('first-order', 'resizeNearestNeighbor'),
  MaxPoolGrad: e('first-order', 'maxPool', 'raises on a second derivative'),
  MaxPool3DGrad: e('first-order', 'maxPool3d', 'raises on a second derivative'),
  LRNGrad: e('first-order', 'localResponseNormalization', 'raises on a second derivative'),
  Conv3DBackpropInputV2: e('first-order', 'conv3d', 'raises on a second derivative'),
  Conv3DBackpropFilterV2: e('first-order', 'conv3d', 'raises on a second derivative'),
  DepthwiseConv2dNativeBackpropInput: e('first-order', 'depthwiseConv2d', 'raises on a second derivative'),
  DepthwiseConv2dNativeBackpropFilter: e('first-order', 'depthwiseConv2d', 'raises on a second derivative'),
  Dilation2DBackpropInput: e('first-order', 'dilation2d', 'raises on a second derivative'),
  Dilation2DBackpropFilter: e('first-order', 'dilation2d', 'raises on a second derivative'),
  ResizeBilinearGrad: e('first-order', 'resizeBilinear', 'raises on a second derivative'),
  ResizeNearestNeighborGrad: e('first-order', 'resizeNearestNeighbor', 'raises on a second derivative'),
  EluGrad: e('first-order', 'elu', 'only reached by code calling the EluGrad kernel directly'),
  ComplexAbs: e('unsupported', 'abs of complex', 'raises: TF.js applied the real abs gradient, a wrong number'),
};
