/**
 * Chebyshev collocation on the Gauss–Lobatto points x_j = cos(j pi / n),
 * j = 0..n (ordered from 1 down to -1, as in Trefethen's `cheb`):
 * differentiation matrices, Clenshaw–Curtis quadrature weights and
 * barycentric interpolation. Matrices are row-major Float64Arrays of size
 * (n+1) x (n+1).
 */

function checkDegree(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 1) throw new Error(`${what}: n must be an integer >= 1, got ${n}`);
}

/** The n+1 Chebyshev–Gauss–Lobatto points, mapped from [-1, 1] to [a, b] (x_0 = b, x_n = a). */
export function chebPoints(n: number, a = -1, b = 1): Float64Array {
  checkDegree(n, 'chebPoints');
  const x = new Float64Array(n + 1);
  for (let j = 0; j <= n; j++) {
    // sin form is symmetric about 0 to the last bit, unlike cos(j pi / n)
    const s = Math.sin((Math.PI * (n - 2 * j)) / (2 * n));
    x[j] = 0.5 * (a + b) + 0.5 * (b - a) * s;
  }
  return x;
}

/**
 * First-derivative collocation matrix D on the n+1 Chebyshev points of [a, b]:
 * (D f)(x_i) = f'(x_i) exactly for polynomials of degree <= n. Differences of
 * points use the trigonometric identity and the diagonal is the negative row
 * sum, which keeps D accurate to near machine precision for large n.
 */
export function chebDiffMatrix(n: number, a = -1, b = 1): Float64Array {
  checkDegree(n, 'chebDiffMatrix');
  const N = n + 1;
  const D = new Float64Array(N * N);
  const c = (j: number) => (j === 0 || j === n ? 2 : 1);
  for (let i = 0; i < N; i++) {
    let rowSum = 0;
    for (let j = 0; j < N; j++) {
      if (i === j) continue;
      // x_i - x_j = 2 sin((i+j) pi / 2n) sin((j-i) pi / 2n) on [-1, 1]
      const dx = 2 * Math.sin(((i + j) * Math.PI) / (2 * n)) * Math.sin(((j - i) * Math.PI) / (2 * n));
      const v = ((c(i) / c(j)) * ((i + j) % 2 === 0 ? 1 : -1)) / dx;
      D[i * N + j] = v;
      rowSum += v;
    }
    D[i * N + i] = -rowSum;
  }
  const scale = 2 / (b - a);
  if (scale !== 1) for (let p = 0; p < N * N; p++) D[p] *= scale;
  return D;
}

/** Clenshaw–Curtis weights on the n+1 Chebyshev points of [a, b]: exact for polynomials of degree <= n. */
export function clenshawCurtisWeights(n: number, a = -1, b = 1): Float64Array {
  checkDegree(n, 'clenshawCurtisWeights');
  const w = new Float64Array(n + 1);
  const half = 0.5 * (b - a);
  if (n % 2 === 0) {
    w[0] = w[n] = 1 / (n * n - 1);
  } else {
    w[0] = w[n] = 1 / (n * n);
  }
  for (let j = 1; j < n; j++) {
    const theta = (Math.PI * j) / n;
    let v = 1;
    if (n % 2 === 0) {
      for (let k = 1; k < n / 2; k++) v -= (2 * Math.cos(2 * k * theta)) / (4 * k * k - 1);
      v -= Math.cos(n * theta) / (n * n - 1);
    } else {
      for (let k = 1; k <= (n - 1) / 2; k++) v -= (2 * Math.cos(2 * k * theta)) / (4 * k * k - 1);
    }
    w[j] = (2 * v) / n;
  }
  for (let j = 0; j <= n; j++) w[j] *= half;
  return w;
}

/**
 * Barycentric interpolation of values f_j at the n+1 Chebyshev points of
 * [a, b] to arbitrary points xs (stable for any n; exact at the nodes).
 */
export function chebInterpolate(values: ArrayLike<number>, xs: ArrayLike<number>, a = -1, b = 1): Float64Array {
  const n = values.length - 1;
  checkDegree(n, 'chebInterpolate');
  const nodes = chebPoints(n, a, b);
  const out = new Float64Array(xs.length);
  for (let p = 0; p < xs.length; p++) {
    const x = xs[p];
    let num = 0;
    let den = 0;
    let exact = -1;
    for (let j = 0; j <= n; j++) {
      const d = x - nodes[j];
      if (d === 0) {
        exact = j;
        break;
      }
      const w = (j % 2 === 0 ? 1 : -1) * (j === 0 || j === n ? 0.5 : 1);
      num += (w * values[j]) / d;
      den += w / d;
    }
    out[p] = exact >= 0 ? values[exact] : num / den;
  }
  return out;
}
