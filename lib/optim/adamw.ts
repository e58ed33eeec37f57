/**
 * AdamW: Loshchilov & Hutter, "Decoupled Weight Decay Regularization", ICLR 2019
 * (arXiv:1711.05101), Algorithm 2. Semantics and defaults follow
 * torch.optim.AdamW (torch 2.13): lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
 * weightDecay=1e-2 applied as p -= lr * weightDecay * p (the paper multiplies by a
 * schedule multiplier instead of lr; optax's adamw defaults to 1e-4).
 * Checked against torch.optim.AdamW trajectories. SGDW, the paper's other
 * optimizer, is in `sgdw.ts`.
 */
import { type AdamConfig, buildAdam } from './adam.js';
import { defineOptimizer } from './adapter.js';

export type AdamWConfig = Omit<AdamConfig, 'decoupledWeightDecay'>;

export const AdamW = defineOptimizer<AdamWConfig>('AdamW', 'adamw', (c) => buildAdam('adamw', c, { weightDecay: 1e-2, decoupled: true }));

/** torch.optim.AdamW with camelCase options. */
export function adamw(config: AdamWConfig = {}): InstanceType<typeof AdamW> {
  return new AdamW(config);
}
