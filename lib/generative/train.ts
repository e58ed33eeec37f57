/**
 * The training loop shared by every objective: minimise a scalar loss over a
 * network's variables for a number of steps, stop with a clear message on a
 * non-finite loss, report progress through a callback.
 */
import * as tf from '../backend/tf.js';
import { adam } from '../optim/adam.js';

export interface TrainOptions {
  steps: number;
  /** Learning rate of the default optimizer (Adam). */
  lr?: number;
  /** Any tf.Optimizer (e.g. an optim.* adapter); the default is optim.adam({ lr }). */
  optimizer?: tf.Optimizer;
  /** Called after every step with the loss. */
  onStep?: (step: number, loss: number) => void;
}

/** The optimizer used when none is given. */
function defaultOptimizer(lr: number): tf.Optimizer {
  return adam({ lr });
}

/** Runs `steps` optimisation steps of loss(step) (a scalar tensor: rank 0, or one element); returns the loss history. */
export function train(params: tf.Variable[], loss: (step: number) => tf.Tensor, { steps, lr = 1e-3, optimizer, onStep }: TrainOptions): { losses: Float64Array } {
  if (!Number.isInteger(steps) || steps < 0) throw new Error(`train: steps must be a non-negative integer, got ${steps}`);
  if (!(lr > 0)) throw new Error(`train: lr must be positive, got ${lr}`);
  if (params.length === 0) throw new Error('train: no variables to train');
  const opt = optimizer ?? defaultOptimizer(lr);
  const losses = new Float64Array(steps);
  try {
    for (let step = 0; step < steps; step++) {
      // the loss is checked before any gradient is taken, so a non-finite loss never reaches the parameters
      let v = NaN;
      opt.minimize(() => {
        const cost = loss(step);
        if (!(cost instanceof tf.Tensor) || cost.size !== 1) {
          throw new Error(`train: the loss must be a scalar tensor, got ${cost instanceof tf.Tensor ? `shape [${cost.shape}]` : typeof cost} at step ${step}; reduce it with tf.mean`);
        }
        v = cost.dataSync()[0];
        if (!Number.isFinite(v)) throw new Error(`train: the loss became ${v} at step ${step}; lower the learning rate or check the data`);
        return cost.rank === 0 ? (cost as tf.Scalar) : tf.reshape(cost, []);
      }, false, params);
      losses[step] = v;
      onStep?.(step, v);
    }
  } finally {
    if (!optimizer) opt.dispose();
  }
  return { losses };
}
