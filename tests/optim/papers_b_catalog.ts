/** The optimizers of the second paper batch with configurations that train the small test problems. */
import { optim } from '../../lib/index.js';

export const OPTIMIZERS_B: Record<string, Record<string, unknown>> = {
  dog: {},
  ldog: {},
  dowg: {},
  adog: {},
  udog: {},
  momo: {},
  momoAdam: { lr: 0.1 },
  polyakSgd: {},
  polyakMomentum: {},
  sania: {},
  gravity: { lr: 0.05, seed: 1 },
  xgrad: { base: 'adam', lr: 0.05 },
  optimisticAmsgrad: { lr: 0.05 },
  complexMomentum: { lr: 0.05 },
  adaptiveBraking: { lr: 0.05 },
  adamCm: { lr: 0.05 },
};

export function createB(name: string, overrides: Record<string, unknown> = {}): optim.TransformOptimizer {
  const f = (optim as unknown as Record<string, (c: unknown) => optim.TransformOptimizer>)[name];
  if (typeof f !== 'function') throw new Error(`no optimizer factory optim.${name}`);
  return f({ ...OPTIMIZERS_B[name], ...overrides });
}
