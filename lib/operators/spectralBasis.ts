/**
 * Spectral bases and the spectral-basis neural operator of Neural Spectral
 * Methods (Du, Chalapathi, Krishnapriyan 2024; ASK-Berkeley/Neural-Spectral-Methods).
 *
 * A function is its coefficient vector in an orthogonal basis:
 *   - `fourierBasis(K, { period })`: [a_0, a_1..a_K, b_1..b_K] of
 *     a_0 + sum a_k cos(2 pi k x / L) + b_k sin(2 pi k x / L), with the 2K + 1
 *     uniform points of [0, L) as collocation points;
 *   - `chebyshevBasis(M, { interval })`: [c_0..c_{M-1}] of sum c_k T_k, with the
 *     M Chebyshev-Gauss-Lobatto points (from the right end to the left end).
 * Each basis gives exact float64 matrices: evaluation at any points, the
 * projection from values at its collocation points, differentiation in
 * coefficient space, and the weights of the squared norm (Parseval).
 *
 * `SpectralOperator` is NSM's network: it maps input coefficients to output
 * coefficients with channel maps and per-mode weights in coefficient space,
 * and applies each activation at the collocation points (evaluate, activate,
 * project back). Its output can be evaluated at any resolution by one matrix
 * product, and PDE residuals of it are computed in coefficient space, where
 * derivatives are matrix products, and measured by Parseval's identity.
 */
import * as tf from '../backend/tf.js';
import { resolveRng, type Rng } from '../backend/random.js';
import { activation as activationOf, ACTIVATION_NAMES, type ActivationName, type Activation } from '../nn/index.js';
import { Pointwise, checkKnownKeys, checkNumber, checkOneOf, checkPositiveInt, checkShape, countParams, type FieldOperator } from './module.js';

export interface SpectralBasis {
  readonly kind: 'fourier' | 'chebyshev';
  /** Number of coefficients. */
  readonly size: number;
  /** Collocation points (as many as coefficients). */
  readonly points: Float64Array;
  /** [size, n] row-major: coefficients @ E = values at `points`. */
  evaluation(points: ArrayLike<number>): Float64Array;
  /** [size, size] row-major: values at the collocation points @ P = coefficients. */
  readonly projection: Float64Array;
  /** [size, size] row-major: coefficients @ D = coefficients of the derivative. */
  derivative(order?: number): Float64Array;
  /** Per-coefficient weights w with ||u||^2 = sum w_k c_k^2 (L2 for Fourier, Chebyshev-weighted L2 for Chebyshev). */
  readonly normWeights: Float64Array;
}

function matPow(D: Float64Array, n: number, order: number): Float64Array {
  let out = Float64Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0));
  for (let o = 0; o < order; o++) {
    const next = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) {
      const a = out[i * n + k];
      if (a !== 0) for (let j = 0; j < n; j++) next[i * n + j] += a * D[k * n + j];
    }
    out = next;
  }
  return out;
}

function checkOrder(order: number): number {
  return checkNumber('SpectralBasis.derivative', 'order', order, { min: 0, integer: true });
}

/** Real Fourier basis with K harmonics on [0, period): 2K + 1 coefficients. */
export function fourierBasis(K: number, { period = 1 }: { period?: number } = {}): SpectralBasis {
  checkNumber('fourierBasis', 'K', K, { min: 0, integer: true });
  checkNumber('fourierBasis', 'period', period, { min: 0, minInclusive: false });
  const M = 2 * K + 1;
  const w = (2 * Math.PI) / period;
  const points = Float64Array.from({ length: M }, (_, j) => (j * period) / M);
  const evaluation = (xs: ArrayLike<number>): Float64Array => {
    const n = xs.length;
    const E = new Float64Array(M * n);
    for (let j = 0; j < n; j++) {
      E[j] = 1;
      for (let k = 1; k <= K; k++) {
        E[k * n + j] = Math.cos(w * k * xs[j]);
        E[(K + k) * n + j] = Math.sin(w * k * xs[j]);
      }
    }
    return E;
  };
  // exact discrete inverse on the 2K + 1 uniform points
  const projection = new Float64Array(M * M);
  for (let j = 0; j < M; j++) {
    projection[j * M] = 1 / M;
    for (let k = 1; k <= K; k++) {
      const angle = (2 * Math.PI * ((k * j) % M)) / M;
      projection[j * M + k] = (2 / M) * Math.cos(angle);
      projection[j * M + K + k] = (2 / M) * Math.sin(angle);
    }
  }
  const D1 = new Float64Array(M * M);
  for (let k = 1; k <= K; k++) {
    // d/dx (a cos + b sin) = w k (b cos - a sin): row = input coefficient, column = output
    D1[k * M + (K + k)] = -w * k;
    D1[(K + k) * M + k] = w * k;
  }
  const normWeights = Float64Array.from({ length: M }, (_, k) => (k === 0 ? period : period / 2));
  return { kind: 'fourier', size: M, points, evaluation, projection, derivative: (order = 1) => matPow(D1, M, checkOrder(order)), normWeights };
}

/** Chebyshev basis T_0..T_{M-1} on [a, b]: M coefficients, M Gauss-Lobatto points. */
export function chebyshevBasis(M: number, { interval = [-1, 1] }: { interval?: [number, number] } = {}): SpectralBasis {
  checkNumber('chebyshevBasis', 'M', M, { min: 2, integer: true });
  const [a, b] = interval;
  if (!(b > a)) throw new RangeError(`chebyshevBasis: interval must be [a, b] with a < b, got [${interval}]`);
  const N = M - 1;
  const toUnit = (x: number) => (2 * x - a - b) / (b - a);
  const points = Float64Array.from({ length: M }, (_, j) => 0.5 * (a + b) + 0.5 * (b - a) * Math.cos((Math.PI * j) / N));
  const evaluation = (xs: ArrayLike<number>): Float64Array => {
    const n = xs.length;
    const E = new Float64Array(M * n);
    for (let j = 0; j < n; j++) {
      const t = toUnit(xs[j]);
      let prev = 1;
      let cur = t;
      E[j] = 1;
      if (M > 1) E[n + j] = t;
      for (let k = 2; k < M; k++) {
        const next = 2 * t * cur - prev;
        E[k * n + j] = next;
        prev = cur;
        cur = next;
      }
    }
    return E;
  };
  // discrete Chebyshev transform on the Gauss-Lobatto points: c_k = (2 / N) sum'' u_j cos(pi k j / N)
  const projection = new Float64Array(M * M);
  for (let j = 0; j <= N; j++) {
    for (let k = 0; k <= N; k++) {
      const edge = (j === 0 || j === N ? 0.5 : 1) * (k === 0 || k === N ? 0.5 : 1);
      projection[j * M + k] = ((2 / N) * edge * Math.cos((Math.PI * ((k * j) % (2 * N))) / N));
    }
  }
  // d/dx of sum c_k T_k: c'_{k-1} = c'_{k+1} + 2 k c_k, c'_0 halved, times 2 / (b - a)
  const D1 = new Float64Array(M * M);
  for (let k = 1; k < M; k++) {
    for (let j = k - 1; j >= 0; j -= 2) D1[k * M + j] = ((j === 0 ? k : 2 * k) * 2) / (b - a);
  }
  const normWeights = Float64Array.from({ length: M }, (_, k) => (k === 0 ? Math.PI : Math.PI / 2));
  return { kind: 'chebyshev', size: M, points, evaluation, projection, derivative: (order = 1) => matPow(D1, M, checkOrder(order)), normWeights };
}

/** float32 tensor of a row-major float64 matrix. */
export function basisMatrix(values: Float64Array, rows: number, cols: number): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from(values), [rows, cols]);
}

/** Applies a [M, M'] matrix along the coefficient axis of [B, M, C] -> [B, M', C]. */
export function alongModes(x: tf.Tensor, matrix: tf.Tensor2D): tf.Tensor {
  return tf.tidy(() => {
    const [B, M, C] = x.shape;
    const rows = tf.reshape(tf.transpose(x, [0, 2, 1]), [B * C, M]);
    return tf.transpose(tf.reshape(tf.matMul(rows, matrix), [B, C, matrix.shape[1]]), [0, 2, 1]);
  });
}

export interface SpectralOperatorOptions {
  basis: SpectralBasis;
  /** Channels of the hidden layers (default 32). */
  width?: number;
  /** Spectral layers (default 4). */
  layers?: number;
  inChannels?: number;
  outChannels?: number;
  /** Activation, applied at the collocation points (default 'relu', NSM's). */
  activation?: ActivationName;
  seed?: number | Rng;
}

/**
 * NSM's spectral operator: coefficients [B, M, inChannels] -> [B, M, outChannels].
 * Layers: lift (channel map) -> act; L x act(K u + W u), K per-coefficient channel
 * mixing; channel map -> act -> channel map to the outputs. Every activation is evaluated at the
 * basis's collocation points.
 */
export class SpectralOperator implements FieldOperator {
  readonly name = 'SpectralOperator';
  readonly basis: SpectralBasis;
  readonly inChannels: number;
  readonly outChannels: number;
  private readonly act: Activation;
  private readonly lift: Pointwise;
  private readonly mixers: tf.Variable[];
  private readonly skips: Pointwise[];
  private readonly head: Pointwise;
  private readonly project: Pointwise;
  private readonly toValues: tf.Tensor2D;
  private readonly toCoefficients: tf.Tensor2D;

  constructor(opts: SpectralOperatorOptions) {
    const owner = 'spectralOperator';
    checkKnownKeys(owner, opts, ['basis', 'width', 'layers', 'inChannels', 'outChannels', 'activation', 'seed']);
    const basis = opts.basis;
    if (!basis || typeof basis.evaluation !== 'function') throw new TypeError(`${owner}: basis must come from fourierBasis(...) or chebyshevBasis(...)`);
    this.basis = basis;
    const width = checkPositiveInt(owner, 'width', opts.width ?? 32);
    const layers = checkPositiveInt(owner, 'layers', opts.layers ?? 4);
    this.inChannels = checkPositiveInt(owner, 'inChannels', opts.inChannels ?? 1);
    this.outChannels = checkPositiveInt(owner, 'outChannels', opts.outChannels ?? 1);
    this.act = activationOf(checkOneOf(owner, 'activation', opts.activation ?? 'relu', ACTIVATION_NAMES));
    const rng = resolveRng(opts.seed);
    const M = basis.size;
    this.lift = new Pointwise([this.inChannels, width], 'linear', rng);
    // NSM's SpectralConv init: normal / (in * out)
    this.mixers = Array.from({ length: layers }, () => {
      const w = Float32Array.from({ length: M * width * width }, () => rng.normal() / (width * width));
      return tf.variable(tf.tensor3d(w, [M, width, width]));
    });
    this.skips = this.mixers.map(() => new Pointwise([width, width], 'linear', rng));
    this.head = new Pointwise([width, width], 'linear', rng);
    this.project = new Pointwise([width, this.outChannels], 'linear', rng);
    this.toValues = tf.keep(basisMatrix(basis.evaluation(basis.points), M, M));
    this.toCoefficients = tf.keep(basisMatrix(basis.projection, M, M));
  }

  get variables(): tf.Variable[] {
    return [...this.lift.variables, ...this.mixers, ...this.skips.flatMap((s) => s.variables), ...this.head.variables, ...this.project.variables];
  }

  get paramCount(): number { return countParams(this.variables); }

  /** The activation applied at the collocation points, back in coefficients. */
  private activate(u: tf.Tensor): tf.Tensor {
    return alongModes(this.act.apply(alongModes(u, this.toValues)), this.toCoefficients);
  }

  apply(coefficients: tf.Tensor): tf.Tensor {
    const M = this.basis.size;
    const withChannels = coefficients.rank === 3;
    if (!withChannels) checkShape('SpectralOperator.apply', 'coefficients', coefficients, [null, M], 'batch, coefficients');
    else checkShape('SpectralOperator.apply', 'coefficients', coefficients, [null, M, this.inChannels], 'batch, coefficients, channels');
    if (!withChannels && this.inChannels !== 1) throw new Error(`SpectralOperator.apply: the model has ${this.inChannels} input channels; pass [batch, ${M}, ${this.inChannels}]`);
    return tf.tidy(() => {
      let u = this.activate(this.lift.apply(withChannels ? coefficients : tf.expandDims(coefficients, -1)));
      this.mixers.forEach((K, i) => {
        const perMode = tf.transpose(u, [1, 0, 2]);
        const mixed = tf.transpose(tf.matMul(perMode, K), [1, 0, 2]);
        u = this.activate(tf.add(mixed, this.skips[i].apply(u)));
      });
      const y = this.project.apply(this.activate(this.head.apply(u)));
      return !withChannels && this.outChannels === 1 ? tf.squeeze(y, [2]) : y;
    });
  }

  /** Values of coefficients [B, M] (or [B, M, C]) at any points: [B, n] (or [B, n, C]). */
  evaluate(coefficients: tf.Tensor, points: ArrayLike<number>): tf.Tensor {
    const E = this.basis.evaluation(points);
    return evaluateBasis(coefficients, E, this.basis.size, points.length);
  }

  dispose(): void {
    this.lift.dispose();
    this.mixers.forEach((m) => m.dispose());
    this.skips.forEach((s) => s.dispose());
    this.head.dispose();
    this.project.dispose();
    this.toValues.dispose();
    this.toCoefficients.dispose();
  }
}

/** coefficients [B, M] or [B, M, C] @ E [M, n] along the coefficient axis. */
export function evaluateBasis(coefficients: tf.Tensor, E: Float64Array, M: number, n: number): tf.Tensor {
  return tf.tidy(() => {
    const m = basisMatrix(E, M, n);
    if (coefficients.rank === 2) return tf.matMul(coefficients, m);
    return alongModes(coefficients, m);
  });
}

export function spectralOperator(opts: SpectralOperatorOptions): SpectralOperator {
  return new SpectralOperator(opts);
}
