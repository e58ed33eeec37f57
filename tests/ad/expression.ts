/**
 * Evaluates the expression trees of tests/fixtures/derivatives.json with TF.js ops:
 * the TypeScript twin of `ev` in tests/fixtures/gen_derivatives.py.
 */
import * as tf from '../../lib/backend/tf.js';

export type Expr = 'x' | number | [string, ...unknown[]];

type Tensor = tf.Tensor;

const UNARY: Record<string, (t: Tensor) => Tensor> = {
  tanh: tf.tanh, sigmoid: tf.sigmoid, exp: tf.exp, softplus: tf.softplus, elu: tf.elu, selu: tf.selu,
  relu: tf.relu, relu6: tf.relu6, sqrt: tf.sqrt, rsqrt: tf.rsqrt, log: tf.log, log1p: tf.log1p, expm1: tf.expm1,
  sin: tf.sin, cos: tf.cos, tan: tf.tan, sinh: tf.sinh, cosh: tf.cosh, asin: tf.asin, acos: tf.acos, atan: tf.atan,
  asinh: tf.asinh, acosh: tf.acosh, atanh: tf.atanh, erf: tf.erf, reciprocal: tf.reciprocal, square: tf.square,
  abs: tf.abs, neg: tf.neg, sign: tf.sign, floor: tf.floor, round: tf.round, logSigmoid: tf.logSigmoid,
  sum: (t) => tf.sum(t), mean: (t) => tf.mean(t), max: (t) => tf.max(t), min: (t) => tf.min(t),
  prod: (t) => tf.prod(t), logSumExp: (t) => tf.logSumExp(t), norm: (t) => tf.norm(t), cumsum: (t) => tf.cumsum(t),
  reverse: (t) => tf.reverse(t), softmax: (t) => tf.softmax(t), logSoftmax: (t) => tf.logSoftmax(t),
  transpose: (t) => tf.transpose(t),
};

const BINARY: Record<string, (a: Tensor, b: Tensor) => Tensor> = {
  add: tf.add, sub: tf.sub, mul: tf.mul, div: tf.div, pow: tf.pow, maximum: tf.maximum, minimum: tf.minimum,
  atan2: tf.atan2, squaredDifference: tf.squaredDifference, mod: tf.mod, floorDiv: tf.floorDiv,
  matMul: (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D), greater: tf.greater,
};

export function evaluate(e: Expr, x: Tensor): Tensor {
  if (e === 'x') return x;
  if (typeof e === 'number') return tf.scalar(e);
  const [op, ...a] = e;
  const r = (i: number) => evaluate(a[i] as Expr, x);
  if (op in UNARY) return UNARY[op](r(0));
  if (op in BINARY) return BINARY[op](r(0), r(1));
  switch (op) {
    case 'const': return tf.tensor(a[0] as number[]);
    case 'leakyRelu': return tf.leakyRelu(r(0), a[1] as number);
    case 'prelu': return tf.prelu(r(0), tf.tensor(a[1] as number[]));
    case 'clipByValue': return tf.clipByValue(r(0), a[1] as number, a[2] as number);
    case 'reshape': return tf.reshape(r(0), a[1] as number[]);
    case 'slice': return tf.slice(r(0), a[1] as number[], a[2] as number[]);
    case 'concat': return tf.concat([r(0), r(1)], a[2] as number);
    case 'tile': return tf.tile(r(0), a[1] as number[]);
    case 'pad': return tf.pad(r(0), a[1] as Array<[number, number]>);
    case 'mirrorPad': return tf.mirrorPad(r(0), a[1] as Array<[number, number]>, a[2] as 'reflect' | 'symmetric');
    case 'where': return tf.where(r(0), r(1), r(2));
    case 'sumAxis': return tf.sum(r(0), a[1] as number);
    case 'maxAxis': return tf.max(r(0), a[1] as number);
    case 'avgPool': return tf.avgPool(r(0) as tf.Tensor4D, [1, 2], 1, 'valid');
    case 'conv2d': return tf.conv2d(r(0) as tf.Tensor4D, tf.tensor4d(a[1] as number[][][][]), 1, 'valid');
    case 'gather': return tf.gather(r(0), tf.tensor1d(a[1] as number[], 'int32'));
    case 'stack': return tf.stack([r(0), r(1)]);
    case 'splitHalf': return tf.split(r(0), 2)[a[1] as number];
    case 'expandDims': return tf.expandDims(r(0), a[1] as number);
    case 'batchNorm': {
      const t = r(0);
      const { mean, variance } = tf.moments(t);
      return tf.batchNorm(t, mean, variance, undefined, undefined, 1e-3);
    }
    case 'softmaxCE': return tf.losses.softmaxCrossEntropy(tf.tensor(a[0] as number[][]), r(1));
    default: throw new Error(`expression: unknown op ${op}`);
  }
}
