/**
 * Optimizers: optax-style gradient transformations, a `tf.Optimizer` adapter,
 * torch.optim-compatible optimizers and the optimizers of the papers in the
 * catalog. See the README section "Optimizers".
 */
export * as tree from './tree.js';
export type { TensorTree } from './tree.js';
export * from './transform.js';
export * from './transforms.js';
export * from './wrappers.js';
export * from './clipping.js';
export * as schedules from './schedules.js';
export type { Schedule, ScheduleSpec } from './schedules.js';
export * from './adapter.js';
export * from './averaging.js';
export * from './adam.js';
export * from './adamw.js';
export * from './sgd.js';
export * from './adagrad.js';
export * from './rmsprop.js';
export * from './adamax.js';
export * from './nadam.js';
export * from './radam.js';
export * from './adadelta.js';
export * from './lbfgs.js';
export * from './amsgrad.js';
export * from './adafactor.js';
export * from './adabelief.js';
export * from './adabound.js';
export * from './laprop.js';
export * from './diffgrad.js';
export * from './adan.js';
export * from './fadam.js';
export * from './lars.js';
export * from './lamb.js';
export * from './novograd.js';
export * from './adamp.js';
export * from './sgdw.js';
