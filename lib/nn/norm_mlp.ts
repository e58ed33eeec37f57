/**
 * An MLP whose hidden layers are normalised: h <- s(LayerNorm(h W) * gain + shift).
 * The hidden weight matrices have no bias (the normalisation would remove it) and are
 * scale-invariant: multiplying any one of them by c > 0 leaves the output unchanged,
 * the setting of AdamP / SGDP (Heo et al. 2021), where the radial part of an update
 * only grows the weight norm and so shrinks the effective step |dW| / |W|.
 *
 *   const net = nn.normMlp({ sizes: [64, 128, 128, 10], seed: 0 });
 *   net.apply(x);                       // [N, 64] -> [N, 10] logits
 *   net.scaleInvariant                  // the hidden W's
 *
 * The output layer is an ordinary dense layer (weights and bias), not scale-invariant.
 */
import * as tf from '../backend/tf.js';
import { resolveRng, type Rng } from '../backend/random.js';
import { activation, type Activation, type ActivationName } from './activations.js';
import { initLayer, INIT_NAMES, type InitName } from './init.js';

export interface NormMlpConfig {
  /** Layer widths [input, hidden..., output] with at least one hidden layer. */
  sizes: number[];
  /** Activation after each normalisation (default 'relu'). */
  activation?: ActivationName;
  /** Weight initialiser (default 'he-normal'). */
  init?: InitName;
  /** Added to the variance inside the square root (default 1e-5). */
  eps?: number;
  seed?: number | Rng;
}

export interface NormLayer {
  W: tf.Variable<tf.Rank.R2>;
  gain: tf.Variable<tf.Rank.R1>;
  shift: tf.Variable<tf.Rank.R1>;
}

export class NormMlp {
  readonly sizes: readonly number[];
  readonly activation: Activation;
  readonly eps: number;
  readonly hidden: readonly NormLayer[];
  readonly output: { W: tf.Variable<tf.Rank.R2>; b: tf.Variable<tf.Rank.R1> };

  constructor(config: NormMlpConfig) {
    const { sizes, init = 'he-normal', eps = 1e-5 } = config;
    if (!Array.isArray(sizes) || sizes.length < 3 || !sizes.every((s) => Number.isInteger(s) && s > 0)) {
      throw new RangeError(`normMlp.sizes: expected at least three positive integers [input, hidden..., output], got ${JSON.stringify(sizes)}`);
    }
    if (!INIT_NAMES.includes(init)) throw new RangeError(`normMlp.init: unknown '${init}'; expected one of ${INIT_NAMES.join(', ')}`);
    if (!(typeof eps === 'number' && eps >= 0)) throw new RangeError(`normMlp.eps: expected a number >= 0, got ${String(eps)}`);
    this.sizes = [...sizes];
    this.eps = eps;
    this.activation = activation(config.activation ?? 'relu');
    const rng = resolveRng(config.seed);
    const layers: NormLayer[] = [];
    for (let l = 0; l < sizes.length - 2; l++) {
      const { weights } = initLayer(init, sizes[l], sizes[l + 1], rng);
      // tf.variable copies its initial value; tidy frees the temporaries
      layers.push(tf.tidy(() => ({
        W: tf.variable(tf.tensor2d(weights, [sizes[l], sizes[l + 1]])),
        gain: tf.variable(tf.ones([sizes[l + 1]]) as tf.Tensor1D),
        shift: tf.variable(tf.zeros([sizes[l + 1]]) as tf.Tensor1D),
      })));
    }
    this.hidden = layers;
    const fanIn = sizes[sizes.length - 2], fanOut = sizes[sizes.length - 1];
    const { weights, bias } = initLayer(init, fanIn, fanOut, rng);
    this.output = tf.tidy(() => ({ W: tf.variable(tf.tensor2d(weights, [fanIn, fanOut])), b: tf.variable(tf.tensor1d(bias)) }));
  }

  /** All trainable variables: per hidden layer [W, gain, shift], then the output [W, b]. */
  get variables(): tf.Variable[] {
    return [...this.hidden.flatMap((l) => [l.W, l.gain, l.shift]), this.output.W, this.output.b];
  }

  /** The scale-invariant weights: the hidden layers' W. */
  get scaleInvariant(): tf.Variable[] {
    return this.hidden.map((l) => l.W);
  }

  get paramCount(): number {
    return this.variables.reduce((n, v) => n + v.size, 0);
  }

  /** Logits for x of shape [N, input]. */
  apply(x: tf.Tensor): tf.Tensor2D {
    if (x.rank !== 2 || x.shape[1] !== this.sizes[0]) {
      throw new RangeError(`normMlp: input must have shape [N, ${this.sizes[0]}], got [${x.shape}]`);
    }
    return tf.tidy(() => {
      let h = x as tf.Tensor2D;
      for (const layer of this.hidden) {
        const z = tf.matMul(h, layer.W);
        const { mean, variance } = tf.moments(z, 1, true);
        const normed = tf.div(tf.sub(z, mean), tf.sqrt(tf.add(variance, this.eps)));
        h = this.activation.apply(tf.add(tf.mul(normed, layer.gain), layer.shift)) as tf.Tensor2D;
      }
      return tf.add(tf.matMul(h, this.output.W), this.output.b) as tf.Tensor2D;
    });
  }

  dispose(): void {
    tf.dispose(this.variables);
  }
}

/** Builds a layer-normalised MLP (see `NormMlpConfig`). */
export function normMlp(config: NormMlpConfig): NormMlp {
  return new NormMlp(config);
}
