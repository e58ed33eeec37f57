/**
 * RAdam: Liu et al., "On the Variance of the Adaptive Learning Rate and
 * Beyond", ICLR 2020. Semantics and defaults of torch.optim.RAdam (torch 2.13):
 * lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weightDecay=0 (L2, or decoupled with
 * `decoupledWeightDecay`), maximize=false.
 *
 *   rho_inf = 2/(1-b2) - 1 ;  rho_t = rho_inf - 2 t b2^t / (1 - b2^t)
 *   rho_t > 5: p -= lr m_hat r_t sqrt(bc2) / (sqrt(v) + eps),
 *              r_t = sqrt((rho_t-4)(rho_t-2) rho_inf / ((rho_inf-4)(rho_inf-2) rho_t))
 *   else:      p -= lr m_hat
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, map, updateMoment, zerosLike } from './tree.js';
import { type GradientTransformation } from './transform.js';
import { type AdamFamilyConfig, ADAM_FAMILY_KEYS, adamFamilyChain, checkAdamFamily } from './adam.js';
import { defineOptimizer } from './adapter.js';
import { checkKnownKeys } from './validate.js';

export interface ScaleByRadamState {
  count: number;
  mu: TensorTree;
  nu: TensorTree;
}

/**
 * RAdam's rectification factor at step t, or undefined while the variance is
 * intractable (rho_t <= threshold; with `inclusive`, rho_t < threshold as in
 * AdaBelief's code).
 */
export function radamRectifier(b2: number, t: number, threshold = 5, inclusive = false): number | undefined {
  const rhoInf = 2 / (1 - b2) - 1;
  const rhoT = rhoInf - (2 * t * b2 ** t) / (1 - b2 ** t);
  if (!(inclusive ? rhoT >= threshold : rhoT > threshold)) return undefined;
  return Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
}

export function scaleByRadam({ b1 = 0.9, b2 = 0.999, eps = 1e-8 } = {}): GradientTransformation<ScaleByRadamState> {
  return {
    init: (params) => ({ count: 0, mu: zerosLike(params), nu: zerosLike(params) }),
    update: (u, state) => {
      const t = state.count + 1;
      const mu = updateMoment(u, state.mu, b1, 1);
      const nu = updateMoment(u, state.nu, b2, 2);
      const bc1 = 1 - b1 ** t;
      const bc2 = 1 - b2 ** t;
      const rect = radamRectifier(b2, t);
      const updates =
        rect === undefined
          ? map((m) => tf.div(m, bc1), mu)
          : map((m, v) => tf.mul(tf.div(m, bc1), tf.div(rect * Math.sqrt(bc2), tf.add(tf.sqrt(v), eps))), mu, nu);
      return { updates, state: { count: t, mu, nu } };
    },
  };
}

export type RAdamConfig = AdamFamilyConfig;

export const RAdam = defineOptimizer<RAdamConfig>('RAdam', 'radam', (c) => {
  checkKnownKeys('radam', c, ADAM_FAMILY_KEYS);
  const f = checkAdamFamily('radam', c, { lr: 1e-3, weightDecay: 0, decoupled: false });
  return { transform: adamFamilyChain(scaleByRadam({ b1: f.b1, b2: f.b2, eps: f.eps }), f), lr: f.lr, nonFinite: c.nonFinite };
});

/** torch.optim.RAdam with camelCase options. */
export function radam(config: RAdamConfig = {}): InstanceType<typeof RAdam> {
  return new RAdam(config);
}
