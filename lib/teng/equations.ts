/**
 * Evolution equations u_t = L u as data: isotropic diffusion, a pointwise reaction and
 * Burgers-type self-advection,
 *
 *   L u = D sum_i u_ii + f(u) - a(u) sum_i u_i,
 *
 * which covers TENG's heat (f = a = 0), Allen–Cahn (f = u - u^3) and viscous Burgers
 * (a(u) = u, the official code's -u (u_x + u_y)). An operator evaluates L u from a network
 * trace and linearises it (dL/du, dL/du_i, dL/du_ii at every point) for Jacobians of
 * residuals.
 */
import * as tf from '../backend/tf.js';
import type { Cotangent, DerivativeRequest, Trace } from './network.js';

/** A scalar function of u with its derivative. */
export interface PointwiseTerm {
  name: string;
  value(u: number): number;
  derivative(u: number): number;
  /** The same function on TF.js tensors (for float32 PINN residuals). */
  tensor?(u: tf.Tensor): tf.Tensor;
}

export interface SemilinearSpec {
  name: string;
  /** Number of spatial dimensions (the network's input dims 0..dims-1, after `offset`). */
  dims: number;
  /** Diffusion coefficient D >= 0. */
  diffusion: number;
  /** Reaction f(u). */
  reaction?: PointwiseTerm;
  /** Advection speed a(u) along every axis: the term -a(u) sum_i u_i. */
  advection?: PointwiseTerm;
}

export class EvolutionOperator {
  readonly name: string;
  readonly dims: number;
  readonly diffusion: number;
  readonly reaction: PointwiseTerm | null;
  readonly advection: PointwiseTerm | null;

  constructor(spec: SemilinearSpec) {
    if (!Number.isInteger(spec.dims) || spec.dims < 1) throw new Error(`teng equation '${spec.name}': dims must be a positive integer, got ${spec.dims}`);
    if (!(spec.diffusion >= 0) || !Number.isFinite(spec.diffusion)) throw new Error(`teng equation '${spec.name}': diffusion must be a finite number >= 0, got ${spec.diffusion}`);
    this.name = spec.name;
    this.dims = spec.dims;
    this.diffusion = spec.diffusion;
    this.reaction = spec.reaction ?? null;
    this.advection = spec.advection ?? null;
  }

  /** Input derivatives L reads, for spatial dims offset..offset+dims-1 of the network input. */
  request(offset = 0): DerivativeRequest {
    const spatial = Array.from({ length: this.dims }, (_, i) => offset + i);
    return { first: this.advection ? spatial : [], second: this.diffusion > 0 ? spatial : [] };
  }

  /** L u at the traced points (the trace must carry `request(offset)`). */
  apply(tr: Trace, offset = 0): Float64Array {
    const n = tr.size;
    const out = new Float64Array(n);
    const D = this.diffusion;
    for (let i = 0; i < this.dims; i++) {
      if (D > 0) { const s = tr.secondDerivative(offset + i); for (let r = 0; r < n; r++) out[r] += D * s[r]; }
    }
    const f = this.reaction;
    if (f) for (let r = 0; r < n; r++) out[r] += f.value(tr.u[r]);
    const a = this.advection;
    if (a) {
      const div = this.gradientSum(tr, offset);
      for (let r = 0; r < n; r++) out[r] -= a.value(tr.u[r]) * div[r];
    }
    return out;
  }

  /**
   * Cotangent of the linearised operator, scaled by `scale`: row n of the Jacobian it
   * gives is scale * d(L u)(x_n)/dtheta. The trace's first/second dims must be ordered
   * as `request(offset)` lists them after any extra dims the caller put first.
   */
  linearize(tr: Trace, offset = 0, scale = 1): Required<Cotangent> {
    const n = tr.size;
    const cu = new Float64Array(n);
    const first: Array<Float64Array | null> = tr.firstDims.map(() => null);
    const second: Array<Float64Array | null> = tr.secondDims.map(() => null);
    const D = this.diffusion;
    if (D > 0) {
      for (let i = 0; i < this.dims; i++) second[tr.secondDims.indexOf(offset + i)] = new Float64Array(n).fill(scale * D);
    }
    const f = this.reaction;
    if (f) for (let r = 0; r < n; r++) cu[r] += scale * f.derivative(tr.u[r]);
    const a = this.advection;
    if (a) {
      const div = this.gradientSum(tr, offset);
      const speed = new Float64Array(n);
      for (let r = 0; r < n; r++) {
        cu[r] -= scale * a.derivative(tr.u[r]) * div[r];
        speed[r] = -scale * a.value(tr.u[r]);
      }
      for (let i = 0; i < this.dims; i++) first[tr.firstDims.indexOf(offset + i)] = speed;
    }
    return { u: cu, first, second };
  }

  private gradientSum(tr: Trace, offset: number): Float64Array {
    const out = new Float64Array(tr.size);
    for (let i = 0; i < this.dims; i++) { const d = tr.derivative(offset + i); for (let r = 0; r < out.length; r++) out[r] += d[r]; }
    return out;
  }
}

const allenCahnReaction: PointwiseTerm = {
  name: 'u - u^3', value: (u) => u - u * u * u, derivative: (u) => 1 - 3 * u * u, tensor: (u) => tf.sub(u, tf.pow(u, 3)),
};
const burgersSpeed: PointwiseTerm = { name: 'u', value: (u) => u, derivative: () => 1, tensor: (u) => u };

/** u_t = D Laplacian(u). */
export function heat(dims: number, D: number): EvolutionOperator {
  return new EvolutionOperator({ name: 'heat', dims, diffusion: D });
}

/** u_t = D Laplacian(u) + u - u^3. */
export function allenCahn(dims: number, D: number): EvolutionOperator {
  return new EvolutionOperator({ name: 'allen-cahn', dims, diffusion: D, reaction: allenCahnReaction });
}

/** u_t = -u sum_i u_i + D Laplacian(u) (the official TENG code's Burgers operator). */
export function burgers(dims: number, D: number): EvolutionOperator {
  return new EvolutionOperator({ name: 'burgers', dims, diffusion: D, advection: burgersSpeed });
}

/** Any operator of the form D Laplacian(u) + f(u) - a(u) sum_i u_i. */
export function semilinear(spec: SemilinearSpec): EvolutionOperator {
  return new EvolutionOperator(spec);
}
