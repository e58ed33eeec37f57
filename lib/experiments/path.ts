/**
 * Optimizer trajectories on small problems: a point x in R^d moved by any optilab
 * optimizer, with the gradient given in closed form (also online problems whose
 * gradient changes with the step) or by a loss that TF.js differentiates, and an
 * optional projection onto a box after every step (projected online methods).
 *
 *   const path = experiments.optimizePath(optim.adam({ lr: 0.1 }), {
 *     x0: [-1], steps: 300, gradient: ([x]) => [x <= 0 ? 2 * x + 0.6 : 2 * x - 0.4],
 *   });
 *   path.at(-1).x   // [x_T]
 *
 *   experiments.optimizePath(opt, { x0: [1, 1], steps: 200, loss: (p) => tf.sum(tf.abs(p)) });
 */
import * as tf from '../backend/tf.js';
import type { OptilabOptimizer } from '../optim/adapter.js';

export interface PathOptions {
  /** The starting point. */
  x0: readonly number[];
  /** Number of updates. */
  steps: number;
  /** The gradient at x for update t (1-based). Give this or `loss`. */
  gradient?: (x: number[], t: number) => readonly number[];
  /** A differentiable loss of the point (a 1-D tensor) for update t. Give this or `gradient`. */
  loss?: (x: tf.Tensor1D, t: number) => tf.Scalar;
  /** Projection onto the box [lo, hi] (per coordinate or one pair for all) after every update. */
  bounds?: [number, number] | Array<[number, number]>;
  /** Keep every `every`-th point (default 1; the first and last are always kept). */
  every?: number;
}

export interface PathPoint {
  /** Updates applied (0 is the start). */
  step: number;
  x: number[];
}

/** Runs the optimizer from x0 and returns the visited points. The optimizer's state is its own; dispose it after. */
export function optimizePath(optimizer: OptilabOptimizer, options: PathOptions): PathPoint[] {
  const { x0, gradient, loss, bounds, every = 1 } = options ?? ({} as PathOptions);
  if (!Array.isArray(x0) || x0.length === 0 || !x0.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new TypeError('optimizePath: x0 must be a non-empty array of finite numbers');
  }
  if ((gradient === undefined) === (loss === undefined)) throw new TypeError('optimizePath: give exactly one of gradient (x, t) => number[] and loss (x, t) => scalar');
  if (!Number.isInteger(options.steps) || options.steps < 0) throw new RangeError(`optimizePath: steps must be an integer >= 0, got ${String(options.steps)}`);
  if (!Number.isInteger(every) || every < 1) throw new RangeError(`optimizePath: every must be a positive integer, got ${String(every)}`);
  const d = x0.length;
  const box = bounds === undefined ? undefined : Array.isArray(bounds[0]) ? (bounds as Array<[number, number]>) : Array.from({ length: d }, () => bounds as [number, number]);
  if (box && (box.length !== d || !box.every((b) => Array.isArray(b) && b.length === 2 && b[0] <= b[1]))) {
    throw new RangeError(`optimizePath: bounds must be [lo, hi] or ${d} such pairs with lo <= hi`);
  }
  // tf.variable copies its initial value; tidy frees the temporary
  const x = tf.tidy(() => tf.variable(tf.tensor1d(x0 as number[])));
  const path: PathPoint[] = [{ step: 0, x: [...x0] }];
  let now = [...x0];
  try {
    for (let t = 1; t <= options.steps; t++) {
      if (gradient) {
        const g = gradient(now, t);
        if (g.length !== d) throw new RangeError(`optimizePath: gradient returned ${g.length} values for a point of dimension ${d}`);
        // a linear loss <g, x> has gradient g at every point
        const gt = tf.tensor1d(g as number[]);
        optimizer.step(() => tf.sum(tf.mul(gt, x)) as tf.Scalar, [x]);
        gt.dispose();
      } else {
        optimizer.step(() => loss!(x as unknown as tf.Tensor1D, t), [x]);
      }
      if (box) {
        const lo = tf.tensor1d(box.map((b) => b[0]));
        const hi = tf.tensor1d(box.map((b) => b[1]));
        tf.tidy(() => x.assign(tf.minimum(tf.maximum(x, lo), hi)));
        tf.dispose([lo, hi]);
      }
      now = Array.from(x.dataSync());
      if (t % every === 0 || t === options.steps) path.push({ step: t, x: now });
    }
  } finally {
    x.dispose();
  }
  return path;
}
