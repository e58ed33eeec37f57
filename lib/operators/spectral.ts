/**
 * Fourier layers written as products with truncated DFT matrices.
 *
 * TF.js has no FFT gradient on wasm, and an FNO keeps only a few modes, so the
 * transforms are real matrix products: the truncated real DFT of n points is
 * x @ [cos | -sin] (an [n, 2m] matrix), and its inverse, numpy's irfft of a
 * spectrum that is zero above mode m, is [Re | Im] @ [[c_k cos / n], [-c_k sin / n]]
 * with c_0 = c_{n/2} = 1 and c_k = 2 otherwise. Complex numbers travel as
 * [real block | imaginary block] along the contracted axis. Bases are computed
 * in float64 once per resolution and cached, so a layer trained at one
 * resolution evaluates at any other (FNO's discretisation invariance).
 *
 * `SpectralConv1d` / `SpectralConv2d` are neuraloperator's layers of the same
 * names (fourier_1d.py / fourier_2d.py): out = irfft(W * rfft(x)[kept modes]),
 * with complex weights per kept mode and channel pair, stored as two real
 * tensors, initialised as torch does (scale * U[0, 1) for both parts,
 * scale = 1 / (in * out)).
 */
import * as tf from '../backend/tf.js';
import { resolveRng, type Rng } from '../backend/random.js';
import { checkPositiveInt, checkShape } from './module.js';

/** Row-major float64 matrices of the truncated real DFT of n points keeping modes 0..modes-1. */
export interface RealDftBasis {
  n: number;
  modes: number;
  /** [n, 2 modes]: x @ forward = [Re X_k | Im X_k], numpy's rfft (unnormalised). */
  forward: Float64Array;
  /** [2 modes, n]: [Re | Im] @ inverse = numpy's irfft of the truncated spectrum (1/n normalisation). */
  inverse: Float64Array;
}

export function realDftBasis(n: number, modes: number): RealDftBasis {
  checkPositiveInt('realDftBasis', 'n', n);
  checkPositiveInt('realDftBasis', 'modes', modes);
  const maxModes = Math.floor(n / 2) + 1;
  if (modes > maxModes) throw new RangeError(`realDftBasis: modes = ${modes} exceeds n/2 + 1 = ${maxModes} for n = ${n} points`);
  const forward = new Float64Array(n * 2 * modes);
  const inverse = new Float64Array(2 * modes * n);
  for (let k = 0; k < modes; k++) {
    const weight = k === 0 || 2 * k === n ? 1 : 2;
    for (let j = 0; j < n; j++) {
      // reduce k j mod n first so the angle stays small and exact
      const angle = (2 * Math.PI * ((k * j) % n)) / n;
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      forward[j * 2 * modes + k] = c;
      forward[j * 2 * modes + modes + k] = -s;
      inverse[k * n + j] = (weight * c) / n;
      inverse[(modes + k) * n + j] = (-weight * s) / n;
    }
  }
  return { n, modes, forward, inverse };
}

/** The signed frequencies 2-D FNO keeps along its first axis: 0..m-1 and -m..-1. */
export function keptFrequencies(m: number): number[] {
  return [...Array.from({ length: m }, (_, k) => k), ...Array.from({ length: m }, (_, k) => k - m)];
}

/** Row-major float64 matrices of the complex DFT of n points restricted to the given frequencies. */
export interface ComplexDftBasis {
  n: number;
  frequencies: number[];
  /** [2n, 2K]: [Re x | Im x] @ forward = [Re X | Im X] (unnormalised). */
  forward: Float64Array;
  /** [2K, 2n]: [Re X | Im X] @ inverse = [Re x | Im x] (1/n normalisation). */
  inverse: Float64Array;
}

export function complexDftBasis(n: number, frequencies: number[]): ComplexDftBasis {
  checkPositiveInt('complexDftBasis', 'n', n);
  const K = frequencies.length;
  const forward = new Float64Array(2 * n * 2 * K);
  const inverse = new Float64Array(2 * K * 2 * n);
  frequencies.forEach((f, k) => {
    for (let j = 0; j < n; j++) {
      const angle = (2 * Math.PI * ((((f * j) % n) + n) % n)) / n;
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      // forward: X = sum x e^{-i angle}: Re X = Re x c + Im x s, Im X = -Re x s + Im x c
      forward[j * 2 * K + k] = c;
      forward[j * 2 * K + K + k] = -s;
      forward[(n + j) * 2 * K + k] = s;
      forward[(n + j) * 2 * K + K + k] = c;
      // inverse: x = (1/n) sum X e^{+i angle}: Re x = Re X c - Im X s, Im x = Re X s + Im X c
      inverse[k * 2 * n + j] = c / n;
      inverse[k * 2 * n + n + j] = s / n;
      inverse[(K + k) * 2 * n + j] = -s / n;
      inverse[(K + k) * 2 * n + n + j] = c / n;
    }
  });
  return { n, frequencies: [...frequencies], forward, inverse };
}

/** [rows, 2K] with columns [re block | im block] -> columns ordered (k, re/im). */
function interleaveColumns(m: Float64Array, rows: number, K: number): Float64Array {
  const out = new Float64Array(m.length);
  for (let r = 0; r < rows; r++) for (let k = 0; k < K; k++) for (let p = 0; p < 2; p++) out[r * 2 * K + 2 * k + p] = m[r * 2 * K + p * K + k];
  return out;
}

/** [2K, cols] with rows [re block; im block] -> rows ordered (k, re/im). */
function interleaveRows(m: Float64Array, K: number, cols: number): Float64Array {
  const out = new Float64Array(m.length);
  for (let k = 0; k < K; k++) for (let p = 0; p < 2; p++) out.set(m.subarray((p * K + k) * cols, (p * K + k + 1) * cols), (2 * k + p) * cols);
  return out;
}

/** float32 tensors of a basis, kept alive until the layer is disposed. */
class BasisCache {
  private readonly cache = new Map<string, tf.Tensor2D[]>();

  get(key: string, build: () => tf.Tensor2D[]): tf.Tensor2D[] {
    let found = this.cache.get(key);
    if (!found) {
      found = tf.tidy(build).map((t) => tf.keep(t));
      this.cache.set(key, found);
    }
    return found;
  }

  dispose(): void {
    for (const ts of this.cache.values()) tf.dispose(ts);
    this.cache.clear();
  }
}

function tensorOf(values: Float64Array, rows: number, cols: number): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from(values), [rows, cols]);
}

/** torch's init of a complex weight: scale * (U[0,1) + i U[0,1)), as [real, imag] float32 arrays. */
function complexUniform(size: number, scale: number, rng: Rng): [Float32Array, Float32Array] {
  const re = new Float32Array(size);
  const im = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    re[i] = scale * rng.uniform();
    im[i] = scale * rng.uniform();
  }
  return [re, im];
}

/**
 * Per-mode complex channel mixing as one batched real product:
 * x [K, B, 2 Cin] ([Re | Im] channels) @ [[Wr, Wi], [-Wi, Wr]] ([K, 2 Cin, 2 Cout]).
 */
function mixModes(x: tf.Tensor3D, wr: tf.Tensor3D, wi: tf.Tensor3D): tf.Tensor3D {
  const block = tf.concat([tf.concat([wr, wi], 2), tf.concat([tf.neg(wi), wr], 2)], 1) as tf.Tensor3D;
  return tf.matMul(x, block);
}

export interface SpectralConvWeights {
  /** Real and imaginary parts, [modes..., inChannels, outChannels] (mode axes first). */
  re: tf.TensorLike | tf.Tensor;
  im: tf.TensorLike | tf.Tensor;
}

abstract class SpectralConvBase {
  readonly wr: tf.Variable;
  readonly wi: tf.Variable;
  protected readonly bases = new BasisCache();

  constructor(readonly inChannels: number, readonly outChannels: number, modeShape: number[], seed: number | Rng | undefined) {
    const size = modeShape.reduce((a, b) => a * b, 1) * inChannels * outChannels;
    const [re, im] = complexUniform(size, 1 / (inChannels * outChannels), resolveRng(seed));
    const shape = [...modeShape, inChannels, outChannels];
    this.wr = tf.variable(tf.tensor(re, shape));
    this.wi = tf.variable(tf.tensor(im, shape));
  }

  get variables(): tf.Variable[] { return [this.wr, this.wi]; }
  get paramCount(): number { return this.wr.size + this.wi.size; }

  /** Replaces the weights (e.g. with a reference implementation's), same shapes. */
  setWeights({ re, im }: SpectralConvWeights): void {
    for (const [v, value, part] of [[this.wr, re, 're'], [this.wi, im, 'im']] as const) {
      const t = value instanceof tf.Tensor ? value : tf.tensor(value as tf.TensorLike);
      if (t.size !== v.size) {
        throw new Error(`${this.constructor.name}.setWeights: ${part} has ${t.size} values, expected ${v.size} ([${v.shape.join(', ')}])`);
      }
      tf.tidy(() => v.assign(tf.reshape(t, v.shape)));
      if (!(value instanceof tf.Tensor)) t.dispose();
    }
  }

  dispose(): void {
    this.wr.dispose();
    this.wi.dispose();
    this.bases.dispose();
  }
}

export interface SpectralConv1dOptions {
  inChannels: number;
  outChannels: number;
  /** Fourier modes kept (0..modes-1); at most n/2 + 1 at every resolution it is applied to. */
  modes: number;
  seed?: number | Rng;
}

/** x [B, N, Cin] -> [B, N, Cout]: irfft(W_k rfft(x)_k for k < modes). Weights [modes, Cin, Cout]. */
export class SpectralConv1d extends SpectralConvBase {
  readonly modes: number;

  constructor(opts: SpectralConv1dOptions) {
    const owner = 'SpectralConv1d';
    const inC = checkPositiveInt(owner, 'inChannels', opts.inChannels);
    const outC = checkPositiveInt(owner, 'outChannels', opts.outChannels);
    const modes = checkPositiveInt(owner, 'modes', opts.modes);
    super(inC, outC, [modes], opts.seed);
    this.modes = modes;
  }

  private basis(n: number): tf.Tensor2D[] {
    if (this.modes > Math.floor(n / 2) + 1) {
      throw new RangeError(`SpectralConv1d: ${this.modes} modes need at least ${2 * this.modes - 2} points, got a grid of ${n}`);
    }
    return this.bases.get(String(n), () => {
      const b = realDftBasis(n, this.modes);
      return [tensorOf(b.forward, n, 2 * this.modes), tensorOf(b.inverse, 2 * this.modes, n)];
    });
  }

  apply(x: tf.Tensor): tf.Tensor3D {
    checkShape('SpectralConv1d', 'x', x, [null, null, this.inChannels], 'batch, points, channels');
    const [B, N] = x.shape;
    const [forward, inverse] = this.basis(N);
    const m = this.modes;
    const cin = this.inChannels;
    const cout = this.outChannels;
    return tf.tidy(() => {
      const rows = tf.reshape(tf.transpose(x, [0, 2, 1]), [B * cin, N]);
      const spec = tf.reshape(tf.matMul(rows, forward), [B, cin, 2, m]);
      const perMode = tf.reshape(tf.transpose(spec, [3, 0, 2, 1]), [m, B, 2 * cin]) as tf.Tensor3D;
      const mixed = tf.reshape(mixModes(perMode, this.wr as tf.Tensor3D, this.wi as tf.Tensor3D), [m, B, 2, cout]);
      const back = tf.reshape(tf.transpose(mixed, [1, 3, 2, 0]), [B * cout, 2 * m]);
      return tf.transpose(tf.reshape(tf.matMul(back, inverse), [B, cout, N]), [0, 2, 1]) as tf.Tensor3D;
    });
  }
}

export interface SpectralConv2dOptions {
  inChannels: number;
  outChannels: number;
  /** [m1, m2]: frequencies -m1..m1-1 along the first spatial axis, 0..m2-1 along the second (rfft) axis. */
  modes: [number, number];
  seed?: number | Rng;
}

/**
 * x [B, H, W, Cin] -> [B, H, W, Cout]: irfft2 of W times rfft2(x) on the kept modes
 * (neuraloperator's weights1 for k1 = 0..m1-1 and weights2 for k1 = -m1..-1).
 * Weights [2 m1, m2, Cin, Cout], rows 0..m1-1 = weights1, m1..2m1-1 = weights2.
 */
export class SpectralConv2d extends SpectralConvBase {
  readonly modes: [number, number];

  constructor(opts: SpectralConv2dOptions) {
    const owner = 'SpectralConv2d';
    const inC = checkPositiveInt(owner, 'inChannels', opts.inChannels);
    const outC = checkPositiveInt(owner, 'outChannels', opts.outChannels);
    if (!Array.isArray(opts.modes) || opts.modes.length !== 2) {
      throw new TypeError(`${owner}: modes must be [m1, m2] (modes along each spatial axis), got ${JSON.stringify(opts.modes)}`);
    }
    const m1 = checkPositiveInt(owner, 'modes[0]', opts.modes[0]);
    const m2 = checkPositiveInt(owner, 'modes[1]', opts.modes[1]);
    super(inC, outC, [2 * m1, m2], opts.seed);
    this.modes = [m1, m2];
  }

  private basis(H: number, W: number): tf.Tensor2D[] {
    const [m1, m2] = this.modes;
    if (2 * m1 > H || m2 > Math.floor(W / 2) + 1) {
      throw new RangeError(`SpectralConv2d: modes [${m1}, ${m2}] need a grid of at least ${2 * m1} x ${2 * m2 - 2}, got ${H} x ${W}`);
    }
    return this.bases.get(`${H}x${W}`, () => {
      const w = realDftBasis(W, m2);
      const h = complexDftBasis(H, keptFrequencies(m1));
      const K1 = 2 * m1;
      // along H the spectrum is laid out (frequency, re/im) so that every transpose stays of rank 4
      return [
        tensorOf(w.forward, W, 2 * m2),
        tensorOf(interleaveColumns(h.forward, 2 * H, K1), 2 * H, 2 * K1),
        tensorOf(interleaveRows(h.inverse, K1, 2 * H), 2 * K1, 2 * H),
        tensorOf(w.inverse, 2 * m2, W),
      ];
    });
  }

  apply(x: tf.Tensor): tf.Tensor4D {
    checkShape('SpectralConv2d', 'x', x, [null, null, null, this.inChannels], 'batch, rows, columns, channels');
    const [B, H, W] = x.shape;
    const [fw, fh, ih, iw] = this.basis(H, W);
    const m2 = this.modes[1];
    const K1 = 2 * this.modes[0];
    const K = K1 * m2;
    const cin = this.inChannels;
    const cout = this.outChannels;
    return tf.tidy(() => {
      // rfft along W: rows (b, c, h), columns (re|im, k2)
      const alongW = tf.reshape(tf.matMul(tf.reshape(tf.transpose(x, [0, 3, 1, 2]), [B * cin * H, W]), fw), [B * cin, H, 2, m2]);
      // complex DFT along H on the kept frequencies: rows (b, c, k2), columns (k1, re|im)
      const rowsH = tf.reshape(tf.transpose(alongW, [0, 3, 2, 1]), [B * cin * m2, 2 * H]);
      const spec = tf.reshape(tf.matMul(rowsH, fh), [B, cin, K, 2]);
      // per mode (k2, k1): [K, B, (re|im, c)]
      const perMode = tf.reshape(tf.transpose(spec, [2, 0, 3, 1]), [K, B, 2 * cin]) as tf.Tensor3D;
      const weights = (w: tf.Tensor) => tf.reshape(tf.transpose(w, [1, 0, 2, 3]), [K, cin, cout]) as tf.Tensor3D;
      const mixed = tf.reshape(mixModes(perMode, weights(this.wr), weights(this.wi)), [K, B, 2, cout]);
      // inverse complex DFT along H, then irfft along W
      const back = tf.reshape(tf.transpose(mixed, [1, 3, 0, 2]), [B * cout * m2, 2 * K1]);
      const backH = tf.reshape(tf.matMul(back, ih), [B * cout, m2, 2, H]);
      const rowsW = tf.reshape(tf.transpose(backH, [0, 3, 2, 1]), [B * cout * H, 2 * m2]);
      return tf.transpose(tf.reshape(tf.matMul(rowsW, iw), [B, cout, H, W]), [0, 2, 3, 1]) as tf.Tensor4D;
    });
  }
}
