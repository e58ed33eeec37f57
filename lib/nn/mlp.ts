/**
 * A small functional multilayer perceptron, the network that PINNs, TENG and the
 * neural-operator code share: dense layers with one activation, parameters held as
 * `tf.Variable`s (W of shape [in, out], b of shape [out]), an optional fixed sinusoidal
 * input embedding, a flat parameter vector view, and the per-sample parameter Jacobian
 * in closed form.
 *
 *   const net = mlp({ sizes: [2, 32, 32, 32, 1], activation: 'tanh', seed: 0 });
 *   const u = net.apply(x);                 // x: [N, 2] -> u: [N, 1]
 *
 * Flat parameter order: W0 (row-major), b0, W1, b1, ..., the order `variables` lists.
 */
import * as tf from '../backend/tf.js';
import { checkOptions } from '../backend/args.js';
import { matMul } from '../backend/fast.js';
import { resolveRng, type Rng } from '../backend/random.js';
import { activation, type Activation, type ActivationName } from './activations.js';
import { initLayer, INIT_NAMES, type InitName } from './init.js';
import { SinusoidalEmbedding, type FourierFeatures, type PeriodicEmbedding } from './embedding.js';
import { canFuse, fusedJet } from '../ad/fused_jet.js';

/** Widest layer for which `apply` uses the fused kernels (beyond it TF.js's matmul is the better engine). */
const FUSED_MAX_WIDTH = 128;

export interface MlpConfig {
  /** Layer widths [input, hidden..., output]; the input is the raw input dimension. */
  sizes: number[];
  /** Activation of every hidden layer (the output layer is linear). Default 'tanh'. */
  activation?: ActivationName;
  /** Weight initialiser. Default 'glorot-normal'. */
  init?: InitName;
  /** Seed or generator for the initial weights and the Fourier frequencies (default: the library generator). */
  seed?: number | Rng;
  /** Random Fourier features of the input, computed before the first dense layer. */
  fourier?: FourierFeatures;
  /** Exact periodicity in some input dimensions (cos / sin harmonics). */
  periodic?: PeriodicEmbedding;
}

export interface DenseLayer { W: tf.Variable<tf.Rank.R2>; b: tf.Variable<tf.Rank.R1> }

export class Mlp {
  readonly sizes: readonly number[];
  readonly activation: Activation;
  readonly embedding: SinusoidalEmbedding | null;
  readonly layers: readonly DenseLayer[];

  constructor(config: MlpConfig) {
    const { sizes, init = 'glorot-normal' } = config;
    if (!Array.isArray(sizes) || sizes.length < 2 || !sizes.every((s) => Number.isInteger(s) && s > 0)) {
      throw new Error(`mlp.sizes: expected at least two positive integers [input, ..., output], got ${JSON.stringify(sizes)}`);
    }
    if (!INIT_NAMES.includes(init)) throw new Error(`mlp.init: unknown '${init}'; expected one of ${INIT_NAMES.join(', ')}`);
    if (config.fourier !== undefined && config.periodic !== undefined) {
      throw new Error('mlp: give either fourier or periodic, not both');
    }
    this.sizes = [...sizes];
    this.activation = activation(config.activation ?? 'tanh');
    const rng = resolveRng(config.seed);
    this.embedding = config.fourier !== undefined ? SinusoidalEmbedding.fourier(sizes[0], config.fourier, rng)
      : config.periodic !== undefined ? SinusoidalEmbedding.periodic(sizes[0], config.periodic)
        : null;
    const widths = [this.embedding?.outputDim ?? sizes[0], ...sizes.slice(1)];
    this.layers = widths.slice(1).map((fanOut, l) => {
      const fanIn = widths[l];
      const { weights, bias } = initLayer(init, fanIn, fanOut, rng);
      // tf.variable copies its initial value; the temporary tensors are freed here
      return tf.tidy(() => ({ W: tf.variable(tf.tensor2d(weights, [fanIn, fanOut])), b: tf.variable(tf.tensor1d(bias)) }));
    });
  }

  get inputDim(): number { return this.sizes[0]; }
  get outputDim(): number { return this.sizes[this.sizes.length - 1]; }

  /** The trainable variables, in flat-vector order [W0, b0, W1, b1, ...]. */
  get variables(): tf.Variable[] {
    return this.layers.flatMap((l) => [l.W, l.b] as tf.Variable[]);
  }

  /** Total number of trainable parameters. */
  get paramCount(): number {
    return this.layers.reduce((n, l) => n + l.W.size + l.b.size, 0);
  }

  private checkInput(x: tf.Tensor): void {
    if (x.rank !== 2 || x.shape[1] !== this.inputDim) {
      throw new Error(`mlp: input must have shape [N, ${this.inputDim}], got [${x.shape}]`);
    }
  }

  /** The embedded input (the input itself without an embedding). */
  embed(x: tf.Tensor2D): tf.Tensor2D {
    return this.embedding === null ? x : this.embedding.apply(x);
  }

  /**
   * u = net(x) for x of shape [N, input] (any tf.Tensor of that shape); returns [N, output].
   * A tanh or relu MLP without embedding and with widths up to FUSED_MAX_WIDTH runs as one
   * fused WebAssembly node (lib/ad/fused_jet.ts: same values and gradients, far fewer TF.js
   * ops per step); other networks, and nested tapes, take the op-by-op path (`applyOps`).
   */
  apply(x: tf.Tensor): tf.Tensor2D {
    this.checkInput(x);
    const x2 = x as tf.Tensor2D;
    if (x.dtype === 'float32' && Math.max(...this.sizes) <= FUSED_MAX_WIDTH && canFuse(this, 1, x.shape[0])) {
      return tf.tidy(() => fusedJet(this, x2, [], [], (xs) => [this.applyOps(xs)])[0] as tf.Tensor2D);
    }
    return this.applyOps(x2);
  }

  /** The forward pass op by op (TF.js ops only). */
  applyOps(x: tf.Tensor): tf.Tensor2D {
    this.checkInput(x);
    return tf.tidy(() => {
      let h = this.embed(x as tf.Tensor2D);
      this.layers.forEach((layer, l) => {
        h = tf.add(tf.matMul(h, layer.W), layer.b);
        if (l < this.layers.length - 1) h = this.activation.apply(h) as tf.Tensor2D;
      });
      return h;
    });
  }

  /** All parameters as one Float32Array in flat order. */
  getFlat(): Float32Array {
    const out = new Float32Array(this.paramCount);
    let offset = 0;
    for (const v of this.variables) {
      out.set(v.dataSync() as Float32Array, offset);
      offset += v.size;
    }
    return out;
  }

  /** Sets all parameters from a flat vector (array, typed array or 1-D tensor) in flat order. */
  setFlat(values: ArrayLike<number> | tf.Tensor): void {
    const flat = values instanceof tf.Tensor ? values.dataSync() : values;
    if (flat.length !== this.paramCount) {
      throw new Error(`mlp.setFlat: expected ${this.paramCount} values, got ${flat.length}`);
    }
    let offset = 0;
    for (const v of this.variables) {
      const chunk = Float32Array.from({ length: v.size }, (_, i) => flat[offset + i]);
      tf.tidy(() => v.assign(tf.tensor(chunk, v.shape)));
      offset += v.size;
    }
  }

  /** Sets the parameters from per-layer arrays {W: number[][], b: number[]} (e.g. from a fixture). */
  setLayers(layers: Array<{ W: number[][]; b: number[] }>): void {
    if (layers.length !== this.layers.length) {
      throw new Error(`mlp.setLayers: expected ${this.layers.length} layers, got ${layers.length}`);
    }
    this.setFlat(layers.flatMap((l) => [...l.W.flat(), ...l.b]));
  }

  /**
   * The per-sample Jacobian of the outputs with respect to all parameters, in closed form
   * (one vectorised backward sweep per output): shape [N * output, paramCount], row
   * n * output + k holding d u_k(x_n) / d theta in flat parameter order.
   */
  parameterJacobian(x: tf.Tensor2D): tf.Tensor2D {
    this.checkInput(x);
    return tf.tidy(() => {
      const n = x.shape[0];
      const inputs: tf.Tensor2D[] = [];
      const slopes: tf.Tensor2D[] = [];
      let h = this.embed(x);
      this.layers.forEach((layer, l) => {
        inputs.push(h);
        const z = tf.add(tf.matMul(h, layer.W), layer.b);
        if (l < this.layers.length - 1) {
          const [a, slope] = this.activation.jet(z, 1) as tf.Tensor2D[];
          slopes.push(slope);
          h = a;
        }
      });
      const rows: tf.Tensor2D[] = [];
      for (let k = 0; k < this.outputDim; k++) {
        // delta = d u_k / d z_l for every layer, from the output back.
        const unit = new Float32Array(this.outputDim);
        unit[k] = 1;
        let delta: tf.Tensor2D = tf.tile(tf.tensor2d(unit, [1, this.outputDim]), [n, 1]);
        const blocks: tf.Tensor2D[] = [];
        for (let l = this.layers.length - 1; l >= 0; l--) {
          const a = inputs[l];
          const dW = tf.reshape(tf.mul(tf.expandDims(a, 2), tf.expandDims(delta, 1)), [n, a.shape[1] * delta.shape[1]]);
          blocks.unshift(dW as tf.Tensor2D, delta);
          if (l > 0) delta = tf.mul(matMul(delta, this.layers[l].W, false, true), slopes[l - 1]);
        }
        rows.push(tf.concat(blocks, 1));
      }
      return this.outputDim === 1 ? rows[0] : tf.reshape(tf.stack(rows, 1), [n * this.outputDim, this.paramCount]);
    });
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
    this.embedding?.dispose();
  }
}

/** Builds an MLP (see `MlpConfig`). */
export function mlp(config: MlpConfig): Mlp {
  checkOptions('nn.mlp', 'config', config, '{ sizes: [2, 32, 1] }');
  return new Mlp(config);
}
