/**
 * Classification losses and metrics on logits and integer labels.
 *
 *   const loss = nn.crossEntropy(net.apply(xb), yb);    // mean over the batch, in nats
 *   nn.accuracy(net.apply(test.x), test.y)               // a number in [0, 1]
 */
import * as tf from '../backend/tf.js';
import { checkTensor } from '../backend/args.js';
import { fusedNode } from '../backend/fused_node.js';

function checkShapes(owner: string, logits: tf.Tensor, labels: tf.Tensor): void {
  checkTensor(owner, 'logits', logits, { shape: '[batch, classes]' });
  checkTensor(owner, 'labels', labels, { shape: '[batch] of class indices' });
  if (logits.rank !== 2) throw new RangeError(`${owner}: logits must have shape [batch, classes], got [${logits.shape}]`);
  if (labels.size !== logits.shape[0]) throw new RangeError(`${owner}: labels must hold one class index per row (${logits.shape[0]}), got shape [${labels.shape}]`);
}

/**
 * Mean softmax cross-entropy of integer labels (int32, [batch] or [batch, 1]). One fused
 * node (lib/backend/fused_node.ts): the loss and its gradient (softmax - onehot) / batch in
 * one host pass over the logits instead of some thirty TF.js ops; under a nested tape the
 * op-by-op form below runs instead. A label outside [0, classes) contributes nothing, as
 * with tf.oneHot.
 */
export function crossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  checkShapes('crossEntropy', logits, labels);
  if (logits.dtype !== 'float32') return crossEntropyOps(logits, labels);
  const [B, K] = logits.shape as [number, number];
  let probabilities: Float32Array | null = null;
  let classes: Int32Array | null = null;
  const forward = () => {
    const z = logits.dataSync() as Float32Array;
    const y = labels.dataSync();
    probabilities = new Float32Array(B * K);
    classes = new Int32Array(B);
    let total = 0;
    for (let i = 0; i < B; i++) {
      let max = -Infinity;
      for (let k = 0; k < K; k++) max = Math.max(max, z[i * K + k]);
      let sum = 0;
      for (let k = 0; k < K; k++) sum += Math.exp(z[i * K + k] - max);
      for (let k = 0; k < K; k++) probabilities[i * K + k] = Math.exp(z[i * K + k] - max) / sum;
      const c = Math.trunc(y[i]);
      classes[i] = c >= 0 && c < K ? c : -1;
      if (classes[i] >= 0) total += max + Math.log(sum) - z[i * K + c];
    }
    return [tf.scalar(total / B)];
  };
  const backward = (dys: tf.Tensor[]) => [
    () => {
      const scale = dys[0].dataSync()[0] / B;
      const g = new Float32Array(B * K);
      for (let i = 0; i < B; i++) {
        if (classes![i] < 0) continue;
        for (let k = 0; k < K; k++) g[i * K + k] = probabilities![i * K + k] * scale;
        g[i * K + classes![i]] -= scale;
      }
      return tf.tensor2d(g, [B, K]);
    },
    () => tf.zerosLike(labels),
  ];
  return fusedNode({ inputs: [logits, labels], forward, backward, opByOp: ([z, y]) => [crossEntropyOps(z, y)] })[0] as tf.Scalar;
}

/** The cross-entropy in TF.js ops (differentiable to any order). */
function crossEntropyOps(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
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
