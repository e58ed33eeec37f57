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
 * Entropic OT plan argmin <P, C> - reg H(P) with marginals a, b. Uses plain
 * Sinkhorn matrix scaling when exp(-C / reg) does not underflow (fast: only
 * matrix-vector products), and log-domain iterations otherwise (stable for
 * small reg). Returns the n x m plan, row-major, and the iterations used.
 */
export function sinkhorn(cost: ArrayLike<number>, n: number, m: number, { reg, a, b, maxIters = 10000, tol = 1e-10 }: SinkhornOptions): { plan: Float64Array; iterations: number; marginalError: number } {
  if (cost.length !== n * m) throw new Error(`sinkhorn: cost has ${cost.length} entries, expected ${n}x${m}`);
  if (!(reg > 0)) throw new Error(`sinkhorn: reg must be positive, got ${reg}`);
  const wa = Float64Array.from({ length: n }, (_, i) => (a ? a[i] : 1 / n));
  const wb = Float64Array.from({ length: m }, (_, j) => (b ? b[j] : 1 / m));
  let cMax = -Infinity;
  let cMin = Infinity;
  for (let k = 0; k < cost.length; k++) {
    cMax = Math.max(cMax, cost[k]);
    cMin = Math.min(cMin, cost[k]);
  }
  return (cMax - cMin) / reg < 600 ? sinkhornScaling(cost, n, m, reg, wa, wb, cMin, maxIters, tol) : sinkhornLog(cost, n, m, reg, wa, wb, maxIters, tol);
}

function sinkhornScaling(cost: ArrayLike<number>, n: number, m: number, reg: number, wa: Float64Array, wb: Float64Array, cMin: number, maxIters: number, tol: number) {
  // shifting the cost by its minimum leaves the plan unchanged and keeps K <= 1
  const K = new Float64Array(n * m);
  for (let k = 0; k < K.length; k++) K[k] = Math.exp(-(cost[k] - cMin) / reg);
  const u = new Float64Array(n).fill(1);
  const v = new Float64Array(m).fill(1);
  let err = Infinity;
  let it = 0;
  for (; it < maxIters; it++) {
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += K[i * m + j] * u[i];
      v[j] = wb[j] / s;
    }
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < m; j++) s += K[i * m + j] * v[j];
      u[i] = wa[i] / s;
    }
    if (it % 10 === 9 || it === maxIters - 1) {
      // rows are exact after the u update; measure the column marginals
      err = 0;
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += u[i] * K[i * m + j];
        err += Math.abs(s * v[j] - wb[j]);
      }
      if (err < tol) {
        it++;
        break;
      }
    }
  }
  const plan = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) plan[i * m + j] = u[i] * K[i * m + j] * v[j];
  return { plan, iterations: it, marginalError: err };
}

function sinkhornLog(cost: ArrayLike<number>, n: number, m: number, reg: number, wa: Float64Array, wb: Float64Array, maxIters: number, tol: number) {
  const la = wa.map(Math.log);
  const lb = wb.map(Math.log);
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
        err += Math.abs(s - wa[i]);
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
