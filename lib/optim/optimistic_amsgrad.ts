/**
 * Optimistic AMSGrad: Wang, Li, Karimi & Li, "An Optimistic Acceleration of
 * AMSGrad for Nonconvex Optimization", ACML 2021 (arXiv:1903.01435), Algorithm 2
 * (OPT-AMSGrad). The authors released no code; this is the algorithm as printed,
 * unconstrained, with defaults lr = 1e-3, betas = (0.9, 0.999), eps = 1e-8:
 *
 *   theta_t = b1 theta_{t-1} + (1 - b1) g_t ;  v_t = b2 v_{t-1} + (1 - b2) g_t^2 ;  v_hat_t = max(v_hat_{t-1}, v_t)
 *   w_{t+1/2} = w_{t-1/2} - lr theta_t / (sqrt(v_hat_t) + eps)                 (the AMSGrad step)
 *   h_{t+1} = b1 theta_t + (1 - b1) m_{t+1}                                    (m_{t+1}: a guess of g_{t+1})
 *   w_{t+1} = w_{t+1/2} - lr h_{t+1} / (sqrt(v_hat_t) + eps)                  (the optimistic step)
 *
 * Gradients are taken at w_t (the variables); w_{t+1/2} is kept in the state and
 * starts at the initial weights. The extrapolation h uses the current momentum
 * theta_t (the natural predictor of theta_{t+1}; one printing of the paper has
 * theta_{t-1} there). The guess m_{t+1} (`predictor`):
 * - 'rna' (default): regularized nonlinear acceleration over the last `window` + 1
 *   gradients, the paper's choice (Scieur, d'Aspremont & Bach 2016): with
 *   U = [g_{i+1} - g_i], solve (U^T U + lambda ||U^T U||_F I) z = 1, c = z / sum z,
 *   m = sum_i c_i g_{i+1} (the extrapolated limit of the gradient sequence); the last
 *   gradient until enough are stored. One host sync per step.
 * - 'last': m_{t+1} = g_t (optimistic mirror descent's guess).
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, map, zerosLike } from './tree.js';
import { type GradientTransformation, requireParams } from './transform.js';
import { treeDot } from './momo.js';
import { type Schedule, valueAt } from './schedules.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer } from './adapter.js';
import { checkBetas, checkKnownKeys, checkLearningRate, checkNonNegative, checkOneOf, checkPositiveInt } from './validate.js';

/** Solves the small dense system A z = b (Gaussian elimination with partial pivoting). */
function solveSmall(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let k = 0; k < n; k++) {
    let piv = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(m[i][k]) > Math.abs(m[piv][k])) piv = i;
    [m[k], m[piv]] = [m[piv], m[k]];
    for (let i = k + 1; i < n; i++) {
      const f = m[i][k] / m[k][k];
      for (let j = k; j <= n; j++) m[i][j] -= f * m[k][j];
    }
  }
  const z = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = m[i][n];
    for (let j = i + 1; j < n; j++) s -= m[i][j] * z[j];
    z[i] = s / m[i][i];
  }
  return z;
}

/**
 * Regularized nonlinear acceleration: the coefficients c (summing to 1) that
 * extrapolate the sequence `seq` (oldest first) to its limit, sum_i c_i seq_{i+1}.
 * Returns null when the system is degenerate (e.g. a constant sequence).
 */
export function rnaCoefficients(seq: TensorTree[], lambda: number): number[] | null {
  const r = seq.length - 1;
  const diffs = seq.slice(1).map((x, i) => map((a, b) => tf.sub(a, b), x, seq[i]));
  const gram = tf.tidy(() => {
    const entries: tf.Scalar[] = [];
    for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) entries.push(treeDot(diffs[i], diffs[j]));
    return tf.stack(entries);
  });
  const g = Array.from(gram.dataSync());
  gram.dispose();
  const fro = Math.sqrt(g.reduce((s, x) => s + x * x, 0));
  if (!(fro > 0) || !Number.isFinite(fro)) return null;
  const a = Array.from({ length: r }, (_, i) => Array.from({ length: r }, (_, j) => g[i * r + j] + (i === j ? lambda * fro : 0)));
  const z = solveSmall(a, new Array<number>(r).fill(1));
  const sum = z.reduce((s, x) => s + x, 0);
  if (!Number.isFinite(sum) || sum === 0) return null;
  return z.map((x) => x / sum);
}

export interface OptimisticAmsgradState {
  count: number;
  mu: TensorTree;
  nu: TensorTree;
  nuMax: TensorTree;
  /** w_{t+1/2}. */
  half: TensorTree;
  /** The last window + 1 gradients, oldest first (zeros until filled; 'rna' only). */
  history: TensorTree[];
}

export interface OptimisticAmsgradOptions {
  lr?: number | Schedule;
  b1?: number;
  b2?: number;
  eps?: number;
  predictor?: 'rna' | 'last';
  window?: number;
  lambda?: number;
}

export function optimisticAmsgradUpdate(o: OptimisticAmsgradOptions = {}): GradientTransformation<OptimisticAmsgradState> {
  const { lr = 1e-3, b1 = 0.9, b2 = 0.999, eps = 1e-8, predictor = 'rna', window = 5, lambda = 1e-3 } = o;
  const keep = predictor === 'rna' ? window + 1 : 0;
  return {
    init: (params) => ({
      count: 0,
      mu: zerosLike(params),
      nu: zerosLike(params),
      nuMax: zerosLike(params),
      half: map((p) => tf.clone(p), params),
      history: Array.from({ length: keep }, () => zerosLike(params)),
    }),
    update(g, s, params) {
      const w = requireParams('optimisticAmsgrad', params);
      const t = s.count + 1;
      const eta = valueAt(lr, s.count);
      const mu = map((m, x) => tf.add(tf.mul(m, b1), tf.mul(x, 1 - b1)), s.mu, g);
      const nu = map((v, x) => tf.add(tf.mul(v, b2), tf.mul(tf.square(x), 1 - b2)), s.nu, g);
      const nuMax = map((a, v) => tf.maximum(a, v), s.nuMax, nu);
      const denom = map((v) => tf.add(tf.sqrt(v), eps), nuMax);
      const half = map((h, m, d) => tf.sub(h, tf.mul(tf.div(m, d), eta)), s.half, mu, denom);
      const history = keep > 0 ? [...s.history.slice(1), g] : s.history;
      let guess: TensorTree = g;
      if (keep > 0 && t >= keep) {
        const c = rnaCoefficients(history, lambda);
        // the combination of the newer points g_{i+1} of each difference
        if (c !== null) guess = map((...xs) => tf.addN(xs.map((x, i) => tf.mul(x, c[i]))), history[1], ...history.slice(2));
      }
      const etaNext = valueAt(lr, t);
      const next = map((h, m, p, d) => tf.sub(h, tf.mul(tf.div(tf.add(tf.mul(m, b1), tf.mul(p, 1 - b1)), d), etaNext)), half, mu, guess, denom);
      const updates = map((n, x) => tf.sub(n, x), next, w);
      return { updates, state: { count: t, mu, nu, nuMax, half, history } };
    },
  };
}

export interface OptimisticAMSGradConfig extends CommonOptions {
  lr?: number | Schedule;
  betas?: [number, number];
  eps?: number;
  /** How the next gradient is guessed. */
  predictor?: 'rna' | 'last';
  /** Number of gradient differences the 'rna' predictor uses (r). */
  window?: number;
  /** Relative regularization of the 'rna' system. */
  lambda?: number;
}

export const OptimisticAMSGrad = defineOptimizer<OptimisticAMSGradConfig>('OptimisticAMSGrad', 'optimisticAmsgrad', (c) => {
  const o = 'optimisticAmsgrad';
  checkKnownKeys(o, c, ['lr', 'betas', 'eps', 'predictor', 'window', 'lambda', ...COMMON_KEYS]);
  const lr = checkLearningRate(o, 'lr', c.lr ?? 1e-3);
  const [b1, b2] = checkBetas(o, 'betas', c.betas ?? [0.9, 0.999], 2);
  const transform = optimisticAmsgradUpdate({
    lr,
    b1,
    b2,
    eps: checkNonNegative(o, 'eps', c.eps ?? 1e-8),
    predictor: checkOneOf(o, 'predictor', c.predictor ?? 'rna', ['rna', 'last'] as const),
    window: checkPositiveInt(o, 'window', c.window ?? 5),
    lambda: checkNonNegative(o, 'lambda', c.lambda ?? 1e-3),
  });
  return { transform, lr, nonFinite: c.nonFinite };
});

/** Optimistic AMSGrad (OPT-AMSGrad): AMSGrad plus an extrapolation step with a predicted gradient. */
export function optimisticAmsgrad(config: OptimisticAMSGradConfig = {}): InstanceType<typeof OptimisticAMSGrad> {
  return new OptimisticAMSGrad(config);
}
