/**
 * Softmax-free attention for operator learning (Cao 2021, "Choose a
 * Transformer: Fourier or Galerkin"), as in the Galerkin Transformer code
 * (scaomath/galerkin-transformer, `libs/layers.py`):
 *
 *   galerkin:  Q (K^T V) / n            layer norm on K and V, per head      O(n d^2)
 *   fourier:   (Q K^T / sqrt(d)) V / n  layer norm on Q and K, per head      O(n^2 d)
 *   softmax:   softmax(Q K^T / sqrt(d)) V   (the baseline)                     O(n^2 d)
 *
 * where n is the number of grid points and d the feature size of a head after
 * the positions are appended to every head's Q, K and V. Q, K, V projections
 * start from Xavier-uniform weights with a small gain plus a small multiple of
 * the identity ("diagonal initialisation"), biases zero. An encoder layer is
 * x <- x + Attn(x); x <- x + FFN(x) (the code's configuration without the outer
 * layer norms, which is the one with attention norms); dropout is left out.
 *
 * `OperatorTransformer` is the paper's Burgers model: features (a, x) lifted to
 * d_model, encoder layers, and a decoder of Fourier layers (the code's spectral
 * regressor) or a pointwise MLP.
 */
import * as tf from '../backend/tf.js';
import { resolveRng, type Rng } from '../backend/random.js';
import { activation as activationOf, ACTIVATION_NAMES, type ActivationName } from '../nn/index.js';
import { SpectralConv1d } from './spectral.js';
import { FourierLayers } from './fno.js';
import { Pointwise, checkKnownKeys, checkNumber, checkOneOf, checkPositiveInt, countParams, unitGrid, type FieldOperator } from './module.js';

export const ATTENTION_TYPES = ['galerkin', 'fourier', 'softmax'] as const;
export type AttentionType = (typeof ATTENTION_TYPES)[number];

function checkQkv(owner: string, q: tf.Tensor, k: tf.Tensor, v: tf.Tensor): void {
  if (q.rank < 2 || k.rank !== q.rank || v.rank !== q.rank) {
    throw new Error(`${owner}: q, k, v must have the same rank >= 2 ([..., n, d]), got [${q.shape}], [${k.shape}], [${v.shape}]`);
  }
  const n = q.shape[q.rank - 2];
  if (k.shape[k.rank - 2] !== n || v.shape[v.rank - 2] !== n || k.shape[k.rank - 1] !== q.shape[q.rank - 1]) {
    throw new Error(`${owner}: q [${q.shape}], k [${k.shape}] and v [${v.shape}] must share n (axis -2), and q, k their feature size`);
  }
}

/** Swaps the last two axes (materialised: transposed products are slow on wasm). */
function swapLast(x: tf.Tensor): tf.Tensor {
  const perm = [...Array(x.rank).keys()];
  [perm[x.rank - 2], perm[x.rank - 1]] = [perm[x.rank - 1], perm[x.rank - 2]];
  return tf.transpose(x, perm);
}

/** Galerkin-type attention Q (K^T V) / n on [..., n, d] tensors: linear in n. */
export function galerkinAttention(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor): tf.Tensor {
  checkQkv('galerkinAttention', q, k, v);
  const n = q.shape[q.rank - 2];
  return tf.tidy(() => tf.matMul(q, tf.div(tf.matMul(swapLast(k), v), n)));
}

/** Fourier-type attention (Q K^T / sqrt(d)) V / n on [..., n, d] tensors. */
export function fourierAttention(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor): tf.Tensor {
  checkQkv('fourierAttention', q, k, v);
  const n = q.shape[q.rank - 2];
  const d = q.shape[q.rank - 1];
  return tf.tidy(() => tf.matMul(tf.div(tf.matMul(q, swapLast(k)), Math.sqrt(d) * n), v));
}

/** Scaled dot-product attention softmax(Q K^T / sqrt(d)) V on [..., n, d] tensors. */
export function softmaxAttention(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor): tf.Tensor {
  checkQkv('softmaxAttention', q, k, v);
  const d = q.shape[q.rank - 1];
  return tf.tidy(() => tf.matMul(tf.softmax(tf.div(tf.matMul(q, swapLast(k)), Math.sqrt(d))), v));
}

const ATTENTION: Record<AttentionType, (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) => tf.Tensor> = {
  galerkin: galerkinAttention,
  fourier: fourierAttention,
  softmax: softmaxAttention,
};

/** One layer norm per head: learnable [heads, 1, d] scale and shift on [B, heads, n, d]. */
class HeadNorm {
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;
  constructor(heads: number, dim: number, readonly eps = 1e-5) {
    this.gamma = tf.variable(tf.ones([heads, 1, dim]));
    this.beta = tf.variable(tf.zeros([heads, 1, dim]));
  }
  get variables(): tf.Variable[] { return [this.gamma, this.beta]; }
  apply(x: tf.Tensor): tf.Tensor {
    const mean = tf.mean(x, -1, true);
    const c = tf.sub(x, mean);
    const variance = tf.mean(tf.square(c), -1, true);
    return tf.add(tf.mul(tf.mul(c, tf.rsqrt(tf.add(variance, this.eps))), this.gamma), this.beta);
  }
  dispose(): void { this.gamma.dispose(); this.beta.dispose(); }
}

export interface SelfAttentionOptions {
  dModel: number;
  heads: number;
  attention: AttentionType;
  /** Coordinates appended to every head's Q, K, V (0 for none). */
  posDim: number;
  /** Xavier-uniform gain of W^Q, W^K, W^V (default 1e-2). */
  xavierGain?: number;
  /** Multiple of the identity added to W^Q, W^K, W^V (default 1e-2). */
  diagonalWeight?: number;
  /** Layer norms on (K, V) for galerkin, (Q, K) otherwise (default true). */
  norm?: boolean;
  seed?: number | Rng;
}

/** Multi-head self-attention of the Galerkin Transformer code (`SimpleAttention`). */
export class SelfAttention {
  readonly projections: Pointwise[];
  readonly norms: HeadNorm[];
  readonly out: Pointwise | null;
  readonly dk: number;

  constructor(readonly opts: SelfAttentionOptions) {
    const owner = 'SelfAttention';
    const { dModel, heads, posDim } = opts;
    checkPositiveInt(owner, 'dModel', dModel);
    checkPositiveInt(owner, 'heads', heads);
    checkNumber(owner, 'posDim', posDim, { min: 0, integer: true });
    checkOneOf(owner, 'attention', opts.attention, ATTENTION_TYPES);
    if (dModel % heads !== 0) throw new RangeError(`${owner}: dModel = ${dModel} must be divisible by heads = ${heads}`);
    const gain = checkNumber(owner, 'xavierGain', opts.xavierGain ?? 1e-2, { min: 0 });
    const diagonal = checkNumber(owner, 'diagonalWeight', opts.diagonalWeight ?? 1e-2);
    const rng = resolveRng(opts.seed);
    this.dk = dModel / heads;
    this.projections = [0, 1, 2].map(() => {
      const p = new Pointwise([dModel, dModel], 'linear', rng);
      const limit = gain * Math.sqrt(6 / (2 * dModel));
      const w = new Float32Array(dModel * dModel);
      for (let i = 0; i < w.length; i++) w[i] = limit * (2 * rng.uniform() - 1) + (i % (dModel + 1) === 0 ? diagonal : 0);
      const { W, b } = p.net.layers[0];
      tf.tidy(() => {
        W.assign(tf.tensor2d(w, [dModel, dModel]));
        b.assign(tf.zeros([dModel]));
      });
      return p;
    });
    this.norms = (opts.norm ?? true) ? [0, 1].map(() => new HeadNorm(heads, this.dk)) : [];
    this.out = posDim > 0 ? new Pointwise([dModel + heads * posDim, dModel], 'linear', rng) : null;
  }

  get variables(): tf.Variable[] {
    return [...this.projections.flatMap((p) => p.variables), ...this.norms.flatMap((n) => n.variables), ...(this.out?.variables ?? [])];
  }

  /** x [B, n, dModel], pos [n, posDim] -> [B, n, dModel]. */
  apply(x: tf.Tensor, pos?: tf.Tensor): tf.Tensor {
    const { heads, posDim, attention } = this.opts;
    const [B, n] = x.shape;
    return tf.tidy(() => {
      let [q, k, v] = this.projections.map((p) => tf.transpose(tf.reshape(p.apply(x), [B, n, heads, this.dk]), [0, 2, 1, 3]));
      if (this.norms.length) {
        if (attention === 'galerkin') [k, v] = [this.norms[0].apply(k), this.norms[1].apply(v)];
        else [q, k] = [this.norms[0].apply(q), this.norms[1].apply(k)];
      }
      if (posDim > 0) {
        if (!pos) throw new Error('SelfAttention.apply: pos is required when posDim > 0');
        const p = tf.tile(tf.reshape(pos, [1, 1, n, posDim]), [B, heads, 1, 1]);
        [q, k, v] = [q, k, v].map((t) => tf.concat([p, t], -1));
      }
      const h = ATTENTION[attention](q, k, v);
      const merged = tf.reshape(tf.transpose(h, [0, 2, 1, 3]), [B, n, heads * (this.dk + posDim)]);
      return this.out ? this.out.apply(merged) : merged;
    });
  }

  dispose(): void {
    this.projections.forEach((p) => p.dispose());
    this.norms.forEach((n) => n.dispose());
    this.out?.dispose();
  }
}

export interface TransformerOptions {
  /** 'galerkin' (default), 'fourier' or 'softmax'. */
  attention?: AttentionType;
  /** Feature size (default 32). */
  dModel?: number;
  /** Attention heads (default 1). */
  heads?: number;
  /** Encoder layers (default 2). */
  layers?: number;
  /** Hidden width of the feed-forward network (default 2 dModel). */
  ffnDim?: number;
  inChannels?: number;
  outChannels?: number;
  /** 'spectral' (Fourier layers, default) or 'pointwise' (an MLP at every point). */
  decoder?: 'spectral' | 'pointwise';
  /** Fourier modes of the spectral decoder (default 16) and its number of layers (default 2). */
  decoderModes?: number;
  decoderLayers?: number;
  /** Activation of the decoder (default 'swish', the code's SiLU). */
  decoderActivation?: ActivationName;
  xavierGain?: number;
  diagonalWeight?: number;
  seed?: number | Rng;
}

const TRANSFORMER_KEYS = ['attention', 'dModel', 'heads', 'layers', 'ffnDim', 'inChannels', 'outChannels', 'decoder', 'decoderModes', 'decoderLayers', 'decoderActivation', 'xavierGain', 'diagonalWeight', 'seed'];

/**
 * The Galerkin / Fourier Transformer for 1-D operator learning:
 * [B, n] -> [B, n] (one channel) or [B, n, inChannels] -> [B, n, outChannels].
 */
export class OperatorTransformer implements FieldOperator {
  readonly name: string;
  readonly attention: AttentionType;
  readonly inChannels: number;
  readonly outChannels: number;
  private readonly lift: Pointwise;
  readonly encoder: { attn: SelfAttention; ffn: Pointwise }[];
  private readonly decoder: FourierLayers | null;
  private readonly project: Pointwise;

  constructor(opts: TransformerOptions = {}) {
    const owner = 'transformer';
    checkKnownKeys(owner, opts, TRANSFORMER_KEYS);
    this.attention = checkOneOf(owner, 'attention', opts.attention ?? 'galerkin', ATTENTION_TYPES);
    const dModel = checkPositiveInt(owner, 'dModel', opts.dModel ?? 32);
    const heads = checkPositiveInt(owner, 'heads', opts.heads ?? 1);
    const layers = checkPositiveInt(owner, 'layers', opts.layers ?? 2);
    const ffnDim = checkPositiveInt(owner, 'ffnDim', opts.ffnDim ?? 2 * dModel);
    this.inChannels = checkPositiveInt(owner, 'inChannels', opts.inChannels ?? 1);
    this.outChannels = checkPositiveInt(owner, 'outChannels', opts.outChannels ?? 1);
    const decoder = checkOneOf(owner, 'decoder', opts.decoder ?? 'spectral', ['spectral', 'pointwise'] as const);
    const act = activationOf(checkOneOf(owner, 'decoderActivation', opts.decoderActivation ?? 'swish', ACTIVATION_NAMES));
    const rng = resolveRng(opts.seed);
    this.name = `${this.attention[0].toUpperCase()}${this.attention.slice(1)}Transformer`;
    this.lift = new Pointwise([this.inChannels + 1, dModel], 'linear', rng);
    this.encoder = Array.from({ length: layers }, () => ({
      attn: new SelfAttention({ dModel, heads, attention: this.attention, posDim: 1, xavierGain: opts.xavierGain, diagonalWeight: opts.diagonalWeight, seed: rng }),
      ffn: new Pointwise([dModel, ffnDim, dModel], 'relu', rng),
    }));
    if (decoder === 'spectral') {
      const modes = checkPositiveInt(owner, 'decoderModes', opts.decoderModes ?? 16);
      const count = checkPositiveInt(owner, 'decoderLayers', opts.decoderLayers ?? 2);
      const convs = Array.from({ length: count }, () => new SpectralConv1d({ inChannels: dModel, outChannels: dModel, modes, seed: rng }));
      this.decoder = new FourierLayers(convs, act, rng, true);
    } else {
      this.decoder = null;
    }
    this.project = new Pointwise([dModel, ffnDim, this.outChannels], act.name, rng);
  }

  get variables(): tf.Variable[] {
    return [
      ...this.lift.variables,
      ...this.encoder.flatMap((l) => [...l.attn.variables, ...l.ffn.variables]),
      ...(this.decoder?.variables ?? []),
      ...this.project.variables,
    ];
  }

  get paramCount(): number { return countParams(this.variables); }

  apply(x: tf.Tensor): tf.Tensor {
    const withChannels = x.rank === 3;
    if (!withChannels && x.rank !== 2) throw new Error(`${this.name}.apply: x must have shape [batch, points, channels] or [batch, points], got [${x.shape.join(', ')}]`);
    const cin = withChannels ? x.shape[2] : 1;
    if (cin !== this.inChannels) throw new Error(`${this.name}.apply: x has ${cin} channel(s) but the model was built with inChannels = ${this.inChannels}`);
    return tf.tidy(() => {
      const [B, n] = x.shape;
      const pos = tf.tensor2d(unitGrid(n), [n, 1]);
      const a = withChannels ? x : tf.expandDims(x, -1);
      let h = this.lift.apply(tf.concat([a, tf.tile(tf.reshape(pos, [1, n, 1]), [B, 1, 1])], -1));
      for (const { attn, ffn } of this.encoder) {
        h = tf.add(h, attn.apply(h, pos));
        h = tf.add(h, ffn.apply(h));
      }
      if (this.decoder) h = this.decoder.apply(h);
      const y = this.project.apply(h);
      return !withChannels && this.outChannels === 1 ? tf.squeeze(y, [2]) : y;
    });
  }

  dispose(): void {
    this.lift.dispose();
    this.encoder.forEach((l) => { l.attn.dispose(); l.ffn.dispose(); });
    this.decoder?.dispose();
    this.project.dispose();
  }
}

export function transformer(opts: TransformerOptions = {}): OperatorTransformer {
  return new OperatorTransformer(opts);
}
