/** The optimizer-notebook harness: fitClassifier, logisticData, quadratic. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, optim, data } from '../../lib/index.js';

test('logisticData: separable labels follow the generating direction; logScales scales the columns', () => {
  const a = data.logisticData({ n: 50, dim: 5, seed: 3 });
  const x = a.x.arraySync() as number[][];
  x.forEach((row, i) => assert.equal(row.reduce((s, v, j) => s + v * a.wTrue[j], 0) > 0 ? 1 : 0, a.labels[i]));
  const b = data.logisticData({ n: 50, dim: 5, seed: 3, logScales: [-2, 2] });
  assert.ok(b.scales.every((s) => s >= 1e-2 && s <= 1e2) && new Set(b.scales).size === 5);
  assert.throws(() => data.logisticData({ labelNoise: 0.7 }), { message: 'logisticData: labelNoise must be in [0, 0.5], got 0.7' });
  tf.dispose([a.x, a.y, b.x, b.y]);
});

test('quadratic: eigenvalues log-spaced from 1 to the condition number, minimum 0', () => {
  const q = data.quadratic({ dim: 3, condition: 100, seed: 1 });
  assert.deepEqual(q.lambdas.map((l) => +l.toFixed(6)), [1, 10, 100]);
  const opt = optim.sgd({ lr: 0.015 });
  let f = Infinity;
  for (let i = 0; i < 2000; i++) f = opt.step(q.loss, [q.x]);
  assert.ok(f < 1e-8, `${f}`);
  opt.dispose();
  q.dispose();
});

test('fitClassifier: trains, evaluates at the optimizer evaluation point, reports divergence, leaves no tensors', () => {
  const { train, test: held } = data.digits({ seed: 0 });
  const before = tf.memory().numTensors;
  const opt = optim.adam({ lr: 1e-2 });
  let ended = false;
  const r = data.fitClassifier({ train, test: held, classes: 10, optimizer: opt, steps: 60, batch: 64, seed: 0, evalEvery: 20, atEnd: (net, loss) => {
    const l = loss();
    ended = l.dataSync()[0] > 0 && net.variables.length === 2;
    l.dispose();
  } });
  assert.equal(r.records.length, 3);
  assert.ok(ended && r.testAccuracy > 0.8 && r.trainLoss < r.records[0].trainLoss * 1.01, `${r.testAccuracy}, ${r.trainLoss}`);
  opt.dispose();
  assert.equal(tf.memory().numTensors, before);
  const bad = optim.sgd({ lr: 1e38, nonFinite: 'ignore' }); // weights overflow float32 within a few steps
  const d = data.fitClassifier({ train, classes: 10, optimizer: bad, steps: 50, seed: 0 });
  assert.ok(d.diverged && d.trainLoss === Infinity, `diverged ${d.diverged}, loss ${d.trainLoss}`);
  bad.dispose();
  assert.throws(() => data.fitClassifier({ train, classes: 10, optimizer: optim.sgd(), steps: 5, batch: 0 }), /fitClassifier: batch must be an integer in \[1, \d+\], got 0/);
});
