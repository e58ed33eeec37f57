/**
 * MultiAdam (Yao et al., "MultiAdam: Parameter-wise Scale-invariant Optimizer for
 * Multiscale Training of Physics-informed Neural Networks", ICML 2023), ported from
 * PINNacle's `MultiAdam` (src/optimizer/multiadam.py, the reference implementation):
 * the losses are split into groups, each group's gradient keeps its own Adam moments,
 * and the step is the weighted sum of the per-group Adam directions:
 *
 *   m_i = b1 m_i + (1 - b1) g_i,  v_i = b2 v_i + (1 - b2) g_i^2
 *   theta -= lr / (1 - b1^t) * sum_i w_i m_i / (sqrt(v_i) / sqrt(1 - b2^t) + eps)
 *
 * with w_i = 1 / groups by default and betas (0.99, 0.99). Scaling one group's loss by
 * a constant leaves the step unchanged (up to eps): the scale invariance of the paper.
 * Rows of G are the group gradients (sum the rows of the losses in a group first).
 */
import * as tf from '../backend/tf.js';
import { checkVector, readGradients, toTensor } from './matrix.js';
import { checkKeys, checkNumber } from './combiner.js';

export interface MultiAdamOptions {
  /** Learning rate, or a function of the step count (from 0) (default 1e-3). */
  lr?: number | ((step: number) => number);
  /** (b1, b2), default (0.99, 0.99) as in the reference. */
  betas?: [number, number];
  /** Default 1e-8. */
  eps?: number;
  /** Weight of each group's direction (default 1 / groups). */
  groupWeights?: ArrayLike<number>;
}

export interface MultiAdamState {
  /** Updates applied so far. */
  step: number;
  /** Per-group first and second moments (null before the first update). */
  m: Float64Array[] | null;
  v: Float64Array[] | null;
}

export class MultiAdam {
  readonly name = 'multiadam';
  readonly b1: number;
  readonly b2: number;
  readonly eps: number;
  private readonly lr: number | ((step: number) => number);
  private readonly groupWeights: ArrayLike<number> | undefined;
  state: MultiAdamState = { step: 0, m: null, v: null };

  constructor(options: MultiAdamOptions = {}) {
    const owner = 'multiloss.multiAdam';
    checkKeys(owner, options, ['lr', 'betas', 'eps', 'groupWeights']);
    const lr = options.lr ?? 1e-3;
    if (typeof lr !== 'function') checkNumber(owner, 'lr', lr, 0, Infinity);
    this.lr = lr;
    const betas = options.betas ?? [0.99, 0.99];
    if (!Array.isArray(betas) || betas.length !== 2) throw new Error(`${owner}: betas must be a pair [b1, b2], got ${JSON.stringify(betas)}`);
    this.b1 = checkNumber(owner, 'betas[0]', betas[0], 0, 1, { openHi: true });
    this.b2 = checkNumber(owner, 'betas[1]', betas[1], 0, 1, { openHi: true });
    this.eps = checkNumber(owner, 'eps', options.eps ?? 1e-8, 0, Infinity);
    this.groupWeights = options.groupWeights;
  }

  /** The learning rate of the next update. */
  currentLr(): number {
    return typeof this.lr === 'function' ? this.lr(this.state.step) : this.lr;
  }

  /** The parameter change (already negative, lr included) for group gradients G [groups, parameters]. */
  update(G: tf.Tensor2D): tf.Tensor1D {
    const H = readGradients(G, 'multiloss.multiAdam.update');
    return toTensor(this.updateHost(H.data, H.m));
  }

  /** The same on a row-major float64 [groups * parameters] array. */
  updateHost(data: Float64Array, groups: number): Float64Array {
    const owner = 'multiloss.multiAdam';
    const n = data.length / groups;
    const w = checkVector(this.groupWeights, groups, owner, 'groupWeights') ?? new Float64Array(groups).fill(1 / groups);
    const st = this.state;
    if (st.m === null || st.v === null) {
      st.m = Array.from({ length: groups }, () => new Float64Array(n));
      st.v = Array.from({ length: groups }, () => new Float64Array(n));
    } else if (st.m.length !== groups || st.m[0].length !== n) {
      throw new Error(`${owner}: got ${groups} groups of ${n} parameters, the state holds ${st.m.length} of ${st.m[0].length}`);
    }
    const lr = this.currentLr();
    st.step += 1;
    const bc1 = 1 - this.b1 ** st.step;
    const sqrtBc2 = Math.sqrt(1 - this.b2 ** st.step);
    const out = new Float64Array(n);
    for (let i = 0; i < groups; i++) {
      const m = st.m[i];
      const v = st.v[i];
      const off = i * n;
      for (let k = 0; k < n; k++) {
        const g = data[off + k];
        m[k] = this.b1 * m[k] + (1 - this.b1) * g;
        v[k] = this.b2 * v[k] + (1 - this.b2) * g * g;
        out[k] += (w[i] * m[k]) / (Math.sqrt(v[k]) / sqrtBc2 + this.eps);
      }
    }
    const step = lr / bc1;
    for (let k = 0; k < n; k++) out[k] *= -step;
    return out;
  }

  reset(): void {
    this.state = { step: 0, m: null, v: null };
  }
}

/** MultiAdam with its state in the returned object (see `MultiAdam`). */
export function multiAdam(options?: MultiAdamOptions): MultiAdam {
  return new MultiAdam(options);
}
