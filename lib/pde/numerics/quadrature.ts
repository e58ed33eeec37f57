/**
 * Gaussian quadrature rules by the Golub–Welsch algorithm (eigenvalues of the
 * Jacobi matrix, weights from the first eigenvector components), polished by
 * Newton's method on the three-term recurrence for full float64 accuracy.
 */

export interface QuadratureRule {
  nodes: Float64Array;
  weights: Float64Array;
}

/**
 * Eigenvalues of the symmetric tridiagonal matrix (diag d, off-diagonal e with
 * e[i] coupling i and i+1) and the first component of each unit eigenvector,
 * by implicit QL with Wilkinson shifts. Returns them sorted by eigenvalue.
 */
export function symTridiagEigen(diag: ArrayLike<number>, off: ArrayLike<number>): { values: Float64Array; first: Float64Array } {
  const n = diag.length;
  const d = Float64Array.from(diag);
  const e = new Float64Array(n);
  for (let i = 0; i < n - 1; i++) e[i] = off[i];
  const z = new Float64Array(n);
  z[0] = 1;
  for (let l = 0; l < n; l++) {
    let iter = 0;
    for (;;) {
      let m = l;
      for (; m < n - 1; m++) {
        const dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
        if (Math.abs(e[m]) <= Number.EPSILON * dd) break;
      }
      if (m === l) break;
      if (++iter > 60) throw new Error('symTridiagEigen: no convergence after 60 iterations');
      let g = (d[l + 1] - d[l]) / (2 * e[l]);
      let r = Math.hypot(g, 1);
      g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = m - 1;
      let underflow = false;
      for (; i >= l; i--) {
        const f = s * e[i];
        const bb = c * e[i];
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          d[i + 1] -= p;
          e[m] = 0;
          underflow = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1] - p;
        r = (d[i] - g) * s + 2 * c * bb;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - bb;
        const zf = z[i + 1];
        z[i + 1] = s * z[i] + c * zf;
        z[i] = c * z[i] - s * zf;
      }
      if (underflow) continue;
      d[l] -= p;
      e[l] = g;
      e[m] = 0;
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => d[i] - d[j]);
  return { values: Float64Array.from(order, (i) => d[i]), first: Float64Array.from(order, (i) => z[i]) };
}

/** Makes a rule for an even weight exactly symmetric about 0 (averaging mirrored nodes and weights). */
function symmetrize(nodes: Float64Array, weights: Float64Array): void {
  const n = nodes.length;
  for (let i = 0; i < n >> 1; i++) {
    const j = n - 1 - i;
    const xm = 0.5 * (nodes[j] - nodes[i]);
    const wm = 0.5 * (weights[i] + weights[j]);
    nodes[i] = -xm;
    nodes[j] = xm;
    weights[i] = weights[j] = wm;
  }
  if (n % 2 === 1) nodes[n >> 1] = 0;
}

function checkCount(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 1) throw new Error(`${what}: n must be an integer >= 1, got ${n}`);
}

/** Legendre P_n(x) and P_n'(x) by the three-term recurrence. */
function legendre(n: number, x: number): [number, number] {
  let p0 = 1;
  let p1 = x;
  for (let k = 2; k <= n; k++) {
    const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
    p0 = p1;
    p1 = p2;
  }
  if (n === 0) return [1, 0];
  return [p1, (n * (x * p1 - p0)) / (x * x - 1)];
}

/** n-point Gauss–Legendre rule on [a, b]: exact for polynomials of degree <= 2n - 1. */
export function gaussLegendre(n: number, a = -1, b = 1): QuadratureRule {
  checkCount(n, 'gaussLegendre');
  const off = new Float64Array(n);
  for (let k = 1; k < n; k++) off[k - 1] = k / Math.sqrt(4 * k * k - 1);
  const { values } = symTridiagEigen(new Float64Array(n), off);
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let x = values[i];
    for (let it = 0; it < 3; it++) {
      const [p, dp] = legendre(n, x);
      x -= p / dp;
    }
    const [, dp] = legendre(n, x);
    nodes[i] = x;
    weights[i] = 2 / ((1 - x * x) * dp * dp);
  }
  symmetrize(nodes, weights);
  const half = 0.5 * (b - a);
  const mid = 0.5 * (a + b);
  for (let i = 0; i < n; i++) {
    nodes[i] = mid + half * nodes[i];
    weights[i] *= half;
  }
  return { nodes, weights };
}

/**
 * n-point Gauss–Hermite rule for the weight exp(-x^2) on the real line
 * (physicists' convention): sum w_i f(x_i) ~ int f(x) exp(-x^2) dx, exact for
 * polynomials of degree <= 2n - 1. Weights far in the tails underflow to 0.
 */
export function gaussHermite(n: number): QuadratureRule {
  checkCount(n, 'gaussHermite');
  const off = new Float64Array(n);
  for (let k = 1; k < n; k++) off[k - 1] = Math.sqrt(k / 2);
  const { values, first } = symTridiagEigen(new Float64Array(n), off);
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  const pi14 = Math.pow(Math.PI, -0.25);
  for (let i = 0; i < n; i++) {
    let x = values[i];
    let w = Math.sqrt(Math.PI) * first[i] * first[i];
    // Newton on the orthonormal Hermite recurrence; skip where it would overflow
    let ok = true;
    for (let it = 0; it < 3 && ok; it++) {
      let p1 = pi14;
      let p2 = 0;
      for (let j = 1; j <= n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = x * Math.sqrt(2 / j) * p2 - Math.sqrt((j - 1) / j) * p3;
      }
      const dp = Math.sqrt(2 * n) * p2;
      if (!Number.isFinite(p1) || !Number.isFinite(dp) || dp === 0) {
        ok = false;
        break;
      }
      x -= p1 / dp;
      w = 2 / (dp * dp);
    }
    nodes[i] = x;
    weights[i] = w;
  }
  symmetrize(nodes, weights);
  return { nodes, weights };
}
