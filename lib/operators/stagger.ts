/**
 * NeuralStagger's spatial decomposition (Huang et al., ICML 2023) in 1-D: a
 * field on N points is split into s staggered sub-grids of N/s points (points
 * i, i + s, i + 2s, ...: a "pixel unshuffle"); s coarse solvers each read all
 * sub-grids (as s channels at the coarse resolution) and predict one of them;
 * shuffling their outputs back gives the full-resolution field, on which the
 * physics loss is evaluated. Each coarse solver works at 1/s of the resolution,
 * and the s of them can run in parallel.
 *
 *   const coarse = [0, 1].map((i) => operators.fno1d({ modes: 8, width: 16, inChannels: 2, seed: i }));
 *   const model = operators.staggered(coarse);     // model.apply(u) : [B, N] -> [B, N]
 */
import * as tf from '../backend/tf.js';
import { checkPositiveInt, countParams, type FieldOperator } from './module.js';

/** [B, N] -> [B, N/s, s]: channel i holds points i, i + s, i + 2s, ... */
export function unshuffle1d(x: tf.Tensor, s: number): tf.Tensor3D {
  checkPositiveInt('unshuffle1d', 's', s);
  const [B, N] = x.shape as number[];
  if (x.rank !== 2 || N % s !== 0) throw new Error(`unshuffle1d: x must be [batch, N] with N divisible by s = ${s}, got [${x.shape.join(', ')}]`);
  return tf.reshape(x, [B, N / s, s]) as tf.Tensor3D;
}

/** Inverse of `unshuffle1d`: [B, N/s, s] -> [B, N]. */
export function shuffle1d(x: tf.Tensor): tf.Tensor2D {
  if (x.rank !== 3) throw new Error(`shuffle1d: x must be [batch, N/s, s], got [${x.shape.join(', ')}]`);
  const [B, n, s] = x.shape as number[];
  return tf.reshape(x, [B, n * s]) as tf.Tensor2D;
}

/** s coarse solvers, each [B, N/s, s] -> [B, N/s, 1], run on the unshuffled field. */
export class StaggeredOperator implements FieldOperator {
  readonly name = 'NeuralStagger';

  constructor(readonly solvers: FieldOperator[]) {
    if (!Array.isArray(solvers) || solvers.length < 2) throw new Error('staggered: give at least two coarse solvers (one per staggered sub-grid)');
  }

  /** Number of sub-grids. */
  get s(): number { return this.solvers.length; }

  get variables(): tf.Variable[] { return this.solvers.flatMap((m) => m.variables); }
  get paramCount(): number { return countParams(this.variables); }

  /** Output of coarse solver `i` alone, [B, N/s, 1] (what one parallel worker computes). */
  applySolver(i: number, u: tf.Tensor): tf.Tensor {
    return this.solvers[i].apply(unshuffle1d(u, this.s));
  }

  apply(u: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => {
      const coarse = unshuffle1d(u, this.s);
      const parts = this.solvers.map((m, i) => {
        const y = m.apply(coarse);
        if (y.rank !== 3 || y.shape[2] !== 1 || y.shape[1] !== coarse.shape[1]) {
          throw new Error(`staggered: solver ${i} must map [B, ${coarse.shape[1]}, ${this.s}] to [B, ${coarse.shape[1]}, 1], got [${y.shape.join(', ')}]`);
        }
        return y;
      });
      return shuffle1d(tf.concat(parts, 2));
    });
  }

  dispose(): void {
    this.solvers.forEach((m) => m.dispose());
  }
}

export function staggered(solvers: FieldOperator[]): StaggeredOperator {
  return new StaggeredOperator(solvers);
}
