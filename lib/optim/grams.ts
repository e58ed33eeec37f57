/**
 * Grams: Cao, Liang & Liu, "Grams: Gradient Descent with Adaptive Momentum
 * Scaling", 2024 (arXiv:2412.17107). Ported from the official code,
 * Gunale0926/Grams `grams/src/grams.py`, with its defaults lr=1e-3,
 * betas=(0.9, 0.999), eps=1e-6, weightDecay=0, correctBias=true:
 *
 *   p <- p (1 - lr wd)
 *   m = b1 m + (1-b1) g ;  v = b2 v + (1-b2) g^2
 *   p -= lr sqrt(bc2)/bc1 * sign(g) |m| / (sqrt(v) + eps)
 *
 * The direction has the sign of the current gradient; momentum only sets its
 * magnitude. Like the official code, eps is added to sqrt(v) before the bias
 * correction (Kingma & Ba's "efficient" form, as in HF transformers' AdamW).
 * kozistr/pytorch_optimizer's Grams differs: it weights the EMA the wrong way
 * round (m = (1-b1) m + b1 g) and corrects v by bc2^(1/4).
 *
 * `scaleByAdamEfficient` is that efficient Adam form without the sign swap, the
 * core of C-Optim's C-AdamW and of SPAM.
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, map, updateMoment, zerosLike } from './tree.js';
import { type GradientTransformation, chain } from './transform.js';
import { type Schedule } from './schedules.js';
import { addDecayedWeights, scaleByLearningRate } from './transforms.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer } from './adapter.js';
import { checkBetas, checkBoolean, checkKnownKeys, checkLearningRate, checkNonNegative } from './validate.js';

export interface EfficientAdamOptions {
  b1?: number;
  b2?: number;
  eps?: number;
  /** Multiply by sqrt(bc2)/bc1 (default true; false is BERT's uncorrected Adam). */
  correctBias?: boolean;
}

export interface ScaleByAdamEfficientState {
  count: number;
  mu: TensorTree;
  nu: TensorTree;
}

function efficientAdam(
  { b1 = 0.9, b2 = 0.999, eps = 1e-6, correctBias = true }: EfficientAdamOptions,
  direction: (g: tf.Tensor, m: tf.Tensor) => tf.Tensor,
): GradientTransformation<ScaleByAdamEfficientState> {
  return {
    init: (params) => ({ count: 0, mu: zerosLike(params), nu: zerosLike(params) }),
    update: (u, state) => {
      const count = state.count + 1;
      const stepSize = correctBias ? Math.sqrt(1 - b2 ** count) / (1 - b1 ** count) : 1;
      const mu = updateMoment(u, state.mu, b1, 1);
      const nu = updateMoment(u, state.nu, b2, 2);
      const updates = map((g, m, v) => tf.mul(tf.div(direction(g, m), tf.add(tf.sqrt(v), eps)), stepSize), u, mu, nu);
      return { updates, state: { count, mu, nu } };
    },
  };
}

/** sqrt(bc2)/bc1 * m / (sqrt(v) + eps): Adam with eps outside the bias correction. */
export function scaleByAdamEfficient(options: EfficientAdamOptions = {}): GradientTransformation<ScaleByAdamEfficientState> {
  return efficientAdam(options, (_g, m) => m);
}

/** sqrt(bc2)/bc1 * sign(g) |m| / (sqrt(v) + eps): Grams' direction. */
export function scaleByGrams(options: EfficientAdamOptions = {}): GradientTransformation<ScaleByAdamEfficientState> {
  return efficientAdam(options, (g, m) => tf.mul(tf.sign(g), tf.abs(m)));
}

export interface GramsConfig extends CommonOptions {
  lr?: number | Schedule;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  correctBias?: boolean;
}

export const Grams = defineOptimizer<GramsConfig>('Grams', 'grams', (c) => {
  const o = 'grams';
  checkKnownKeys(o, c, ['lr', 'betas', 'eps', 'weightDecay', 'correctBias', ...COMMON_KEYS]);
  const lr = checkLearningRate(o, 'lr', c.lr ?? 1e-3);
  const [b1, b2] = checkBetas(o, 'betas', c.betas ?? [0.9, 0.999], 2);
  const eps = checkNonNegative(o, 'eps', c.eps ?? 1e-6);
  const wd = checkNonNegative(o, 'weightDecay', c.weightDecay ?? 0);
  const correctBias = checkBoolean(o, 'correctBias', c.correctBias ?? true);
  const transform = chain(scaleByGrams({ b1, b2, eps, correctBias }), addDecayedWeights(wd), scaleByLearningRate(lr));
  return { transform, lr, nonFinite: c.nonFinite };
});

/** Grams (official Gunale0926/Grams) with camelCase options. */
export function grams(config: GramsConfig = {}): InstanceType<typeof Grams> {
  return new Grams(config);
}
