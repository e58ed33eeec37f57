/**
 * Adam: Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015
 * (arXiv:1412.6980), Algorithm 1. Semantics and defaults follow
 * torch.optim.Adam (torch 2.13): lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
 * weightDecay=0 as a coupled L2 term (or decoupled with
 * `decoupledWeightDecay`, which is AdamW), `amsgrad` with torch's convention
 * (running max of the raw second moment, divided by the current bias
 * correction), `maximize`. Checked against torch.optim.Adam trajectories.
 *
 *   m = b1 m + (1-b1) g ;  v = b2 v + (1-b2) g^2
 *   p -= lr * (m / bc1) / (sqrt(v / bc2) + eps)        bc_i = 1 - b_i^t
 */
import * as tf from '../backend/tf.js';
import { type TensorTree, map, updateMoment, zerosLike } from './tree.js';
import { type GradientTransformation, chain } from './transform.js';
import { type Schedule } from './schedules.js';
import { addDecayedWeights, scaleByLearningRate, torchPrelude } from './transforms.js';
import { type Mask } from './wrappers.js';
import { type BuiltOptimizer, type CommonOptions, COMMON_KEYS, defineOptimizer } from './adapter.js';
import { checkBetas, checkBoolean, checkKnownKeys, checkLearningRate, checkNonNegative } from './validate.js';
import { fusedAdam } from './fused/adam_fused.js';

export type AmsgradConvention = 'torch' | 'optax';

export interface ScaleByAdamOptions {
  b1?: number;
  b2?: number;
  eps?: number;
  /** Added inside the square root (optax `eps_root`). */
  epsRoot?: number;
  /**
   * AMSGrad: keep the running maximum of the second moment. 'torch' (or true)
   * takes the max of the raw moment and divides by the current bias correction;
   * 'optax' takes the max of the bias-corrected moment.
   */
  amsgrad?: boolean | AmsgradConvention;
  /** Divide the moments by 1 - b^t (default true; false is the AMSGrad paper's form). */
  biasCorrection?: boolean;
}

export interface ScaleByAdamState {
  count: number;
  mu: TensorTree;
  nu: TensorTree;
  /** Running maximum of the second moment (AMSGrad only). */
  nuMax?: TensorTree;
}

/** Adam's update direction m_hat / (sqrt(v_hat + epsRoot) + eps) (optax `scale_by_adam`). */
export function scaleByAdam(options: ScaleByAdamOptions = {}): GradientTransformation<ScaleByAdamState> {
  const { b1 = 0.9, b2 = 0.999, eps = 1e-8, epsRoot = 0, biasCorrection = true } = options;
  const ams = options.amsgrad === true ? 'torch' : options.amsgrad || false;
  return {
    init: (params) => ({ count: 0, mu: zerosLike(params), nu: zerosLike(params), ...(ams ? { nuMax: zerosLike(params) } : {}) }),
    update: (u, state) => {
      const count = state.count + 1;
      const bc1 = biasCorrection ? 1 - b1 ** count : 1;
      const bc2 = biasCorrection ? 1 - b2 ** count : 1;
      const mu = updateMoment(u, state.mu, b1, 1);
      const nu = updateMoment(u, state.nu, b2, 2);
      let nuMax: TensorTree | undefined;
      let nuHat: TensorTree;
      if (ams === 'torch') {
        nuMax = map((a, v) => tf.maximum(a, v), state.nuMax!, nu);
        nuHat = map((v) => tf.div(v, bc2), nuMax);
      } else if (ams === 'optax') {
        nuMax = map((a, v) => tf.maximum(a, tf.div(v, bc2)), state.nuMax!, nu);
        nuHat = nuMax;
      } else nuHat = map((v) => tf.div(v, bc2), nu);
      const updates = map(
        (m, v) => tf.div(tf.div(m, bc1), tf.add(tf.sqrt(epsRoot === 0 ? v : tf.add(v, epsRoot)), eps)),
        mu,
        nuHat,
      );
      return { updates, state: { count, mu, nu, ...(nuMax ? { nuMax } : {}) } };
    },
  };
}

export interface AdamConfig extends CommonOptions {
  lr?: number | Schedule;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  /** Parameters weight decay applies to (default all), e.g. `(p) => p.rank > 1`. */
  weightDecayMask?: Mask;
  decoupledWeightDecay?: boolean;
  amsgrad?: boolean;
  maximize?: boolean;
}

const ADAM_KEYS = ['lr', 'betas', 'eps', 'weightDecay', 'weightDecayMask', 'decoupledWeightDecay', 'amsgrad', 'maximize', ...COMMON_KEYS];

/** The chain behind torch's Adam and AdamW (they differ in defaults only). */
export function buildAdam(owner: string, c: AdamConfig, defaults: { weightDecay: number; decoupled: boolean }): BuiltOptimizer {
  checkKnownKeys(owner, c, owner === 'adamw' ? ADAM_KEYS.filter((k) => k !== 'decoupledWeightDecay') : ADAM_KEYS);
  const lr = checkLearningRate(owner, 'lr', c.lr ?? 1e-3);
  const [b1, b2] = checkBetas(owner, 'betas', c.betas ?? [0.9, 0.999], 2);
  const eps = checkNonNegative(owner, 'eps', c.eps ?? 1e-8);
  const wd = checkNonNegative(owner, 'weightDecay', c.weightDecay ?? defaults.weightDecay);
  const decoupled = checkBoolean(owner, 'decoupledWeightDecay', c.decoupledWeightDecay ?? defaults.decoupled);
  const amsgrad = checkBoolean(owner, 'amsgrad', c.amsgrad ?? false);
  const maximize = checkBoolean(owner, 'maximize', c.maximize ?? false);
  const parts = [
    ...torchPrelude(maximize, decoupled ? 0 : wd, c.weightDecayMask),
    scaleByAdam({ b1, b2, eps, amsgrad }),
    ...(decoupled && wd !== 0 ? [addDecayedWeights(wd, c.weightDecayMask)] : []),
    scaleByLearningRate(lr),
  ];
  let transform = chain(...parts);
  if (c.weightDecayMask === undefined) {
    transform = fusedAdam(transform, { lr, b1, b2, eps, weightDecay: wd, decoupled, amsgrad, maximize });
  }
  return { transform, lr, nonFinite: c.nonFinite };
}

export const Adam = defineOptimizer<AdamConfig>('Adam', 'adam', (c) => buildAdam('adam', c, { weightDecay: 0, decoupled: false }));

/** torch.optim.Adam with camelCase options. */
export function adam(config: AdamConfig = {}): InstanceType<typeof Adam> {
  return new Adam(config);
}
