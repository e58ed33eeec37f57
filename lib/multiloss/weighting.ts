/**
 * Loss weighting: the combined direction is sum_i lambda_i g_i with weights that adapt
 * during training. Each method is an object whose `state.weights` holds the current
 * lambda (starting at 1); `combine` uses the weights of this step and then updates them.
 *
 * - `lra`: learning-rate annealing (Wang, Teng & Perdikaris, "Understanding and
 *   mitigating gradient pathologies in PINNs", SIAM J. Sci. Comput. 2021, Algorithm 1):
 *   lambda_hat_i = max |grad L_ref| / mean |grad L_i|, lambda_i = (1 - alpha) lambda_i +
 *   alpha lambda_hat_i (alpha = 0.9), the reference loss (the PDE residual) keeps 1.
 * - `gradNorm`: GradNorm (Chen et al., ICML 2018): weights follow a gradient step on
 *   sum_i | lambda_i |g_i| - mean_j(lambda_j |g_j|) r_i^alpha |, r_i the loss ratio
 *   L_i(t)/L_i(0) relative to its mean, the target held constant; then renormalised to
 *   sum to the number of losses. Needs the losses.
 * - `ntkWeights`: NTK-based weights (Wang, Yu & Perdikaris, J. Comput. Phys. 2022; jaxpi's
 *   'ntk' scheme): lambda_hat_i = sum_j tr_j / tr_i with tr_i the mean NTK diagonal of
 *   term i, smoothed by lambda = momentum lambda + (1 - momentum) lambda_hat. Needs the
 *   traces (the PINN trainer estimates them with Hutchinson probes); without them a
 *   step keeps the previous weights.
 */
import * as tf from '../backend/tf.js';
import { type HostMatrix, readGradients, combineRows, toTensor } from './matrix.js';
import { type Aggregator, type CombineContext, checkKeys, checkNumber } from './combiner.js';

export interface WeightState {
  /** Current weights (null until the number of losses is known). */
  weights: number[] | null;
}

abstract class Weighting implements Aggregator {
  abstract readonly name: string;
  readonly needs?: ReadonlyArray<keyof CombineContext>;
  state: WeightState = { weights: null };

  combine(G: tf.Tensor2D, context: CombineContext = {}): tf.Tensor1D {
    const H = readGradients(G, `multiloss.${this.name}`);
    this.state.weights ??= new Array(H.m).fill(1);
    if (this.state.weights.length !== H.m) {
      throw new Error(`multiloss.${this.name}: G has ${H.m} rows, the weights were built for ${this.state.weights.length} losses (call reset() for a new problem)`);
    }
    const current = this.state.weights.slice();
    this.state.weights = this.next(H, current, context);
    return toTensor(combineRows(H, this.usesNewWeights ? this.state.weights : current));
  }

  /** LRA and NTK apply the freshly computed weights at this step; GradNorm the current ones. */
  protected abstract readonly usesNewWeights: boolean;
  protected abstract next(H: HostMatrix, current: number[], context: CombineContext): number[];

  reset(): void {
    this.state = { weights: null };
  }
}

function rowAbsStats(H: HostMatrix, i: number): { max: number; mean: number; norm: number } {
  let max = 0;
  let sum = 0;
  let sq = 0;
  for (let k = 0; k < H.n; k++) {
    const x = H.data[i * H.n + k];
    max = Math.max(max, Math.abs(x));
    sum += Math.abs(x);
    sq += x * x;
  }
  return { max, mean: sum / H.n, norm: Math.sqrt(sq) };
}

export interface LraOptions {
  /** Index of the reference loss, usually the PDE residual (default 0). */
  reference?: number;
  /** Weight of the new estimate in the moving average (default 0.9, as in the paper). */
  alpha?: number;
}

export class Lra extends Weighting {
  readonly name = 'lra';
  readonly reference: number;
  readonly alpha: number;
  protected readonly usesNewWeights = true;

  constructor(options: LraOptions = {}) {
    super();
    checkKeys('multiloss.lra', options, ['reference', 'alpha']);
    this.reference = options.reference ?? 0;
    if (!Number.isInteger(this.reference) || this.reference < 0) throw new Error(`multiloss.lra: reference must be a loss index, got ${this.reference}`);
    this.alpha = checkNumber('multiloss.lra', 'alpha', options.alpha ?? 0.9, 0, 1);
  }

  protected next(H: HostMatrix, current: number[]): number[] {
    if (this.reference >= H.m) throw new Error(`multiloss.lra: reference ${this.reference} is not a row of G (${H.m} losses)`);
    const maxRef = rowAbsStats(H, this.reference).max;
    return current.map((w, i) => {
      if (i === this.reference) return 1;
      const mean = rowAbsStats(H, i).mean;
      const hat = mean > 0 ? maxRef / mean : w;
      return (1 - this.alpha) * w + this.alpha * hat;
    });
  }
}

export interface GradNormOptions {
  /** Restoring-force strength alpha (default 1.5). */
  alpha?: number;
  /** Step size of the weight update (default 0.025). */
  lr?: number;
}

export class GradNorm extends Weighting {
  readonly name = 'gradnorm';
  override readonly needs = ['losses'] as const;
  readonly alpha: number;
  readonly lr: number;
  initialLosses: number[] | null = null;
  protected readonly usesNewWeights = false;

  constructor(options: GradNormOptions = {}) {
    super();
    checkKeys('multiloss.gradNorm', options, ['alpha', 'lr']);
    this.alpha = checkNumber('multiloss.gradNorm', 'alpha', options.alpha ?? 1.5, 0, Infinity);
    this.lr = checkNumber('multiloss.gradNorm', 'lr', options.lr ?? 0.025, 0, Infinity, { openLo: true });
  }

  protected next(H: HostMatrix, current: number[], context: CombineContext): number[] {
    const losses = context.losses;
    if (losses === undefined || losses.length !== H.m) {
      throw new Error(`multiloss.gradNorm: needs context.losses with one value per loss (${H.m}), got ${losses === undefined ? 'none' : losses.length}`);
    }
    for (let i = 0; i < H.m; i++) {
      if (!(Number.isFinite(losses[i]) && losses[i] >= 0)) throw new Error(`multiloss.gradNorm: losses[${i}] must be a finite non-negative number, got ${losses[i]}`);
    }
    this.initialLosses ??= Array.from(losses, (l) => (l > 0 ? l : 1));
    const norms = current.map((_, i) => rowAbsStats(H, i).norm);
    const weighted = norms.map((g, i) => current[i] * g);
    const meanNorm = weighted.reduce((a, b) => a + b, 0) / H.m;
    const ratios = Array.from(losses, (l, i) => l / this.initialLosses![i]);
    const meanRatio = ratios.reduce((a, b) => a + b, 0) / H.m;
    const updated = current.map((w, i) => {
      const target = meanNorm * (meanRatio > 0 ? ratios[i] / meanRatio : 1) ** this.alpha;
      const grad = Math.sign(weighted[i] - target) * norms[i];
      return Math.max(w - this.lr * grad, 1e-8);
    });
    const total = updated.reduce((a, b) => a + b, 0);
    return updated.map((w) => (w * H.m) / total);
  }

  override reset(): void {
    super.reset();
    this.initialLosses = null;
  }
}

export interface NtkWeightOptions {
  /** Moving-average factor of the old weights (default 0.9, jaxpi). */
  momentum?: number;
}

export class NtkWeights extends Weighting {
  readonly name = 'ntk';
  override readonly needs = ['ntkTraces'] as const;
  readonly momentum: number;
  protected readonly usesNewWeights = true;

  constructor(options: NtkWeightOptions = {}) {
    super();
    checkKeys('multiloss.ntkWeights', options, ['momentum']);
    this.momentum = checkNumber('multiloss.ntkWeights', 'momentum', options.momentum ?? 0.9, 0, 1);
  }

  protected next(H: HostMatrix, current: number[], context: CombineContext): number[] {
    const traces = context.ntkTraces;
    if (traces === undefined) return current;
    if (traces.length !== H.m) throw new Error(`multiloss.ntkWeights: ntkTraces must have one value per loss (${H.m}), got ${traces.length}`);
    const total = Array.from(traces).reduce((a, b) => a + b, 0);
    return current.map((w, i) => {
      const tr = traces[i];
      if (!(Number.isFinite(tr) && tr > 0)) return w;
      return this.momentum * w + (1 - this.momentum) * (total / tr);
    });
  }
}

/** Learning-rate annealing weights (see the module comment). */
export function lra(options?: LraOptions): Lra {
  return new Lra(options);
}

/** GradNorm weights (see the module comment). */
export function gradNorm(options?: GradNormOptions): GradNorm {
  return new GradNorm(options);
}

/** NTK-based weights (see the module comment). */
export function ntkWeights(options?: NtkWeightOptions): NtkWeights {
  return new NtkWeights(options);
}
