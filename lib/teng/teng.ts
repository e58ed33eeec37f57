/**
 * TENG time stepping (official code pde-sim/teng, `teng.py` and
 * `src/utils/random_policy_grad.py`), in float64.
 *
 * Each step fits the network to an explicit target on a quadrature grid by repeated
 * natural-gradient (Gauss–Newton) projections: with r = target - u_theta,
 *
 *   delta = argmin || sqrt(w) (J_S delta - r) ||,   theta_S <- theta_S + delta,
 *
 * where J_S holds the Jacobian columns of a random subset S of the parameters, drawn
 * afresh for every solve (the official code: 1536 columns for the first solve of a step,
 * 1024 after, out of 8 361; `jnp.linalg.lstsq`).
 *
 * - TENG-Euler: target u_n + dt L u_n, fitted with iterations + 2 solves from theta_n.
 * - TENG-Heun: stage 1 fits u_n + dt L u_n (iterations + 2 solves, giving theta~); stage 2
 *   fits u_n + dt/2 (L u_n + L u~) from theta~ (iterations solves).
 */
import { lstsq, Matrix, type LstsqMethod } from '../linalg/index.js';
import { Rng } from '../backend/random.js';
import type { Float64Mlp } from './network.js';
import type { EvolutionOperator } from './equations.js';
import type { QuadratureGrid } from './problems.js';

export interface LeastSquaresOptions {
  /** 'qr' (pivoted QR, default), 'svd' (singular-value cutoff, like jnp.linalg.lstsq) or 'normal'. */
  method?: LstsqMethod;
  /** Relative rank cutoff (default eps * max(N, |S|), numpy's and JAX's default). */
  rcond?: number;
  /** Tikhonov damping lambda: minimises ||J delta - r||^2 + lambda ||delta||^2. */
  damping?: number;
}

export interface FitOptions {
  /** Number of least-squares solves. */
  iterations: number;
  /** Parameters per solve: a count, or {first, rest} for the first and the later solves. Default: all. */
  subset?: number | { first: number; rest: number };
  lstsq?: LeastSquaresOptions;
  /** Generator for the parameter subsets. */
  rng?: Rng;
  /** End at the parameters with the lowest loss seen (instead of the last ones). */
  keepBest?: boolean;
}

export interface FitReport {
  /** Loss sum_n w_n (target - u)^2 / 2 before each solve and after the last (with `keepBest`, then the loss of the parameters kept). */
  losses: number[];
  /** Numerical rank of each solve. */
  ranks: number[];
}

/** Weighted loss sum_n w_n r_n^2 / 2 (the official code's loss). */
function weightedLoss(r: ArrayLike<number>, w: Float64Array): number {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += w[i] * r[i] * r[i];
  return s / 2;
}

function subsetSize(subset: FitOptions['subset'], iteration: number, P: number): number {
  if (subset === undefined) return P;
  const k = typeof subset === 'number' ? subset : iteration === 0 ? subset.first : subset.rest;
  if (!Number.isInteger(k) || k < 1) throw new Error(`teng: subset sizes must be positive integers, got ${k}`);
  return Math.min(k, P);
}

/** k distinct parameter indices, uniformly at random (sorted, for cache-friendly gathers). */
function drawSubset(rng: Rng, P: number, k: number): Int32Array {
  if (k >= P) return Int32Array.from({ length: P }, (_, i) => i);
  const perm = rng.permutation(P);
  return perm.subarray(0, k).sort();
}

/**
 * Fits the network to `target` at the grid points by `iterations` natural-gradient
 * least-squares solves (TENG's inner loop; also how initial conditions are fitted).
 */
export function naturalGradientFit(net: Float64Mlp, grid: QuadratureGrid, target: Float64Array, options: FitOptions): FitReport {
  const { iterations } = options;
  if (!Number.isInteger(iterations) || iterations < 0) throw new Error(`teng.naturalGradientFit: iterations must be a non-negative integer, got ${iterations}`);
  const n = grid.points.rows;
  if (target.length !== n) throw new Error(`teng.naturalGradientFit: target has ${target.length} values for ${n} points`);
  const rng = options.rng ?? new Rng(0);
  const P = net.paramCount;
  const sqrtW = grid.weights.map(Math.sqrt);
  const losses: number[] = [];
  const ranks: number[] = [];
  const r = new Float64Array(n);
  let best: { loss: number; params: Float64Array } | null = null;
  for (let it = 0; it <= iterations; it++) {
    const tr = net.trace(grid.points);
    for (let i = 0; i < n; i++) r[i] = target[i] - tr.u[i];
    const loss = weightedLoss(r, grid.weights);
    if (!Number.isFinite(loss)) {
      if (options.keepBest && best !== null) break;
      throw new Error(`teng: the fit diverged (loss ${loss} at solve ${it}); try damping or a smaller time step`);
    }
    losses.push(loss);
    if (options.keepBest && (best === null || loss < best.loss)) best = { loss, params: net.params.slice() };
    if (it === iterations) break;
    const cols = drawSubset(rng, P, subsetSize(options.subset, it, P));
    const J = tr.jacobian({ columns: cols });
    const k = cols.length;
    for (let i = 0; i < n; i++) {
      const s = sqrtW[i];
      for (let c = 0; c < k; c++) J.data[i * k + c] *= s;
    }
    const b = Float64Array.from(r, (v, i) => v * sqrtW[i]);
    const solved = lstsq(J, b, options.lstsq ?? {});
    ranks.push(solved.rank);
    net.addToParams(solved.x.data, cols);
  }
  if (options.keepBest && best !== null) {
    net.setParams(best.params);
    losses.push(best.loss);
  }
  return { losses, ranks };
}

export interface InitialFitOptions {
  /** Maximum number of least-squares solves (default 200). */
  maxIterations?: number;
  /** Initial Levenberg–Marquardt damping lambda (default 1e-3). */
  damping?: number;
  /** Stop when the loss falls below this (default 0). */
  tolerance?: number;
  /** Stop after this many solves in a row that lower the loss by less than 1e-3 of itself (default 10). */
  patience?: number;
  lstsq?: Omit<LeastSquaresOptions, 'damping'>;
  /**
   * Undamped Gauss–Newton solves after the Levenberg–Marquardt phase (default 0). They may
   * raise the loss before converging fast (the usual route to ~1e-12 in 1-D); the best
   * parameters seen are kept.
   */
  polish?: number;
  /** Called after every solve. */
  onIteration?: (info: { iteration: number; loss: number; damping: number; accepted: boolean }) => void;
}

/**
 * Fits the network to values `target` at the grid points by Levenberg–Marquardt on the
 * full parameter vector: Gauss–Newton solves damped by lambda ||delta||^2, lambda divided
 * by 3 after a step that lowers the loss and multiplied by 4 (step undone) otherwise. The
 * official repository ships an already fitted network (`init_model_state.pickle`), not
 * its fitting code; this is the same natural-gradient least squares, made safe to start
 * from random weights.
 */
export function fitInitialCondition(net: Float64Mlp, grid: QuadratureGrid, target: Float64Array, options: InitialFitOptions = {}): FitReport {
  const maxIterations = options.maxIterations ?? 200;
  let damping = options.damping ?? 1e-3;
  const tolerance = options.tolerance ?? 0;
  const patience = options.patience ?? 10;
  if (!(damping >= 0)) throw new Error(`teng.fitInitialCondition: damping must be >= 0, got ${damping}`);
  const n = grid.points.rows;
  if (target.length !== n) throw new Error(`teng.fitInitialCondition: target has ${target.length} values for ${n} points`);
  const sqrtW = grid.weights.map(Math.sqrt);
  const residual = (u: Float64Array) => Float64Array.from(target, (v, i) => v - u[i]);
  let tr = net.trace(grid.points);
  let r = residual(tr.u);
  let loss = weightedLoss(r, grid.weights);
  const losses = [loss];
  const ranks: number[] = [];
  let stale = 0;
  for (let it = 0; it < maxIterations && loss > tolerance; it++) {
    const J = tr.jacobian();
    const P = J.cols;
    for (let i = 0; i < n; i++) for (let c = 0; c < P; c++) J.data[i * P + c] *= sqrtW[i];
    const b = Float64Array.from(r, (v, i) => v * sqrtW[i]);
    const solved = lstsq(J, b, { ...options.lstsq, damping });
    const saved = net.params.slice();
    net.addToParams(solved.x.data);
    const trial = net.trace(grid.points);
    const rTrial = residual(trial.u);
    const lossTrial = weightedLoss(rTrial, grid.weights);
    const accepted = Number.isFinite(lossTrial) && lossTrial < loss;
    if (accepted) {
      stale = lossTrial > loss * (1 - 1e-3) ? stale + 1 : 0;
      tr = trial;
      r = rTrial;
      loss = lossTrial;
      damping /= 3;
    } else {
      net.setParams(saved);
      tr = net.trace(grid.points);
      stale++;
      damping = Math.max(damping, 1e-15) * 4;
    }
    ranks.push(solved.rank);
    losses.push(loss);
    options.onIteration?.({ iteration: it, loss, damping, accepted });
    if (stale >= patience) break;
  }
  const polish = options.polish ?? 0;
  if (polish > 0) {
    let best = net.params.slice();
    let bestLoss = loss;
    const report = naturalGradientFit(net, grid, target, { iterations: polish, lstsq: options.lstsq, keepBest: true });
    const finalLoss = report.losses[report.losses.length - 1];
    if (finalLoss < bestLoss) { bestLoss = finalLoss; best = net.params.slice(); }
    net.setParams(best);
    losses.push(...report.losses.slice(1));
    ranks.push(...report.ranks);
    options.onIteration?.({ iteration: losses.length - 2, loss: bestLoss, damping: 0, accepted: true });
  }
  return { losses, ranks };
}

export type TengScheme = 'euler' | 'heun';

export interface TengOptions {
  scheme?: TengScheme;
  /** Time step (official: 0.005). */
  dt: number;
  /** Solves per stage (official `nb_iters_per_step` 5); the first stage gets `extraFirstStage` more. */
  iterations?: number;
  /** Extra solves for the first stage (official: 2). */
  extraFirstStage?: number;
  /** Parameters per solve (official {first: 1536, rest: 1024}, capped at the parameter count). */
  subset?: number | { first: number; rest: number };
  lstsq?: LeastSquaresOptions;
  /** Seed of the parameter subsets. */
  seed?: number;
  /** Shift the quadrature grid by a random offset every step (the official code keeps it fixed). */
  randomShift?: boolean;
}

export interface StepReport {
  /** Time after the step. */
  t: number;
  /** Final loss of each stage. */
  losses: number[];
  /** Loss trajectory of each stage (before each solve and after the last). */
  stages: FitReport[];
  seconds: number;
}

/** Steps a network through u_t = L u with TENG-Euler or TENG-Heun. */
export class TengSolver {
  readonly scheme: TengScheme;
  readonly dt: number;
  readonly iterations: number;
  readonly extraFirstStage: number;
  t = 0;
  private readonly rng: Rng;
  private readonly subset: TengOptions['subset'];

  constructor(readonly net: Float64Mlp, readonly equation: EvolutionOperator, readonly grid: QuadratureGrid, readonly options: TengOptions) {
    this.scheme = options.scheme ?? 'heun';
    if (this.scheme !== 'euler' && this.scheme !== 'heun') throw new Error(`teng: scheme must be 'euler' or 'heun', got '${this.scheme as string}'`);
    if (!(options.dt > 0) || !Number.isFinite(options.dt)) throw new Error(`teng: dt must be a positive finite number, got ${options.dt}`);
    this.dt = options.dt;
    this.iterations = options.iterations ?? 5;
    this.extraFirstStage = options.extraFirstStage ?? 2;
    for (const [name, v] of [['iterations', this.iterations], ['extraFirstStage', this.extraFirstStage]] as const) {
      if (!Number.isInteger(v) || v < 0) throw new Error(`teng: ${name} must be a non-negative integer, got ${v}`);
    }
    if (equation.dims !== grid.dims || net.inputDim !== grid.dims) {
      throw new Error(`teng: the equation (${equation.dims}-D), grid (${grid.dims}-D) and network (${net.inputDim} inputs) must agree`);
    }
    this.subset = options.subset ?? { first: 1536, rest: 1024 };
    this.rng = new Rng(options.seed ?? 8844);
  }

  /** L u of a network at the grid points. */
  private rhs(net: Float64Mlp, grid: QuadratureGrid): { u: Float64Array; lu: Float64Array } {
    const tr = net.trace(grid.points, this.equation.request());
    return { u: tr.u, lu: this.equation.apply(tr) };
  }

  private grid_(): QuadratureGrid {
    if (!this.options.randomShift) return this.grid;
    const { dims, m, period } = this.grid;
    const shift = Array.from({ length: dims }, () => this.rng.uniform() * period);
    const pts = this.grid.points.data;
    const shifted = new Matrix(this.grid.points.rows, dims, Float64Array.from(pts, (v, i) => ((v + shift[i % dims]) % period)));
    return { ...this.grid, points: shifted };
  }

  /** One time step; returns the stage losses and the wall time. */
  step(): StepReport {
    const start = performance.now();
    const grid = this.grid_();
    const dt = this.dt;
    const old = this.rhs(this.net, grid);
    const euler = Float64Array.from(old.u, (u, i) => u + dt * old.lu[i]);
    const fit = (target: Float64Array, iterations: number, first: boolean) =>
      naturalGradientFit(this.net, grid, target, {
        iterations,
        subset: first ? this.subset : typeof this.subset === 'object' ? this.subset.rest : this.subset,
        lstsq: this.options.lstsq,
        rng: this.rng,
      });
    const stages = [fit(euler, this.iterations + this.extraFirstStage, true)];
    if (this.scheme === 'heun') {
      const mid = this.rhs(this.net, grid);
      const target = Float64Array.from(old.u, (u, i) => u + (dt / 2) * (old.lu[i] + mid.lu[i]));
      stages.push(fit(target, this.iterations, false));
    }
    this.t += dt;
    return { t: this.t, losses: stages.map((s) => s.losses[s.losses.length - 1]), stages, seconds: (performance.now() - start) / 1000 };
  }
}

/** Builds a TENG solver (see `TengOptions`). */
export function solver(net: Float64Mlp, equation: EvolutionOperator, grid: QuadratureGrid, options: TengOptions): TengSolver {
  return new TengSolver(net, equation, grid, options);
}
