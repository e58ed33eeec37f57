/**
 * Chained tensor methods (`x.square().sum()`), as the `@tensorflow/tfjs` union package
 * installs them. tfjs-core's Node bundle does not, so without this `x.sum()` is not a
 * function, and TF.js's own gradient code that calls such methods (prod, gather with
 * batch dimensions) throws. Methods already present are left alone.
 */
import * as tf from './tf.js';

type Method = (this: tf.Tensor, ...args: unknown[]) => unknown;

/** Methods that call the op of the same name with the tensor as first argument. */
const SAME_NAME = [
  'abs', 'acos', 'acosh', 'add', 'all', 'any', 'argMax', 'argMin', 'asin', 'asinh', 'atan', 'atan2', 'atanh',
  'batchNorm', 'batchToSpaceND', 'broadcastTo', 'cast', 'ceil', 'clipByValue', 'conv1d', 'conv2d', 'cos', 'cosh',
  'cumprod', 'cumsum', 'depthToSpace', 'div', 'divNoNan', 'dot', 'elu', 'equal', 'erf', 'euclideanNorm', 'exp',
  'expandDims', 'expm1', 'floor', 'floorDiv', 'gather', 'greater', 'greaterEqual', 'isFinite', 'isInf', 'isNaN',
  'leakyRelu', 'less', 'lessEqual', 'log', 'log1p', 'logSigmoid', 'logSoftmax', 'logSumExp', 'logicalAnd',
  'logicalNot', 'logicalOr', 'logicalXor', 'matMul', 'max', 'maximum', 'mean', 'min', 'minimum', 'mirrorPad', 'mod',
  'mul', 'neg', 'norm', 'notEqual', 'oneHot', 'onesLike', 'pad', 'pool', 'pow', 'prelu', 'prod', 'reciprocal', 'relu',
  'relu6', 'reshape', 'reverse', 'round', 'rsqrt', 'selu', 'sigmoid', 'sign', 'sin', 'sinh', 'slice', 'softmax',
  'softplus', 'spaceToBatchND', 'split', 'sqrt', 'square', 'squaredDifference', 'squeeze', 'step', 'stridedSlice',
  'sub', 'sum', 'tan', 'tanh', 'tile', 'topk', 'transpose', 'unique', 'unstack', 'zerosLike',
];

const SPECIAL: Record<string, Method> = {
  as1D() { return tf.reshape(this, [this.size]); },
  as2D(rows, columns) { return tf.reshape(this, [rows as number, columns as number]); },
  as3D(rows, columns, depth) { return tf.reshape(this, [rows, columns, depth] as number[]); },
  as4D(rows, columns, depth, depth2) { return tf.reshape(this, [rows, columns, depth, depth2] as number[]); },
  as5D(rows, columns, depth, depth2, depth3) {
    return tf.reshape(this, [rows, columns, depth, depth2, depth3] as number[]);
  },
  asScalar() { return tf.reshape(this, []); },
  asType(dtype) { return tf.cast(this, dtype as tf.DataType); },
  flatten() { return tf.reshape(this, [this.size]); },
  reshapeAs(x) { return tf.reshape(this, (x as tf.Tensor).shape); },
  toBool() { return tf.cast(this, 'bool'); },
  toFloat() { return tf.cast(this, 'float32'); },
  toInt() { return tf.cast(this, 'int32'); },
  concat(x, axis) {
    const rest = x instanceof tf.Tensor ? [x] : (x as tf.Tensor[]);
    return tf.concat([this, ...rest], axis as number | undefined);
  },
  stack(x, axis) {
    const rest = x instanceof tf.Tensor ? [x] : (x as tf.Tensor[]);
    return tf.stack([this, ...rest], axis as number | undefined);
  },
  where(condition, x) { return tf.where(condition as tf.Tensor, this, x as tf.Tensor); },
};

export function installChainedOps(): void {
  const proto = tf.Tensor.prototype as unknown as Record<string, Method | undefined>;
  const ops = tf as unknown as Record<string, ((...args: unknown[]) => unknown) | undefined>;
  for (const name of SAME_NAME) {
    const op = ops[name];
    if (proto[name] !== undefined || op === undefined) continue;
    proto[name] = function (this: tf.Tensor, ...args: unknown[]) {
      this.throwIfDisposed();
      return op(this, ...args);
    };
  }
  for (const [name, method] of Object.entries(SPECIAL)) {
    if (proto[name] !== undefined) continue;
    proto[name] = function (this: tf.Tensor, ...args: unknown[]) {
      this.throwIfDisposed();
      return method.apply(this, args);
    };
  }
}
