/** Cross-entropy and accuracy on integer labels, against TF.js's one-hot softmax cross-entropy and a hand count. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, nn } from '../../lib/index.js';
import { assertClose } from '../helpers.js';

test('crossEntropy equals tf.losses.softmaxCrossEntropy of the one-hot labels; accuracy counts argmax hits', () => {
  const logits = tf.tensor2d([[2, 1, 0], [0.5, 0.2, 3], [1, 1.5, -1], [0, 0, 0]]);
  const labels = tf.tensor1d([0, 2, 0, 1], 'int32');
  const ref = tf.losses.softmaxCrossEntropy(tf.oneHot(labels, 3), logits);
  assertClose(nn.crossEntropy(logits, labels).dataSync()[0], ref.dataSync()[0], { rtol: 1e-6 });
  assert.equal(nn.accuracy(logits, labels), 0.5); // rows 0 and 1 (row 3 ties: argmax 0, label 1)
  assert.throws(() => nn.crossEntropy(logits, tf.tensor1d([0, 1], 'int32')), /crossEntropy: labels must hold one class index per row \(4\), got shape \[2\]/);
  tf.dispose([logits, labels, ref]);
});

test('crossEntropy: the fused gradient equals that of tf.losses.softmaxCrossEntropy, and second derivatives go through TF.js ops', () => {
  const logits = tf.tensor2d([[2, -1, 0.5, 3], [0.1, 0.2, -0.3, 0.4], [-2, 5, 1, 0], [1, 1, 1, 1], [0, -4, 2, 2]]);
  const labels = tf.tensor1d([3, 1, 1, 0, 2], 'int32');
  const onehot = tf.oneHot(labels, 4);
  const grad = (f: (z: tf.Tensor) => tf.Tensor) => tf.grad(f)(logits).dataSync();
  assertClose(grad((z) => nn.crossEntropy(z, labels)), grad((z) => tf.losses.softmaxCrossEntropy(onehot, z)), { rtol: 1e-5, atol: 1e-7 });
  // Hessian-vector product: a nested tape, where the op-by-op form runs
  const v = tf.tensor2d([[1, 0, -1, 2], [0.5, 0.5, 0.5, 0.5], [3, -1, 0, 1], [0, 0, 1, 0], [-1, 2, 0, 1]]);
  const hvp = (f: (z: tf.Tensor) => tf.Tensor) => tf.grad((z) => tf.sum(tf.mul(tf.grad(f)(z), v)))(logits).dataSync();
  const reference = hvp((z) => tf.losses.softmaxCrossEntropy(onehot, z));
  assert.ok(Math.max(...Array.from(reference, Math.abs)) > 1e-3, 'a non-trivial Hessian-vector product');
  assertClose(hvp((z) => nn.crossEntropy(z, labels)), reference, { rtol: 1e-4, atol: 1e-6 });
  tf.dispose([logits, labels, onehot, v]);
});
