/**
 * Polyak step size for momentum methods, ALR-SMAG: Wang, Johansson & Zhang,
 * "Generalized Polyak Step Size for First Order Optimization with Momentum",
 * ICML 2023 (arXiv:2305.12939). The authors released no code; this follows the
 * port by F. Schaipp (`AlrSmag`, the MoMo authors' benchmark code) with its
 * defaults: lr (the cap gamma_b) = 0.1, beta = 0.9, lowerBound (l*) = 0, c = 1.
 *
 *   d_k = beta d_{k-1} + g_k                     (a moving sum, d_0 = 0)
 *   tau_k = min(lr, (f(x_k) - l*) / (c ||d_k||^2))
 *   x_{k+1} = x_k - tau_k d_k
 *
 * The step size is the Polyak step of the momentum direction, so its size adapts
 * to beta by itself (a larger beta gives a longer d and a proportionally smaller
 * tau): the paper's claim is that the method is insensitive to beta and avoids
 * heavy-ball oscillation on ill-conditioned problems. `lr: Infinity` removes the
 * cap (the deterministic ALR-MAG). Needs the loss (see `polyak.ts`).
 */
import { chain } from './transform.js';
import { scaleByLearningRate, trace } from './transforms.js';
import { scaleByPolyak } from './polyak.js';
import { type CommonOptions, COMMON_KEYS, defineOptimizer } from './adapter.js';
import { checkBeta, checkKnownKeys, checkNumber, checkPositive } from './validate.js';

export interface PolyakMomentumConfig extends CommonOptions {
  /** Cap on the step size (gamma_b); Infinity for none. */
  lr?: number;
  beta?: number;
  /** Lower bound l* of the loss. */
  lowerBound?: number;
  c?: number;
}

export const PolyakMomentum = defineOptimizer<PolyakMomentumConfig>('PolyakMomentum', 'polyakMomentum', (c) => {
  const o = 'polyakMomentum';
  checkKnownKeys(o, c, ['lr', 'beta', 'lowerBound', 'c', ...COMMON_KEYS]);
  const lr = checkPositive(o, 'lr', c.lr ?? 0.1);
  const beta = checkBeta(o, 'beta', c.beta ?? 0.9);
  const fMin = checkNumber(o, 'lowerBound', c.lowerBound ?? 0);
  const cc = checkPositive(o, 'c', c.c ?? 1);
  const transform = chain(
    ...(beta > 0 ? [trace({ decay: beta })] : []),
    scaleByPolyak({ maxLr: lr, fMin, c: cc }),
    scaleByLearningRate(1),
  );
  return { transform, nonFinite: c.nonFinite };
});

/** ALR-SMAG: heavy-ball-style momentum with a Polyak step size. */
export function polyakMomentum(config: PolyakMomentumConfig = {}): InstanceType<typeof PolyakMomentum> {
  return new PolyakMomentum(config);
}
