/**
 * The shapes that connect models to samplers. A sampler sees a model as a
 * function of (x [n, d], scalar time t): a `VelocityField` for plain ODE flows,
 * or a `Denoiser` (the x0 prediction, EDM's D) on a `GaussianPath` for diffusion
 * samplers; conversions between the two are exact (parameterization.ts).
 */
import * as tf from '../backend/tf.js';
import { convert, type Prediction } from './parameterization.js';
import type { GaussianPath } from './paths.js';

/** Class labels per sample; `null` (or an entry of -1) means unconditional. */
export type Labels = ArrayLike<number> | null;

export type VelocityField = (x: tf.Tensor2D, t: number) => tf.Tensor2D;

/** A network of (x, per-sample time or noise input, labels): what training losses call. */
export type TimeNet = (x: tf.Tensor2D, t: tf.Tensor1D, labels?: Labels) => tf.Tensor2D;

/** A TimeNet evaluated at one scalar time for the whole batch, as samplers call it. */
export function atScalarTime(net: TimeNet): (x: tf.Tensor2D, t: number, labels?: Labels) => tf.Tensor2D {
  return (x, t, labels) => tf.tidy(() => net(x, tf.fill([x.shape[0]], t) as tf.Tensor1D, labels));
}

/** The denoised estimate E[x0 | x_t = x] (optionally class-conditional). */
export type Denoiser = (x: tf.Tensor2D, t: number, labels?: Labels) => tf.Tensor2D;

export interface SampleResult {
  /** Final samples; the caller owns (and disposes) this tensor. */
  x: tf.Tensor2D;
  /** Model evaluations the sampler made (a guided denoiser counts once per call). */
  nfe: number;
  /** The time grid walked. */
  times: number[];
  /** States at every grid time (times.length tensors, first = the input copy) when `record` was set. */
  trajectory?: tf.Tensor2D[];
}

/** Wraps a network predicting `kind` on `path` as a Denoiser. */
export function denoiserFrom(predict: (x: tf.Tensor2D, t: number, labels?: Labels) => tf.Tensor2D, kind: Prediction, path: GaussianPath): Denoiser {
  if (kind === 'x0') return predict;
  return (x, t, labels) => tf.tidy(() => convert(predict(x, t, labels), kind, 'x0', x, t, path));
}

/** The probability-flow ODE velocity of a denoiser on a path: alpha' D + sigma' (x - alpha D) / sigma. */
export function probabilityFlow(den: Denoiser, path: GaussianPath, labels: Labels = null): VelocityField {
  return (x, t) => tf.tidy(() => convert(den(x, t, labels), 'x0', 'velocity', x, t, path));
}

/** The score of a denoiser on a path (Tweedie): (alpha D - x) / sigma^2. */
export function scoreOf(den: Denoiser, path: GaussianPath, labels: Labels = null): VelocityField {
  return (x, t) => tf.tidy(() => convert(den(x, t, labels), 'x0', 'score', x, t, path));
}

/** Keeps a state unless it is the caller's input or part of a recorded trajectory. */
export class StateKeeper {
  readonly trajectory: tf.Tensor2D[] | undefined;
  constructor(private readonly input: tf.Tensor2D, record: boolean) {
    this.trajectory = record ? [input.clone()] : undefined;
  }
  /** Called with each new state; disposes the previous one when it is no longer needed. */
  advance(prev: tf.Tensor2D, next: tf.Tensor2D): tf.Tensor2D {
    if (this.trajectory) this.trajectory.push(next.clone());
    if (prev !== this.input) prev.dispose();
    return next;
  }
  /** The final state, guaranteed distinct from the caller's input. */
  finish(x: tf.Tensor2D): tf.Tensor2D {
    return x === this.input ? x.clone() : x;
  }
}

export function checkGrid(grid: readonly number[], name = 'grid'): void {
  if (!Array.isArray(grid) || grid.length < 2) throw new Error(`${name}: needs at least 2 times, got ${grid?.length}`);
  for (const t of grid) if (!Number.isFinite(t)) throw new Error(`${name}: times must be finite, got ${t}`);
}
