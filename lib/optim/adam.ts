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
import { cautious } from './cautious.js';

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

/** Options shared by torch's Adam family (Adam, AdamW, NAdam, RAdam). */
export interface AdamFamilyConfig extends CommonOptions {
  lr?: number | Schedule;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  /** Parameters weight decay applies to (default all), e.g. `(p) => p.rank > 1`. */
  weightDecayMask?: Mask;
  /** Decay p *= 1 - lr * weightDecay instead of adding weightDecay * p to the gradient. */
  decoupledWeightDecay?: boolean;
  maximize?: boolean;
  /** Cautious masking of the Adam direction (Liang et al. 2024, see `cautious.ts`). */
  cautious?: boolean;
}

export const ADAM_FAMILY_KEYS = ['lr', 'betas', 'eps', 'weightDecay', 'weightDecayMask', 'decoupledWeightDecay', 'maximize', 'cautious', ...COMMON_KEYS];

export interface AdamFamilyOptions {
  lr: number | Schedule;
  b1: number;
  b2: number;
  eps: number;
  weightDecay: number;
  decoupled: boolean;
  maximize: boolean;
  cautious: boolean;
  mask?: Mask;
}

/** Validates the shared options, given the optimizer's defaults. */
export function checkAdamFamily(
  owner: string,
  c: AdamFamilyConfig,
  defaults: { lr: number; weightDecay: number; decoupled: boolean },
): AdamFamilyOptions {
  const [b1, b2] = checkBetas(owner, 'betas', c.betas ?? [0.9, 0.999], 2);
  return {
    lr: checkLearningRate(owner, 'lr', c.lr ?? defaults.lr),
    b1,
    b2,
    eps: checkNonNegative(owner, 'eps', c.eps ?? 1e-8),
    weightDecay: checkNonNegative(owner, 'weightDecay', c.weightDecay ?? defaults.weightDecay),
    decoupled: checkBoolean(owner, 'decoupledWeightDecay', c.decoupledWeightDecay ?? defaults.decoupled),
    maximize: checkBoolean(owner, 'maximize', c.maximize ?? false),
    cautious: checkBoolean(owner, 'cautious', c.cautious ?? false),
    mask: c.weightDecayMask,
  };
}

/**
 * torch's order of operations around an Adam-family direction `core`: negate
 * when maximizing, coupled L2 or decoupled decay, then the learning rate. With
 * `cautious` the direction is masked where it disagrees with the gradient.
 */
export function adamFamilyChain(core: GradientTransformation, o: AdamFamilyOptions): GradientTransformation {
  return chain(
    ...torchPrelude(o.maximize, o.decoupled ? 0 : o.weightDecay, o.mask),
    o.cautious ? cautious(core) : core,
    ...(o.decoupled && o.weightDecay !== 0 ? [addDecayedWeights(o.weightDecay, o.mask)] : []),
    scaleByLearningRate(o.lr),
  );
}

export interface AdamConfig extends AdamFamilyConfig {
  amsgrad?: boolean;
}

/** The chain behind torch's Adam and AdamW (they differ in defaults only). */
export function buildAdam(owner: string, c: AdamConfig, defaults: { weightDecay: number; decoupled: boolean }): BuiltOptimizer {
  const keys = [...ADAM_FAMILY_KEYS, 'amsgrad'];
  checkKnownKeys(owner, c, owner === 'adamw' ? keys.filter((k) => k !== 'decoupledWeightDecay') : keys);
  const o = checkAdamFamily(owner, c, { lr: 1e-3, ...defaults });
  const amsgrad = checkBoolean(owner, 'amsgrad', c.amsgrad ?? false);
  let transform = adamFamilyChain(scaleByAdam({ b1: o.b1, b2: o.b2, eps: o.eps, amsgrad }), o);
  if (o.mask === undefined && !o.cautious) transform = fusedAdam(transform, { ...o, amsgrad });
  return { transform, lr: o.lr, nonFinite: c.nonFinite };
}

export const Adam = defineOptimizer<AdamConfig>('Adam', 'adam', (c) => buildAdam('adam', c, { weightDecay: 0, decoupled: false }));

/** torch.optim.Adam with camelCase options. */
export function adam(config: AdamConfig = {}): InstanceType<typeof Adam> {
  return new Adam(config);
}
