/**
 * A small time-conditioned MLP for velocity / score / denoiser / classifier
 * networks on low-dimensional data: input [x, time embedding, class embedding],
 * SiLU hidden layers, linear output. Functional (plain tf.Variables), so any
 * optimizer and any loss can drive it.
 *
 * Time embeddings: 'sinusoidal' (transformer / DDPM positional features of
 * scale * t) or 'fourier' (fixed random Gaussian frequencies, Tancik et al.;
 * scale = their standard deviation, the choice of EDM's NCSN++ for c_noise).
 * Labels use a learned table with one extra "null" row (label -1 or null):
 * the unconditional model of classifier-free guidance shares the network.
 */
import * as tf from '../backend/tf.js';
import type { Labels } from './model.js';
import { rng, type Rng, type SeedLike } from './random.js';

export interface TimeEmbeddingOptions {
  kind?: 'sinusoidal' | 'fourier';
  /** Number of features (even). */
  size?: number;
  /** sinusoidal: highest angular frequency (default 100 for t in [0, 1]); fourier: frequency std (default 16). */
  scale?: number;
}

export interface TimeMlpOptions {
  /** Data dimension (input size). */
  dim: number;
  /** Output size (default dim; e.g. the number of classes for a classifier). */
  outDim?: number;
  hidden?: number[];
  time?: TimeEmbeddingOptions;
  /** Number of classes for label conditioning (0: unconditional). */
  classes?: number;
  classEmbedding?: number;
  activation?: 'silu' | 'relu' | 'tanh';
  seed?: SeedLike;
}

interface Dense {
  W: tf.Variable<tf.Rank.R2>;
  b: tf.Variable<tf.Rank.R1>;
}

function dense(r: Rng, fanIn: number, fanOut: number, name: string): Dense {
  // PyTorch's nn.Linear default: U(-1/sqrt(fanIn), 1/sqrt(fanIn)) for weights and biases
  const bound = 1 / Math.sqrt(fanIn);
  const u = (n: number) => Float32Array.from(r.uniforms(n), (v) => (2 * v - 1) * bound);
  return {
    W: tf.variable(tf.tensor2d(u(fanIn * fanOut), [fanIn, fanOut])),
    b: tf.variable(tf.tensor1d(u(fanOut))),
  };
}

export class TimeMlp {
  readonly dim: number;
  readonly outDim: number;
  readonly classes: number;
  private readonly layers: Dense[];
  private readonly classTable: tf.Variable<tf.Rank.R2> | null;
  private readonly freqs: tf.Tensor1D;
  private readonly kind: 'sinusoidal' | 'fourier';
  private readonly act: (x: tf.Tensor) => tf.Tensor;
  readonly options: TimeMlpOptions;

  constructor(options: TimeMlpOptions) {
    const { dim, outDim = dim, hidden = [128, 128, 128], time = {}, classes = 0, classEmbedding = 16, activation = 'silu', seed = 0 } = options;
    if (!Number.isInteger(dim) || dim < 1) throw new Error(`TimeMlp: dim must be a positive integer, got ${dim}`);
    if (hidden.length === 0 || hidden.some((h) => !Number.isInteger(h) || h < 1)) throw new Error(`TimeMlp: hidden must be positive layer widths, got [${hidden}]`);
    const { kind = 'sinusoidal', size = 32 } = time;
    if (kind !== 'sinusoidal' && kind !== 'fourier') throw new Error(`TimeMlp: time.kind must be 'sinusoidal' or 'fourier', got '${kind}'`);
    if (!Number.isInteger(size) || size < 2 || size % 2) throw new Error(`TimeMlp: time.size must be an even integer >= 2, got ${size}`);
    const acts = { silu: (x: tf.Tensor) => tf.mul(x, tf.sigmoid(x)), relu: tf.relu, tanh: tf.tanh };
    if (!(activation in acts)) throw new Error(`TimeMlp: activation must be one of ${Object.keys(acts).join(', ')}, got '${activation}'`);
    this.options = { ...options, seed: typeof seed === 'number' ? seed : 0 };
    this.dim = dim;
    this.outDim = outDim;
    this.classes = classes;
    this.kind = kind;
    this.act = acts[activation];
    const r = rng(seed);
    const half = size / 2;
    if (kind === 'sinusoidal') {
      const scale = time.scale ?? 100;
      this.freqs = tf.keep(tf.tensor1d(Array.from({ length: half }, (_, i) => scale * Math.exp((-Math.log(10000) * i) / half))));
    } else {
      const scale = time.scale ?? 16;
      this.freqs = tf.keep(tf.tensor1d(Array.from({ length: half }, () => 2 * Math.PI * scale * r.normal())));
    }
    this.classTable = classes > 0 ? tf.variable(tf.tensor2d(Float32Array.from(r.normals((classes + 1) * classEmbedding)), [classes + 1, classEmbedding])) : null;
    const widths = [dim + size + (classes > 0 ? classEmbedding : 0), ...hidden, outDim];
    this.layers = widths.slice(1).map((w, i) => dense(r, widths[i], w, `layer${i}`));
  }

  /** The trainable variables. */
  get params(): tf.Variable[] {
    return [...this.layers.flatMap((l) => [l.W, l.b]), ...(this.classTable ? [this.classTable] : [])];
  }

  get numParams(): number {
    return this.params.reduce((s, p) => s + p.size, 0);
  }

  /** Embeds per-sample times [n] as [n, size]. */
  embedTime(t: tf.Tensor1D): tf.Tensor2D {
    return tf.tidy(() => {
      const arg = tf.mul(tf.expandDims(t, 1), tf.expandDims(this.freqs, 0));
      return tf.concat([tf.sin(arg), tf.cos(arg)], 1) as tf.Tensor2D;
    });
  }

  /** The network: x [n, dim], t [n], labels (null / -1 = unconditional) -> [n, outDim]. Any tf.Tensor of those ranks is accepted. */
  readonly apply = (x: tf.Tensor, t: tf.Tensor, labels?: Labels): tf.Tensor2D =>
    tf.tidy(() => {
      if (x.rank !== 2) throw new Error(`TimeMlp: x must be a 2-D tensor [points, ${this.dim}], got shape [${x.shape}]`);
      if (t.rank !== 1) throw new Error(`TimeMlp: t must be a 1-D tensor of per-point times, got shape [${t.shape}]`);
      const n = x.shape[0];
      if (x.shape[1] !== this.dim) throw new Error(`TimeMlp: x has ${x.shape[1]} columns, the network takes ${this.dim}`);
      if (t.shape[0] !== n) throw new Error(`TimeMlp: t has ${t.shape[0]} entries, x has ${n} rows`);
      const parts: tf.Tensor2D[] = [x as tf.Tensor2D, this.embedTime(t as tf.Tensor1D)];
      if (this.classTable) {
        // one-hot product instead of gather: gather has no gradient kernel on wasm
        const idx = new Int32Array(n);
        for (let i = 0; i < n; i++) {
          const y = labels ? labels[i] : -1;
          if (!(y === -1 || (Number.isInteger(y) && y >= 0 && y < this.classes))) throw new Error(`TimeMlp: labels[${i}] = ${y}; expected 0..${this.classes - 1} or -1`);
          idx[i] = y === -1 ? this.classes : y;
        }
        parts.push(tf.matMul(tf.cast(tf.oneHot(tf.tensor1d(idx, 'int32'), this.classes + 1), 'float32') as tf.Tensor2D, this.classTable));
      } else if (labels && Array.from(labels).some((y) => y !== -1)) {
        throw new Error('TimeMlp: labels given to a network built without classes');
      }
      let h: tf.Tensor = tf.concat(parts, 1);
      for (let i = 0; i < this.layers.length; i++) {
        h = tf.add(tf.matMul(h as tf.Tensor2D, this.layers[i].W), this.layers[i].b);
        if (i < this.layers.length - 1) h = this.act(h);
      }
      return h as tf.Tensor2D;
    });

  /** A new network with the same architecture and a copy of the weights (e.g. to start reflow from 1-RF). */
  clone(): TimeMlp {
    const copy = new TimeMlp(this.options);
    copy.copyFrom(this);
    return copy;
  }

  /** Copies the weights of a network with the same architecture. */
  copyFrom(other: TimeMlp): void {
    const mine = this.params;
    const theirs = other.params;
    if (mine.length !== theirs.length || mine.some((p, i) => p.shape.join() !== theirs[i].shape.join())) throw new Error('TimeMlp.copyFrom: architectures differ');
    mine.forEach((p, i) => p.assign(theirs[i]));
  }

  dispose(): void {
    tf.dispose([...this.params, this.freqs]);
  }
}

/** Replaces each label by -1 (unconditional) with probability p: the label dropout of classifier-free guidance training. */
export function dropLabels(labels: ArrayLike<number>, p: number, seed: SeedLike = 0): Int32Array {
  if (!(p >= 0 && p <= 1)) throw new Error(`dropLabels: p must be in [0, 1], got ${p}`);
  const r = rng(seed);
  return Int32Array.from(labels, (y) => (r.uniform() < p ? -1 : y));
}
