/**
 * NAdam: Dozat, "Incorporating Nesterov Momentum into Adam", ICLR 2016
 * workshop. Semantics and defaults of torch.optim.NAdam (torch 2.13): lr=2e-3,
 * betas=(0.9, 0.999), eps=1e-8, weightDecay=0 (L2, or decoupled as in NAdamW
 * with `decoupledWeightDecay`), momentumDecay=4e-3, maximize=false.
 *
 *   mu_t = b1 (1 - 0.5 * 0.96^(t psi)) ;  P_t = prod_{i<=t} mu_i
 *   p -= lr (1-mu_t)/(1-P_t) g/d + lr mu_{t+1}/(1-P_t mu_{t+1}) m/d,  d = sqrt(v/bc2) + eps
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, map, updateMoment, zerosLike } from './tree.js';
import { type GradientTransformation } from './transform.js';
import { type AdamFamilyConfig, ADAM_FAMILY_KEYS, adamFamilyChain, checkAdamFamily } from './adam.js';
import { defineOptimizer } from './adapter.js';
import { checkKnownKeys, checkNonNegative } from './validate.js';

export interface ScaleByNadamState {
  count: number;
  muProduct: number;
  mu: TensorTree;
  nu: TensorTree;
}

export function scaleByNadam({ b1 = 0.9, b2 = 0.999, eps = 1e-8, momentumDecay = 4e-3 } = {}): GradientTransformation<ScaleByNadamState> {
  return {
    init: (params) => ({ count: 0, muProduct: 1, mu: zerosLike(params), nu: zerosLike(params) }),
    update: (u, state) => {
      const t = state.count + 1;
      const bc2 = 1 - b2 ** t;
      const muT = b1 * (1 - 0.5 * 0.96 ** (t * momentumDecay));
      const muNext = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * momentumDecay));
      const muProduct = state.muProduct * muT;
      const cg = (1 - muT) / (1 - muProduct);
      const cm = muNext / (1 - muProduct * muNext);
      const mu = updateMoment(u, state.mu, b1, 1);
      const nu = updateMoment(u, state.nu, b2, 2);
      const updates = map((g, m, v) => {
        const d = tf.add(tf.sqrt(tf.div(v, bc2)), eps);
        return tf.add(tf.div(tf.mul(g, cg), d), tf.div(tf.mul(m, cm), d));
      }, u, mu, nu);
      return { updates, state: { count: t, muProduct, mu, nu } };
    },
  };
}

export interface NAdamConfig extends AdamFamilyConfig {
  momentumDecay?: number;
}

export const NAdam = defineOptimizer<NAdamConfig>('NAdam', 'nadam', (c) => {
  checkKnownKeys('nadam', c, [...ADAM_FAMILY_KEYS, 'momentumDecay']);
  const f = checkAdamFamily('nadam', c, { lr: 2e-3, weightDecay: 0, decoupled: false });
  const momentumDecay = checkNonNegative('nadam', 'momentumDecay', c.momentumDecay ?? 4e-3);
  return { transform: adamFamilyChain(scaleByNadam({ b1: f.b1, b2: f.b2, eps: f.eps, momentumDecay }), f), lr: f.lr, nonFinite: c.nonFinite };
});

/** torch.optim.NAdam with camelCase options. */
export function nadam(config: NAdamConfig = {}): InstanceType<typeof NAdam> {
  return new NAdam(config);
}
