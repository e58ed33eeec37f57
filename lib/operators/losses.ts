/**
 * Losses and error metrics of operator learning. The relative L2 error of a
 * sample is ||pred - y|| / ||y|| over all its grid values and channels (the
 * grid spacing cancels); the loss and the reported error average it over the
 * samples, as neuraloperator's LpLoss(p=2) does.
 */
import * as tf from '../backend/tf.js';

function checkPair(owner: string, pred: tf.Tensor, y: tf.Tensor): void {
  if (pred.rank < 1 || pred.shape.length !== y.shape.length || pred.shape.some((d, i) => d !== y.shape[i])) {
    throw new Error(`${owner}: pred and y must have the same shape [batch, ...], got [${pred.shape.join(', ')}] and [${y.shape.join(', ')}]`);
  }
}

/** Per-sample relative L2 error as a [batch] tensor (differentiable). */
export function relativeL2PerSample(pred: tf.Tensor, y: tf.Tensor): tf.Tensor1D {
  checkPair('relativeL2PerSample', pred, y);
  return tf.tidy(() => {
    const B = pred.shape[0];
    const diff = tf.reshape(tf.sub(pred, y), [B, -1]);
    const ref = tf.reshape(y, [B, -1]);
    return tf.div(tf.sqrt(tf.sum(tf.square(diff), 1)), tf.sqrt(tf.sum(tf.square(ref), 1))) as tf.Tensor1D;
  });
}

/** Mean over the batch of the per-sample relative L2 error: the training loss. */
export function relativeL2Loss(pred: tf.Tensor, y: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(relativeL2PerSample(pred, y)) as tf.Scalar);
}

/** Mean squared error over all values. */
export function mseLoss(pred: tf.Tensor, y: tf.Tensor): tf.Scalar {
  checkPair('mseLoss', pred, y);
  return tf.tidy(() => tf.mean(tf.square(tf.sub(pred, y))) as tf.Scalar);
}

export interface ErrorSummary {
  /** Mean per-sample relative L2 error (the number papers report). */
  relativeL2: number;
  /** Median and worst per-sample relative L2 error. */
  medianRelativeL2: number;
  maxRelativeL2: number;
  /** Root mean squared error and the largest absolute error over all values. */
  rmse: number;
  maxAbs: number;
  /** Per-sample relative L2 errors. */
  perSample: number[];
}

/** Error statistics of predictions against references (numbers, no tensors kept). */
export function errorSummary(pred: tf.Tensor, y: tf.Tensor): ErrorSummary {
  checkPair('errorSummary', pred, y);
  const errors = relativeL2PerSample(pred, y);
  const perSample = Array.from(errors.dataSync());
  errors.dispose();
  const [rmse, maxAbs] = tf.tidy(() => {
    const d = tf.sub(pred, y);
    return [tf.sqrt(tf.mean(tf.square(d))).dataSync()[0], tf.max(tf.abs(d)).dataSync()[0]];
  });
  const sorted = [...perSample].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return {
    relativeL2: perSample.reduce((s, v) => s + v, 0) / perSample.length,
    medianRelativeL2: sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2,
    maxRelativeL2: sorted[sorted.length - 1],
    rmse,
    maxAbs,
    perSample,
  };
}
