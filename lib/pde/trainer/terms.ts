/**
 * Loss terms of a PINN: the residual (mean square of each component, summed) and one
 * term per condition, each owning its points (sampled from the domain part the
 * condition lives on), its targets, and the transform jets at those points. A term can
 * be resampled; the tensors it holds are kept outside `tf.tidy` and disposed when
 * replaced.
 */
import * as tf from '../../backend/tf.js';
import type { Rng } from '../../backend/random.js';
import type { Mlp } from '../../nn/mlp.js';
import type { SamplingMethod } from '../sampling/unit.js';
import { type Condition, type HardConstraint, type PdeProblem, type Point, type Target, conditionPart } from '../zoo/problem.js';
import { type FieldPlan, type TransformJets, computeFields, disposeJets, planFields, transformJets } from './fields.js';

type T = tf.Tensor2D;

/** Everything a term needs from the run. */
export interface TermContext {
  problem: PdeProblem;
  net: Mlp;
  hard: HardConstraint | null;
  method: SamplingMethod;
  rng: Rng;
}

export abstract class LossTerm {
  /** Host copy of the points [n * inputs]. */
  points: Float64Array<ArrayBufferLike> = new Float64Array(0);
  protected x: T | null = null;
  protected jets: TransformJets | null = null;
  protected abstract readonly plan: FieldPlan;

  constructor(readonly name: string, readonly count: number, protected readonly ctx: TermContext) {
    if (!Number.isInteger(count) || count < 1) throw new Error(`pde.train: term '${name}' needs a positive integer number of points, got ${count}`);
  }

  /** The points of this term from the domain (host). */
  protected abstract draw(): Float64Array;
  /** Called after new points are set (targets, normals). */
  protected onPoints(): void {}
  /** The pointwise errors at the current parameters: [N, k] blocks whose mean squares are summed. */
  abstract parts(): T[];

  /** The term's loss: the sum over parts of their mean square. */
  loss(): tf.Scalar {
    return meanSquares(this.parts());
  }

  /** Every pointwise error in one column [sum of part sizes, 1] (for NTK traces). */
  pointwise(): T {
    const flat = this.parts().map((t) => tf.reshape(t, [-1, 1]) as T);
    return flat.length === 1 ? flat[0] : (tf.concat(flat, 0) as T);
  }

  /** Draws fresh points. */
  resample(): void {
    this.setPoints(this.draw());
  }

  /** Replaces the points (host array [n * inputs]). */
  setPoints(points: Float64Array<ArrayBufferLike>): void {
    const d = this.ctx.problem.inputs.length;
    this.dispose();
    this.points = points;
    this.x = tf.keep(tf.tensor2d(Float32Array.from(points), [points.length / d, d]));
    // the jets are kept inside transformJets; tidy frees the intermediates of their derivatives
    if (this.ctx.hard) this.jets = tf.tidy(() => transformJets(this.ctx.hard!, this.x!, this.plan) as unknown as tf.TensorContainer) as unknown as TransformJets;
    this.onPoints();
  }

  protected fields(x: T = this.x!, jets = this.jets) {
    const p = this.ctx.problem;
    return computeFields(this.ctx.net, x, this.plan, jets, p.outputs, p.inputs, `pde.train(${p.name}), term '${this.name}'`);
  }

  dispose(): void {
    if (this.x) this.x.dispose();
    disposeJets(this.jets);
    this.x = null;
    this.jets = null;
  }
}

/** Mean of squares of every column, summed over the components. */
function meanSquares(parts: T[]): tf.Scalar {
  return tf.addN(parts.map((r) => tf.mean(tf.square(r)))) as tf.Scalar;
}

export class ResidualTerm extends LossTerm {
  protected readonly plan: FieldPlan;
  /** When set, the next loss() keeps sqrt(sum of squared components) per point here (R3, RAD). */
  trackResidual = false;
  lastResidual: tf.Tensor | null = null;

  constructor(count: number, ctx: TermContext) {
    super('pde', count, ctx);
    const p = ctx.problem;
    this.plan = planFields(p.pde.derivatives, p.outputs, p.inputs, `pde.train(${p.name})`);
  }

  protected draw(): Float64Array {
    return this.ctx.problem.domain.sample('interior', this.count, { method: this.ctx.method, seed: this.ctx.rng });
  }

  /** The residual components at given points (or the term's own). */
  residuals(x?: T, jets?: TransformJets | null): T[] {
    const r = this.ctx.problem.pde.residual(this.fields(x, x === undefined ? this.jets : jets ?? null));
    const parts = (Array.isArray(r) ? r : [r]) as T[];
    parts.forEach((t, i) => {
      if (!(t instanceof tf.Tensor) || t.rank !== 2 || t.shape[1] !== 1) {
        throw new Error(`pde.train(${this.ctx.problem.name}): residual component ${i} must be an [N, 1] tensor, got ${t instanceof tf.Tensor ? `shape [${t.shape}]` : typeof t}`);
      }
    });
    return parts;
  }

  /** Pointwise residual magnitude sqrt(sum_c r_c^2) at points (host), for adaptive sampling. */
  magnitude(points: Float64Array): Float64Array {
    const d = this.ctx.problem.inputs.length;
    let jets: TransformJets | null = null;
    const values = tf.tidy(() => {
      const x = tf.tensor2d(Float32Array.from(points), [points.length / d, d]);
      jets = this.ctx.hard ? transformJets(this.ctx.hard, x, this.plan) : null;
      const parts = this.residuals(x, jets);
      return tf.sqrt(tf.addN(parts.map((r) => tf.square(r))));
    });
    disposeJets(jets);
    const out = Float64Array.from(values.dataSync());
    values.dispose();
    return out;
  }

  parts(): T[] {
    const parts = this.residuals();
    if (this.trackResidual) {
      this.lastResidual?.dispose();
      this.lastResidual = tf.keep(tf.sqrt(tf.addN(parts.map((r) => tf.square(r)))));
    }
    return parts;
  }

  override dispose(): void {
    super.dispose();
    this.lastResidual?.dispose();
    this.lastResidual = null;
  }
}

/** Evaluates a target at host points: [n, k] values for k constrained outputs. */
function targetValues(value: Target, points: Float64Array, inputs: string[], k: number, owner: string): Float32Array {
  const d = inputs.length;
  const n = points.length / d;
  const out = new Float32Array(n * k);
  const p: Point = {};
  for (let i = 0; i < n; i++) {
    let v: number | number[];
    if (typeof value === 'function') {
      inputs.forEach((name, j) => { p[name] = points[i * d + j]; });
      v = value({ ...p });
    } else v = value;
    const arr = typeof v === 'number' ? (k === 1 ? [v] : new Array(k).fill(v)) : v;
    if (!Array.isArray(arr) || arr.length !== k) throw new Error(`${owner}: the target must give ${k} value${k > 1 ? 's' : ''} (one per constrained output), got ${JSON.stringify(v)}`);
    for (let j = 0; j < k; j++) {
      if (!Number.isFinite(arr[j])) throw new Error(`${owner}: the target is ${arr[j]} at point (${Array.from(points.subarray(i * d, i * d + d))})`);
      out[i * k + j] = arr[j];
    }
  }
  return out;
}

export class ConditionTerm extends LossTerm {
  protected readonly plan: FieldPlan;
  private readonly outputIdx: number[];
  private target: T | null = null;
  private normals: T | null = null;

  constructor(readonly condition: Condition, name: string, count: number, ctx: TermContext) {
    super(name, count, ctx);
    const p = ctx.problem;
    const outs = condition.outputs ?? p.outputs;
    this.outputIdx = outs.map((o) => p.outputs.indexOf(o));
    const owner = `pde.train(${p.name}), condition '${name}'`;
    const c = condition;
    const names = c.kind === 'initial' && c.derivative ? [c.derivative]
      : c.kind === 'neumann' ? outs.flatMap((o) => p.inputs.filter((i) => i !== 't').map((i) => `${o}_${i}`))
        : c.kind === 'periodic' && c.derivatives === 1 ? outs.map((o) => `${o}_${c.axis}`) : [];
    this.plan = planFields(names, p.outputs, p.inputs, owner);
  }

  protected draw(): Float64Array {
    const { problem, method, rng } = this.ctx;
    const c = this.condition;
    const inputs = problem.inputs;
    const filter = c.filter ? (pt: Float64Array) => c.filter!(Object.fromEntries(inputs.map((n, j) => [n, pt[j]]))) : undefined;
    if (c.kind !== 'periodic') return problem.domain.sample(conditionPart(c), this.count, { method, seed: rng, filter });
    // periodic: points of the interior with the axis coordinate at its low end, then the same at its high end
    const axis = inputs.indexOf(c.axis);
    const [lo, hi] = [problem.domain.bbox[0][axis], problem.domain.bbox[1][axis]];
    const base = problem.domain.sample('interior', this.count, { method, seed: rng, filter });
    const d = inputs.length;
    const out = new Float64Array(2 * base.length);
    out.set(base);
    out.set(base, base.length);
    for (let i = 0; i < this.count; i++) {
      out[i * d + axis] = lo;
      out[(this.count + i) * d + axis] = hi;
    }
    return out;
  }

  protected override onPoints(): void {
    this.target?.dispose();
    this.normals?.dispose();
    this.target = null;
    this.normals = null;
    const { problem } = this.ctx;
    const c = this.condition;
    const owner = `pde.train(${problem.name}), condition '${this.name}'`;
    if (c.kind !== 'periodic') {
      const vals = targetValues(c.value, this.points, problem.inputs, this.outputIdx.length, owner);
      this.target = tf.keep(tf.tensor2d(vals, [this.count, this.outputIdx.length]));
    }
    if (c.kind === 'neumann') {
      const nrm = problem.domain.normals(this.points);
      this.normals = tf.keep(tf.tensor2d(Float32Array.from(nrm), [this.count, problem.inputs.length]));
    }
  }

  /** The constrained outputs (or one derivative of them) as [N, k]. */
  private select(f: Record<string, T>, suffix = ''): T {
    const p = this.ctx.problem;
    const cols = this.outputIdx.map((k) => f[`${p.outputs[k]}${suffix}`]);
    return cols.length === 1 ? cols[0] : (tf.concat(cols, 1) as T);
  }

  parts(): T[] {
    const c = this.condition;
    const p = this.ctx.problem;
    const f = this.fields();
    if (c.kind === 'dirichlet') return [tf.sub(this.select(f), this.target!) as T];
    if (c.kind === 'initial') {
      const value = c.derivative ? f[c.derivative] : this.select(f);
      return [tf.sub(value, this.target!) as T];
    }
    if (c.kind === 'neumann') {
      const spatial = p.inputs.map((name, i) => [name, i] as const).filter(([name]) => name !== 't');
      const dn = this.outputIdx.map((k) => tf.addN(spatial.map(([name, i]) =>
        tf.mul(f[`${p.outputs[k]}_${name}`], tf.slice(this.normals!, [0, i], [this.count, 1])))) as T);
      return [tf.sub(dn.length === 1 ? dn[0] : tf.concat(dn, 1), this.target!) as T];
    }
    // periodic: first half at the low end, second half at the high end
    const half = (t: T, k: number) => tf.slice(t, [k * this.count, 0], [this.count, t.shape[1]]);
    const gap = (t: T) => tf.sub(half(t, 0), half(t, 1)) as T;
    const u = this.select(f);
    return c.derivatives === 1 ? [gap(u), gap(this.select(f, `_${c.axis}`))] : [gap(u)];
  }

  override dispose(): void {
    super.dispose();
    this.target?.dispose();
    this.normals?.dispose();
    this.target = null;
    this.normals = null;
  }
}
