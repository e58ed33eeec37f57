/**
 * Time integrators on Float64Array states.
 *
 * - `rk4Step` / `integrateRK4`: classical explicit RK4 for y' = f(t, y).
 * - `ETDRK4`: exponential time differencing RK4 (Cox–Matthews, with the
 *   Kassam–Trefethen contour-integral coefficients) for semilinear systems
 *   v' = L v + N(v) with a diagonal, possibly complex, L: the workhorse for
 *   stiff spectral problems (Allen–Cahn, KdV, NLS, Burgers).
 * - `CrankNicolsonIMEX`: Crank–Nicolson on a diagonal L with the nonlinear
 *   term explicit (Adams–Bashforth 2, or forward Euler as in the FNO
 *   Navier–Stokes generator).
 * - `CrankNicolsonSparse`: Crank–Nicolson for u' = -A u + f with a sparse SPD
 *   A (finite differences), solved by band Cholesky.
 *
 * Spectral states are split complex arrays (re, im); a "diagonal L" is one
 * complex number per entry, given as { re, im? } Float64Arrays.
 */
import type { CSRMatrix } from './sparse.js';
import { csrFromTriplets, csrMatVec } from './sparse.js';
import { BandedCholesky } from './banded.js';

/** y' = f(t, y): writes the derivative into dy. */
export type OdeRhs = (t: number, y: Float64Array, dy: Float64Array) => void;

/** One classical RK4 step of size h from (t, y), in place. `work` is optional scratch of 5 arrays. */
export function rk4Step(f: OdeRhs, t: number, y: Float64Array, h: number, work?: Float64Array[]): void {
  const n = y.length;
  const [k1, k2, k3, k4, tmp] = work ?? Array.from({ length: 5 }, () => new Float64Array(n));
  f(t, y, k1);
  for (let i = 0; i < n; i++) tmp[i] = y[i] + 0.5 * h * k1[i];
  f(t + 0.5 * h, tmp, k2);
  for (let i = 0; i < n; i++) tmp[i] = y[i] + 0.5 * h * k2[i];
  f(t + 0.5 * h, tmp, k3);
  for (let i = 0; i < n; i++) tmp[i] = y[i] + h * k3[i];
  f(t + h, tmp, k4);
  for (let i = 0; i < n; i++) y[i] += (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
}

/**
 * Integrates y' = f(t, y) with fixed-step RK4 from t0 through the increasing
 * output times, returning y at each (the last step before an output time is
 * shortened to land on it exactly). `dt` is the maximum step.
 */
export function integrateRK4(f: OdeRhs, y0: ArrayLike<number>, t0: number, times: ArrayLike<number>, dt: number): Float64Array[] {
  if (!(dt > 0)) throw new Error(`integrateRK4: dt must be positive, got ${dt}`);
  const y = Float64Array.from(y0);
  const work = Array.from({ length: 5 }, () => new Float64Array(y.length));
  const out: Float64Array[] = [];
  let t = t0;
  for (let p = 0; p < times.length; p++) {
    const target = times[p];
    if (target < t - 1e-14 * Math.max(1, Math.abs(t))) throw new Error(`integrateRK4: output times must be increasing and >= t0, got ${target} after ${t}`);
    const steps = Math.ceil((target - t) / dt - 1e-9);
    const h = steps > 0 ? (target - t) / steps : 0;
    for (let s = 0; s < steps; s++) {
      rk4Step(f, t, y, h, work);
      t += h;
    }
    t = target;
    out.push(Float64Array.from(y));
  }
  return out;
}

/** Nonlinear term of a semilinear system in spectral space: writes N(v) into out. */
export type SpectralNonlinearity = (vRe: Float64Array, vIm: Float64Array, outRe: Float64Array, outIm: Float64Array) => void;

export interface DiagonalOperator {
  re: Float64Array;
  /** Imaginary part (default 0). */
  im?: Float64Array;
}

/**
 * phi-function coefficients of ETDRK4 for one complex h L = (x + i y), as the
 * mean over a circle of radius 1 around it (Kassam & Trefethen 2005), which
 * avoids the cancellation of the closed forms near 0.
 */
function etdCoefficients(x: number, y: number, contour: number): number[] {
  // returns [Q, f1, f2, f3] as (re, im) pairs, each without the factor h
  const acc = new Float64Array(8);
  for (let m = 0; m < contour; m++) {
    const th = (Math.PI * (m + 0.5) * 2) / contour;
    const zr = x + Math.cos(th);
    const zi = y + Math.sin(th);
    const ez = Math.exp(zr);
    const er = ez * Math.cos(zi);
    const ei = ez * Math.sin(zi);
    const e2 = Math.exp(zr / 2);
    const e2r = e2 * Math.cos(zi / 2);
    const e2i = e2 * Math.sin(zi / 2);
    // 1/z, 1/z^3
    const d = zr * zr + zi * zi;
    const izr = zr / d;
    const izi = -zi / d;
    const iz2r = izr * izr - izi * izi;
    const iz2i = 2 * izr * izi;
    const iz3r = iz2r * izr - iz2i * izi;
    const iz3i = iz2r * izi + iz2i * izr;
    const z2r = zr * zr - zi * zi;
    const z2i = 2 * zr * zi;
    const mul = (ar: number, ai: number, br: number, bi: number): [number, number] => [ar * br - ai * bi, ar * bi + ai * br];
    // Q: (e^{z/2} - 1)/z
    let [qr, qi] = mul(e2r - 1, e2i, izr, izi);
    acc[0] += qr;
    acc[1] += qi;
    // f1: (-4 - z + e^z (4 - 3z + z^2)) / z^3
    let [tr, ti] = mul(er, ei, 4 - 3 * zr + z2r, -3 * zi + z2i);
    [qr, qi] = mul(-4 - zr + tr, -zi + ti, iz3r, iz3i);
    acc[2] += qr;
    acc[3] += qi;
    // f2: (2 + z + e^z (z - 2)) / z^3
    [tr, ti] = mul(er, ei, zr - 2, zi);
    [qr, qi] = mul(2 + zr + tr, zi + ti, iz3r, iz3i);
    acc[4] += qr;
    acc[5] += qi;
    // f3: (-4 - 3z - z^2 + e^z (4 - z)) / z^3
    [tr, ti] = mul(er, ei, 4 - zr, -zi);
    [qr, qi] = mul(-4 - 3 * zr - z2r + tr, -3 * zi - z2i + ti, iz3r, iz3i);
    acc[6] += qr;
    acc[7] += qi;
  }
  return Array.from(acc, (v) => v / contour);
}

/**
 * ETDRK4 for v' = L v + N(v), L diagonal (one complex entry per mode), on a
 * split complex state. Fourth order in dt; exact for N = 0. Coefficients are
 * computed once per (L, dt).
 */
export class ETDRK4 {
  readonly n: number;
  readonly dt: number;
  private readonly complexL: boolean;
  private readonly E: Float64Array[]; // [re, im]
  private readonly E2: Float64Array[];
  private readonly Q: Float64Array[];
  private readonly f1: Float64Array[];
  private readonly f2: Float64Array[];
  private readonly f3: Float64Array[];
  private readonly nonlinear: SpectralNonlinearity;
  private readonly w: Float64Array[];

  constructor(L: DiagonalOperator, dt: number, nonlinear: SpectralNonlinearity, { contourPoints = 64 }: { contourPoints?: number } = {}) {
    if (!(dt > 0)) throw new Error(`ETDRK4: dt must be positive, got ${dt}`);
    const n = L.re.length;
    if (L.im && L.im.length !== n) throw new Error(`ETDRK4: L.re and L.im differ in length (${n}, ${L.im.length})`);
    this.n = n;
    this.dt = dt;
    this.nonlinear = nonlinear;
    this.complexL = !!L.im && L.im.some((v) => v !== 0);
    const make = () => [new Float64Array(n), new Float64Array(n)];
    this.E = make();
    this.E2 = make();
    this.Q = make();
    this.f1 = make();
    this.f2 = make();
    this.f3 = make();
    for (let j = 0; j < n; j++) {
      const x = dt * L.re[j];
      const y = dt * (L.im ? L.im[j] : 0);
      const ex = Math.exp(x);
      this.E[0][j] = ex * Math.cos(y);
      this.E[1][j] = ex * Math.sin(y);
      const ex2 = Math.exp(x / 2);
      this.E2[0][j] = ex2 * Math.cos(y / 2);
      this.E2[1][j] = ex2 * Math.sin(y / 2);
      const c = etdCoefficients(x, y, contourPoints);
      this.Q[0][j] = dt * c[0];
      this.Q[1][j] = dt * c[1];
      this.f1[0][j] = dt * c[2];
      this.f1[1][j] = dt * c[3];
      this.f2[0][j] = dt * c[4];
      this.f2[1][j] = dt * c[5];
      this.f3[0][j] = dt * c[6];
      this.f3[1][j] = dt * c[7];
    }
    if (!this.complexL) for (const arr of [this.E, this.E2, this.Q, this.f1, this.f2, this.f3]) arr[1].fill(0);
    this.w = Array.from({ length: 10 }, () => new Float64Array(n));
  }

  /** Advances (vRe, vIm) by one step dt, in place. */
  step(vRe: Float64Array, vIm: Float64Array): void {
    const n = this.n;
    const [NvR, NvI, aR, aI, NaR, NaI, bR, bI, NbR, NbI] = this.w;
    const [E2r, E2i] = this.E2;
    const [Qr, Qi] = this.Q;
    const N = this.nonlinear;
    N(vRe, vIm, NvR, NvI);
    for (let j = 0; j < n; j++) {
      aR[j] = E2r[j] * vRe[j] - E2i[j] * vIm[j] + Qr[j] * NvR[j] - Qi[j] * NvI[j];
      aI[j] = E2r[j] * vIm[j] + E2i[j] * vRe[j] + Qr[j] * NvI[j] + Qi[j] * NvR[j];
    }
    N(aR, aI, NaR, NaI);
    for (let j = 0; j < n; j++) {
      bR[j] = E2r[j] * vRe[j] - E2i[j] * vIm[j] + Qr[j] * NaR[j] - Qi[j] * NaI[j];
      bI[j] = E2r[j] * vIm[j] + E2i[j] * vRe[j] + Qr[j] * NaI[j] + Qi[j] * NaR[j];
    }
    N(bR, bI, NbR, NbI);
    // c = E2 a + Q (2 Nb - Nv), stored in b
    for (let j = 0; j < n; j++) {
      const sR = 2 * NbR[j] - NvR[j];
      const sI = 2 * NbI[j] - NvI[j];
      bR[j] = E2r[j] * aR[j] - E2i[j] * aI[j] + Qr[j] * sR - Qi[j] * sI;
      bI[j] = E2r[j] * aI[j] + E2i[j] * aR[j] + Qr[j] * sI + Qi[j] * sR;
    }
    // Na + Nb into Na; N(c) into a
    for (let j = 0; j < n; j++) {
      NaR[j] += NbR[j];
      NaI[j] += NbI[j];
    }
    N(bR, bI, aR, aI);
    const [Er, Ei] = this.E;
    const [f1r, f1i] = this.f1;
    const [f2r, f2i] = this.f2;
    const [f3r, f3i] = this.f3;
    for (let j = 0; j < n; j++) {
      const vr = vRe[j];
      const vi = vIm[j];
      vRe[j] =
        Er[j] * vr - Ei[j] * vi +
        f1r[j] * NvR[j] - f1i[j] * NvI[j] +
        2 * (f2r[j] * NaR[j] - f2i[j] * NaI[j]) +
        f3r[j] * aR[j] - f3i[j] * aI[j];
      vIm[j] =
        Er[j] * vi + Ei[j] * vr +
        f1r[j] * NvI[j] + f1i[j] * NvR[j] +
        2 * (f2r[j] * NaI[j] + f2i[j] * NaR[j]) +
        f3r[j] * aI[j] + f3i[j] * aR[j];
    }
  }
}

/**
 * Advances a semilinear spectral system with ETDRK4 through increasing output
 * times, calling `record(index, vRe, vIm)` at each. Steps of at most `dt`;
 * when an output time is not a multiple of dt the last step before it is
 * shortened (a second coefficient set is built for that step size and cached).
 */
export function integrateETDRK4(
  L: DiagonalOperator,
  nonlinear: SpectralNonlinearity,
  v0: { re: Float64Array; im: Float64Array },
  times: ArrayLike<number>,
  dt: number,
  record: (index: number, vRe: Float64Array, vIm: Float64Array) => void,
): void {
  const vRe = Float64Array.from(v0.re);
  const vIm = Float64Array.from(v0.im);
  const steppers = new Map<number, ETDRK4>();
  const stepper = (h: number) => {
    const key = Number(h.toPrecision(14));
    let s = steppers.get(key);
    if (!s) {
      s = new ETDRK4(L, h, nonlinear);
      steppers.set(key, s);
    }
    return s;
  };
  let t = 0;
  for (let p = 0; p < times.length; p++) {
    const target = times[p];
    if (target < t - 1e-12) throw new Error(`integrateETDRK4: output times must be increasing and >= 0, got ${target} after ${t}`);
    const steps = Math.ceil((target - t) / dt - 1e-9);
    if (steps > 0) {
      const h = (target - t) / steps;
      // equal substeps: reuse the main stepper when h is (numerically) dt
      const s = stepper(Math.abs(h - dt) < 1e-12 * dt ? dt : h);
      for (let k = 0; k < steps; k++) s.step(vRe, vIm);
    }
    t = target;
    record(p, vRe, vIm);
  }
}

/**
 * Drives a fixed-step integrator through output times that are multiples of
 * dt (to rounding): calls `step()` until each time is reached, then
 * `record(index)`. `what` names the caller in error messages.
 */
export function stepToTimes(times: ArrayLike<number>, dt: number, step: () => void, record: (index: number) => void, what: string): void {
  let done = 0;
  for (let p = 0; p < times.length; p++) {
    const t = times[p];
    const target = Math.round(t / dt);
    if (Math.abs(target * dt - t) > 1e-9 * Math.max(1, t)) throw new Error(`${what}: time ${t} is not a multiple of dt = ${dt}`);
    if (target < done) throw new Error(`${what}: times must be increasing`);
    for (; done < target; done++) step();
    record(p);
  }
}

/**
 * Crank–Nicolson for the diagonal (real) linear part with the nonlinear term
 * explicit: v_{n+1} = [(1 + dt L/2) v_n + dt N*] / (1 - dt L/2), where
 * N* = 3/2 N_n - 1/2 N_{n-1} ('ab2', second order; the first step uses N_n)
 * or N* = N_n ('euler', the FNO Navier–Stokes scheme, first order in N).
 * An optional constant forcing (spectral) is added to N.
 */
export class CrankNicolsonIMEX {
  readonly dt: number;
  private readonly num: Float64Array;
  private readonly inv: Float64Array;
  private readonly scheme: 'ab2' | 'euler';
  private readonly nonlinear: SpectralNonlinearity;
  private readonly NR: Float64Array;
  private readonly NI: Float64Array;
  private readonly prevR: Float64Array;
  private readonly prevI: Float64Array;
  private started = false;

  constructor(L: Float64Array, dt: number, nonlinear: SpectralNonlinearity, { scheme = 'ab2' }: { scheme?: 'ab2' | 'euler' } = {}) {
    if (!(dt > 0)) throw new Error(`CrankNicolsonIMEX: dt must be positive, got ${dt}`);
    if (scheme !== 'ab2' && scheme !== 'euler') throw new Error(`CrankNicolsonIMEX: scheme must be 'ab2' or 'euler', got '${scheme}'`);
    const n = L.length;
    this.dt = dt;
    this.scheme = scheme;
    this.nonlinear = nonlinear;
    this.num = new Float64Array(n);
    this.inv = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      this.num[j] = 1 + 0.5 * dt * L[j];
      this.inv[j] = 1 / (1 - 0.5 * dt * L[j]);
    }
    this.NR = new Float64Array(n);
    this.NI = new Float64Array(n);
    this.prevR = new Float64Array(n);
    this.prevI = new Float64Array(n);
  }

  /** Advances (vRe, vIm) by dt in place. */
  step(vRe: Float64Array, vIm: Float64Array): void {
    const { num, inv, NR, NI, prevR, prevI, dt } = this;
    this.nonlinear(vRe, vIm, NR, NI);
    const ab2 = this.scheme === 'ab2' && this.started;
    for (let j = 0; j < num.length; j++) {
      let nr = NR[j];
      let ni = NI[j];
      if (ab2) {
        nr = 1.5 * NR[j] - 0.5 * prevR[j];
        ni = 1.5 * NI[j] - 0.5 * prevI[j];
      }
      vRe[j] = (num[j] * vRe[j] + dt * nr) * inv[j];
      vIm[j] = (num[j] * vIm[j] + dt * ni) * inv[j];
    }
    prevR.set(NR);
    prevI.set(NI);
    this.started = true;
  }
}

/**
 * Crank–Nicolson for u' = -A u + f with A sparse SPD (e.g. a finite-difference
 * -Laplacian): (I + dt A/2) u_{n+1} = (I - dt A/2) u_n + dt f. The implicit
 * matrix is factored once by band Cholesky.
 */
export class CrankNicolsonSparse {
  readonly dt: number;
  private readonly A: CSRMatrix;
  private readonly solver: BandedCholesky;
  private readonly Au: Float64Array;
  private readonly rhs: Float64Array;

  constructor(A: CSRMatrix, dt: number) {
    if (!(dt > 0)) throw new Error(`CrankNicolsonSparse: dt must be positive, got ${dt}`);
    this.dt = dt;
    this.A = A;
    const ri: number[] = [];
    const ci: number[] = [];
    const v: number[] = [];
    for (let r = 0; r < A.rows; r++) {
      ri.push(r), ci.push(r), v.push(1);
      for (let p = A.rowPtr[r]; p < A.rowPtr[r + 1]; p++) ri.push(r), ci.push(A.colIdx[p]), v.push(0.5 * dt * A.values[p]);
    }
    this.solver = new BandedCholesky(csrFromTriplets(A.rows, A.cols, ri, ci, v));
    this.Au = new Float64Array(A.rows);
    this.rhs = new Float64Array(A.rows);
  }

  /** Advances u by dt in place, with an optional source f (constant over the step). */
  step(u: Float64Array, f?: ArrayLike<number>): void {
    csrMatVec(this.A, u, this.Au);
    for (let i = 0; i < u.length; i++) this.rhs[i] = u[i] - 0.5 * this.dt * this.Au[i] + (f ? this.dt * f[i] : 0);
    this.solver.solve(this.rhs, u);
  }
}
