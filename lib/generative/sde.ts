/**
 * Euler-Maruyama for the family of SDEs that share a flow's marginals: moving
 * along a grid with step h (either sign),
 *   x' = x + h u(x, t) + |h| eps(t) s(x, t) + sqrt(2 eps(t) |h|) xi,
 * where u is the probability-flow velocity, s the score and eps(t) >= 0 the
 * noise rate (Albergo & Vanden-Eijnden's eps(t); eps = g^2 / 2 is the reverse
 * diffusion SDE of Song et al.; eps = 0 is the ODE).
 */
import * as tf from '../backend/tf.js';
import { checkGrid, StateKeeper, type Denoiser, type Labels, type SampleResult } from './model.js';
import { convert } from './parameterization.js';
import { diffusionG2, type GaussianPath } from './paths.js';
import { rng, type SeedLike } from './random.js';

/** Velocity and score at (x, t); the caller of `eulerMaruyama` owns neither. */
export type VelocityAndScore = (x: tf.Tensor2D, t: number) => { velocity: tf.Tensor2D; score: tf.Tensor2D };

export interface SdeOptions {
  /** The noise rate eps(t) (a number is a constant rate). */
  noise: number | ((t: number) => number);
  seed?: SeedLike;
  record?: boolean;
  /** Take the last step without noise (a common final denoising step). */
  lastStepDeterministic?: boolean;
}

export function eulerMaruyama(fields: VelocityAndScore, x: tf.Tensor2D, grid: readonly number[], { noise, seed = 0, record = false, lastStepDeterministic = false }: SdeOptions): SampleResult {
  checkGrid(grid);
  const epsOf = typeof noise === 'number' ? () => noise : noise;
  const r = rng(seed);
  let nfe = 0;
  const keeper = new StateKeeper(x, record);
  let cur = x;
  for (let i = 0; i + 1 < grid.length; i++) {
    const t = grid[i];
    const h = grid[i + 1] - t;
    const eps = lastStepDeterministic && i + 2 === grid.length ? 0 : epsOf(t);
    if (!(eps >= 0)) throw new Error(`eulerMaruyama: the noise rate must be >= 0, got ${eps} at t = ${t}`);
    const xi = eps > 0 ? r.normalTensor<tf.Rank.R2>(cur.shape) : null;
    const next = tf.tidy(() => {
      nfe++;
      const { velocity, score } = fields(cur, t);
      let y = tf.add(cur, tf.mul(velocity, h));
      if (eps > 0) y = tf.add(tf.add(y, tf.mul(score, Math.abs(h) * eps)), tf.mul(xi!, Math.sqrt(2 * eps * Math.abs(h))));
      return y as tf.Tensor2D;
    });
    xi?.dispose();
    cur = keeper.advance(cur, next);
  }
  return { x: keeper.finish(cur), nfe, times: [...grid], trajectory: keeper.trajectory };
}

/** Velocity and score of a denoiser on a Gaussian path (one denoiser call each). */
export function denoiserFields(den: Denoiser, path: GaussianPath, labels: Labels = null): VelocityAndScore {
  return (x, t) =>
    tf.tidy(() => {
      const D = den(x, t, labels);
      return { velocity: convert(D, 'x0', 'velocity', x, t, path), score: convert(D, 'x0', 'score', x, t, path) };
    });
}

/** The reverse-diffusion noise rate g(t)^2 / 2 of a path, scaled by `scale` (1 = Song et al.'s reverse SDE). */
export function reverseSdeNoise(path: GaussianPath, scale = 1): (t: number) => number {
  return (t) => (scale * diffusionG2(path, t)) / 2;
}
