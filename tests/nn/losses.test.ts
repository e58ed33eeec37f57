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
