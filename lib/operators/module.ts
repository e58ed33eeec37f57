/**
 * What every neural operator shares: the `OperatorModel` interface (variables,
 * parameter count, `apply`, `dispose`), pointwise dense networks applied along
 * the channel axis, and option and shape checks that name the model, the option and what is accepted.
 */
import * as tf from '../backend/tf.js';
import { Mlp, type ActivationName } from '../nn/index.js';
import type { InitName } from '../nn/index.js';
import type { Rng } from '../backend/random.js';
import { checkKnownKeys, checkNumber, checkOneOf, checkPositiveInt } from '../optim/validate.js';

export { checkKnownKeys, checkNumber, checkOneOf, checkPositiveInt };

/** A trainable operator network. */
export interface OperatorModel {
  /** A short name for tables and plots ('FNO1d', 'DeepONet', ...). */
  readonly name: string;
  /** Trainable variables (what an optimizer updates). */
  readonly variables: tf.Variable[];
  /** Number of trainable scalars. */
  readonly paramCount: number;
  /** Frees the variables. */
  dispose(): void;
}

/** A model mapping one input tensor to one output tensor (FNO, transformer, spectral operator). */
export interface FieldOperator extends OperatorModel {
  apply(x: tf.Tensor): tf.Tensor;
}

export function countParams(variables: readonly tf.Variable[]): number {
  return variables.reduce((n, v) => n + v.size, 0);
}

/**
 * An MLP applied independently at every point: x [..., sizes[0]] -> [..., sizes.at(-1)]
 * (a 1x1 convolution in neuraloperator's terms). Hidden layers use `activation`; the
 * output layer is linear. torch's nn.Linear initialisation by default.
 */
export class Pointwise {
  readonly net: Mlp;
  constructor(sizes: number[], activation: ActivationName, seed: Rng, init: InitName = 'torch') {
    this.net = new Mlp({ sizes, activation, init, seed });
  }

  get inputDim(): number { return this.net.inputDim; }
  get outputDim(): number { return this.net.outputDim; }
  get variables(): tf.Variable[] { return this.net.variables; }

  apply(x: tf.Tensor): tf.Tensor {
    const lead = x.shape.slice(0, -1);
    const y = this.net.apply(tf.reshape(x, [-1, x.shape[x.rank - 1]]) as tf.Tensor2D);
    return tf.reshape(y, [...lead, this.net.outputDim]);
  }

  dispose(): void { this.net.dispose(); }
}

/** Throws unless `x` has the given rank and the listed axes have the given sizes (null: any). */
export function checkShape(owner: string, name: string, x: tf.Tensor, expected: (number | null)[], what: string): void {
  const ok = x.rank === expected.length && expected.every((d, i) => d === null || x.shape[i] === d);
  if (!ok) {
    const want = expected.map((d) => (d === null ? '*' : String(d))).join(', ');
    throw new Error(`${owner}: ${name} must have shape [${want}] (${what}), got [${x.shape.join(', ')}]`);
  }
}

/** Evenly spaced coordinates linspace(0, 1, n), the positional channel FNO appends. */
export function unitGrid(n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => (n === 1 ? 0 : i / (n - 1)));
}
