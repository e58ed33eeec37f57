/** Shared by the sampler tests: exact Gaussian transport and empirical convergence orders. */
import { tf, generative as g } from '../../lib/index.js';

/** A 2-D anisotropic Gaussian: on any Gaussian path x_t = alpha mu + sqrt(alpha^2 s^2 + sigma^2) z, with z fixed along each ODE trajectory. */
export const gauss = new g.GaussianMixture({ means: [[1.5, -1.0]], stds: [[0.3, 2.0]] });

export function exactState(path: g.GaussianPath, t: number, z: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const a = path.alpha(t);
    const s = path.sigma(t);
    const sd = tf.tensor1d(gauss.stds[0].map((v) => Math.sqrt(a * a * v * v + s * s)));
    return tf.add(tf.mul(z, sd), tf.mul(tf.tensor1d(gauss.means[0]), a)) as tf.Tensor2D;
  });
}

/** Max abs error of a sampler started from the exact state at grid[0], against the exact state at the grid's end. */
export function samplerError(path: g.GaussianPath, grid: number[], z: tf.Tensor2D, run: (x: tf.Tensor2D, grid: number[]) => g.SampleResult): number {
  const x0 = exactState(path, grid[0], z);
  const ref = exactState(path, grid[grid.length - 1], z);
  const res = run(x0, grid);
  const e = tf.tidy(() => tf.max(tf.abs(tf.sub(res.x, ref))).dataSync()[0]);
  tf.dispose([x0, ref, res.x]);
  return e;
}

/** Least-squares slope of -log(error) against log(steps). */
export function empiricalOrder(steps: number[], errors: number[]): number {
  const xs = steps.map(Math.log);
  const ys = errors.map((e) => -Math.log(e));
  const mx = xs.reduce((a, b) => a + b) / xs.length;
  const my = ys.reduce((a, b) => a + b) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return num / den;
}
