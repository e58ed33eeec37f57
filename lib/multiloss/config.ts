/**
 * ConFIG, Conflict-Free Inverse Gradients (Liu, Chu, Thuerey, ICLR 2025;
 * arXiv:2408.11104; official code tum-pbs/ConFIG, package `conflictfree`):
 *
 *   U   = [g_1/|g_1|; ...; g_m/|g_m|]          (a zero gradient gives a zero row)
 *   g   = U^+ w          (minimum-norm solution of U g = w; w = 1 by default)
 *   g_u = g / |g|
 *   out = (sum_i g_i . g_u) g_u                (the default ProjectionLength model)
 *
 * so every g_i has the same positive cosine with the result (with w = 1) and the
 * result's length is the sum of the projections. Computed from the Gram matrix:
 * U^+ w = U^T (U U^T)^+ w, and U U^T = D^-1 K D^-1 with K = G G^T, D = diag |g_i|.
 * For two losses the package uses a closed form (`ConFIG_update_double`) that gives
 * the same vector; the general form is used for every m here.
 *
 * M-ConFIG (`PseudoMomentumOperator`): each step back-propagates one loss, chosen
 * round-robin; each loss keeps its own first moment with its own bias-correction
 * count; ConFIG combines the bias-corrected moments; a pseudo second moment built
 * from the combined direction normalises it, Adam-like; the result is applied with
 * plain SGD (the authors advise against Adam on top).
 */
import * as tf from '../backend/tf.js';
import { type HostMatrix, checkVector, gramOf, hostMatrix, readGradients, toTensor } from './matrix.js';
import { symmetricPinv } from './small.js';
import { checkKeys, checkNumber, defineCombiner } from './combiner.js';

export interface ConfigOptions {
  /** Direction weights w (the target cosines up to scale); default all ones (EqualWeight). */
  weights?: ArrayLike<number>;
}

/** The ConFIG weights: out = sum_i weights[i] g_i. */
export function configWeighting(G: HostMatrix, options: ConfigOptions, owner: string): Float64Array {
  checkKeys(owner, options, ['weights']);
  const { m } = G;
  const w = checkVector(options.weights, m, owner, 'weights') ?? new Float64Array(m).fill(1);
  const K = gramOf(G);
  const norms = Float64Array.from({ length: m }, (_, i) => Math.sqrt(K[i * m + i]));
  const inv = norms.map((s) => (s > 0 ? 1 / s : 0));
  // Gram matrix of the unit vectors, then alpha = (U U^T)^+ w: g = U^T alpha = sum_i (alpha_i / |g_i|) g_i.
  const UU = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) UU[i * m + j] = K[i * m + j] * inv[i] * inv[j];
  const P = symmetricPinv(UU, m);
  const beta = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let a = 0;
    for (let j = 0; j < m; j++) a += P[i * m + j] * w[j];
    beta[i] = a * inv[i];
  }
  // |g|^2 = beta^T K beta; the projection length sum_i g_i . g_u = 1^T K beta / |g|.
  let gg = 0;
  let proj = 0;
  for (let i = 0; i < m; i++) {
    let kb = 0;
    for (let j = 0; j < m; j++) kb += K[i * m + j] * beta[j];
    gg += beta[i] * kb;
    proj += kb;
  }
  if (!(gg > 0)) return new Float64Array(m);
  const norm = Math.sqrt(gg);
  return beta.map((b) => (b * proj) / (norm * norm));
}

/** ConFIG's conflict-free direction for the rows of G (see the module comment). */
export const config = defineCombiner<ConfigOptions>('config', configWeighting);

export interface MConfigOptions {
  /** Number of losses. */
  losses: number;
  /** First-moment decay (default 0.9). */
  beta1?: number;
  /** Pseudo second-moment decay (default 0.999). */
  beta2?: number;
  /** Added to the square root of the second moment (default 1e-8). */
  eps?: number;
  /** Direction weights passed to ConFIG (default all ones). */
  weights?: ArrayLike<number>;
}

/** M-ConFIG's state: per-loss first moments and counts, the pseudo moments and the step count. */
export interface MConfigState {
  /** First moment of each loss's gradient (null until the size is known). */
  m: Float64Array[] | null;
  /** How many gradients of each loss were seen. */
  counts: number[];
  /** Pseudo second moment. */
  s: Float64Array | null;
  /** The previous pseudo first moment. */
  fakeM: Float64Array | null;
  /** Steps taken since every loss was seen once. */
  t: number;
}

/**
 * M-ConFIG (`mconfig({losses: 3})`): call `lossIndex(step)` to know which loss to
 * back-propagate, then `update(index, gradient)` for the direction to apply with SGD
 * (theta -= lr * direction). Until every loss has been seen once it returns zeros, as
 * the reference does.
 */
export class MConfig {
  readonly name = 'mconfig';
  readonly losses: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  private readonly weights: Float64Array | undefined;
  state: MConfigState;

  constructor(options: MConfigOptions) {
    const owner = 'multiloss.mconfig';
    checkKeys(owner, options, ['losses', 'beta1', 'beta2', 'eps', 'weights']);
    if (options === undefined || !Number.isInteger(options.losses) || options.losses < 1) {
      throw new Error(`${owner}: losses must be a positive integer (the number of loss terms), got ${String(options?.losses)}`);
    }
    this.losses = options.losses;
    this.beta1 = checkNumber(owner, 'beta1', options.beta1 ?? 0.9, 0, 1, { openHi: true });
    this.beta2 = checkNumber(owner, 'beta2', options.beta2 ?? 0.999, 0, 1, { openHi: true });
    this.eps = checkNumber(owner, 'eps', options.eps ?? 1e-8, 0, Infinity);
    this.weights = checkVector(options.weights, this.losses, owner, 'weights');
    this.state = { m: null, counts: new Array(this.losses).fill(0), s: null, fakeM: null, t: 0 };
  }

  /** The loss to back-propagate at a step (round-robin, `step % losses`). */
  lossIndex(step: number): number {
    return ((step % this.losses) + this.losses) % this.losses;
  }

  /** Feeds loss `index`'s gradient [parameters]; returns the direction for SGD. */
  update(index: number, gradient: tf.Tensor1D): tf.Tensor1D {
    const owner = 'multiloss.mconfig.update';
    if (!Number.isInteger(index) || index < 0 || index >= this.losses) {
      throw new Error(`${owner}: index must be an integer in [0, ${this.losses - 1}], got ${index}`);
    }
    const row = tf.reshape(gradient, [1, -1]) as tf.Tensor2D;
    try {
      return toTensor(this.updateHost(index, readGradients(row, owner).data));
    } finally {
      row.dispose();
    }
  }

  /** The same on a float64 vector (no tensors involved). */
  updateHost(index: number, g: Float64Array): Float64Array {
    const n = g.length;
    const st = this.state;
    if (st.m === null) {
      st.m = Array.from({ length: this.losses }, () => new Float64Array(n));
      st.s = new Float64Array(n);
      st.fakeM = new Float64Array(n);
    } else if (st.m[0].length !== n) {
      throw new Error(`multiloss.mconfig.update: gradient has ${n} entries, earlier ones had ${st.m[0].length}`);
    }
    const { beta1: b1, beta2: b2 } = this;
    st.counts[index] += 1;
    const mi = st.m[index];
    for (let k = 0; k < n; k++) mi[k] = b1 * mi[k] + (1 - b1) * g[k];
    if (st.counts.some((c) => c === 0)) return new Float64Array(n);
    st.t += 1;
    const hats = new Float64Array(this.losses * n);
    for (let i = 0; i < this.losses; i++) {
      const c = 1 - b1 ** st.counts[i];
      for (let k = 0; k < n; k++) hats[i * n + k] = st.m[i][k] / c;
    }
    const H = hostMatrix(hats, this.losses, 'multiloss.mconfig');
    const w = configWeighting(H, { weights: this.weights }, 'multiloss.mconfig');
    const out = new Float64Array(n);
    for (let i = 0; i < this.losses; i++) for (let k = 0; k < n; k++) out[k] += w[i] * hats[i * n + k];
    const scale1 = 1 - b1 ** st.t;
    const bc2 = 1 - b2 ** st.t;
    const s = st.s!;
    const prev = st.fakeM!;
    for (let k = 0; k < n; k++) {
      const fake = out[k] * scale1;
      const fakeGrad = (fake - b1 * prev[k]) / (1 - b1);
      prev[k] = fake;
      s[k] = b2 * s[k] + (1 - b2) * fakeGrad * fakeGrad;
      out[k] = out[k] / (Math.sqrt(s[k] / bc2) + this.eps);
    }
    return out;
  }

  /** Forgets all moments. */
  reset(): void {
    this.state = { m: null, counts: new Array(this.losses).fill(0), s: null, fakeM: null, t: 0 };
  }
}

/** M-ConFIG with its state in the returned object (see `MConfig`). */
export function mconfig(options: MConfigOptions): MConfig {
  return new MConfig(options);
}
