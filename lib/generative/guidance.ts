/**
 * Guidance on class-conditional denoisers. All act on the denoised prediction
 * D (x0-prediction) and return a new Denoiser, so any sampler can use them.
 *  - cfg: classifier-free guidance D_u + w (D_c - D_u)  (w = 1: conditional, w = 0: unconditional);
 *  - apg: adaptive projected guidance (Sadat et al. 2024), following the paper's
 *    reference code: momentum on the difference, norm threshold, split into the
 *    parts parallel / orthogonal to D_c, parallel part weighted by eta;
 *  - classifierGuidance: D + s sigma^2 / alpha grad log p(y | x_t) (Dhariwal & Nichol).
 */
import * as tf from '../backend/tf.js';
import { mixtureScore } from './exact.js';
import type { GaussianMixture } from './mixture.js';
import type { Denoiser, Labels, TimeNet } from './model.js';
import type { GaussianPath } from './paths.js';

function requireLabels(labels: Labels | undefined, who: string): ArrayLike<number> {
  if (!labels) throw new Error(`${who}: guidance needs class labels (got none)`);
  return labels;
}

/** Classifier-free guidance with scale w (the "w" of Ho & Salimans shifted by one: w = 1 is no guidance). */
export function cfg(den: Denoiser, scale: number): Denoiser {
  if (!Number.isFinite(scale)) throw new Error(`cfg: scale must be finite, got ${scale}`);
  return (x, t, labels) =>
    tf.tidy(() => {
      const y = requireLabels(labels, 'cfg');
      const dc = den(x, t, y);
      const du = den(x, t, null);
      return tf.add(du, tf.mul(tf.sub(dc, du), scale)) as tf.Tensor2D;
    });
}

export interface ApgOptions {
  /** Guidance scale w (w = 1: conditional). */
  scale: number;
  /** Weight of the parallel component (eta = 1 with no threshold and no momentum is CFG; the paper uses 0). */
  eta?: number;
  /** Rescale the update to at most this L2 norm per sample (0: off). */
  normThreshold?: number;
  /** Momentum beta on the update (negative = the paper's "reverse momentum"; 0: off). */
  momentum?: number;
}

/** A guided denoiser with state (the momentum buffer); `reset()` before reusing it for a new sampling run. */
export type StatefulDenoiser = Denoiser & { reset(): void };

/**
 * Adaptive projected guidance: diff = D_c - D_u; with momentum, running = diff + beta running and
 * diff = running; with a threshold r, diff *= min(1, r / |diff|); then
 * D = D_c + (w - 1) (diff_orth + eta diff_par) with the split taken against D_c / |D_c|.
 */
export function apg(den: Denoiser, { scale, eta = 0, normThreshold = 0, momentum = 0 }: ApgOptions): StatefulDenoiser {
  if (!Number.isFinite(scale)) throw new Error(`apg: scale must be finite, got ${scale}`);
  if (!(normThreshold >= 0)) throw new Error(`apg: normThreshold must be >= 0, got ${normThreshold}`);
  let running: tf.Tensor2D | null = null;
  const guided = ((x: tf.Tensor2D, t: number, labels?: Labels) => {
    const y = requireLabels(labels, 'apg');
    const dc = den(x, t, y);
    const du = den(x, t, null);
    let diff = tf.tidy(() => tf.sub(dc, du)) as tf.Tensor2D;
    du.dispose();
    if (momentum !== 0) {
      const next: tf.Tensor2D = running ? (tf.tidy(() => tf.add(diff, tf.mul(running!, momentum))) as tf.Tensor2D) : diff.clone();
      running?.dispose();
      running = tf.keep(next);
      diff.dispose();
      diff = next.clone();
    }
    return tf.tidy(() => {
      let d: tf.Tensor2D = diff;
      if (normThreshold > 0) {
        const norm = tf.norm(d, 'euclidean', 1, true);
        d = tf.mul(d, tf.minimum(1, tf.div(normThreshold, norm))) as tf.Tensor2D;
      }
      const unit = tf.div(dc, tf.maximum(tf.norm(dc, 'euclidean', 1, true), 1e-12));
      const par = tf.mul(tf.sum(tf.mul(d, unit), 1, true), unit);
      const orth = tf.sub(d, par);
      const out = tf.add(dc, tf.mul(tf.add(orth, tf.mul(par, eta)), scale - 1)) as tf.Tensor2D;
      diff.dispose();
      dc.dispose();
      return out;
    });
  }) as StatefulDenoiser;
  guided.reset = () => {
    running?.dispose();
    running = null;
  };
  return guided;
}

/** grad_x log p(y | x_t) for the labels given (the classifier's gradient). */
export type ClassifierGradient = (x: tf.Tensor2D, t: number, labels: ArrayLike<number>) => tf.Tensor2D;

/** Classifier guidance with scale s: the score gains s grad log p(y|x_t), i.e. D gains s sigma^2/alpha times it. */
export function classifierGuidance(den: Denoiser, path: GaussianPath, gradient: ClassifierGradient, scale: number): Denoiser {
  return (x, t, labels) =>
    tf.tidy(() => {
      const y = requireLabels(labels, 'classifierGuidance');
      const s = path.sigma(t);
      return tf.add(den(x, t, null), tf.mul(gradient(x, t, y), (scale * s * s) / path.alpha(t))) as tf.Tensor2D;
    });
}

/** The exact classifier gradient of a labelled mixture: grad log p(y | x_t) = score_y - score. */
export function exactClassifierGradient(mixture: GaussianMixture, path: GaussianPath): ClassifierGradient {
  const uncond = mixtureScore(mixture, path, null);
  return (x, t, labels) =>
    tf.tidy(() => {
      const cond = mixtureScore(mixture, path, labels);
      return tf.sub(cond(x, t), uncond(x, t)) as tf.Tensor2D;
    });
}

/** The gradient of log softmax(logits)[y] of a noise-conditional classifier network logits = net(x, t). */
export function networkClassifierGradient(classifier: TimeNet): ClassifierGradient {
  return (x, t, labels) =>
    tf.tidy(() => {
      const n = x.shape[0];
      const tt = tf.fill([n], t) as tf.Tensor1D;
      const f = (z: tf.Tensor) => {
        const logits = classifier(z as tf.Tensor2D, tt);
        const onehot = tf.oneHot(tf.tensor1d(Array.from(labels), 'int32'), logits.shape[1]);
        return tf.sum(tf.mul(tf.logSoftmax(logits), onehot));
      };
      return tf.grad(f)(x) as tf.Tensor2D;
    });
}
