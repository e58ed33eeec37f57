/**
 * SGD with momentum: torch.optim.SGD (torch 2.13) semantics and defaults:
 * lr=1e-3, momentum=0, dampening=0, weightDecay=0 (coupled L2), nesterov=false,
 * maximize=false. The momentum buffer starts as the first gradient, then
 * b = momentum*b + (1-dampening)*g; Nesterov uses g + momentum*b
 * (Sutskever et al. 2013 as torch formulates it). Checked against torch
 * trajectories.
 */
import { chain } from './transform.js';
import { type Schedule } from './schedules.js';
import { scaleByLearningRate, torchPrelude, trace } from './transforms.js';
import { type Mask } from './wrappers.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer } from './adapter.js';
import { checkBeta, checkBoolean, checkKnownKeys, checkLearningRate, checkNonNegative, checkNumber } from './validate.js';

export interface SGDConfig extends CommonOptions {
  lr?: number | Schedule;
  momentum?: number;
  dampening?: number;
  weightDecay?: number;
  weightDecayMask?: Mask;
  nesterov?: boolean;
  maximize?: boolean;
}

export const SGD = defineOptimizer<SGDConfig>('SGD', 'sgd', (c) => {
  const o = 'sgd';
  checkKnownKeys(o, c, ['lr', 'momentum', 'dampening', 'weightDecay', 'weightDecayMask', 'nesterov', 'maximize', ...COMMON_KEYS]);
  const lr = checkLearningRate(o, 'lr', c.lr ?? 1e-3);
  const momentum = checkBeta(o, 'momentum', c.momentum ?? 0);
  const dampening = checkNumber(o, 'dampening', c.dampening ?? 0, { min: 0, max: 1 });
  const wd = checkNonNegative(o, 'weightDecay', c.weightDecay ?? 0);
  const nesterov = checkBoolean(o, 'nesterov', c.nesterov ?? false);
  const maximize = checkBoolean(o, 'maximize', c.maximize ?? false);
  if (nesterov && (momentum <= 0 || dampening !== 0)) {
    throw new RangeError(`${o}: nesterov requires momentum > 0 and dampening = 0, got momentum ${momentum}, dampening ${dampening}`);
  }
  const transform = chain(
    ...torchPrelude(maximize, wd, c.weightDecayMask),
    ...(momentum > 0 ? [trace({ decay: momentum, dampening, nesterov })] : []),
    scaleByLearningRate(lr),
  );
  return { transform, lr, nonFinite: c.nonFinite };
});

/** torch.optim.SGD with camelCase options. */
export function sgd(config: SGDConfig = {}): InstanceType<typeof SGD> {
  return new SGD(config);
}
