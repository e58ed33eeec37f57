/** optimizePath: closed-form gradients and TF.js losses give the same trajectory; projection onto a box. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, optim, experiments } from '../../lib/index.js';
import { assertClose } from '../helpers.js';

test('optimizePath follows SGD exactly, from a gradient function or a loss', () => {
  // f(x, y) = x^2 + 3 y^2; SGD with lr 0.1: x <- 0.8 x, y <- 0.4 y
  const a = optim.sgd({ lr: 0.1 });
  const viaGradient = experiments.optimizePath(a, { x0: [1, -2], steps: 3, gradient: ([x, y]) => [2 * x, 6 * y] });
  const b = optim.sgd({ lr: 0.1 });
  const viaLoss = experiments.optimizePath(b, { x0: [1, -2], steps: 3, loss: (p) => tf.sum(tf.mul(tf.tensor1d([1, 3]), tf.square(p))) as tf.Scalar });
  assert.deepEqual(viaGradient.map((p) => p.step), [0, 1, 2, 3]);
  for (let i = 0; i <= 3; i++) {
    assertClose(viaGradient[i].x, [0.8 ** i, -2 * 0.4 ** i], { rtol: 1e-6 });
    assertClose(viaLoss[i].x, viaGradient[i].x, { rtol: 1e-6 });
  }
  a.dispose();
  b.dispose();
});

test('optimizePath: online gradients see the step, bounds project, every thins the path', () => {
  const opt = optim.sgd({ lr: 1 });
  const seen: number[] = [];
  const path = experiments.optimizePath(opt, { x0: [0], steps: 5, gradient: (_x, t) => (seen.push(t), [-1]), bounds: [-1, 2.5], every: 2 });
  assert.deepEqual(seen, [1, 2, 3, 4, 5]);
  assert.deepEqual(path.map((p) => [p.step, p.x[0]]), [[0, 0], [2, 2], [4, 2.5], [5, 2.5]]);
  assert.throws(() => experiments.optimizePath(opt, { x0: [0], steps: 1 }), /exactly one of gradient/);
  assert.throws(() => experiments.optimizePath(opt, { x0: [0, 0], steps: 1, gradient: () => [1], bounds: [[0, 1]] }), /bounds must be/);
  const before = tf.memory().numTensors;
  const other = optim.adam({ lr: 0.1 });
  experiments.optimizePath(other, { x0: [1, 1], steps: 4, gradient: (x) => x });
  other.dispose();
  assert.equal(tf.memory().numTensors, before);
  opt.dispose();
});
