import { test } from 'node:test';
import assert from 'node:assert/strict';
import { data } from '../../lib/index.js';
import { assertClose } from '../helpers.js';

test('runSeeds tags each logged record with method, seed and step', async () => {
  const runs = await data.runSeeds([3, 5], (seed, log) => {
    for (let i = 0; i < 3; i++) log({ loss: seed * 10 + i });
  }, { method: 'adam' });
  assert.deepEqual(runs.map((r) => [r.method, r.seed, r.step, r.loss]), [
    ['adam', 3, 0, 30], ['adam', 3, 1, 31], ['adam', 3, 2, 32],
    ['adam', 5, 0, 50], ['adam', 5, 1, 51], ['adam', 5, 2, 52],
  ]);
  const returned = await data.runSeeds(2, async (seed) => [{ step: 10, loss: seed }, { step: 20, loss: seed + 1 }]);
  assert.deepEqual(returned.map((r) => [r.method, r.seed, r.step, r.loss]), [['run', 0, 10, 0], ['run', 0, 20, 1], ['run', 1, 10, 1], ['run', 1, 20, 2]]);
  await assert.rejects(data.runSeeds([1.5], () => {}), /seeds\[0\] must be an integer/);
  await assert.rejects(data.runSeeds(0, () => {}), /seeds must be a positive count/);
});

test('summarize: per-step statistics across seeds', async () => {
  const values: Record<string, number[]> = { a: [1, 2, 3, 6], b: [5, 5, 5, 5] };
  const runs = await data.compare(
    Object.fromEntries(Object.entries(values).map(([m, v]) => [m, (seed: number, log: data.Logger) => {
      log({ loss: v[seed] });
      log({ loss: 2 * v[seed] });
    }])),
    4,
  );
  const s = data.summarize(runs);
  assert.deepEqual(s.map((r) => [r.method, r.step]), [['a', 0], ['a', 1], ['b', 0], ['b', 1]]);
  const a0 = s[0];
  // a at step 0: 1, 2, 3, 6: mean 3, sample variance 14/3, median 2.5.
  assertClose([a0.mean, a0.std, a0.sem, a0.median, a0.min, a0.max, a0.n], [3, Math.sqrt(14 / 3), Math.sqrt(14 / 3) / 2, 2.5, 1, 6, 4]);
  assertClose([s[1].mean, s[1].std], [6, 2 * Math.sqrt(14 / 3)]);
  assertClose([s[2].mean, s[2].std, s[2].sem], [5, 0, 0]);
  assert.throws(() => data.summarize(runs, { y: 'acc' }), /no record has the field 'acc'/);
});

test('finals: each run\'s last value, summarised per method', () => {
  const runs = [
    { method: 'a', seed: 0, step: 0, loss: 9 }, { method: 'a', seed: 0, step: 5, loss: 1 },
    { method: 'a', seed: 1, step: 0, loss: 9 }, { method: 'a', seed: 1, step: 7, loss: 3 },
    { method: 'b', seed: 0, step: 7, loss: 4 }, { method: 'b', seed: 0, step: 3, acc: 1 },
  ];
  const f = data.finals(runs);
  assert.deepEqual(f.map((r) => [r.method, r.values, r.mean, r.n]), [['a', [1, 3], 2, 2], ['b', [4], 4, 1]]);
  assertClose(f[0].std, Math.SQRT2);
});

test('stats of a single value has zero spread; of none is an error', () => {
  assert.deepEqual(data.stats([4]), { mean: 4, median: 4, std: 0, sem: 0, min: 4, max: 4, n: 1 });
  assert.throws(() => data.stats([]), /no values/);
});
