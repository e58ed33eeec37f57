/**
 * Fixed-grid ODE solvers for dx/dt = v(x, t) along any time grid (increasing
 * or decreasing): Euler (order 1), Heun and midpoint (order 2), classical
 * Runge-Kutta (order 4). Each counts its velocity evaluations (NFE).
 */
import * as tf from '../backend/tf.js';
import { checkGrid, StateKeeper, type SampleResult, type VelocityField } from './model.js';

export type OdeMethod = 'euler' | 'heun' | 'midpoint' | 'rk4';
export const ODE_METHODS: readonly OdeMethod[] = ['euler', 'heun', 'midpoint', 'rk4'];

export interface OdeOptions {
  method?: OdeMethod;
  /** Keep the state at every grid time in `trajectory`. */
  record?: boolean;
  /**
   * Take the last step with Euler. EDM does this when the grid ends at
   * sigma = 0, where the probability-flow velocity cannot be evaluated.
   */
  lastStepEuler?: boolean;
  /** Applied to every state the solver produces (e.g. a reflection into a box). */
  project?: (x: tf.Tensor2D) => tf.Tensor2D;
}

/** Integrates dx/dt = field(x, t) from grid[0] to the last grid time, starting at x (left untouched). */
export function odeSolve(field: VelocityField, x: tf.Tensor2D, grid: readonly number[], { method = 'euler', record = false, lastStepEuler = false, project }: OdeOptions = {}): SampleResult {
  if (!ODE_METHODS.includes(method)) throw new Error(`odeSolve: unknown method '${method}'; expected one of ${ODE_METHODS.join(', ')}`);
  checkGrid(grid);
  let nfe = 0;
  const f = (y: tf.Tensor2D, t: number) => {
    nfe++;
    return field(y, t);
  };
  const proj = project ?? ((y: tf.Tensor2D) => y);
  const keeper = new StateKeeper(x, record);
  let cur = x;
  for (let i = 0; i + 1 < grid.length; i++) {
    const t = grid[i];
    const h = grid[i + 1] - t;
    const m = lastStepEuler && i + 2 === grid.length ? 'euler' : method;
    const next = tf.tidy(() => {
      const k1 = f(cur, t);
      switch (m) {
        case 'euler':
          return proj(tf.add(cur, tf.mul(k1, h)));
        case 'heun': {
          const pred = proj(tf.add(cur, tf.mul(k1, h)));
          const k2 = f(pred, t + h);
          return proj(tf.add(cur, tf.mul(tf.add(k1, k2), h / 2)));
        }
        case 'midpoint': {
          const k2 = f(proj(tf.add(cur, tf.mul(k1, h / 2))), t + h / 2);
          return proj(tf.add(cur, tf.mul(k2, h)));
        }
        case 'rk4': {
          const k2 = f(tf.add(cur, tf.mul(k1, h / 2)), t + h / 2);
          const k3 = f(tf.add(cur, tf.mul(k2, h / 2)), t + h / 2);
          const k4 = f(tf.add(cur, tf.mul(k3, h)), t + h);
          const sum = tf.addN([k1, tf.mul(k2, 2), tf.mul(k3, 2), k4]);
          return proj(tf.add(cur, tf.mul(sum, h / 6)));
        }
      }
    }) as tf.Tensor2D;
    cur = keeper.advance(cur, next);
  }
  return { x: keeper.finish(cur), nfe, times: [...grid], trajectory: keeper.trajectory };
}
