/**
 * A small character-level MLP language model (Bengio et al. 2003): the
 * embeddings of a window of `context` characters are concatenated and go
 * through dense hidden layers to next-character logits. The test model of the
 * optimizer notebooks, with `data.charText({ context, target: 'next' })`:
 *
 *   const lm = data.charText({ context: 8, target: 'next' });
 *   const net = nn.charMlp({ vocabSize: lm.vocabSize, context: 8, hidden: [128], seed: 0 });
 *   const { x, y } = lm.batch(64, r);
 *   opt.step(() => net.loss(x, y), net.variables);
 *
 * `quantize` simulates low-precision training: every dense layer's kernel and
 * input go through `fakeQuantize` (straight-through estimator), as the official
 * Stable-SPAM code does for LLaMA's linear layers; embeddings stay in full
 * precision.
 */
import * as tf from '../backend/tf.js';
import { resolveRng, type Rng } from '../backend/random.js';
import { activation, type Activation, type ActivationName } from './activations.js';
import { initLayer, type InitName } from './init.js';
import { quantizedDense, type QuantizedDenseOptions } from './quantize.js';
import { crossEntropy } from './losses.js';

export interface CharMlpConfig {
  vocabSize: number;
  /** Characters per input window. */
  context: number;
  /** Embedding width per character (default 16). */
  embedDim?: number;
  /** Hidden layer widths (default [128]). */
  hidden?: number[];
  /** Default 'tanh'. */
  activation?: ActivationName;
  /** Dense-layer initialiser (default 'torch', nn.Linear's). Embeddings are N(0, 1). */
  init?: InitName;
  seed?: number | Rng;
  /** Fake quantization of dense kernels and inputs. */
  quantize?: QuantizedDenseOptions;
}

export class CharMlp {
  readonly embedding: tf.Variable<tf.Rank.R2>;
  readonly layers: Array<{ W: tf.Variable<tf.Rank.R2>; b: tf.Variable<tf.Rank.R1> }>;
  readonly context: number;
  readonly vocabSize: number;
  private readonly act: Activation;
  private readonly quantize?: QuantizedDenseOptions;

  constructor(config: CharMlpConfig) {
    const { vocabSize, context, embedDim = 16, hidden = [128], init = 'torch' } = config;
    const positive = (name: string, v: unknown) => {
      if (!Number.isInteger(v) || (v as number) < 1) throw new RangeError(`charMlp: ${name} must be a positive integer, got ${v}`);
    };
    positive('vocabSize', vocabSize);
    positive('context', context);
    positive('embedDim', embedDim);
    if (!Array.isArray(hidden)) throw new TypeError('charMlp: hidden must be an array of layer widths, e.g. [128]');
    hidden.forEach((h, i) => positive(`hidden[${i}]`, h));
    const rng = resolveRng(config.seed);
    this.vocabSize = vocabSize;
    this.context = context;
    this.act = activation(config.activation ?? 'tanh');
    this.quantize = config.quantize;
    this.embedding = tf.variable(tf.tensor2d(Float32Array.from(rng.normalArray(vocabSize * embedDim)), [vocabSize, embedDim]));
    const widths = [context * embedDim, ...hidden, vocabSize];
    this.layers = widths.slice(1).map((fanOut, l) => {
      const { weights, bias } = initLayer(init, widths[l], fanOut, rng);
      return { W: tf.variable(tf.tensor2d(weights, [widths[l], fanOut])), b: tf.variable(tf.tensor1d(bias)) };
    });
  }

  /** [embedding, W0, b0, W1, b1, ...]. */
  get variables(): tf.Variable[] {
    return [this.embedding, ...this.layers.flatMap((l) => [l.W, l.b] as tf.Variable[])];
  }

  get paramCount(): number {
    return this.variables.reduce((n, v) => n + v.size, 0);
  }

  /** Next-character logits [batch, vocabSize] for int32 windows x [batch, context]. */
  logits(x: tf.Tensor2D): tf.Tensor2D {
    if (x.rank !== 2 || x.shape[1] !== this.context) throw new Error(`charMlp: input must have shape [batch, ${this.context}], got [${x.shape}]`);
    return tf.tidy(() => {
      const e = tf.gather(this.embedding, tf.reshape(x, [-1]));
      let h = tf.reshape(e, [x.shape[0], -1]) as tf.Tensor2D;
      this.layers.forEach((layer, l) => {
        h = quantizedDense(h, layer.W, layer.b, this.quantize);
        if (l < this.layers.length - 1) h = this.act.apply(h) as tf.Tensor2D;
      });
      return h;
    });
  }

  /** Mean cross-entropy (nats per character) of the next characters y (int32 [batch]). */
  loss(x: tf.Tensor2D, y: tf.Tensor): tf.Scalar {
    return tf.tidy(() => crossEntropy(this.logits(x), y));
  }

  dispose(): void {
    tf.dispose(this.variables);
  }
}

/** Builds a character-level MLP language model (see `CharMlpConfig`). */
export function charMlp(config: CharMlpConfig): CharMlp {
  return new CharMlp(config);
}
