/** The delayed-gradient simulator: stale weights, delay distributions. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, optim, delay } from '../../lib/index.js';

const vals = (t: tf.Tensor) => Array.from(t.dataSync());
const close = (a: number, b: number, rtol = 1e-4, atol = 1e-6) => Math.abs(a - b) <= atol + rtol * Math.abs(b);

test('DelayedGradients applies the gradient taken at the weights of D steps ago', () => {
  const x = tf.variable(tf.tensor1d([1]));
  const lr = 0.1;
  const sim = new delay.DelayedGradients(optim.sgd({ lr }), [x], { delay: 3 });
  const hist = [1];
  for (let t = 0; t < 10; t++) {
    sim.step(() => tf.mul(0.5, tf.sum(tf.square(x))) as tf.Scalar);
    const stale = hist[Math.max(0, hist.length - 1 - 3)];
    hist.push(hist[hist.length - 1] - lr * stale);
    assert.ok(close(vals(x)[0], hist[hist.length - 1], 1e-5), `step ${t}: ${vals(x)[0]} vs ${hist[hist.length - 1]}`);
  }
  assert.deepEqual(sim.delays, new Array(10).fill(3));
  sim.dispose();
  sim.optimizer.dispose();
  x.dispose();
  const u = delay.delaySampler({ kind: 'uniform', min: 2, max: 5 }, 1);
  const draws = Array.from({ length: 400 }, (_, i) => u.draw(i));
  assert.ok(draws.every((d) => d >= 2 && d <= 5) && new Set(draws).size === 4, 'uniform delays cover 2..5');
  const geo = delay.delaySampler({ kind: 'geometric', mean: 4, max: 50 }, 1);
  const gd = Array.from({ length: 4000 }, (_, i) => geo.draw(i));
  const mean = gd.reduce((s, d) => s + d, 0) / gd.length;
  assert.ok(Math.abs(mean - 4) < 0.4, `geometric mean ${mean}`);
});

test('DelayedGradients rejects bad delays with a clear error', () => {
  assert.throws(() => delay.delaySampler(-1), { message: 'DelayedGradients: delay must be an integer >= 0, got -1' });
  assert.throws(() => delay.delaySampler({ kind: 'uniform', min: 3, max: 1 }), { message: 'DelayedGradients: delay.max must be an integer >= 3, got 1' });
  assert.throws(() => delay.delaySampler({ kind: 'poisson' } as never), /unknown delay kind 'poisson'/);
});
