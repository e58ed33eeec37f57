/**
 * OBTI, optimization-based time integration (the baseline TENG generalises): each time
 * step fits the network to the explicit Euler target u_n + dt L u_n, like TENG-Euler, but
 * by a fixed number of Adam iterations on the same quadrature loss
 * sum_n w_n (u_theta - target)^2 / 2 instead of natural-gradient least squares. Adam's
 * moments restart at every step; the parameters start from the previous step's.
 */
import type { Float64Mlp } from './network.js';
import type { EvolutionOperator } from './equations.js';
import type { QuadratureGrid } from './problems.js';
import { adamStepper } from './optimizer.js';
import type { StepReport } from './teng.js';

export interface ObtiOptions {
  dt: number;
  /** Adam iterations per time step. */
  iterations: number;
  /** Adam learning rate (default 1e-3). */
  lr?: number;
}

export class ObtiSolver {
  t = 0;
  readonly dt: number;
  readonly iterations: number;
  readonly lr: number;

  constructor(readonly net: Float64Mlp, readonly equation: EvolutionOperator, readonly grid: QuadratureGrid, options: ObtiOptions) {
    if (!(options.dt > 0) || !Number.isFinite(options.dt)) throw new Error(`obti: dt must be a positive finite number, got ${options.dt}`);
    if (!Number.isInteger(options.iterations) || options.iterations < 1) throw new Error(`obti: iterations must be a positive integer, got ${options.iterations}`);
    this.lr = options.lr ?? 1e-3;
    if (!(this.lr > 0)) throw new Error(`obti: lr must be positive, got ${this.lr}`);
    if (equation.dims !== grid.dims || net.inputDim !== grid.dims) {
      throw new Error(`obti: the equation (${equation.dims}-D), grid (${grid.dims}-D) and network (${net.inputDim} inputs) must agree`);
    }
    this.dt = options.dt;
    this.iterations = options.iterations;
  }

  step(): StepReport {
    const start = performance.now();
    const { points, weights } = this.grid;
    const old = this.net.trace(points, this.equation.request());
    const lu = this.equation.apply(old);
    const target = Float64Array.from(old.u, (u, i) => u + this.dt * lu[i]);
    const adam = adamStepper(this.net.paramCount, this.lr);
    const losses: number[] = [];
    const cot = new Float64Array(target.length);
    try {
      for (let it = 0; it <= this.iterations; it++) {
        const tr = this.net.trace(points);
        let loss = 0;
        for (let i = 0; i < cot.length; i++) {
          const r = tr.u[i] - target[i];
          loss += weights[i] * r * r;
          cot[i] = weights[i] * r;
        }
        loss /= 2;
        if (!Number.isFinite(loss)) throw new Error(`obti: the loss became ${loss} at step time ${this.t}; lower lr`);
        losses.push(loss);
        if (it === this.iterations) break;
        this.net.addToParams(adam.update(tr.vjp({ u: cot })));
      }
    } finally {
      adam.dispose();
    }
    this.t += this.dt;
    return { t: this.t, losses: [losses[losses.length - 1]], stages: [{ losses, ranks: [] }], seconds: (performance.now() - start) / 1000 };
  }
}

/** Builds an OBTI solver (see `ObtiOptions`). */
export function obti(net: Float64Mlp, equation: EvolutionOperator, grid: QuadratureGrid, options: ObtiOptions): ObtiSolver {
  return new ObtiSolver(net, equation, grid, options);
}
