/**
 * LAMB: You et al., "Large Batch Optimization for Deep Learning: Training BERT
 * in 76 minutes", ICLR 2020 (arXiv:1904.00962), Algorithm 2, as implemented in
 * optax (`optax.lamb`): Adam's bias-corrected direction plus decoupled weight
 * decay, scaled per layer by ||w|| / ||u|| (1 when either is zero), then the
 * learning rate. Defaults (optax): betas=(0.9, 0.999), eps=1e-6, epsRoot=0,
 * weightDecay=0; lr is required. (jettify's port clamps ||w|| at 10 and skips
 * bias correction by default.) Checked against optax 0.2.
 */
import { chain } from './transform.js';
import { type Schedule } from './schedules.js';
import { addDecayedWeights, scaleByLearningRate } from './transforms.js';
import { scaleByAdam } from './adam.js';
import { scaleByTrustRatio } from './lars.js';
import { type Mask } from './wrappers.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer } from './adapter.js';
import { checkBetas, checkKnownKeys, checkLearningRate, checkNonNegative } from './validate.js';

export interface LAMBConfig extends CommonOptions {
  lr: number | Schedule;
  betas?: [number, number];
  eps?: number;
  epsRoot?: number;
  weightDecay?: number;
  weightDecayMask?: Mask;
}

export const LAMB = defineOptimizer<LAMBConfig>('LAMB', 'lamb', (c) => {
  const o = 'lamb';
  checkKnownKeys(o, c, ['lr', 'betas', 'eps', 'epsRoot', 'weightDecay', 'weightDecayMask', ...COMMON_KEYS]);
  if (c?.lr === undefined) throw new RangeError(`${o}: lr is required (optax's lamb has no default)`);
  const lr = checkLearningRate(o, 'lr', c.lr);
  const [b1, b2] = checkBetas(o, 'betas', c.betas ?? [0.9, 0.999], 2);
  const eps = checkNonNegative(o, 'eps', c.eps ?? 1e-6);
  const epsRoot = checkNonNegative(o, 'epsRoot', c.epsRoot ?? 0);
  const wd = checkNonNegative(o, 'weightDecay', c.weightDecay ?? 0);
  const transform = chain(
    scaleByAdam({ b1, b2, eps, epsRoot }),
    addDecayedWeights(wd, c.weightDecayMask),
    scaleByTrustRatio(),
    scaleByLearningRate(lr),
  );
  return { transform, lr, nonFinite: c.nonFinite };
});

export function lamb(config: LAMBConfig): InstanceType<typeof LAMB> {
  return new LAMB(config);
}
