/** The training loop and classifier harness: records, gradient norms, evaluation points, divergence, batches, no leaks. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, nn, optim, data, experiments } from '../../lib/index.js';
import { assertClose } from '../helpers.js';

test('train: one record per step with the loss and the raw gradient norm, evaluations at 0, every k and the end', () => {
  // f(w) = 0.5 |w - c|^2: gradient w - c, so the norm is |w - c| before each update.
  const w = tf.variable(tf.tensor1d([3, 4]));
  const c = tf.tensor1d([0, 0]);
  const opt = optim.sgd({ lr: 0.5 });
  const logged: Record<string, number>[] = [];
  const r = experiments.train({
    variables: [w], optimizer: opt, steps: 5, evalEvery: 2,
    loss: () => tf.mul(0.5, tf.sum(tf.square(tf.sub(w, c)))) as tf.Scalar,
    evaluate: () => ({ w0: w.dataSync()[0] }),
    track: () => ({ tracked: 1 }),
    log: (rec) => logged.push(rec as Record<string, number>),
  });
  // w halves every step: |w| = 5, 2.5, 1.25, ...
  assertClose(r.gradNorms, [5, 2.5, 1.25, 0.625, 0.3125]);
  assertClose(r.losses, [12.5, 3.125, 0.78125, 0.1953125, 0.048828125]);
  assert.deepEqual(r.records.map((x) => x.step), [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(r.records.filter((x) => 'w0' in x).map((x) => x.step), [0, 2, 4, 5]);
  assertClose(r.records[0].w0, 3);
  assertClose(r.records[2].w0, 0.75); // after two updates
  assertClose(r.final.w0, 3 / 32);
  assert.ok(r.records.every((x) => x.tracked === 1));
  assert.equal(logged.length, r.records.length);
  assert.equal(r.diverged, false);
  assert.equal(r.divergedAt, null);
  tf.dispose([w, c]);
  opt.dispose();
});

test('train: recordEvery thins the records but keeps the last step', () => {
  const w = tf.variable(tf.scalar(1));
  const opt = optim.sgd({ lr: 0.1 });
  const r = experiments.train({ variables: [w], optimizer: opt, steps: 7, recordEvery: 3, gradNorm: false, loss: () => tf.square(w) as tf.Scalar });
  assert.deepEqual(r.records.map((x) => x.step), [3, 6, 7]);
  assert.equal(r.gradNorms.length, 0);
  assert.ok(!('gradNorm' in r.records[0]));
  w.dispose();
  opt.dispose();
});

test('train: stops on a non-finite loss, on divergeAbove, and on a non-finite gradient, leaving the parameters unchanged', () => {
  const w = tf.variable(tf.scalar(1));
  const opt = optim.sgd({ lr: 1 });
  // loss = w^2 * 2^step explodes; divergeAbove stops it
  const r = experiments.train({ variables: [w], optimizer: opt, steps: 50, divergeAbove: 100, loss: (step) => tf.mul(tf.square(w), 2 ** step) as tf.Scalar });
  assert.equal(r.diverged, true);
  assert.ok(r.divergedAt !== null && r.divergedAt < 50);
  assert.ok(r.losses.at(-1)! > 100);
  const before = w.dataSync()[0];
  const r2 = experiments.train({ variables: [w], optimizer: optim.sgd({ lr: 1 }), steps: 3, loss: () => tf.mul(w, NaN) as tf.Scalar });
  assert.equal(r2.diverged, true);
  assert.equal(r2.divergedAt, 1);
  assert.equal(w.dataSync()[0], before);
  // an infinite gradient with a finite loss: sqrt at 0
  const z = tf.variable(tf.scalar(0));
  const r3 = experiments.train({ variables: [z], optimizer: optim.sgd({ lr: 1 }), steps: 2, loss: () => tf.sqrt(z) as tf.Scalar });
  assert.equal(r3.diverged, true);
  assert.equal(z.dataSync()[0], 0);
  tf.dispose([w, z]);
  opt.dispose();
});

test('train: bad arguments are refused by name', () => {
  const w = tf.variable(tf.scalar(1));
  const opt = optim.sgd({ lr: 0.1 });
  const loss = () => tf.square(w) as tf.Scalar;
  assert.throws(() => experiments.train({ variables: [], optimizer: opt, steps: 1, loss }), /variables must be a non-empty array/);
  assert.throws(() => experiments.train({ variables: [w], optimizer: opt, steps: -1, loss }), /steps must be an integer >= 0/);
  assert.throws(() => experiments.train({ variables: [w], optimizer: opt, steps: 1, recordEvery: 0, loss }), /recordEvery must be an integer >= 1/);
  assert.throws(() => experiments.train({ variables: [w], optimizer: {} as optim.OptilabOptimizer, steps: 1, loss }), /optimizer must be an optilab optimizer/);
  w.dispose();
  opt.dispose();
});

test('Minibatches: each epoch is a permutation cut into full batches, reproducible by seed', () => {
  const b = new experiments.Minibatches(10, 3, 7);
  const epoch = [...b.next(), ...b.next(), ...b.next()];
  assert.deepEqual([...epoch].sort((x, y) => x - y).length, 9);
  assert.equal(new Set(epoch).size, 9); // no repeats within an epoch
  assert.equal(b.epochs, 0);
  b.next();
  assert.equal(b.epochs, 1);
  const again = new experiments.Minibatches(10, 3, 7);
  assert.deepEqual([...again.next()], epoch.slice(0, 3));
  assert.throws(() => new experiments.Minibatches(10, 11), /size must be an integer in \[1, 10\]/);
});

test('trainClassifier: learns digits, evaluates train and test sets, and leaks no tensors', () => {
  const { train, test: testSet } = data.digits({ seed: 0 });
  const net = nn.mlp({ sizes: [64, 16, 10], activation: 'relu', init: 'he-normal', seed: 0 });
  const opt = optim.adam({ lr: 1e-2 });
  const warm = experiments.trainClassifier({ model: net, train, optimizer: opt, steps: 2, batchSize: 32 });
  assert.equal(warm.diverged, false);
  const before = tf.memory().numTensors;
  const r = experiments.trainClassifier({ model: net, train, test: testSet, optimizer: opt, steps: 60, batchSize: 32, seed: 1, evalEvery: 20 });
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(r.records.filter((x) => 'testAccuracy' in x).map((x) => x.step), [0, 20, 40, 60]);
  assert.ok(r.final.trainLoss < r.records[0].trainLoss / 2, `loss ${r.records[0].trainLoss} -> ${r.final.trainLoss}`);
  assert.ok(r.final.testAccuracy! > 0.8, `test accuracy ${r.final.testAccuracy}`);
  const direct = experiments.evaluateClassifier(net, testSet);
  assertClose(direct.accuracy, r.final.testAccuracy!);
  assert.throws(() => experiments.trainClassifier({ model: net, train: { x: train.x, y: tf.oneHot(train.y as tf.Tensor1D, 10) }, optimizer: opt, steps: 1 }), /train.y must hold int32 class indices of shape \[n\], got int32 \[\d+,10\]/);
  net.dispose();
  opt.dispose();
});

test('trainClassifier: a diverged run reports infinite loss and zero accuracy', () => {
  const { train } = data.digits({ seed: 0 });
  const net = nn.mlp({ sizes: [64, 8, 10], activation: 'relu', seed: 0 });
  const opt = optim.sgd({ lr: 1e6 });
  const r = experiments.trainClassifier({ model: net, train, optimizer: opt, steps: 30, divergeAbove: 1e4 });
  assert.equal(r.diverged, true);
  assert.equal(r.final.trainLoss, Infinity);
  assert.equal(r.final.trainAccuracy, 0);
  net.dispose();
  opt.dispose();
});

test('compareOptimizers: every method on every seed, records tagged, hooks per run, nothing leaked', async () => {
  const { train } = data.digits({ seed: 0 });
  const seen: string[] = [];
  let trackers = 0;
  const before = tf.memory().numTensors;
  const runs = await experiments.compareOptimizers({
    optimizers: { adam: () => optim.adam({ lr: 1e-2 }), sgd: () => optim.sgd({ lr: 0.1 }) },
    model: (seed) => nn.mlp({ sizes: [64, 4, 10], seed }),
    train, seeds: [3, 4], steps: 4, batchSize: 16, evalEvery: 2, progress: false,
    track: () => {
      trackers++;
      return (step) => ({ twice: 2 * step });
    },
    afterRun: ({ method, seed, optimizer, result }) => {
      seen.push(`${method}${seed}`);
      assert.equal(optimizer.iterations, 4);
      assert.equal(result.records.at(-1)!.step, 4);
    },
  });
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(seen, ['adam3', 'adam4', 'sgd3', 'sgd4']);
  assert.equal(trackers, 4);
  assert.deepEqual([...new Set(runs.map((r) => `${r.method}/${r.seed}`))], ['adam/3', 'adam/4', 'sgd/3', 'sgd/4']);
  assert.ok(runs.every((r) => r.twice === 2 * r.step));
  assert.deepEqual(data.finals(runs, { y: 'trainLoss' }).map((r) => r.n), [2, 2]);
  await assert.rejects(experiments.compareOptimizers({ optimizers: {}, model: () => nn.mlp({ sizes: [64, 10] }), train, seeds: 1, steps: 1 }), /optimizers must name at least one/);
});
