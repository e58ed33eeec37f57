/**
 * Newton-Schulz iterations on float32 tensors (TF.js): only matrix products, so they run
 * on any backend and are differentiable.
 *
 * - `orthogonalize(G)`: the nearest semi-orthogonal matrix U V^T of G = U S V^T, by the
 *   quintic iteration X <- a X + (b A + c A^2) X with A = X X^T (Muon's coefficients,
 *   (a, b, c) = (3.4445, -4.7750, 2.0315), tuned to push singular values into about
 *   [0.7, 1.2] in 5 steps) or the cubic X <- 1.5 X - 0.5 A X, which converges to exactly
 *   orthogonal but needs more steps.
 * - `inverseSqrt(A)` / `sqrt(A)`: the coupled iteration Y <- Y T, Z <- T Z with
 *   T = (3 I - Z Y) / 2 on A / ||A||_F, converging to A^{1/2} and A^{-1/2} for symmetric
 *   positive definite A.
 */
import * as tf from '../backend/tf.js';
import { matMul } from '../backend/fast.js';

type T2 = tf.Tensor2D;

export interface OrthogonalizeOptions {
  steps?: number;
  /** 'quintic' (Muon, approximate, fast) or 'cubic' (converges to exactly orthogonal). */
  variant?: 'quintic' | 'cubic';
}

export function orthogonalize(g: T2, { steps = 5, variant = 'quintic' }: OrthogonalizeOptions = {}): T2 {
  if (g.rank !== 2) throw new Error(`orthogonalize: expected a matrix, got rank ${g.rank}`);
  if (!Number.isInteger(steps) || steps < 0) throw new Error(`orthogonalize: steps must be a non-negative integer, got ${steps}`);
  return tf.tidy(() => {
    const tall = g.shape[0] > g.shape[1];
    // Iterate on the wide orientation so X X^T is the smaller Gram matrix.
    let x = (tall ? tf.transpose(g) : g) as T2;
    x = tf.div(x, tf.add(tf.norm(x), 1e-7)) as T2;
    for (let i = 0; i < steps; i++) {
      const A = matMul(x, x, false, true);
      if (variant === 'cubic') {
        x = tf.sub(tf.mul(1.5, x), tf.mul(0.5, tf.matMul(A, x))) as T2;
      } else {
        const B = tf.add(tf.mul(-4.775, A), tf.mul(2.0315, tf.matMul(A, A)));
        x = tf.add(tf.mul(3.4445, x), tf.matMul(B, x)) as T2;
      }
    }
    return (tall ? tf.transpose(x) : x) as T2;
  });
}

/** Coupled Newton-Schulz for symmetric positive definite A: returns { sqrt, inverseSqrt }. */
export function sqrtAndInverseSqrt(a: T2, { steps = 20 }: { steps?: number } = {}): { sqrt: T2; inverseSqrt: T2 } {
  if (a.rank !== 2 || a.shape[0] !== a.shape[1]) throw new Error(`sqrtAndInverseSqrt: expected a square matrix, got [${a.shape}]`);
  return tf.tidy(() => {
    const n = a.shape[0];
    const scale = tf.norm(a);
    const eye = tf.eye(n) as T2;
    let y = tf.div(a, scale) as T2;
    let z = eye;
    for (let i = 0; i < steps; i++) {
      const t = tf.mul(0.5, tf.sub(tf.mul(3, eye), tf.matMul(z, y))) as T2;
      y = tf.matMul(y, t);
      z = tf.matMul(t, z);
    }
    const root = tf.sqrt(scale);
    return { sqrt: tf.mul(y, root) as T2, inverseSqrt: tf.div(z, root) as T2 };
  });
}
