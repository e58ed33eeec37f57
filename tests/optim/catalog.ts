/** Every optimizer factory with a configuration that trains the small test problems, for property tests. */
import { optim } from '../../lib/index.js';

export type Factory = (config: any) => optim.OptilabOptimizer;

/** name -> configuration (moderate learning rates for quadratics and small models). */
export const OPTIMIZERS: Record<string, Record<string, unknown>> = {
  sgd: { lr: 0.05, momentum: 0.9 },
  adam: { lr: 0.05 },
  adamw: { lr: 0.05, weightDecay: 0.01 },
  adagrad: { lr: 0.3 },
  rmsprop: { lr: 0.01 },
  adamax: { lr: 0.05 },
  nadam: { lr: 0.05 },
  radam: { lr: 0.05 },
  adadelta: { lr: 1.0, eps: 1e-3 },
  amsgrad: { lr: 0.05 },
  adafactor: {},
  adabelief: { lr: 0.05 },
  adabound: { lr: 0.05, finalLr: 0.05 },
  amsbound: { lr: 0.05, finalLr: 0.05 },
  laprop: { lr: 0.05 },
  diffgrad: { lr: 0.05 },
  adan: { lr: 0.05 },
  fadam: { lr: 0.05, weightDecay: 0 },
  lars: { lr: 0.1, trustCoefficient: 0.1 },
  lamb: { lr: 0.05 },
  novograd: { lr: 0.05 },
  adamp: { lr: 0.05, weightDecay: 0.01 },
  sgdp: { lr: 0.05, momentum: 0.9 },
  sgdw: { lr: 0.05, momentum: 0.9, weightDecay: 0.001 },
  lbfgs: { lr: 1, maxIter: 5, lineSearchFn: 'strong_wolfe' },
};

export function create(name: string, overrides: Record<string, unknown> = {}): optim.OptilabOptimizer {
  const f = (optim as unknown as Record<string, Factory>)[name];
  if (typeof f !== 'function') throw new Error(`no optimizer factory optim.${name}`);
  return f({ ...OPTIMIZERS[name], ...overrides });
}
