/**
 * Linear stability of the momentum multistep samplers (Wizadwongsa et al.
 * 2023) on the test equation y' = lambda y with z = h lambda: Adams-Bashforth
 * (PLMS) of order k with heavy-ball (HB) or generalised heavy-ball (GHVB)
 * momentum beta, written as a linear recurrence s_{n+1} = M(z) s_n. The
 * method is stable at z when the spectral radius of M(z) is at most 1.
 */
import { adamsBashforthCoefficients } from './diffusion.js';

type C = [number, number];
const cmul = (a: C, b: C): C => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
const cadd = (a: C, b: C): C => [a[0] + b[0], a[1] + b[1]];

function matmul(A: C[][], B: C[][]): C[][] {
  const n = A.length;
  return A.map((row) => Array.from({ length: n }, (_, j) => row.reduce<C>((s, a, k) => cadd(s, cmul(a, B[k][j])), [0, 0])));
}

const cdiv = (a: C, b: C): C => {
  const d = b[0] * b[0] + b[1] * b[1];
  return [(a[0] * b[0] + a[1] * b[1]) / d, (a[1] * b[0] - a[0] * b[1]) / d];
};

/** Characteristic polynomial coefficients of A (highest degree first, monic), by Faddeev-LeVerrier. */
function charPoly(A: C[][]): C[] {
  const n = A.length;
  const coeffs: C[] = [[1, 0]];
  let Mk: C[][] = A.map((row) => row.map((): C => [0, 0]));
  for (let k = 1; k <= n; k++) {
    const prev = coeffs[k - 1];
    Mk = matmul(A, Mk).map((row, i) => row.map((v, j): C => (i === j ? cadd(v, prev) : v)));
    const AM = matmul(A, Mk);
    let tr: C = [0, 0];
    for (let i = 0; i < n; i++) tr = cadd(tr, AM[i][i]);
    coeffs.push([-tr[0] / k, -tr[1] / k]);
  }
  return coeffs;
}

/** Roots of a monic polynomial (highest degree first) by Durand-Kerner iteration. */
function polyRoots(coeffs: C[]): C[] {
  const n = coeffs.length - 1;
  const evalAt = (z: C): C => coeffs.reduce<C>((acc, c) => cadd(cmul(acc, z), c), [0, 0]);
  let roots: C[] = Array.from({ length: n }, (_, k) => {
    let r: C = [1, 0];
    for (let i = 0; i < k; i++) r = cmul(r, [0.4, 0.9]);
    return r;
  });
  for (let it = 0; it < 500; it++) {
    let moved = 0;
    roots = roots.map((r, i) => {
      let den: C = [1, 0];
      roots.forEach((q, j) => {
        if (j !== i) den = cmul(den, [r[0] - q[0], r[1] - q[1]]);
      });
      const step = cdiv(evalAt(r), den);
      moved = Math.max(moved, Math.hypot(step[0], step[1]));
      return [r[0] - step[0], r[1] - step[1]];
    });
    if (moved < 1e-15) break;
  }
  return roots;
}

export interface MomentumMethod {
  /** Adams-Bashforth order 1..4. */
  order: number;
  /** Momentum beta in (0, 1]; 1 is plain AB. */
  beta?: number;
  variant?: 'hb' | 'ghvb';
}

/** The amplification matrix M(z) of a momentum AB method (state: recent y and h*velocity values). */
export function amplificationMatrix(z: C, { order, beta = 1, variant = 'hb' }: MomentumMethod): C[][] {
  const k = order;
  if (variant === 'hb') {
    // state [y_n, ..., y_{n-k+1}, w_n], w = h v; w' = (1-b) w + b z sum c_j y_{n-j}; y' = y + w'
    const c = adamsBashforthCoefficients(k, 1);
    const n = k + 1;
    const M: C[][] = Array.from({ length: n }, () => Array.from({ length: n }, (): C => [0, 0]));
    const wRow: C[] = Array.from({ length: n }, (_, j): C => (j < k ? cmul([beta * c[j], 0], z) : [1 - beta, 0]));
    M[0] = wRow.map((v, j): C => (j === 0 ? cadd(v, [1, 0]) : v));
    for (let i = 1; i < k; i++) M[i][i - 1] = [1, 0];
    M[k] = wRow;
    return M;
  }
  // GHVB: state [y_n, w_n, ..., w_{n-k+2}]; w' = (1-b) w_n + b z y_n; y' = y + c_0 w' + sum_{j>=1} c_j w_{n+1-j}
  const c = adamsBashforthCoefficients(k, beta);
  const n = k;
  const M: C[][] = Array.from({ length: n }, () => Array.from({ length: n }, (): C => [0, 0]));
  const wNew: C[] = Array.from({ length: n }, (_, j): C => (j === 0 ? cmul([beta, 0], z) : j === 1 ? [1 - beta, 0] : [0, 0]));
  M[0] = wNew.map((v, j): C => {
    let e: C = cmul([c[0], 0], v);
    if (j === 0) e = cadd(e, [1, 0]);
    if (j >= 1 && j < k) e = cadd(e, [c[j], 0]);
    return e;
  });
  if (n > 1) {
    M[1] = wNew;
    for (let i = 2; i < n; i++) M[i][i - 1] = [1, 0];
  }
  return M;
}

/** The spectral radius of M(z): the largest root modulus of its characteristic polynomial. */
export function spectralRadius(z: C, method: MomentumMethod): number {
  const roots = polyRoots(charPoly(amplificationMatrix(z, method)));
  return Math.max(...roots.map(([re, im]) => Math.hypot(re, im)));
}

/** Spectral radii on a grid of z = re + i im (rows: im, columns: re), for plotting stability regions. */
export function stabilityRegion(method: MomentumMethod, { re = [-3, 1], im = [-2, 2], resolution = 81 }: { re?: [number, number]; im?: [number, number]; resolution?: number } = {}): { re: number[]; im: number[]; radius: number[][] } {
  const xs = Array.from({ length: resolution }, (_, i) => re[0] + ((re[1] - re[0]) * i) / (resolution - 1));
  const ys = Array.from({ length: resolution }, (_, i) => im[0] + ((im[1] - im[0]) * i) / (resolution - 1));
  return { re: xs, im: ys, radius: ys.map((y) => xs.map((x) => spectralRadius([x, y], method))) };
}

/** The stability interval on the negative real axis: the largest r with radius(-s) <= 1 for all s in (0, r]. */
export function realStabilityInterval(method: MomentumMethod, { max = 20, step = 1e-3 } = {}): number {
  let s = step;
  while (s <= max && spectralRadius([-s, 0], method) <= 1 + 1e-7) s += step;
  return s - step;
}
