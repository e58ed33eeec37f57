/**
 * SGDW: Loshchilov & Hutter, "Decoupled Weight Decay Regularization", ICLR 2019
 * (arXiv:1711.05101), Algorithm 1. Ported from the official code,
 * loshchil/AdamW-and-SGDW (`UPDATETORCHFILES/sgd.lua` with `sgd_type = 1`, driven
 * by `train.lua`): SGD with momentum at learning rate lr_t = eta_t * lr_0, then
 * x <- x - eta_t * weightDecay * x_old with the schedule multiplier
 * eta_t = lr_t / lr_0. The decay therefore follows the schedule but not the base
 * learning rate. `weightDecay` is the paper's lambda; for the normalised
 * lambda_norm use `normalizedWeightDecay`. Defaults follow Torch7's optim.sgd as
 * the trainer configures it: lr=1e-3, momentum=0, dampening=0, nesterov=false,
 * weightDecay=0. (AdamW, the paper's other optimizer, is `adamw`.)
 */
import { chain } from './transform.js';
import { type Schedule, valueAt } from './schedules.js';
import { addDecayedWeights, scaleByLearningRate, trace } from './transforms.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer } from './adapter.js';
import { checkBeta, checkBoolean, checkKnownKeys, checkLearningRate, checkNonNegative, checkNumber, checkPositive } from './validate.js';

export interface SGDWConfig extends CommonOptions {
  lr?: number | Schedule;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  weightDecay?: number;
}

export const SGDW = defineOptimizer<SGDWConfig>('SGDW', 'sgdw', (c) => {
  const o = 'sgdw';
  checkKnownKeys(o, c, ['lr', 'momentum', 'dampening', 'nesterov', 'weightDecay', ...COMMON_KEYS]);
  const lr = checkLearningRate(o, 'lr', c.lr ?? 1e-3);
  const lr0 = valueAt(lr, 0);
  const momentum = checkBeta(o, 'momentum', c.momentum ?? 0);
  const dampening = checkNumber(o, 'dampening', c.dampening ?? 0, { min: 0, max: 1 });
  const nesterov = checkBoolean(o, 'nesterov', c.nesterov ?? false);
  const wd = checkNonNegative(o, 'weightDecay', c.weightDecay ?? 0);
  if (nesterov && (momentum <= 0 || dampening !== 0)) {
    throw new RangeError(`${o}: nesterov requires momentum > 0 and dampening = 0, got momentum ${momentum}, dampening ${dampening}`);
  }
  if (wd !== 0 && !(lr0 > 0)) throw new RangeError(`${o}: lr at step 0 must be > 0 (it defines the schedule multiplier), got ${lr0}`);
  const transform = chain(
    ...(momentum > 0 ? [trace({ decay: momentum, dampening, nesterov })] : []),
    // lr_t * (wd / lr_0) * p = eta_t * wd * p
    ...(wd !== 0 ? [addDecayedWeights(wd / lr0)] : []),
    scaleByLearningRate(lr),
  );
  return { transform, lr, nonFinite: c.nonFinite };
});

export function sgdw(config: SGDWConfig = {}): InstanceType<typeof SGDW> {
  return new SGDW(config);
}

/**
 * The paper's normalised weight decay (Appendix B.1):
 * lambda = lambdaNorm * sqrt(1 / (batchesPerEpoch * epochs)), as `train.lua`
 * computes it for a restart period of `epochs`.
 */
export function normalizedWeightDecay(lambdaNorm: number, batchesPerEpoch: number, epochs: number): number {
  checkNonNegative('normalizedWeightDecay', 'lambdaNorm', lambdaNorm);
  checkPositive('normalizedWeightDecay', 'batchesPerEpoch', batchesPerEpoch);
  checkPositive('normalizedWeightDecay', 'epochs', epochs);
  return lambdaNorm / Math.sqrt(batchesPerEpoch * epochs);
}
