import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, seed } from '../../lib/index.js';
import { fno1d, fit, evaluate, resample, resolutionTransfer, loadDataset } from '../../lib/operators/index.js';
import { optim } from '../../lib/index.js';

test('a test-sized FNO trained on burgers1d at 64 points reaches a relative L2 test error below 0.05, at 64 and at 128 points', async () => {
  seed(0);
  const train = await loadDataset('burgers1d', { split: 'train', n: 200 });
  const testSet = await loadDataset('burgers1d', { split: 'test', n: 100 });
  const [x, y] = [resample(train.x, [64]), resample(train.y, [64])];
  const [xt, yt] = [resample(testSet.x, [64]), resample(testSet.y, [64])];
  const model = fno1d({ modes: 8, width: 16, seed: 0 });
  const before = tf.memory().numTensors;
  const counts: number[] = [];
  const run = fit(model, { x, y, epochs: 20, batchSize: 20, test: { x: xt, y: yt }, evalEvery: 10, seed: 1, progress: false, onEpoch: () => counts.push(tf.memory().numTensors) });
  assert.equal(run.steps, 200);
  assert.equal(run.history.length, 20);
  // measured 0.024 (seeds 0-2: 0.023-0.028) when the bound was set
  assert.ok(run.testError < 0.05, `test error at 64 points ${run.testError}`);
  assert.equal(run.testError, evaluate(model, xt, yt));
  const rows = resolutionTransfer(model, { x: testSet.x, y: testSet.y, resolutions: [64, 128] });
  assert.equal(rows[0].relativeL2.toFixed(6), run.testError.toFixed(6));
  assert.ok(rows[1].relativeL2 < 0.05, `zero-shot error at 128 points ${rows[1].relativeL2}`);
  // no tensor is left behind per epoch, and the default optimizer's state is freed at the end
  assert.ok(counts.slice(1).every((c) => c === counts[1]), `tensors per epoch: ${counts}`);
  // left: two cached DFT bases per Fourier layer (4) and resolution (64, 128)
  assert.equal(tf.memory().numTensors - before, 2 * 4 * 2, 'tensors left after fit and transfer');
  model.dispose();
  tf.dispose([x, y, xt, yt]);
  train.dispose();
  testSet.dispose();
});

test('fit refuses bad options and stops on a non-finite loss with a message', () => {
  const model = fno1d({ modes: 2, width: 2, layers: 1, projectionWidth: 2, seed: 1 });
  const x = tf.randomNormal([4, 8]);
  assert.throws(() => fit(model, { x, y: tf.zeros([3, 8]), epochs: 1 }), /x has 4 samples but y has 3/);
  assert.throws(() => fit(model, { x, y: x, epochs: 0 }), /epochs must be an integer in \[1, inf\), got 0/);
  assert.throws(() => fit(model, { x, y: x, epochs: 1, optimizer: optim.sgd({ lr: 0.1 }), lr: 0.1 }), /lr and weightDecay configure the default optimizer/);
  assert.throws(() => fit(model, { x, y: x, epochs: 1, batchsize: 2 } as never), /unknown option 'batchsize'/);
  // y = 0 makes the relative error 0 / 0: the optimizer refuses the NaN gradient and names the variables
  assert.throws(() => fit(model, { x, y: tf.zerosLike(x), epochs: 1, progress: false }), /holds NaN or Infinity at step 1; parameters were left unchanged/);
  model.dispose();
});
