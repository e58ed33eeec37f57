/**
 * Float64 multilayer perceptrons for TENG: forward pass, input derivatives (u_i, u_ii) in
 * forward mode, and per-sample parameter Jacobians (of u, or of any linear combination of
 * u, u_i and u_ii with per-point coefficients, i.e. a linearised PDE operator) by one
 * reverse sweep per point. TF.js has no float64; TENG's least squares needs it.
 *
 *   const net = teng.network({ inputDim: 2, embedding: { kind: 'periodic', nodesPerDim: 10, period: 2 * Math.PI },
 *                              hidden: [20, 20], seed: 0 });
 *   const tr = net.trace(points, { second: [0, 1] });     // points: linalg.Matrix [N, 2]
 *   tr.u; tr.second[0];                                  // u and u_xx at every point
 *   const J = tr.jacobian();                             // [N, P], d u(x_n) / d theta
 *
 * Architectures (scalar output, one activation for every hidden layer):
 * - `periodic`: TENG's trainable periodic layer (official code `PeriodicLinear2`): for each
 *   input dimension d and node m, a_md cos(2 pi x_d / P + phi_md) + c_md, then the activation;
 *   node order m * inputDim + d. Parameters a, phi, c ([m, d] each, row-major) come first.
 * - `sinusoidal`: the fixed embedding of `nn.mlp` ([cos(x A), sin(x A), x C], no parameters,
 *   no activation after it), so an `nn.Mlp` converts exactly (`fromMlp`).
 * - `none`: the raw input.
 * Then dense layers W (row-major [in, out]) and b, in `nn.mlp`'s flat order W0, b0, W1, b1, ...
 */
import { Matrix, asMatrix, type MatrixLike } from '../linalg/index.js';
import { resolveRng, type Rng } from '../backend/random.js';
import { initLayer, INIT_NAMES, type InitName } from '../nn/init.js';
import { periodicEmbeddingMatrices, type PeriodicEmbedding } from '../nn/embedding.js';
import type { Mlp } from '../nn/mlp.js';

export type Float64Activation = 'tanh' | 'sin';
const ACTIVATIONS: readonly Float64Activation[] = ['tanh', 'sin'];

export type EmbeddingSpec =
  | { kind: 'none' }
  | { kind: 'periodic'; nodesPerDim: number; period: number }
  | { kind: 'sinusoidal'; A: number[][]; C?: number[][] | null };

export interface NetworkConfig {
  inputDim: number;
  /** Widths of the dense hidden layers (after the embedding); the output is one scalar. */
  hidden: number[];
  embedding?: EmbeddingSpec;
  activation?: Float64Activation;
  /** Initialiser of the dense layers (default 'lecun-normal', the family of flax's Dense default). */
  init?: InitName;
  /** Seed or generator for the initial parameters (default: the library generator). */
  seed?: number | Rng;
}

/** Which input derivatives a trace carries: `first` dims (u_i) and pure `second` dims (u_ii). */
export interface DerivativeRequest {
  first?: number[];
  second?: number[];
}

/**
 * Per-point coefficients of the quantity to differentiate: row n of the Jacobian is
 * d/dtheta [u_coef[n] u + sum_k first[k][n] u_{i_k} + sum_k second[k][n] u_{i_k i_k}],
 * with `first` / `second` aligned to the trace's `first` / `second` dims. Missing entries are 0.
 */
export interface Cotangent {
  u?: ArrayLike<number>;
  first?: Array<ArrayLike<number> | null | undefined>;
  second?: Array<ArrayLike<number> | null | undefined>;
}

/** Values (and derivative streams) of one layer for all N points, each [N, width] row-major. */
interface Streams { v: Float64Array; d1: Float64Array[]; d2: Float64Array[] }

interface ActivationRecord {
  /** Pre-activation streams z, z_i, z_ii. */
  z: Streams;
  s1: Float64Array;
  s2: Float64Array | null;
  s3: Float64Array | null;
  width: number;
}

interface DenseLayout { fanIn: number; fanOut: number; w: number; b: number }

export class Float64Mlp {
  readonly inputDim: number;
  readonly hidden: readonly number[];
  readonly embedding: EmbeddingSpec;
  readonly activation: Float64Activation;
  /** Flat parameters; change them through `setParams` / `addToParams` (traces check the version). */
  readonly params: Float64Array;
  readonly paramCount: number;
  private readonly dense: DenseLayout[];
  private readonly embedWidth: number;
  private readonly A: Float64Array | null = null;
  private readonly C: Float64Array | null = null;
  private readonly aCols: number = 0;
  private readonly cCols: number = 0;
  private versionCounter = 0;

  constructor(config: NetworkConfig) {
    const { inputDim, hidden } = config;
    if (!Number.isInteger(inputDim) || inputDim < 1) throw new Error(`teng.network: inputDim must be a positive integer, got ${inputDim}`);
    if (!Array.isArray(hidden) || !hidden.every((h) => Number.isInteger(h) && h > 0)) {
      throw new Error(`teng.network: hidden must be an array of positive integers, got ${JSON.stringify(hidden)}`);
    }
    const activation = config.activation ?? 'tanh';
    if (!ACTIVATIONS.includes(activation)) throw new Error(`teng.network: activation must be one of ${ACTIVATIONS.join(', ')}, got '${activation}'`);
    const init = config.init ?? 'lecun-normal';
    if (!INIT_NAMES.includes(init)) throw new Error(`teng.network: init must be one of ${INIT_NAMES.join(', ')}, got '${init}'`);
    this.inputDim = inputDim;
    this.hidden = [...hidden];
    this.activation = activation;
    const embedding = config.embedding ?? { kind: 'none' };
    this.embedding = embedding;
    let embedParams = 0;
    if (embedding.kind === 'periodic') {
      const { nodesPerDim, period } = embedding;
      if (!Number.isInteger(nodesPerDim) || nodesPerDim < 1) throw new Error(`teng.network: embedding.nodesPerDim must be a positive integer, got ${nodesPerDim}`);
      if (!(period > 0)) throw new Error(`teng.network: embedding.period must be positive, got ${period}`);
      this.embedWidth = nodesPerDim * inputDim;
      embedParams = 3 * this.embedWidth;
    } else if (embedding.kind === 'sinusoidal') {
      const { A } = embedding;
      const C = embedding.C ?? null;
      if (!Array.isArray(A) || A.length !== inputDim) throw new Error(`teng.network: embedding.A must have ${inputDim} rows (one per input dimension)`);
      this.aCols = A[0].length;
      this.cCols = C === null ? 0 : (C[0]?.length ?? 0);
      this.A = Float64Array.from(A.flat());
      this.C = this.cCols > 0 ? Float64Array.from(C!.flat()) : null;
      this.embedWidth = 2 * this.aCols + this.cCols;
    } else if (embedding.kind === 'none') {
      this.embedWidth = inputDim;
    } else {
      throw new Error(`teng.network: embedding.kind must be 'none', 'periodic' or 'sinusoidal', got '${(embedding as { kind: string }).kind}'`);
    }
    const widths = [this.embedWidth, ...hidden, 1];
    let offset = embedParams;
    this.dense = widths.slice(1).map((fanOut, l) => {
      const fanIn = widths[l];
      const layout = { fanIn, fanOut, w: offset, b: offset + fanIn * fanOut };
      offset += fanIn * fanOut + fanOut;
      return layout;
    });
    this.paramCount = offset;
    this.params = new Float64Array(offset);
    const rng = resolveRng(config.seed);
    if (embedding.kind === 'periodic') {
      // flax's truncated_normal(1.0): a standard normal truncated to [-2, 2]
      for (let p = 0; p < embedParams; p++) {
        let v = rng.normal();
        while (Math.abs(v) > 2) v = rng.normal();
        this.params[p] = v;
      }
    }
    for (const d of this.dense) {
      const { weights, bias } = initLayer(init, d.fanIn, d.fanOut, rng);
      this.params.set(weights, d.w);
      this.params.set(bias, d.b);
    }
  }

  /** Increases whenever the parameters change; traces refuse to differentiate stale parameters. */
  get version(): number { return this.versionCounter; }

  /** Replaces all parameters. */
  setParams(values: ArrayLike<number>): void {
    if (values.length !== this.paramCount) throw new Error(`teng.network.setParams: expected ${this.paramCount} values, got ${values.length}`);
    this.params.set(values);
    this.versionCounter++;
  }

  /** theta[columns[k]] += delta[k] (all parameters when `columns` is omitted). */
  addToParams(delta: ArrayLike<number>, columns?: ArrayLike<number>): void {
    if (columns === undefined) {
      if (delta.length !== this.paramCount) throw new Error(`teng.network.addToParams: expected ${this.paramCount} values, got ${delta.length}`);
      for (let p = 0; p < this.paramCount; p++) this.params[p] += delta[p];
    } else {
      if (delta.length !== columns.length) throw new Error(`teng.network.addToParams: ${delta.length} values for ${columns.length} columns`);
      for (let k = 0; k < columns.length; k++) this.params[columns[k]] += delta[k];
    }
    this.versionCounter++;
  }

  clone(): Float64Mlp {
    const copy = Object.create(Float64Mlp.prototype) as Float64Mlp;
    Object.assign(copy, this, { params: this.params.slice(), versionCounter: 0 });
    return copy;
  }

  /** u at each row of `points` ([N, inputDim]). */
  evaluate(points: MatrixLike): Float64Array {
    return this.trace(points).u;
  }

  /**
   * Forward pass at `points` carrying the requested input derivatives; the trace can then
   * build parameter Jacobians and vector-Jacobian products without another forward pass.
   */
  trace(points: MatrixLike, request: DerivativeRequest = {}): Trace {
    const X = asMatrix(points, 'teng.network points');
    if (X.cols !== this.inputDim) throw new Error(`teng.network: points must have ${this.inputDim} columns, got ${X.cols}`);
    const checkDims = (dims: number[] | undefined, name: string) => {
      for (const d of dims ?? []) {
        if (!Number.isInteger(d) || d < 0 || d >= this.inputDim) throw new Error(`teng.network.trace: ${name} dims must be integers in [0, ${this.inputDim}), got ${d}`);
      }
    };
    checkDims(request.first, 'first');
    checkDims(request.second, 'second');
    const second = [...new Set(request.second ?? [])];
    const first = [...new Set([...(request.first ?? []), ...second])];
    return new Trace(this, X, first, second);
  }

  /** Forward sweep used by `Trace`. */
  /** @internal */
  forward(X: Matrix, first: number[], second: number[]) {
    const n = X.rows;
    const d = this.inputDim;
    const p = this.params;
    const sIdx = second.map((i) => first.indexOf(i));
    const records: ActivationRecord[] = [];
    const inputs: Streams[] = [];
    let theta: Float64Array | null = null; // periodic embedding phases, [N, embedWidth]
    let h: Streams;
    const ew = this.embedWidth;
    const emb = this.embedding;
    if (emb.kind === 'none') {
      h = { v: Float64Array.from(X.data), d1: first.map((i) => unitColumn(n, d, i)), d2: second.map(() => new Float64Array(n * d)) };
    } else if (emb.kind === 'sinusoidal') {
      h = this.sinusoidal(X, first, second);
    } else {
      const m = emb.nodesPerDim;
      const omega = (2 * Math.PI) / emb.period;
      const z: Streams = { v: new Float64Array(n * ew), d1: first.map(() => new Float64Array(n * ew)), d2: second.map(() => new Float64Array(n * ew)) };
      theta = new Float64Array(n * ew);
      for (let r = 0; r < n; r++) {
        for (let k = 0; k < m; k++) {
          for (let dd = 0; dd < d; dd++) {
            const j = k * d + dd;
            const a = p[j];
            const phi = p[ew + j];
            const c = p[2 * ew + j];
            const t = omega * X.data[r * d + dd] + phi;
            const cos = Math.cos(t);
            const sin = Math.sin(t);
            theta[r * ew + j] = t;
            z.v[r * ew + j] = a * cos + c;
            const f = first.indexOf(dd);
            if (f >= 0) z.d1[f][r * ew + j] = -a * omega * sin;
            const s = second.indexOf(dd);
            if (s >= 0) z.d2[s][r * ew + j] = -a * omega * omega * cos;
          }
        }
      }
      const rec = activate(this.activation, z, ew, n, sIdx, second.length > 0, first.length > 0);
      records.push(rec.record);
      h = rec.out;
    }
    const L = this.dense.length;
    for (let l = 0; l < L; l++) {
      const { fanIn, fanOut, w, b } = this.dense[l];
      inputs.push(h);
      const z: Streams = {
        v: affine(h.v, n, fanIn, p, w, fanOut, p, b),
        d1: h.d1.map((s) => affine(s, n, fanIn, p, w, fanOut, null, 0)),
        d2: h.d2.map((s) => affine(s, n, fanIn, p, w, fanOut, null, 0)),
      };
      if (l === L - 1) return { n, first, second, sIdx, records, inputs, theta, out: z };
      const rec = activate(this.activation, z, fanOut, n, sIdx, second.length > 0, first.length > 0);
      records.push(rec.record);
      h = rec.out;
    }
    throw new Error('unreachable');
  }

  private sinusoidal(X: Matrix, first: number[], second: number[]): Streams {
    const n = X.rows;
    const d = this.inputDim;
    const F = this.aCols;
    const Q = this.cCols;
    const w = this.embedWidth;
    const A = this.A!;
    const C = this.C;
    const out: Streams = { v: new Float64Array(n * w), d1: first.map(() => new Float64Array(n * w)), d2: second.map(() => new Float64Array(n * w)) };
    for (let r = 0; r < n; r++) {
      const x = r * d;
      const o = r * w;
      for (let j = 0; j < F; j++) {
        let t = 0;
        for (let i = 0; i < d; i++) t += X.data[x + i] * A[i * F + j];
        const cos = Math.cos(t);
        const sin = Math.sin(t);
        out.v[o + j] = cos;
        out.v[o + F + j] = sin;
        first.forEach((i, k) => {
          const a = A[i * F + j];
          out.d1[k][o + j] = -sin * a;
          out.d1[k][o + F + j] = cos * a;
        });
        second.forEach((i, k) => {
          const aa = A[i * F + j] * A[i * F + j];
          out.d2[k][o + j] = -cos * aa;
          out.d2[k][o + F + j] = -sin * aa;
        });
      }
      for (let q = 0; q < Q; q++) {
        let s = 0;
        for (let i = 0; i < d; i++) s += X.data[x + i] * C![i * Q + q];
        out.v[o + 2 * F + q] = s;
        first.forEach((i, k) => { out.d1[k][o + 2 * F + q] = C![i * Q + q]; });
      }
    }
    return out;
  }

  /**
   * Reverse sweep for point r with output cotangents (gu, g1, g2), adding
   * d/dtheta [gu u + g1 . u_first + g2 . u_second] into out[offset ...].
   * @internal
   */
  backward(f: ReturnType<Float64Mlp['forward']>, r: number, gu: number, g1: Float64Array, g2: Float64Array, out: Float64Array, offset: number, ws: Workspace): void {
    const p = this.params;
    const nF = f.first.length;
    const nS = f.second.length;
    const L = this.dense.length;
    // output layer (fanOut 1)
    {
      const { fanIn, w, b } = this.dense[L - 1];
      const h = f.inputs[L - 1];
      const row = r * fanIn;
      const abar = ws.abar;
      for (let i = 0; i < fanIn; i++) {
        let g = gu * h.v[row + i];
        for (let k = 0; k < nF; k++) g += g1[k] * h.d1[k][row + i];
        for (let k = 0; k < nS; k++) g += g2[k] * h.d2[k][row + i];
        out[offset + w + i] += g;
        const wi = p[w + i];
        abar.v[i] = gu * wi;
        for (let k = 0; k < nF; k++) abar.d1[k][i] = g1[k] * wi;
        for (let k = 0; k < nS; k++) abar.d2[k][i] = g2[k] * wi;
      }
      out[offset + b] += gu;
    }
    const hasEmbeddingParams = this.embedding.kind === 'periodic';
    // hidden layers, from the last one back; records[l + shift] is the activation after dense l
    const shift = hasEmbeddingParams ? 1 : 0;
    for (let l = L - 2; l >= -shift; l--) {
      const rec = f.records[l + shift];
      const width = rec.width;
      zbarFromAbar(rec, r, ws, nF, nS, f.sIdx);
      if (l < 0) break; // the embedding's own parameters are handled below
      const { fanIn, fanOut, w, b } = this.dense[l];
      const h = f.inputs[l];
      const row = r * fanIn;
      const zbar = ws.zbar;
      for (let i = 0; i < fanIn; i++) {
        const base = offset + w + i * fanOut;
        const hv = h.v[row + i];
        for (let j = 0; j < fanOut; j++) out[base + j] += hv * zbar.v[j];
        for (let k = 0; k < nF; k++) {
          const hk = h.d1[k][row + i];
          if (hk !== 0) { const zk = zbar.d1[k]; for (let j = 0; j < fanOut; j++) out[base + j] += hk * zk[j]; }
        }
        for (let k = 0; k < nS; k++) {
          const hk = h.d2[k][row + i];
          if (hk !== 0) { const zk = zbar.d2[k]; for (let j = 0; j < fanOut; j++) out[base + j] += hk * zk[j]; }
        }
      }
      for (let j = 0; j < width; j++) out[offset + b + j] += zbar.v[j];
      if (l === 0 && !hasEmbeddingParams) return;
      // abar of this layer's input = W zbar, per stream
      const abar = ws.abar;
      for (let i = 0; i < fanIn; i++) {
        const wrow = w + i * fanOut;
        let s = 0;
        for (let j = 0; j < fanOut; j++) s += p[wrow + j] * zbar.v[j];
        abar.v[i] = s;
        for (let k = 0; k < nF; k++) {
          const zk = zbar.d1[k];
          let t = 0;
          for (let j = 0; j < fanOut; j++) t += p[wrow + j] * zk[j];
          abar.d1[k][i] = t;
        }
        for (let k = 0; k < nS; k++) {
          const zk = zbar.d2[k];
          let t = 0;
          for (let j = 0; j < fanOut; j++) t += p[wrow + j] * zk[j];
          abar.d2[k][i] = t;
        }
      }
    }
    if (!hasEmbeddingParams) return;
    // TENG's periodic layer: e = a cos(theta) + c, e_d = -a w sin(theta), e_dd = -a w^2 cos(theta)
    const emb = this.embedding as { nodesPerDim: number; period: number };
    const d = this.inputDim;
    const ew = this.embedWidth;
    const omega = (2 * Math.PI) / emb.period;
    const zbar = ws.zbar;
    const theta = f.theta!;
    for (let j = 0; j < ew; j++) {
      const dd = j % d;
      const t = theta[r * ew + j];
      const cos = Math.cos(t);
      const sin = Math.sin(t);
      const a = p[j];
      let ga = zbar.v[j] * cos;
      let gphi = -zbar.v[j] * a * sin;
      const kf = f.first.indexOf(dd);
      if (kf >= 0) {
        ga += zbar.d1[kf][j] * -omega * sin;
        gphi += zbar.d1[kf][j] * -a * omega * cos;
      }
      const ks = f.second.indexOf(dd);
      if (ks >= 0) {
        ga += zbar.d2[ks][j] * -omega * omega * cos;
        gphi += zbar.d2[ks][j] * a * omega * omega * sin;
      }
      out[offset + j] += ga;
      out[offset + ew + j] += gphi;
      out[offset + 2 * ew + j] += zbar.v[j];
    }
  }

  /** @internal */
  workspace(nF: number, nS: number): Workspace {
    const width = Math.max(this.embedWidth, ...this.hidden, 1);
    const streams = (): Streams => ({
      v: new Float64Array(width),
      d1: Array.from({ length: nF }, () => new Float64Array(width)),
      d2: Array.from({ length: nS }, () => new Float64Array(width)),
    });
    return { abar: streams(), zbar: streams() };
  }

  /** Copies the weights of a TF.js `nn.Mlp` (scalar output; no or periodic embedding, tanh or sin). */
  static fromMlp(mlp: Mlp): Float64Mlp {
    if (mlp.outputDim !== 1) throw new Error(`Float64Mlp.fromMlp: only scalar outputs are supported, the network has ${mlp.outputDim}`);
    const act = mlp.activation.name;
    if (act !== 'tanh' && act !== 'sin') throw new Error(`Float64Mlp.fromMlp: activation '${act}' has no float64 version (tanh, sin)`);
    let embedding: EmbeddingSpec = { kind: 'none' };
    if (mlp.embedding !== null) {
      const A = mlp.embedding.A.arraySync() as number[][];
      const C = mlp.embedding.C === null ? null : (mlp.embedding.C.arraySync() as number[][]);
      embedding = { kind: 'sinusoidal', A, C };
    }
    const net = new Float64Mlp({ inputDim: mlp.inputDim, hidden: mlp.sizes.slice(1, -1), embedding, activation: act, seed: 0 });
    net.setParams(mlp.getFlat());
    return net;
  }

  /** The float64 twin of `nn.mlp({ sizes, periodic })` (same embedding matrices). */
  static periodicSinusoidal(inputDim: number, hidden: number[], periodic: PeriodicEmbedding, options: Omit<NetworkConfig, 'inputDim' | 'hidden' | 'embedding'> = {}): Float64Mlp {
    const { A, C } = periodicEmbeddingMatrices(inputDim, periodic);
    return new Float64Mlp({ ...options, inputDim, hidden, embedding: { kind: 'sinusoidal', A, C } });
  }
}

/** @internal scratch vectors for the reverse sweep. */
export interface Workspace { abar: Streams; zbar: Streams }

/**
 * The network's values and requested input derivatives at N points, and the parameter
 * Jacobians built from them. Valid while the network's parameters are unchanged.
 */
export class Trace {
  /** u at each point. */
  readonly u: Float64Array;
  /** u_{first[k]} for each requested first-derivative dim. */
  readonly first: Float64Array[];
  /** u_{second[k] second[k]} for each requested second-derivative dim. */
  readonly second: Float64Array[];
  readonly firstDims: readonly number[];
  readonly secondDims: readonly number[];
  readonly points: Matrix;
  private readonly tape: ReturnType<Float64Mlp['forward']>;
  private readonly version: number;

  constructor(readonly net: Float64Mlp, points: Matrix, first: number[], second: number[]) {
    this.points = points;
    this.version = net.version;
    this.tape = net.forward(points, first, second);
    this.firstDims = first;
    this.secondDims = second;
    this.u = this.tape.out.v;
    this.first = this.tape.out.d1;
    this.second = this.tape.out.d2;
  }

  get size(): number { return this.points.rows; }

  /** u_i for input dim i (requested as first or second). */
  derivative(dim: number): Float64Array {
    const k = this.firstDims.indexOf(dim);
    if (k < 0) throw new Error(`Trace.derivative: dim ${dim} was not requested (first: [${this.firstDims}])`);
    return this.first[k];
  }

  /** u_ii for input dim i (requested as second). */
  secondDerivative(dim: number): Float64Array {
    const k = this.secondDims.indexOf(dim);
    if (k < 0) throw new Error(`Trace.secondDerivative: dim ${dim} was not requested (second: [${this.secondDims}])`);
    return this.second[k];
  }

  /** Sum of the requested pure second derivatives (the Laplacian when all dims are requested). */
  laplacian(): Float64Array {
    const out = new Float64Array(this.size);
    for (const s of this.second) for (let r = 0; r < out.length; r++) out[r] += s[r];
    return out;
  }

  private checkFresh(): void {
    if (this.net.version !== this.version) throw new Error('Trace: the network parameters changed after this trace was taken; trace again');
  }

  private cotangents(cot: Cotangent | undefined) {
    const n = this.size;
    const check = (a: ArrayLike<number> | null | undefined, name: string) => {
      if (a != null && a.length !== n) throw new Error(`Trace: cotangent ${name} has ${a.length} entries for ${n} points`);
      return a ?? null;
    };
    const u = cot === undefined ? null : check(cot.u, 'u');
    const first = this.firstDims.map((_, k) => check(cot?.first?.[k], `first[${k}]`));
    const second = this.secondDims.map((_, k) => check(cot?.second?.[k], `second[${k}]`));
    if ((cot?.first?.length ?? 0) > this.firstDims.length) throw new Error(`Trace: ${cot!.first!.length} first-derivative cotangents for ${this.firstDims.length} traced dims`);
    if ((cot?.second?.length ?? 0) > this.secondDims.length) throw new Error(`Trace: ${cot!.second!.length} second-derivative cotangents for ${this.secondDims.length} traced dims`);
    return { u: cot === undefined ? null : u, unitU: cot === undefined, first, second };
  }

  /**
   * The [N, P] Jacobian of u (default) or of the cotangent combination (a linearised
   * operator) with respect to the parameters; `columns` keeps only those parameters, in
   * that order ([N, columns.length]).
   */
  jacobian(options: { cotangent?: Cotangent; columns?: ArrayLike<number> } = {}): Matrix {
    this.checkFresh();
    const P = this.net.paramCount;
    const n = this.size;
    const cols = options.columns;
    if (cols !== undefined) {
      for (let k = 0; k < cols.length; k++) {
        if (!Number.isInteger(cols[k]) || cols[k] < 0 || cols[k] >= P) throw new Error(`Trace.jacobian: columns must be parameter indices in [0, ${P}), got ${cols[k]}`);
      }
    }
    const c = this.cotangents(options.cotangent);
    const nF = this.firstDims.length;
    const nS = this.secondDims.length;
    const ws = this.net.workspace(nF, nS);
    const g1 = new Float64Array(nF);
    const g2 = new Float64Array(nS);
    const width = cols === undefined ? P : cols.length;
    const J = new Matrix(n, width);
    const row = cols === undefined ? null : new Float64Array(P);
    for (let r = 0; r < n; r++) {
      const gu = c.unitU ? 1 : (c.u?.[r] ?? 0);
      for (let k = 0; k < nF; k++) g1[k] = c.first[k]?.[r] ?? 0;
      for (let k = 0; k < nS; k++) g2[k] = c.second[k]?.[r] ?? 0;
      if (row === null) {
        this.net.backward(this.tape, r, gu, g1, g2, J.data, r * P, ws);
      } else {
        row.fill(0);
        this.net.backward(this.tape, r, gu, g1, g2, row, 0, ws);
        const o = r * width;
        for (let k = 0; k < width; k++) J.data[o + k] = row[cols![k]];
      }
    }
    return J;
  }

  /**
   * Vector-Jacobian product: sum over points of d/dtheta of the cotangent combination
   * (the gradient of sum_n [c_u u + c_i u_i + ...](x_n) for fixed coefficients). With
   * c_u = w (u - target) it is the gradient of the weighted squared loss.
   */
  vjp(cotangent: Cotangent): Float64Array {
    this.checkFresh();
    const c = this.cotangents(cotangent);
    const nF = this.firstDims.length;
    const nS = this.secondDims.length;
    const ws = this.net.workspace(nF, nS);
    const g1 = new Float64Array(nF);
    const g2 = new Float64Array(nS);
    const grad = new Float64Array(this.net.paramCount);
    for (let r = 0; r < this.size; r++) {
      const gu = c.u?.[r] ?? 0;
      let any = gu !== 0;
      for (let k = 0; k < nF; k++) { g1[k] = c.first[k]?.[r] ?? 0; any ||= g1[k] !== 0; }
      for (let k = 0; k < nS; k++) { g2[k] = c.second[k]?.[r] ?? 0; any ||= g2[k] !== 0; }
      if (any) this.net.backward(this.tape, r, gu, g1, g2, grad, 0, ws);
    }
    return grad;
  }
}

/** Builds a float64 MLP (see `NetworkConfig`). */
export function network(config: NetworkConfig): Float64Mlp {
  return new Float64Mlp(config);
}

function unitColumn(n: number, d: number, i: number): Float64Array {
  const out = new Float64Array(n * d);
  for (let r = 0; r < n; r++) out[r * d + i] = 1;
  return out;
}

/** out = X W (+ b): X [n, fanIn], W at p[w..] row-major [fanIn, fanOut]. */
function affine(X: Float64Array, n: number, fanIn: number, p: Float64Array, w: number, fanOut: number, bias: Float64Array | null, b: number): Float64Array {
  const out = new Float64Array(n * fanOut);
  for (let r = 0; r < n; r++) {
    const o = r * fanOut;
    if (bias !== null) for (let j = 0; j < fanOut; j++) out[o + j] = bias[b + j];
    const x = r * fanIn;
    for (let i = 0; i < fanIn; i++) {
      const xi = X[x + i];
      if (xi === 0) continue;
      const wr = w + i * fanOut;
      for (let j = 0; j < fanOut; j++) out[o + j] += xi * p[wr + j];
    }
  }
  return out;
}

/**
 * a = s(z), a_i = s'(z) z_i, a_ii = s''(z) z_i^2 + s'(z) z_ii, keeping s', s'', s''' for the
 * reverse sweep (only as many as the derivative streams need).
 */
function activate(kind: Float64Activation, z: Streams, width: number, n: number, sIdx: number[], needThird: boolean, needSecond: boolean) {
  const size = n * width;
  const v = new Float64Array(size);
  const s1 = new Float64Array(size);
  const s2 = needSecond || needThird ? new Float64Array(size) : null;
  const s3 = needThird ? new Float64Array(size) : null;
  for (let q = 0; q < size; q++) {
    const x = z.v[q];
    if (kind === 'tanh') {
      const t = Math.tanh(x);
      const d1 = 1 - t * t;
      v[q] = t;
      s1[q] = d1;
      if (s2 !== null) s2[q] = -2 * t * d1;
      if (s3 !== null) s3[q] = d1 * (4 * t * t - 2 * d1);
    } else {
      const sn = Math.sin(x);
      const cs = Math.cos(x);
      v[q] = sn;
      s1[q] = cs;
      if (s2 !== null) s2[q] = -sn;
      if (s3 !== null) s3[q] = -cs;
    }
  }
  const d1 = z.d1.map((zk) => {
    const out = new Float64Array(size);
    for (let q = 0; q < size; q++) out[q] = s1[q] * zk[q];
    return out;
  });
  const d2 = z.d2.map((zkk, k) => {
    const zk = z.d1[sIdx[k]];
    const out = new Float64Array(size);
    for (let q = 0; q < size; q++) out[q] = s2![q] * zk[q] * zk[q] + s1[q] * zkk[q];
    return out;
  });
  return { out: { v, d1, d2 }, record: { z, s1, s2, s3, width } as ActivationRecord };
}

/**
 * Reverse of `activate` at point r: from abar (cotangents of a, a_i, a_ii) in the
 * workspace to zbar (cotangents of z, z_i, z_ii).
 */
function zbarFromAbar(rec: ActivationRecord, r: number, ws: Workspace, nF: number, nS: number, sIdx: number[]): void {
  const { abar, zbar } = ws;
  const width = rec.width;
  const o = r * width;
  for (let j = 0; j < width; j++) {
    const q = o + j;
    const s1 = rec.s1[q];
    let g = abar.v[j] * s1;
    for (let k = 0; k < nF; k++) {
      const ak = abar.d1[k][j];
      g += ak * rec.s2![q] * rec.z.d1[k][q];
      zbar.d1[k][j] = ak * s1;
    }
    for (let k = 0; k < nS; k++) {
      const akk = abar.d2[k][j];
      const zk = rec.z.d1[sIdx[k]][q];
      g += akk * (rec.s3![q] * zk * zk + rec.s2![q] * rec.z.d2[k][q]);
      zbar.d1[sIdx[k]][j] += akk * 2 * rec.s2![q] * zk;
      zbar.d2[k][j] = akk * s1;
    }
    zbar.v[j] = g;
  }
}
