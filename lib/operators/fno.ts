/**
 * Fourier neural operators in 1-D and 2-D, the architecture of neuraloperator's
 * original fourier_1d.py / fourier_2d.py (Li et al. 2021):
 *
 *   v = P(a, grid)                                lifting, a linear map per point
 *   v <- act(SpectralConv(v) + W v)   x layers    (no activation after the last)
 *   u = Q(v)                                      projection: width -> projectionWidth -> out, act between
 *
 * The positional channel is linspace(0, 1, n) per axis, built at the resolution
 * of each call, so a trained model can be evaluated on finer or coarser grids.
 * `padding` zero-pads the lifted field on the right of each axis before the
 * Fourier layers and crops it after them (neuraloperator's device for
 * non-periodic problems such as Darcy flow).
 *
 *   const model = operators.fno1d({ modes: 16, width: 32 });
 *   const u = model.apply(u0);            // [B, N] -> [B, N]
 */
import * as tf from '../backend/tf.js';
import { resolveRng, type Rng } from '../backend/random.js';
import { activation, ACTIVATION_NAMES, type Activation, type ActivationName } from '../nn/index.js';
import { SpectralConv1d, SpectralConv2d } from './spectral.js';
import { Pointwise, checkKnownKeys, checkNumber, checkOneOf, checkPositiveInt, countParams, unitGrid, type FieldOperator } from './module.js';

export interface FnoOptions {
  /** Fourier modes kept per layer: a number for 1-D, [m1, m2] (or one number for both) for 2-D. */
  modes: number | [number, number];
  /** Channels of the Fourier layers (default 32). */
  width?: number;
  /** Number of Fourier layers (default 4). */
  layers?: number;
  /** Input channels, not counting the positional ones (default 1). */
  inChannels?: number;
  /** Output channels (default 1). */
  outChannels?: number;
  /** Hidden width of the projection network (default 128). */
  projectionWidth?: number;
  /** Activation between layers (default 'gelu', as neuraloperator). */
  activation?: ActivationName;
  /** Append the coordinates linspace(0, 1, n) as input channels (default true). */
  positional?: boolean;
  /** Zero padding, in grid points, on the right of each spatial axis (default 0). */
  padding?: number;
  /** Seed or generator for the initial weights (default: the library generator). */
  seed?: number | Rng;
}

const FNO_KEYS = ['modes', 'width', 'layers', 'inChannels', 'outChannels', 'projectionWidth', 'activation', 'positional', 'padding', 'seed'];

interface FnoParts {
  width: number;
  layers: number;
  inChannels: number;
  outChannels: number;
  projectionWidth: number;
  activation: Activation;
  positional: boolean;
  padding: number;
  rng: Rng;
}

function checkFno(owner: string, opts: FnoOptions): FnoParts {
  if (opts === null || typeof opts !== 'object') throw new TypeError(`${owner}: options must be an object with at least { modes }`);
  checkKnownKeys(owner, opts, FNO_KEYS);
  if (opts.modes === undefined) throw new TypeError(`${owner}: modes is required (Fourier modes kept per layer)`);
  const positional = opts.positional ?? true;
  if (typeof positional !== 'boolean') throw new TypeError(`${owner}: positional must be true or false, got ${String(positional)}`);
  return {
    width: checkPositiveInt(owner, 'width', opts.width ?? 32),
    layers: checkPositiveInt(owner, 'layers', opts.layers ?? 4),
    inChannels: checkPositiveInt(owner, 'inChannels', opts.inChannels ?? 1),
    outChannels: checkPositiveInt(owner, 'outChannels', opts.outChannels ?? 1),
    projectionWidth: checkPositiveInt(owner, 'projectionWidth', opts.projectionWidth ?? 128),
    activation: activation(checkOneOf(owner, 'activation', opts.activation ?? 'gelu', ACTIVATION_NAMES)),
    positional,
    padding: checkNumber(owner, 'padding', opts.padding ?? 0, { min: 0, integer: true }),
    rng: resolveRng(opts.seed),
  };
}

/**
 * A stack of Fourier layers v <- act(K v + W v) (spectral convolution plus a
 * pointwise linear skip), channels-last, shared by the FNOs and the transformer's
 * spectral decoder. The activation follows every layer but, unless
 * `lastActivation`, the last.
 */
export class FourierLayers {
  readonly skips: Pointwise[];

  constructor(readonly convs: (SpectralConv1d | SpectralConv2d)[], readonly act: Activation, rng: Rng, readonly lastActivation = false) {
    this.skips = convs.map((c) => new Pointwise([c.inChannels, c.outChannels], 'linear', rng));
  }

  get variables(): tf.Variable[] {
    return this.convs.flatMap((c, i) => [...c.variables, ...this.skips[i].variables]);
  }

  apply(v: tf.Tensor): tf.Tensor {
    const last = this.convs.length - 1;
    this.convs.forEach((conv, i) => {
      v = tf.add(conv.apply(v), this.skips[i].apply(v));
      if (i < last || this.lastActivation) v = this.act.apply(v);
    });
    return v;
  }

  dispose(): void {
    this.convs.forEach((c, i) => { c.dispose(); this.skips[i].dispose(); });
  }
}

/** Shared body: lifting, Fourier layers with pointwise skips, projection (all channels-last). */
abstract class FnoBase implements FieldOperator {
  abstract readonly name: string;
  readonly lift: Pointwise;
  readonly fourier: FourierLayers;
  readonly project: Pointwise;

  constructor(protected readonly parts: FnoParts, protected readonly spatialDims: number, convs: (SpectralConv1d | SpectralConv2d)[]) {
    const { width, inChannels, outChannels, projectionWidth, rng } = parts;
    this.lift = new Pointwise([inChannels + (parts.positional ? spatialDims : 0), width], 'linear', rng);
    this.fourier = new FourierLayers(convs, parts.activation, rng);
    this.project = new Pointwise([width, projectionWidth, outChannels], parts.activation.name, rng);
  }

  /** The spectral convolutions, first layer first. */
  get convs(): (SpectralConv1d | SpectralConv2d)[] { return this.fourier.convs; }

  get width(): number { return this.parts.width; }
  get layers(): number { return this.parts.layers; }
  get inChannels(): number { return this.parts.inChannels; }
  get outChannels(): number { return this.parts.outChannels; }

  get variables(): tf.Variable[] {
    return [...this.lift.variables, ...this.fourier.variables, ...this.project.variables];
  }

  get paramCount(): number {
    return countParams(this.variables);
  }

  /** The positional channels for a grid of the given spatial shape: [1, ...shape, dims]. */
  protected abstract grid(shape: number[]): tf.Tensor;

  /** x with channels last, rank spatialDims + 2. */
  protected forward(x: tf.Tensor): tf.Tensor {
    const B = x.shape[0];
    const spatial = x.shape.slice(1, -1);
    const p = this.parts.padding;
    let v = x;
    if (this.parts.positional) {
      const g = this.grid(spatial);
      v = tf.concat([v, tf.tile(g, [B, ...spatial.map(() => 1), 1])], -1);
    }
    v = this.lift.apply(v);
    if (p > 0) v = tf.pad(v, [[0, 0], ...spatial.map((): [number, number] => [0, p]), [0, 0]]);
    v = this.fourier.apply(v);
    if (p > 0) v = tf.slice(v, Array(spatial.length + 2).fill(0), [B, ...spatial, this.parts.width]);
    return this.project.apply(v);
  }

  /** Takes the input with or without its channel axis and returns the output the same way. */
  protected run(owner: string, x: tf.Tensor): tf.Tensor {
    const d = this.spatialDims;
    const withChannels = x.rank === d + 2;
    if (!withChannels && x.rank !== d + 1) {
      const axes = d === 1 ? 'points' : 'rows, columns';
      throw new Error(`${owner}: x must have shape [batch, ${axes}, channels] or, with one input channel, [batch, ${axes}]; got [${x.shape.join(', ')}]`);
    }
    const cin = withChannels ? x.shape[d + 1] : 1;
    if (cin !== this.parts.inChannels) {
      throw new Error(`${owner}: x has ${cin} input channel(s) but the model was built with inChannels = ${this.parts.inChannels}`);
    }
    return tf.tidy(() => {
      const y = this.forward(withChannels ? x : tf.expandDims(x, -1));
      return !withChannels && this.parts.outChannels === 1 ? tf.squeeze(y, [d + 1]) : y;
    });
  }

  abstract apply(x: tf.Tensor): tf.Tensor;

  dispose(): void {
    this.lift.dispose();
    this.fourier.dispose();
    this.project.dispose();
  }
}

/** 1-D FNO: [B, N] -> [B, N] (one channel in and out), or [B, N, inChannels] -> [B, N, outChannels]. */
export class FNO1d extends FnoBase {
  readonly name = 'FNO1d';
  readonly modes: number;

  constructor(opts: FnoOptions) {
    const parts = checkFno('fno1d', opts);
    const modes = checkPositiveInt('fno1d', 'modes', opts.modes);
    super(parts, 1, Array.from({ length: parts.layers }, () => new SpectralConv1d({ inChannels: parts.width, outChannels: parts.width, modes, seed: parts.rng })));
    this.modes = modes;
  }

  protected grid([n]: number[]): tf.Tensor {
    return tf.tensor3d(unitGrid(n), [1, n, 1]);
  }

  apply(x: tf.Tensor): tf.Tensor {
    return this.run('FNO1d.apply', x);
  }
}

/** 2-D FNO: [B, H, W] -> [B, H, W] (one channel in and out), or [B, H, W, inChannels] -> [B, H, W, outChannels]. */
export class FNO2d extends FnoBase {
  readonly name = 'FNO2d';
  readonly modes: [number, number];

  constructor(opts: FnoOptions) {
    const parts = checkFno('fno2d', opts);
    const m = opts.modes;
    const pair = typeof m === 'number' ? [m, m] : m;
    if (!Array.isArray(pair) || pair.length !== 2) throw new TypeError(`fno2d: modes must be a number or [m1, m2], got ${JSON.stringify(m)}`);
    const modes: [number, number] = [checkPositiveInt('fno2d', 'modes[0]', pair[0]), checkPositiveInt('fno2d', 'modes[1]', pair[1])];
    super(parts, 2, Array.from({ length: parts.layers }, () => new SpectralConv2d({ inChannels: parts.width, outChannels: parts.width, modes, seed: parts.rng })));
    this.modes = modes;
  }

  protected grid([h, w]: number[]): tf.Tensor {
    const gx = unitGrid(h);
    const gy = unitGrid(w);
    const values = new Float32Array(h * w * 2);
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        values[(i * w + j) * 2] = gx[i];
        values[(i * w + j) * 2 + 1] = gy[j];
      }
    }
    return tf.tensor4d(values, [1, h, w, 2]);
  }

  apply(x: tf.Tensor): tf.Tensor {
    return this.run('FNO2d.apply', x);
  }
}

export function fno1d(opts: FnoOptions): FNO1d {
  return new FNO1d(opts);
}

export function fno2d(opts: FnoOptions): FNO2d {
  return new FNO2d(opts);
}
