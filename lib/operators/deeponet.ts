/**
 * DeepONet (Lu et al. 2021) and MultiONet (Zang & Koutsourelakis, DGNO 2025),
 * both in the Cartesian-product form: a branch net reads the input function at
 * m sensors, a trunk net reads query points, and the output at every (function,
 * point) pair is an inner product of their features.
 *
 *   DeepONet:   G(u)(y) = <b(u), act(t(y))> + b0            (DeepXDE's DeepONetCartesianProd)
 *   MultiONet:  G(u)(y) = (1/L) sum_l w_l <b_l(u), t_l(y)> + b0
 *
 * where b_l, t_l are the outputs of the last L hidden layers of branch and trunk
 * (every layer activated; DGenNO's MultiONetCartesianProd, w_l and b0 start at 0).
 *
 *   const net = operators.deepONet({ branch: [64, 64, 64], trunk: [1, 64, 64] });
 *   net.apply(u, y);      // u [B, 64] sensor values, y [M, 1] points -> [B, M]
 */
import * as tf from '../backend/tf.js';
import { resolveRng, type Rng } from '../backend/random.js';
import { Mlp, ACTIVATION_NAMES, type ActivationName, type InitName } from '../nn/index.js';
import { checkKnownKeys, checkNumber, checkOneOf, checkPositiveInt, checkShape, countParams, type OperatorModel } from './module.js';

export interface DeepONetOptions {
  /** Branch widths [sensors, hidden..., p]; the last layer is linear. */
  branch: number[];
  /** Trunk widths [point dimension, hidden..., p]; its output is activated (DeepXDE). */
  trunk: number[];
  /** Activation of both nets (default 'tanh'); `branchActivation` / `trunkActivation` override it. */
  activation?: ActivationName;
  branchActivation?: ActivationName;
  trunkActivation?: ActivationName;
  /** Weight initialiser (default 'glorot-normal', DeepXDE's). */
  init?: InitName;
  seed?: number | Rng;
}

export interface MultiONetOptions {
  /** Branch widths [sensors, h_1, ..., h_K]; every layer is activated. */
  branch: number[];
  /** Trunk widths [point dimension, h_1, ..., h_K]; the last `sumLayers` widths must equal the branch's. */
  trunk: number[];
  /** How many of the last hidden layers contribute an inner product (default 4, DGNO's). */
  sumLayers?: number;
  activation?: ActivationName;
  branchActivation?: ActivationName;
  trunkActivation?: ActivationName;
  init?: InitName;
  seed?: number | Rng;
}

function checkWidths(owner: string, name: string, w: unknown): number[] {
  if (!Array.isArray(w) || w.length < 2) throw new TypeError(`${owner}: ${name} must be an array of at least two layer widths [input, ..., output], got ${JSON.stringify(w)}`);
  return w.map((v, i) => checkPositiveInt(owner, `${name}[${i}]`, v));
}

/** Accepts points as [M] (1-D) or [M, d]. */
function asPoints(owner: string, y: tf.Tensor, dim: number): tf.Tensor2D {
  if (y.rank === 1 && dim === 1) return tf.reshape(y, [-1, 1]) as tf.Tensor2D;
  checkShape(owner, 'y', y, [null, dim], 'query points, coordinates');
  return y as tf.Tensor2D;
}

abstract class BranchTrunk implements OperatorModel {
  abstract readonly name: string;
  readonly branchNet: Mlp;
  readonly trunkNet: Mlp;
  readonly bias: tf.Variable;

  constructor(owner: string, opts: DeepONetOptions | MultiONetOptions, extraKeys: string[]) {
    if (opts === null || typeof opts !== 'object') throw new TypeError(`${owner}: options must be an object with { branch, trunk }`);
    checkKnownKeys(owner, opts, ['branch', 'trunk', 'activation', 'branchActivation', 'trunkActivation', 'init', 'seed', ...extraKeys]);
    const branch = checkWidths(owner, 'branch', opts.branch);
    const trunk = checkWidths(owner, 'trunk', opts.trunk);
    const act = checkOneOf(owner, 'activation', opts.activation ?? 'tanh', ACTIVATION_NAMES);
    const rng = resolveRng(opts.seed);
    const init = opts.init ?? 'glorot-normal';
    this.branchNet = new Mlp({ sizes: branch, activation: checkOneOf(owner, 'branchActivation', opts.branchActivation ?? act, ACTIVATION_NAMES), init, seed: rng });
    this.trunkNet = new Mlp({ sizes: trunk, activation: checkOneOf(owner, 'trunkActivation', opts.trunkActivation ?? act, ACTIVATION_NAMES), init, seed: rng });
    this.bias = tf.variable(tf.scalar(0));
  }

  /** Number of sensors the branch reads. */
  get sensors(): number { return this.branchNet.inputDim; }
  /** Dimension of a query point. */
  get pointDim(): number { return this.trunkNet.inputDim; }

  get variables(): tf.Variable[] {
    return [...this.branchNet.variables, ...this.trunkNet.variables, this.bias];
  }

  get paramCount(): number { return countParams(this.variables); }

  protected inputs(owner: string, u: tf.Tensor, y: tf.Tensor): [tf.Tensor2D, tf.Tensor2D] {
    checkShape(owner, 'u', u, [null, this.sensors], 'functions, sensor values');
    return [u as tf.Tensor2D, asPoints(owner, y, this.pointDim)];
  }

  /** G(u)(y) for every function in u [B, sensors] and point in y [M, d] (or [M] in 1-D): [B, M]. */
  abstract apply(u: tf.Tensor, y: tf.Tensor): tf.Tensor2D;

  /**
   * G(u)(y) and its derivative with respect to the coordinate `dim` of y, both [B, M],
   * by forward-mode (Taylor) propagation through the trunk: exact, differentiable,
   * one trunk pass. What weak-form and strong-form residual losses need.
   */
  abstract valueAndDerivative(u: tf.Tensor, y: tf.Tensor, dim?: number): { value: tf.Tensor2D; derivative: tf.Tensor2D };

  protected checkDim(owner: string, dim: number): void {
    checkNumber(owner, 'dim', dim, { min: 0, max: this.pointDim - 1, integer: true });
  }

  dispose(): void {
    this.branchNet.dispose();
    this.trunkNet.dispose();
    this.bias.dispose();
  }
}

export class DeepONet extends BranchTrunk {
  readonly name = 'DeepONet';

  constructor(opts: DeepONetOptions) {
    super('deepONet', opts, []);
    const p = this.branchNet.outputDim;
    if (this.trunkNet.outputDim !== p) {
      throw new Error(`deepONet: the branch ends with ${p} features but the trunk with ${this.trunkNet.outputDim}; the last widths must be equal`);
    }
  }

  apply(u: tf.Tensor, y: tf.Tensor): tf.Tensor2D {
    const [uu, yy] = this.inputs('DeepONet.apply', u, y);
    return tf.tidy(() => {
      const b = this.branchNet.apply(uu);
      const t = this.trunkNet.activation.apply(this.trunkNet.apply(yy));
      return tf.add(tf.matMul(b, tf.transpose(t)), this.bias);
    });
  }

  valueAndDerivative(u: tf.Tensor, y: tf.Tensor, dim = 0): { value: tf.Tensor2D; derivative: tf.Tensor2D } {
    const [uu, yy] = this.inputs('DeepONet.valueAndDerivative', u, y);
    this.checkDim('DeepONet.valueAndDerivative', dim);
    return tf.tidy(() => {
      const b = this.branchNet.apply(uu);
      const [t, dt] = trunkJets(this.trunkNet, yy, dim).at(-1)!;
      return { value: tf.add(tf.matMul(b, tf.transpose(t)), this.bias) as tf.Tensor2D, derivative: tf.matMul(b, tf.transpose(dt)) };
    });
  }
}

/**
 * Every layer of the trunk activated (its output too, as DeepXDE and DGNO do),
 * with the derivative of each layer's output along input coordinate `dim`:
 * [[h_1, h_1'], ..., [h_K, h_K']].
 */
function trunkJets(net: Mlp, y: tf.Tensor2D, dim: number): [tf.Tensor2D, tf.Tensor2D][] {
  const d = y.shape[1];
  let h: tf.Tensor2D = y;
  const unit = new Float32Array(d);
  unit[dim] = 1; // (tf.oneHot refuses depth 1)
  let dh: tf.Tensor2D = tf.tile(tf.tensor2d(unit, [1, d]), [y.shape[0], 1]) as tf.Tensor2D;
  return net.layers.map(({ W, b }) => {
    const z = tf.add(tf.matMul(h, W), b);
    const [s, ds] = net.activation.jet(z, 1);
    h = s as tf.Tensor2D;
    dh = tf.mul(ds, tf.matMul(dh, W)) as tf.Tensor2D;
    return [h, dh];
  });
}

/** Every layer of an MLP activated, returning the outputs of all of them. */
function activatedLayers(net: Mlp, x: tf.Tensor2D): tf.Tensor2D[] {
  const outs: tf.Tensor2D[] = [];
  let h: tf.Tensor2D = x;
  for (const { W, b } of net.layers) {
    h = net.activation.apply(tf.add(tf.matMul(h, W), b)) as tf.Tensor2D;
    outs.push(h);
  }
  return outs;
}

export class MultiONet extends BranchTrunk {
  readonly name = 'MultiONet';
  readonly sumLayers: number;
  readonly weights: tf.Variable;

  constructor(opts: MultiONetOptions) {
    super('multiONet', opts, ['sumLayers']);
    const L = checkPositiveInt('multiONet', 'sumLayers', opts.sumLayers ?? 4);
    const nb = this.branchNet.layers.length;
    if (this.trunkNet.layers.length !== nb) {
      throw new Error(`multiONet: branch and trunk must have the same number of layers, got ${nb} and ${this.trunkNet.layers.length}`);
    }
    if (L >= nb) {
      throw new RangeError(`multiONet: sumLayers = ${L} must be smaller than the number of layers (${nb}); DGNO sums the last L hidden layers after the input layer`);
    }
    for (let l = nb - L; l < nb; l++) {
      const bw = this.branchNet.sizes[l + 1];
      const tw = this.trunkNet.sizes[l + 1];
      if (bw !== tw) throw new Error(`multiONet: layer ${l + 1} has width ${bw} in the branch but ${tw} in the trunk; the last ${L} widths must match`);
    }
    this.sumLayers = L;
    this.weights = tf.variable(tf.zeros([L]));
  }

  override get variables(): tf.Variable[] {
    return [...super.variables, this.weights];
  }

  apply(u: tf.Tensor, y: tf.Tensor): tf.Tensor2D {
    const [uu, yy] = this.inputs('MultiONet.apply', u, y);
    const L = this.sumLayers;
    return tf.tidy(() => {
      const bs = activatedLayers(this.branchNet, uu).slice(-L);
      const ts = activatedLayers(this.trunkNet, yy).slice(-L);
      const w = tf.unstack(this.weights);
      let out: tf.Tensor = tf.zeros([uu.shape[0], yy.shape[0]]);
      for (let l = 0; l < L; l++) out = tf.add(out, tf.mul(tf.matMul(bs[l], tf.transpose(ts[l])), w[l]));
      return tf.add(tf.div(out, L), this.bias) as tf.Tensor2D;
    });
  }

  valueAndDerivative(u: tf.Tensor, y: tf.Tensor, dim = 0): { value: tf.Tensor2D; derivative: tf.Tensor2D } {
    const [uu, yy] = this.inputs('MultiONet.valueAndDerivative', u, y);
    this.checkDim('MultiONet.valueAndDerivative', dim);
    const L = this.sumLayers;
    return tf.tidy(() => {
      const bs = activatedLayers(this.branchNet, uu).slice(-L);
      const ts = trunkJets(this.trunkNet, yy, dim).slice(-L);
      const w = tf.unstack(this.weights);
      let value: tf.Tensor = tf.zeros([uu.shape[0], yy.shape[0]]);
      let derivative: tf.Tensor = tf.zeros([uu.shape[0], yy.shape[0]]);
      for (let l = 0; l < L; l++) {
        value = tf.add(value, tf.mul(tf.matMul(bs[l], tf.transpose(ts[l][0])), w[l]));
        derivative = tf.add(derivative, tf.mul(tf.matMul(bs[l], tf.transpose(ts[l][1])), w[l]));
      }
      return { value: tf.add(tf.div(value, L), this.bias) as tf.Tensor2D, derivative: tf.div(derivative, L) as tf.Tensor2D };
    });
  }
}

export function deepONet(opts: DeepONetOptions): DeepONet {
  return new DeepONet(opts);
}

export function multiONet(opts: MultiONetOptions): MultiONet {
  return new MultiONet(opts);
}
