/**
 * PINN baselines of TENG's comparison (the paper's are PINN-ENGD and PINN-BFGS), in
 * time-space:
 *
 * - `pinnEngd`: float64, one network u(t, x) (time rescaled to s = 2 t / T - 1, space
 *   through the periodic embedding, so the boundary conditions hold exactly) trained on
 *     loss = 1/2 mean_r (u_t - L u)^2 + icWeight / 2 mean_0 (u(0, x) - u0(x))^2
 *   at fixed random collocation points and the initial grid by ENGD (energy natural
 *   gradient, Müller & Zeinhofer 2023): Gauss–Newton steps on the stacked residuals, whose
 *   Jacobian the float64 network gives exactly, with a grid line search over the step.
 * - `pinnProblem`: the same problem as a `pde.zoo` spec, for the library's PINN trainer
 *   `pde.train` (TF.js float32, Adam then L-BFGS: the BFGS baseline).
 */
import * as tf from '../backend/tf.js';
import { Matrix, lstsq } from '../linalg/index.js';
import { Rng } from '../backend/random.js';
import { interval, rectangle, spaceTime, timeDomain } from '../pde/geometry/geometry.js';
import { definePde, fromGrid, type Fields, type PdeProblem, type Point } from '../pde/zoo/problem.js';
import { gridSolution } from '../pde/reference/solution.js';
import { Float64Mlp, type Cotangent, type Trace } from './network.js';
import type { PointwiseTerm } from './equations.js';
import type { LeastSquaresOptions } from './teng.js';
import { periodicGrid, type Problem, type Reference } from './problems.js';

export interface PinnOptions {
  /** Final time: the network covers [0, T]. */
  T: number;
  /** Hidden widths (default [20, 20]). */
  hidden?: number[];
  /** Harmonics of the periodic embedding in space (default 1). */
  harmonics?: number;
  /** Interior collocation points, uniform in [0, T] x box (default 2000). */
  collocation?: number;
  /** Points per axis of the initial-condition grid (default 32 in 2-D, 256 in 1-D). */
  initialGrid?: number;
  /** Weight of the initial-condition term (default 10). */
  icWeight?: number;
  seed?: number;
}

export interface PinnTrainOptions {
  /** ENGD iterations. */
  iterations: number;
  /**
   * Least squares of the Gauss–Newton solve: method (default 'normal') and Tikhonov damping
   * (default 1e-6; the normal equations square the Jacobian's condition number, and with
   * much less damping their Cholesky factor loses the step).
   */
  lstsq?: LeastSquaresOptions;
  /** Called after every iteration with the loss. */
  onIteration?: (info: { iteration: number; loss: number }) => void;
}

export class PinnEngd {
  readonly net: Float64Mlp;
  readonly T: number;
  readonly icWeight: number;
  private readonly interior: Matrix;
  private readonly initial: Matrix;
  private readonly u0: Float64Array;
  /** Loss after each optimizer iteration. */
  readonly history: number[] = [];

  constructor(readonly problem: Problem, options: PinnOptions) {
    const { T } = options;
    if (!(T > 0) || !Number.isFinite(T)) throw new Error(`pinn: T must be a positive finite number, got ${T}`);
    this.T = T;
    this.icWeight = options.icWeight ?? 10;
    if (!(this.icWeight > 0)) throw new Error(`pinn: icWeight must be positive, got ${this.icWeight}`);
    const d = problem.dims;
    const rng = new Rng(options.seed ?? 0);
    this.net = Float64Mlp.periodicSinusoidal(d + 1, options.hidden ?? [20, 20], {
      period: [null, ...new Array(d).fill(problem.period)], harmonics: options.harmonics ?? 1,
    }, { seed: rng.fork(), init: 'glorot-normal' });
    const n = options.collocation ?? 2000;
    if (!Number.isInteger(n) || n < 1) throw new Error(`pinn: collocation must be a positive integer, got ${n}`);
    this.interior = new Matrix(n, d + 1);
    for (let r = 0; r < n; r++) {
      this.interior.data[r * (d + 1)] = 2 * rng.uniform() - 1;
      for (let i = 1; i <= d; i++) this.interior.data[r * (d + 1) + i] = problem.period * rng.uniform();
    }
    const grid = periodicGrid(d, options.initialGrid ?? (d === 1 ? 256 : 32), problem.period);
    this.u0 = problem.initial(grid.points);
    this.initial = this.withTime(grid.points, 0);
  }

  /** [t, x] rows for the network (time rescaled to [-1, 1]). */
  private withTime(points: Matrix, t: number): Matrix {
    const d = points.cols;
    const out = new Matrix(points.rows, d + 1);
    const s = (2 * t) / this.T - 1;
    for (let r = 0; r < points.rows; r++) {
      out.data[r * (d + 1)] = s;
      for (let i = 0; i < d; i++) out.data[r * (d + 1) + 1 + i] = points.data[r * d + i];
    }
    return out;
  }

  /** u(t, x) at the rows of `points` (spatial coordinates). */
  evaluate(t: number, points: Matrix): Float64Array {
    return this.net.evaluate(this.withTime(points, t));
  }

  /** Residual u_t - L u at the collocation points, with the trace it came from. */
  private residual(): { tr: Trace; r: Float64Array } {
    const eq = this.problem.equation;
    const req = eq.request(1);
    const tr = this.net.trace(this.interior, { first: [0, ...(req.first ?? [])], second: req.second });
    const lu = eq.apply(tr, 1);
    const ut = tr.derivative(0);
    const scale = 2 / this.T;
    return { tr, r: Float64Array.from(ut, (v, i) => scale * v - lu[i]) };
  }

  /** Cotangent of the residual (u_t - L u) linearised, times per-point factors. */
  private residualCotangent(tr: Trace, factor: Float64Array): Cotangent {
    const lin = this.problem.equation.linearize(tr, 1, -1);
    const mul = (a: ArrayLike<number> | null | undefined) => (a == null ? null : Float64Array.from(a, (v, i) => v * factor[i]));
    const first = lin.first.map(mul);
    first[tr.firstDims.indexOf(0)] = Float64Array.from(factor, (f) => (2 / this.T) * f);
    return { u: mul(lin.u) ?? undefined, first, second: lin.second.map(mul) };
  }

  /** The loss and its parts. */
  loss(): { total: number; residual: number; initial: number } {
    const { r } = this.residual();
    const u = this.net.evaluate(this.initial);
    let a = 0;
    for (const v of r) a += v * v;
    let b = 0;
    for (let i = 0; i < u.length; i++) b += (u[i] - this.u0[i]) ** 2;
    const residual = a / (2 * r.length);
    const initial = (this.icWeight * b) / (2 * u.length);
    return { total: residual + initial, residual, initial };
  }

  /** Gradient of the loss (a vector-Jacobian product per term). */
  gradient(): { loss: number; grad: Float64Array } {
    const { tr, r } = this.residual();
    const nr = r.length;
    const g = tr.vjp(this.residualCotangent(tr, Float64Array.from(r, (v) => v / nr)));
    const t0 = this.net.trace(this.initial);
    const n0 = this.u0.length;
    const e = Float64Array.from(t0.u, (v, i) => v - this.u0[i]);
    const g0 = t0.vjp({ u: Float64Array.from(e, (v) => (this.icWeight * v) / n0) });
    let a = 0;
    for (const v of r) a += v * v;
    let b = 0;
    for (const v of e) b += v * v;
    for (let p = 0; p < g.length; p++) g[p] += g0[p];
    return { loss: a / (2 * nr) + (this.icWeight * b) / (2 * n0), grad: g };
  }

  /** `iterations` ENGD steps. Returns the final loss. */
  train(options: PinnTrainOptions): number {
    const { iterations } = options;
    if (!Number.isInteger(iterations) || iterations < 0) throw new Error(`pinnEngd.train: iterations must be a non-negative integer, got ${iterations}`);
    let loss = this.loss().total;
    for (let it = 0; it < iterations; it++) {
      loss = this.engdStep({ method: 'normal', damping: 1e-6, ...options.lstsq });
      this.history.push(loss);
      options.onIteration?.({ iteration: it, loss });
    }
    return loss;
  }

  /**
   * One ENGD step: the Gauss–Newton direction of the stacked, weighted residuals
   * [r / sqrt(Nr); sqrt(icWeight) e / sqrt(N0)], then the best of the step sizes 2^-k,
   * k = 0..10 (the line search of Müller & Zeinhofer). Returns the new loss.
   */
  engdStep(options: LeastSquaresOptions): number {
    const { tr, r } = this.residual();
    const nr = r.length;
    const sr = 1 / Math.sqrt(nr);
    const Jr = tr.jacobian({ cotangent: this.residualCotangent(tr, new Float64Array(nr).fill(sr)) });
    const t0 = this.net.trace(this.initial);
    const n0 = this.u0.length;
    const s0 = Math.sqrt(this.icWeight / n0);
    const J0 = t0.jacobian();
    const P = this.net.paramCount;
    const J = new Matrix(nr + n0, P);
    J.data.set(Jr.data);
    for (let i = 0; i < n0 * P; i++) J.data[nr * P + i] = s0 * J0.data[i];
    const b = new Float64Array(nr + n0);
    for (let i = 0; i < nr; i++) b[i] = -sr * r[i];
    for (let i = 0; i < n0; i++) b[nr + i] = -s0 * (t0.u[i] - this.u0[i]);
    const direction = lstsq(J, b, options).x.data;
    const start = this.net.params.slice();
    let best = this.loss().total;
    let bestEta = 0;
    for (let k = 0; k <= 10; k++) {
      const eta = 2 ** -k;
      this.net.setParams(start.map((v, p) => v + eta * direction[p]));
      const l = this.loss().total;
      if (Number.isFinite(l) && l < best) { best = l; bestEta = eta; }
    }
    this.net.setParams(start.map((v, p) => v + bestEta * direction[p]));
    return best;
  }
}

/** Builds a float64 time-space PINN trained by ENGD for a TENG problem (see `PinnOptions`). */
export function pinnEngd(problem: Problem, options: PinnOptions): PinnEngd {
  return new PinnEngd(problem, options);
}

/**
 * The problem on [0, T] as a `pde.zoo` spec for `pde.train`: residual u_t - L u (from the
 * operator's TF.js terms), the initial condition as the only condition (the network's
 * periodic embedding makes the boundary conditions exact; the hint sets it), the
 * reference on a (t, x[, y]) grid of `times` and `m` points per axis (or `reference`, one
 * already computed for the problem, so a spectral solve is not repeated).
 */
export function pinnProblem(problem: Problem, T: number, options: { times?: number[]; m?: number; reference?: Reference } = {}): PdeProblem {
  if (!(T > 0) || !Number.isFinite(T)) throw new Error(`pinnProblem: T must be a positive finite number, got ${T}`);
  const d = problem.dims;
  const names = ['x', 'y'].slice(0, d);
  if (d > 2) throw new Error(`pinnProblem: 1 or 2 space dimensions, got ${d}`);
  const eq = problem.equation;
  const given = options.reference;
  if (given !== undefined && options.times !== undefined) throw new Error('pinnProblem: give times or reference, not both');
  const times = given !== undefined ? [...given.times] : options.times ?? Array.from({ length: 11 }, (_, i) => (i * T) / 10);
  const m = options.m ?? (d === 1 ? 128 : 32);
  const derivatives = ['u_t', ...(eq.advection ? names.map((x) => `u_${x}`) : []), ...(eq.diffusion > 0 ? names.map((x) => `u_${x}${x}`) : [])];
  // u_t - D sum u_ii - f(u) + a(u) sum u_i, built up as a difference (no tf.tidy: the trainer
  // differentiates through these intermediates)
  const residual = (f: Fields) => {
    let r: tf.Tensor = f.u_t;
    if (eq.diffusion > 0) r = tf.sub(r, tf.mul(eq.diffusion, names.map((x) => f[`u_${x}${x}`]).reduce((a, b) => tf.add(a, b))));
    if (eq.reaction) r = tf.sub(r, tensorTerm(eq.reaction, f.u));
    if (eq.advection) r = tf.add(r, tf.mul(tensorTerm(eq.advection, f.u), names.map((x) => f[`u_${x}`]).reduce((a, b) => tf.add(a, b))));
    return r;
  };
  const box = d === 1 ? interval(0, problem.period) : rectangle([0, 0], [problem.period, problem.period]);
  const u0 = (p: Point) => problem.initial(new Matrix(1, d, names.map((x) => p[x])))[0];
  return definePde({
    name: problem.name,
    title: `${eq.name} on [0, ${problem.period.toFixed(4)})^${d} periodic, t ∈ [0, ${T}]`,
    domain: spaceTime(box, timeDomain(0, T)),
    outputs: ['u'],
    pde: { derivatives, residual },
    conditions: [{ name: 'ic', kind: 'initial', value: u0, points: d === 1 ? 256 : 1024 }],
    reference: () => {
      const ref = given ?? problem.reference(times);
      const grid = periodicGrid(d, m, problem.period);
      const u = new Float64Array(times.length * grid.points.rows);
      times.forEach((_, i) => u.set(ref.onGrid(i, m), i * grid.points.rows));
      const axis = Float64Array.from({ length: m }, (_, j) => (problem.period * j) / m);
      const sol = gridSolution(['t', ...names], [Float64Array.from(times), ...names.map(() => axis)], { u }, {
        equation: eq.name, method: problem.referenceMethod, params: {}, seconds: 0,
      });
      return fromGrid(sol, ['t', ...names], ['u']);
    },
    hints: { hidden: [32, 32, 32], points: 2000, adamSteps: 2000, lr: 1e-3, lbfgsSteps: 200, periodic: { period: [null, ...new Array(d).fill(problem.period)] }, weights: { ic: 10 } },
  });
}

function tensorTerm(term: PointwiseTerm, u: tf.Tensor): tf.Tensor {
  if (term.tensor === undefined) throw new Error(`pinnProblem: the term '${term.name}' has no TF.js form (PointwiseTerm.tensor)`);
  return term.tensor(u);
}
