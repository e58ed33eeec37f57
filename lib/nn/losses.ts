/**
 * Classification losses and metrics on logits and integer labels.
 *
 *   const loss = nn.crossEntropy(net.apply(xb), yb);    // mean over the batch, in nats
 *   nn.accuracy(net.apply(test.x), test.y)               // a number in [0, 1]
 */
import * as tf from '../backend/tf.js';

function checkShapes(owner: string, logits: tf.Tensor, labels: tf.Tensor): void {
  if (logits.rank !== 2) throw new RangeError(`${owner}: logits must have shape [batch, classes], got [${logits.shape}]`);
  if (labels.size !== logits.shape[0]) throw new RangeError(`${owner}: labels must hold one class index per row (${logits.shape[0]}), got shape [${labels.shape}]`);
}

/** Mean softmax cross-entropy of integer labels (int32, [batch] or [batch, 1]). */
export function crossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  checkShapes('crossEntropy', logits, labels);
  return tf.tidy(() => {
    const onehot = tf.oneHot(tf.cast(tf.reshape(labels, [-1]), 'int32') as tf.Tensor1D, logits.shape[1] as number);
    return tf.mean(tf.neg(tf.sum(tf.mul(onehot, tf.logSoftmax(logits)), 1))) as tf.Scalar;
  });
}

/** Share of rows whose largest logit is at the label. */
export function accuracy(logits: tf.Tensor, labels: tf.Tensor): number {
  checkShapes('accuracy', logits, labels);
  return tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), tf.cast(tf.reshape(labels, [-1]), 'int32')), 'float32')).dataSync()[0]);
}
