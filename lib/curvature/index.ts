/**
 * Curvature of a loss with respect to parameters, through Hessian-vector products:
 * top Hessian eigenpairs (power iteration with deflation, or Lanczos), the Hessian trace
 * (Hutchinson), the spectral density (stochastic Lanczos quadrature), and Gauss-Newton /
 * NTK Gram matrices from per-sample Jacobians.
 *
 * The Hessian is never formed: each product H v is one reverse-over-reverse pass on the
 * TF.js tape (float32). The iteration vectors and all the small linear algebra
 * (orthogonalisation, tridiagonal eigenproblems) are kept in float64.
 *
 *   const top = curvature.hessianEigs(() => loss(net), net.variables, { k: 3 });
 */
import * as tf from '../backend/tf.js';
import { checkTensor } from '../backend/args.js';
import { resolveRng, type Rng } from '../backend/random.js';
import { hvp } from '../ad/core.js';
import { tridiagonalEigen } from '../linalg/eigh.js';

type Tensor = tf.Tensor;

/** H v for the Hessian of `loss` with respect to `params`, on flat float64 vectors. */
export interface HessianOperator {
  /** Total number of parameters. */
  readonly size: number;
  apply(v: Float64Array): Float64Array;
  /** Number of products computed so far. */
  readonly products: number;
}

/** Wraps `loss` (a closure over `params`, e.g. a network's variables) as a Hessian-vector operator. */
export function hessianOperator(loss: () => tf.Scalar, params: Tensor[]): HessianOperator {
  if (!Array.isArray(params) || params.length === 0) throw new Error('hessianOperator: params must be a non-empty list of tensors');
  const shapes = params.map((p) => p.shape);
  const sizes = params.map((p) => p.size);
  const size = sizes.reduce((a, b) => a + b, 0);
  let products = 0;
  return {
    size,
    get products() { return products; },
    apply(v: Float64Array): Float64Array {
      if (v.length !== size) throw new Error(`hessianOperator: vector has ${v.length} entries, the parameters ${size}`);
      products++;
      const out = new Float64Array(size);
      // (The result is filled in from inside tidy, not returned through it: tidy walks
      // returned arrays entry by entry.)
      tf.tidy(() => {
        let offset = 0;
        const vs = shapes.map((shape, i) => {
          const t = tf.tensor(Float32Array.from(v.subarray(offset, offset + sizes[i])), shape);
          offset += sizes[i];
          return t;
        });
        const hv = hvp(() => loss(), params, vs) as Tensor[];
        let o = 0;
        for (const t of hv) {
          out.set(t.dataSync(), o);
          o += t.size;
        }
      });
      return out;
    },
  };
}

const dot = (a: Float64Array, b: Float64Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};
const normOf = (a: Float64Array) => Math.sqrt(dot(a, a));

function randomUnit(n: number, rng: Rng): Float64Array {
  const v = rng.normalArray(n);
  const s = 1 / normOf(v);
  for (let i = 0; i < n; i++) v[i] *= s;
  return v;
}

export interface EigsOptions {
  /** Number of eigenpairs (default 1). */
  k?: number;
  /** 'lanczos' (default) or 'power' (power iteration with deflation). */
  method?: 'lanczos' | 'power';
  /** Lanczos steps, or power iterations per eigenpair (default 40 / 100). */
  iterations?: number;
  /** Power iteration stops when the eigenvalue changes by less than tol relative (default 1e-4). */
  tol?: number;
  seed?: number | Rng;
}

export interface Eigenpairs {
  /** Eigenvalues: largest algebraic first (Lanczos), or largest magnitude first (power). */
  values: number[];
  /** Unit eigenvectors as flat float64 vectors in parameter order. */
  vectors: Float64Array[];
  /** Hessian-vector products used. */
  products: number;
}

/** Top-k Hessian eigenpairs of `loss` with respect to `params`. */
export function hessianEigs(loss: () => tf.Scalar, params: Tensor[], options: EigsOptions = {}): Eigenpairs {
  const op = hessianOperator(loss, params);
  const k = options.k ?? 1;
  if (!Number.isInteger(k) || k < 1 || k > op.size) throw new Error(`hessianEigs: k must be an integer in [1, ${op.size}], got ${k}`);
  const rng = resolveRng(options.seed);
  const method = options.method ?? 'lanczos';
  if (method === 'power') return powerIteration(op, k, options.iterations ?? 100, options.tol ?? 1e-4, rng);
  if (method !== 'lanczos') throw new Error(`hessianEigs: method must be 'lanczos' or 'power', got '${method as string}'`);
  const steps = Math.min(op.size, Math.max(options.iterations ?? 40, 2 * k));
  const { alpha, beta, basis } = lanczos(op, randomUnit(op.size, rng), steps);
  const { values, vectors } = tridiagonalEigen(alpha, beta);
  const m = alpha.length;
  const order = [...Array(m).keys()].sort((a, b) => values[b] - values[a]).slice(0, k);
  return {
    values: order.map((j) => values[j]),
    vectors: order.map((j) => {
      const out = new Float64Array(op.size);
      for (let i = 0; i < m; i++) {
        const c = vectors.data[j * m + i];
        const q = basis[i];
        for (let t = 0; t < out.length; t++) out[t] += c * q[t];
      }
      return out;
    }),
    products: op.products,
  };
}

function powerIteration(op: HessianOperator, k: number, iterations: number, tol: number, rng: Rng): Eigenpairs {
  const values: number[] = [];
  const vectors: Float64Array[] = [];
  for (let e = 0; e < k; e++) {
    let v = randomUnit(op.size, rng);
    let lambda = 0;
    for (let it = 0; it < iterations; it++) {
      const w = op.apply(v);
      // Deflate the pairs already found: (H - sum lambda_j u_j u_j^T) v.
      vectors.forEach((u, j) => {
        const c = values[j] * dot(u, v);
        for (let t = 0; t < w.length; t++) w[t] -= c * u[t];
      });
      const next = dot(v, w);
      const len = normOf(w);
      if (len === 0) { lambda = 0; break; }
      for (let t = 0; t < w.length; t++) w[t] /= len;
      v = w;
      const converged = it > 0 && Math.abs(next - lambda) <= tol * Math.abs(next);
      lambda = next;
      if (converged) break;
    }
    values.push(lambda);
    vectors.push(v);
  }
  return { values, vectors, products: op.products };
}

/**
 * Lanczos tridiagonalisation from the unit vector q0, with full reorthogonalisation
 * (float64; keeps all `steps` basis vectors of the parameter size). Stops early on an
 * invariant subspace.
 */
function lanczos(op: HessianOperator, q0: Float64Array, steps: number): { alpha: number[]; beta: number[]; basis: Float64Array[] } {
  const alpha: number[] = [];
  const beta: number[] = [];
  const basis: Float64Array[] = [q0];
  let q = q0;
  for (let j = 0; j < steps; j++) {
    const w = op.apply(q);
    const a = dot(q, w);
    alpha.push(a);
    for (let t = 0; t < w.length; t++) w[t] -= a * q[t] + (j > 0 ? beta[j - 1] * basis[j - 1][t] : 0);
    // Full reorthogonalisation (twice is enough) against every basis vector.
    for (let pass = 0; pass < 2; pass++) {
      for (const u of basis) {
        const c = dot(u, w);
        for (let t = 0; t < w.length; t++) w[t] -= c * u[t];
      }
    }
    const b = normOf(w);
    if (j === steps - 1 || b < 1e-10 * Math.max(1, Math.abs(a))) break;
    beta.push(b);
    for (let t = 0; t < w.length; t++) w[t] /= b;
    q = w;
    basis.push(q);
  }
  // The basis may hold one vector more than alpha when the loop ended on a full step.
  return { alpha, beta: beta.slice(0, alpha.length - 1), basis: basis.slice(0, alpha.length) };
}

export interface TraceOptions {
  /** Rademacher probes (default 32). */
  samples?: number;
  seed?: number | Rng;
}

/** Hutchinson estimate of tr(H): mean of z^T H z over Rademacher z, with its standard error. */
export function hessianTrace(loss: () => tf.Scalar, params: Tensor[], options: TraceOptions = {}): { estimate: number; standardError: number; samples: number } {
  const samples = options.samples ?? 32;
  if (!Number.isInteger(samples) || samples < 2) throw new Error(`hessianTrace: samples must be an integer >= 2, got ${samples}`);
  const op = hessianOperator(loss, params);
  const rng = resolveRng(options.seed);
  const draws: number[] = [];
  for (let s = 0; s < samples; s++) {
    const z = rng.rademacherArray(op.size);
    draws.push(dot(z, op.apply(z)));
  }
  const mean = draws.reduce((a, b) => a + b, 0) / samples;
  const variance = draws.reduce((a, b) => a + (b - mean) ** 2, 0) / (samples - 1);
  return { estimate: mean, standardError: Math.sqrt(variance / samples), samples };
}

export interface DensityOptions {
  /** Independent probe vectors (default 4). */
  runs?: number;
  /** Lanczos steps per run (default 40). */
  steps?: number;
  seed?: number | Rng;
}

export interface SpectralDensity {
  /** Ritz values per run (Gauss quadrature nodes). */
  nodes: Float64Array[];
  /** Quadrature weights per run (each run's weights sum to 1). */
  weights: Float64Array[];
  /** The density smoothed with Gaussians of width sigma, evaluated at `grid` (integrates to 1). */
  density(grid: ArrayLike<number>, sigma: number): Float64Array;
}

/**
 * Spectral density of the Hessian by stochastic Lanczos quadrature (Ghorbani et al. 2019):
 * for each random unit probe v, m Lanczos steps give nodes theta_k (Ritz values) and
 * weights tau_k (squared first components of the Ritz vectors), and
 * phi(t) ~ mean over runs of sum_k tau_k g_sigma(t - theta_k).
 */
export function spectralDensity(loss: () => tf.Scalar, params: Tensor[], options: DensityOptions = {}): SpectralDensity {
  const runs = options.runs ?? 4;
  const steps = options.steps ?? 40;
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`spectralDensity: runs must be a positive integer, got ${runs}`);
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`spectralDensity: steps must be a positive integer, got ${steps}`);
  const op = hessianOperator(loss, params);
  const rng = resolveRng(options.seed);
  const nodes: Float64Array[] = [];
  const weights: Float64Array[] = [];
  for (let r = 0; r < runs; r++) {
    const { alpha, beta } = lanczos(op, randomUnit(op.size, rng), Math.min(steps, op.size));
    const { values, vectors } = tridiagonalEigen(alpha, beta);
    const m = alpha.length;
    nodes.push(values);
    weights.push(Float64Array.from({ length: m }, (_, k) => vectors.data[k * m] ** 2));
  }
  return {
    nodes,
    weights,
    density(grid, sigma) {
      if (!(sigma > 0)) throw new Error(`spectralDensity.density: sigma must be > 0, got ${sigma}`);
      const out = new Float64Array(grid.length);
      const c = 1 / (Math.sqrt(2 * Math.PI) * sigma * runs);
      for (let r = 0; r < runs; r++) {
        for (let k = 0; k < nodes[r].length; k++) {
          for (let g = 0; g < grid.length; g++) {
            const d = (grid[g] - nodes[r][k]) / sigma;
            out[g] += c * weights[r][k] * Math.exp(-0.5 * d * d);
          }
        }
      }
      return out;
    },
  };
}

/**
 * Empirical neural tangent kernel J1 J2^T from per-sample Jacobians ([N1, P] and
 * [N2, P]; J2 defaults to J1), e.g. from `nn.Mlp.parameterJacobian` or `ad.jacobian`.
 */
export function ntkGram(J1: tf.Tensor2D, J2: tf.Tensor2D = J1): tf.Tensor2D {
  checkTensor('ntkGram', 'J1', J1, { shape: '[N1, P]' });
  checkTensor('ntkGram', 'J2', J2, { shape: '[N2, P]' });
  if (J1.rank !== 2 || J2.rank !== 2 || J1.shape[1] !== J2.shape[1]) {
    throw new Error(`ntkGram: expected Jacobians [N1, P] and [N2, P], got [${J1.shape}] and [${J2.shape}]`);
  }
  return tf.matMul(J1, J2, false, true);
}

/**
 * Gauss-Newton matrix J^T diag(w) J ([P, P]) from per-sample output Jacobians J ([N, P])
 * and the loss curvature w per output (for the mean squared error mean (f - y)^2, w = 2 / N).
 */
export function gaussNewton(J: tf.Tensor2D, weights?: tf.Tensor1D | number): tf.Tensor2D {
  checkTensor('gaussNewton', 'J', J, { shape: '[N, P]' });
  if (weights !== undefined && typeof weights !== 'number') checkTensor('gaussNewton', 'weights', weights, { shape: `[${J.shape[0]}] (one per row of J) or a number` });
  if (J.rank !== 2) throw new Error(`gaussNewton: J must be [N, P], got [${J.shape}]`);
  return tf.tidy(() => {
    const w = weights ?? 2 / J.shape[0];
    const scaled = typeof w === 'number' ? tf.mul(J, w) : tf.mul(J, tf.reshape(w, [J.shape[0], 1]));
    return tf.matMul(J, scaled, true, false) as tf.Tensor2D;
  });
}
