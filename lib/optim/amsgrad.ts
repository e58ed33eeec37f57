/**
 * AMSGrad: Reddi, Kale & Kumar, "On the Convergence of Adam and Beyond", ICLR
 * 2018 (arXiv:1904.09237), Algorithm 2: Adam with v_hat = max(v_hat, v), so the
 * effective step size never grows. The paper has no official code; three
 * conventions are in use and give different trajectories (see the research
 * notes, "AMSGrad"), selected by `variant`:
 *
 * - 'torch' (default): torch.optim.Adam(amsgrad=True): max of the raw second
 *   moment, divided by the current bias correction. Checked against torch.
 * - 'optax': optax.amsgrad: max of the bias-corrected second moment. Checked
 *   against optax 0.2.
 * - 'paper': Algorithm 2 as printed: no bias correction at all,
 *   p -= lr * m / (sqrt(v_hat) + eps); pair it with `lr: inverseSqrt(...)` for the
 *   paper's alpha_t = alpha / sqrt(t). Checked against a NumPy transcription.
 */
import { chain } from './transform.js';
import { type Schedule } from './schedules.js';
import { scaleByLearningRate, torchPrelude } from './transforms.js';
import { scaleByAdam } from './adam.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer } from './adapter.js';
import { checkBetas, checkBoolean, checkKnownKeys, checkLearningRate, checkNonNegative, checkOneOf } from './validate.js';

export interface AMSGradConfig extends CommonOptions {
  lr?: number | Schedule;
  betas?: [number, number];
  eps?: number;
  /** Coupled L2 term, as torch's Adam `weight_decay`. */
  weightDecay?: number;
  variant?: 'torch' | 'optax' | 'paper';
  maximize?: boolean;
}

export const AMSGrad = defineOptimizer<AMSGradConfig>('AMSGrad', 'amsgrad', (c) => {
  const o = 'amsgrad';
  checkKnownKeys(o, c, ['lr', 'betas', 'eps', 'weightDecay', 'variant', 'maximize', ...COMMON_KEYS]);
  const lr = checkLearningRate(o, 'lr', c.lr ?? 1e-3);
  const [b1, b2] = checkBetas(o, 'betas', c.betas ?? [0.9, 0.999], 2);
  const eps = checkNonNegative(o, 'eps', c.eps ?? 1e-8);
  const wd = checkNonNegative(o, 'weightDecay', c.weightDecay ?? 0);
  const variant = checkOneOf(o, 'variant', c.variant ?? 'torch', ['torch', 'optax', 'paper'] as const);
  const maximize = checkBoolean(o, 'maximize', c.maximize ?? false);
  const adamPart =
    variant === 'paper'
      ? scaleByAdam({ b1, b2, eps, amsgrad: 'torch', biasCorrection: false })
      : scaleByAdam({ b1, b2, eps, amsgrad: variant });
  const transform = chain(...torchPrelude(maximize, wd), adamPart, scaleByLearningRate(lr));
  return { transform, lr, nonFinite: c.nonFinite };
});

export function amsgrad(config: AMSGradConfig = {}): InstanceType<typeof AMSGrad> {
  return new AMSGrad(config);
}
