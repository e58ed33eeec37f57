/**
 * AdamW: Loshchilov & Hutter, "Decoupled Weight Decay Regularization", ICLR 2019
 * (arXiv:1711.05101), Algorithm 2. Semantics and defaults follow
 * torch.optim.AdamW (torch 2.13): lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
 * weightDecay=1e-2 applied as p -= lr_t * weightDecay * p (optax's adamw defaults
 * to 1e-4). The paper multiplies the decay by the schedule multiplier
 * eta_t = lr_t / lr_0 instead of lr_t, so that the best weight decay does not move
 * with the base learning rate: `weightDecayScale: 'schedule'` gives that form,
 * p -= eta_t * weightDecay * p. Checked against torch.optim.AdamW trajectories.
 * SGDW, the paper's other optimizer, is in `sgdw.ts`.
 */
import { type AdamConfig, buildAdam } from './adam.js';
import { defineOptimizer } from './adapter.js';
import { valueAt } from './schedules.js';
import { checkLearningRate, checkNonNegative, checkOneOf } from './validate.js';

export interface AdamWConfig extends Omit<AdamConfig, 'decoupledWeightDecay'> {
  /**
   * What multiplies the decay: 'lr' (default, torch and optax: p -= lr_t * wd * p) or
   * 'schedule' (the paper's Algorithm 2: p -= (lr_t / lr_0) * wd * p, independent of lr_0).
   */
  weightDecayScale?: 'lr' | 'schedule';
}

export const AdamW = defineOptimizer<AdamWConfig>('AdamW', 'adamw', (c) => {
  const { weightDecayScale, ...rest } = c ?? {};
  const scale = checkOneOf('adamw', 'weightDecayScale', weightDecayScale ?? 'lr', ['lr', 'schedule'] as const);
  if (scale === 'lr') return buildAdam('adamw', rest, { weightDecay: 1e-2, decoupled: true });
  // lr_t * (wd / lr_0) * p = eta_t * wd * p, as SGDW does
  const lr0 = valueAt(checkLearningRate('adamw', 'lr', rest.lr ?? 1e-3), 0);
  const wd = checkNonNegative('adamw', 'weightDecay', rest.weightDecay ?? 1e-2);
  if (wd !== 0 && !(lr0 > 0)) throw new RangeError(`adamw: with weightDecayScale 'schedule', lr at step 0 must be > 0 (it defines the schedule multiplier), got ${lr0}`);
  return buildAdam('adamw', { ...rest, weightDecay: wd === 0 ? 0 : wd / lr0 }, { weightDecay: 1e-2, decoupled: true });
});

/** torch.optim.AdamW with camelCase options. */
export function adamw(config: AdamWConfig = {}): InstanceType<typeof AdamW> {
  return new AdamW(config);
}
