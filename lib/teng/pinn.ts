/**
 * The PINN baseline of TENG's comparison, in time-space and float64: one network
 * u(t, x) (time rescaled to s = 2 t / T - 1, space through the periodic embedding, so the
 * boundary conditions hold exactly) trained on
 *
 *   loss = 1/2 mean_r (u_t - L u)^2 + icWeight / 2 mean_0 (u(0, x) - u0(x))^2
 *
 * at fixed random collocation points and the initial grid, with Adam and then ENGD (energy
 * natural gradient, Müller & Zeinhofer 2023: Gauss–Newton steps on the stacked residuals
 * with a grid line search over the step size), the optimizers of the paper's PINN
 * baselines being ENGD and BFGS.
 */
import { Matrix, lstsq } from '../linalg/index.js';
import { Rng } from '../backend/random.js';
import { Float64Mlp, type Cotangent, type Trace } from './network.js';
import type { Problem } from './problems.js';
import { periodicGrid } from './problems.js';
import { adamStepper } from './optimizer.js';

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
  /** Adam iterations (default 1000) and learning rate (default 1e-3). */
  adam?: { iterations: number; lr?: number };
  /** ENGD iterations after Adam (default 0) and the Tikhonov damping of the Gauss–Newton solve. */
  engd?: { iterations: number; damping?: number };
  /** Called every `every` iterations with the loss. */
  onProgress?: (info: { phase: 'adam' | 'engd'; iteration: number; loss: number }) => void;
  every?: number;
}

export class Pinn {
  readonly net: Float64Mlp;
  readonly T: number;
  readonly icWeight: number;
  private readonly interior: Matrix;
  private readonly initial: Matrix;
  private readonly u0: Float64Array;
  /** Loss after each optimizer iteration. */
  readonly history: { phase: 'adam' | 'engd'; loss: number }[] = [];

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

  private gradient(): { loss: number; grad: Float64Array } {
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

  /** Adam, then ENGD. Returns the final loss. */
  train(options: PinnTrainOptions = {}): number {
    const every = options.every ?? 100;
    const adam = options.adam ?? { iterations: 1000 };
    const stepper = adamStepper(this.net.paramCount, adam.lr ?? 1e-3);
    try {
      for (let it = 0; it < adam.iterations; it++) {
        const { loss, grad } = this.gradient();
        if (!Number.isFinite(loss)) throw new Error(`pinn: the loss became ${loss} at Adam iteration ${it}; lower lr`);
        this.history.push({ phase: 'adam', loss });
        if (it % every === 0) options.onProgress?.({ phase: 'adam', iteration: it, loss });
        this.net.addToParams(stepper.update(grad));
      }
    } finally {
      stepper.dispose();
    }
    const engd = options.engd ?? { iterations: 0 };
    for (let it = 0; it < engd.iterations; it++) {
      const loss = this.engdStep(engd.damping ?? 1e-10);
      this.history.push({ phase: 'engd', loss });
      if (it % every === 0 || it === engd.iterations - 1) options.onProgress?.({ phase: 'engd', iteration: it, loss });
    }
    return this.loss().total;
  }

  /**
   * One ENGD step: the Gauss–Newton direction of the stacked, weighted residuals
   * [r / sqrt(Nr); sqrt(icWeight) e / sqrt(N0)], then the best of the step sizes 2^-k,
   * k = 0..10 (the line search of Müller & Zeinhofer). Returns the new loss.
   */
  engdStep(damping: number): number {
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
    const direction = lstsq(J, b, { method: 'normal', damping }).x.data;
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

/** Builds a time-space PINN for a TENG problem (see `PinnOptions`). */
export function pinn(problem: Problem, options: PinnOptions): Pinn {
  return new Pinn(problem, options);
}
