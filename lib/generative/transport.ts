/**
 * Discrete optimal transport on small point sets (float64): exact assignment
 * (Hungarian / shortest augmenting path, O(n^3)) and entropic OT by log-domain
 * Sinkhorn. These produce the minibatch couplings of OT flow matching.
 */

/**
 * Minimum-cost assignment for an n x m cost matrix (row-major, n <= m): returns
 * `perm` with row i matched to column perm[i]. Shortest augmenting paths with
 * dual potentials (the Kuhn-Munkres / Jonker-Volgenant scheme).
 */
export function linearAssignment(cost: ArrayLike<number>, n: number, m = n): Int32Array {
  if (cost.length !== n * m) throw new Error(`linearAssignment: cost has ${cost.length} entries, expected ${n}x${m}`);
  if (n > m) throw new Error(`linearAssignment: needs rows <= columns, got ${n} x ${m}`);
  for (let i = 0; i < cost.length; i++) if (!Number.isFinite(cost[i])) throw new Error(`linearAssignment: cost[${i}] is ${cost[i]}`);
  // 1-based arrays with a virtual column 0, as in the classic formulation.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1); // p[j]: row matched to column j
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = cost[(i0 - 1) * m + (j - 1)] - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else minv[j] -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const perm = new Int32Array(n);
  for (let j = 1; j <= m; j++) if (p[j] > 0) perm[p[j] - 1] = j - 1;
  return perm;
}

export interface SinkhornOptions {
  /** Entropic regularisation (in the units of the cost). */
  reg: number;
  /** Source and target weights (uniform when absent). */
  a?: ArrayLike<number>;
  b?: ArrayLike<number>;
  maxIters?: number;
  /** Stop when the marginal error (L1) falls below this. */
  tol?: number;
}

/**
 * Entropic OT plan argmin <P, C> - reg H(P) with marginals a, b, by Sinkhorn
 * iterations in the log domain (stable for small reg). Returns the n x m plan,
 * row-major, and the iterations used.
 */
export function sinkhorn(cost: ArrayLike<number>, n: number, m: number, { reg, a, b, maxIters = 10000, tol = 1e-10 }: SinkhornOptions): { plan: Float64Array; iterations: number; marginalError: number } {
  if (cost.length !== n * m) throw new Error(`sinkhorn: cost has ${cost.length} entries, expected ${n}x${m}`);
  if (!(reg > 0)) throw new Error(`sinkhorn: reg must be positive, got ${reg}`);
  const la = new Float64Array(n).map((_, i) => Math.log(a ? a[i] : 1 / n));
  const lb = new Float64Array(m).map((_, j) => Math.log(b ? b[j] : 1 / m));
  const f = new Float64Array(n);
  const g = new Float64Array(m);
  const lse = (vals: Float64Array) => {
    let mx = -Infinity;
    for (const v of vals) mx = Math.max(mx, v);
    let s = 0;
    for (const v of vals) s += Math.exp(v - mx);
    return mx + Math.log(s);
  };
  const rowTmp = new Float64Array(m);
  const colTmp = new Float64Array(n);
  let err = Infinity;
  let it = 0;
  for (; it < maxIters; it++) {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) rowTmp[j] = (g[j] - cost[i * m + j]) / reg;
      f[i] = reg * (la[i] - lse(rowTmp));
    }
    for (let j = 0; j < m; j++) {
      for (let i = 0; i < n; i++) colTmp[i] = (f[i] - cost[i * m + j]) / reg;
      g[j] = reg * (lb[j] - lse(colTmp));
    }
    if (it % 10 === 9 || it === maxIters - 1) {
      // columns are exact after the g update; measure the row marginals
      err = 0;
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < m; j++) s += Math.exp((f[i] + g[j] - cost[i * m + j]) / reg);
        err += Math.abs(s - Math.exp(la[i]));
      }
      if (err < tol) {
        it++;
        break;
      }
    }
  }
  const plan = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) plan[i * m + j] = Math.exp((f[i] + g[j] - cost[i * m + j]) / reg);
  return { plan, iterations: it, marginalError: err };
}
