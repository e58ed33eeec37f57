/**
 * What `pde.train` returns: the trained network (with its output transform), the
 * per-step history, the error against the reference, and helpers to predict, evaluate
 * and plot the solution, the reference and the error field.
 */
import * as tf from '../../backend/tf.js';
import type { Mlp } from '../../nn/mlp.js';
import { heatmap, line } from '../../plot/builders.js';
import { hconcat } from '../../plot/compose.js';
import type { Chart } from '../../plot/chart.js';
import type { HardConstraint, PdeProblem, Reference } from '../zoo/problem.js';
import { resolveRng } from '../../backend/random.js';
import { ResidualTerm } from './terms.js';

/** One logged step: total and per-term losses (`loss_pde`, `loss_ic`, ...), and the error when measured. */
export type LogRecord = { step: number; phase: 'adam' | 'lbfgs'; loss: number; seconds: number; error?: number } & Record<string, number | string>;

/** Where and why a run stopped on a non-finite value. */
export interface Divergence { step: number; term: string; value: number; message: string }

/** Relative L2 errors: combined over the measured outputs and per output. */
export interface Errors { error: number; errors: Record<string, number> }

/** Relative L2 of predictions against reference fields, over `outputs` together and each alone. */
export function relativeErrors(pred: Record<string, Float64Array>, ref: Record<string, Float64Array>, outputs: string[]): Errors {
  let num = 0;
  let den = 0;
  const errors: Record<string, number> = {};
  for (const o of outputs) {
    let a = 0;
    let b = 0;
    const p = pred[o];
    const r = ref[o];
    for (let i = 0; i < r.length; i++) {
      a += (p[i] - r[i]) ** 2;
      b += r[i] ** 2;
    }
    errors[o] = b > 0 ? Math.sqrt(a / b) : Math.sqrt(a / r.length);
    num += a;
    den += b;
  }
  return { error: den > 0 ? Math.sqrt(num / den) : Math.sqrt(num), errors };
}

/** Network output with the transform applied, at host points; one Float64Array per output. */
export function predictFields(net: Mlp, hard: HardConstraint | null, problem: PdeProblem, points: Float64Array | tf.Tensor2D): Record<string, Float64Array> {
  const d = problem.inputs.length;
  const values = tf.tidy(() => {
    const x = points instanceof tf.Tensor ? points : tf.tensor2d(Float32Array.from(points), [points.length / d, d]);
    let u = net.apply(x);
    if (hard) {
      u = tf.mul(hard.factor(x), u);
      if (hard.offset) u = tf.add(hard.offset(x), u);
    }
    return u;
  });
  const data = values.dataSync();
  const k = problem.outputs.length;
  const n = values.shape[0];
  values.dispose();
  const out: Record<string, Float64Array> = {};
  problem.outputs.forEach((o, j) => {
    const f = new Float64Array(n);
    for (let i = 0; i < n; i++) f[i] = data[i * k + j];
    out[o] = f;
  });
  return out;
}

export class TrainResult {
  constructor(
    readonly problem: PdeProblem,
    readonly net: Mlp,
    readonly hard: HardConstraint | null,
    readonly history: LogRecord[],
    readonly seconds: number,
    readonly steps: { adam: number; lbfgs: number },
    readonly method: string,
    readonly diverged: Divergence | null,
    /** Each term's points at the end of training (host, [n * inputs]): the R3 or RAD population for 'pde'. */
    readonly points: Record<string, Float64Array> = {},
  ) {}

  /** The final combined relative L2 error (NaN when the run diverged). */
  get error(): number {
    return this.diverged ? NaN : this.evaluate().error;
  }

  /** The network's fields at points [n * inputs] (or an [n, inputs] tensor). */
  predict(points: Float64Array | tf.Tensor2D): Record<string, Float64Array> {
    return predictFields(this.net, this.hard, this.problem, points);
  }

  private cached: (Errors & { prediction: Record<string, Float64Array>; reference: Reference }) | undefined;

  /** The residual magnitude sqrt(sum_c r_c^2) of the trained network at host points [n * inputs]. */
  residual(points: Float64Array): Float64Array {
    const term = new ResidualTerm(1, { problem: this.problem, net: this.net, hard: this.hard, method: 'uniform', rng: resolveRng(0) });
    try {
      return term.magnitude(points);
    } finally {
      term.dispose();
    }
  }

  /** Prediction on the reference points and its errors (computed once). */
  evaluate(): Errors & { prediction: Record<string, Float64Array>; reference: Reference } {
    if (this.cached) return this.cached;
    const reference = this.problem.reference();
    const prediction = this.predict(reference.points);
    this.cached = { ...relativeErrors(prediction, reference.fields, this.problem.errorOn), prediction, reference };
    return this.cached;
  }

  /** Loss per term (and the error, if measured) against the step, log scale. */
  plotLoss(options: { title?: string } = {}): Chart {
    const rows: Array<Record<string, number | string>> = [];
    for (const r of this.history) {
      for (const [k, v] of Object.entries(r)) {
        if ((k === 'loss' || k.startsWith('loss_') || k === 'error') && typeof v === 'number' && v > 0) rows.push({ step: r.step, value: v, series: k });
      }
    }
    return line(rows, { x: 'step', y: 'value', color: 'series', logY: true, title: options.title ?? `${this.problem.name}: losses and relative L2 error` });
  }

  /**
   * Heatmaps of the prediction, the reference and the absolute error for one output, on
   * the reference grid's last two axes (leading axes at their last index: the final time).
   */
  plotSolution(options: { output?: string; width?: number; height?: number } = {}): Chart {
    const { prediction, reference } = this.evaluate();
    const out = options.output ?? this.problem.outputs[0];
    if (!(out in prediction)) throw new Error(`plotSolution: '${out}' is not an output (outputs: ${this.problem.outputs})`);
    const grid = reference.grid;
    if (!grid) throw new Error(`plotSolution: the reference of '${this.problem.name}' is not on a grid`);
    const { shape, axes, coords } = grid;
    const nd = shape.length;
    const [ny, nx] = [shape[nd - 2], shape[nd - 1]];
    let offset = 0;
    let stride = ny * nx;
    for (let a = nd - 3; a >= 0; a--) {
      offset += (shape[a] - 1) * stride;
      stride *= shape[a];
    }
    const take = (f: Float64Array) => Array.from({ length: ny }, (_, i) => Array.from(f.subarray(offset + i * nx, offset + (i + 1) * nx)));
    const p = take(prediction[out]);
    const r = take(reference.fields[out]);
    const e = p.map((row, i) => row.map((v, j) => Math.abs(v - r[i][j])));
    const xs = coords[axes[nd - 1]];
    const ys = coords[axes[nd - 2]];
    const common = { x: [xs[0], xs[xs.length - 1]] as [number, number], y: [ys[0], ys[ys.length - 1]] as [number, number], xTitle: axes[nd - 1], yTitle: axes[nd - 2], width: options.width ?? 220, height: options.height ?? 180 };
    const lead = axes.slice(0, nd - 2).map((a) => `${a} = ${coords[a][coords[a].length - 1].toPrecision(3)}`).join(', ');
    const suffix = lead ? ` (${lead})` : '';
    // prediction and reference share a colour scale; the error has its own
    const [lo, hi] = [Math.min(...p.flat(), ...r.flat()), Math.max(...p.flat(), ...r.flat())];
    return hconcat(
      heatmap(p, { ...common, title: `PINN ${out}${suffix}`, colorTitle: out, domain: [lo, hi] }),
      heatmap(r, { ...common, title: `reference ${out}`, colorTitle: out, domain: [lo, hi] }),
      heatmap(e, { ...common, title: `|error|`, colorTitle: '|error|', scheme: 'reds' }),
    ).properties({ resolve: { scale: { color: 'independent' } } });
  }

  dispose(): void {
    this.net.dispose();
  }
}
