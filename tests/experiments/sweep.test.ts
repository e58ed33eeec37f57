/** Sweep helpers: grids, random search, per-cell statistics, learning-rate search and the separability of a 2-D sweep. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { experiments } from '../../lib/index.js';
import { assertClose } from '../helpers.js';

test('logspace and grid', () => {
  assert.deepEqual(experiments.logspace(1e-4, 1e-1, 4), [1e-4, 1e-3, 1e-2, 1e-1]);
  assert.deepEqual(experiments.logspace(1, 100, 3), [1, 10, 100]);
  assert.deepEqual(experiments.logspace(3e-4, 3e-2, 3), [3e-4, 3e-3, 3e-2]);
  assert.throws(() => experiments.logspace(0, 1, 3), /lo and hi must be positive/);
  const g = experiments.grid({ lr: [1, 2], wd: ['a', 'b', 'c'] });
  assert.deepEqual(g, [
    { lr: 1, wd: 'a' }, { lr: 1, wd: 'b' }, { lr: 1, wd: 'c' },
    { lr: 2, wd: 'a' }, { lr: 2, wd: 'b' }, { lr: 2, wd: 'c' },
  ]);
  assert.throws(() => experiments.grid({ lr: [] }), /axis 'lr' must be a non-empty array/);
});

test('sampleConfigs: seeded, within the ranges, log-uniform spread over decades', () => {
  const space = { lr: experiments.logUniform(1e-4, 1), w: experiments.uniform(0, 0.3), opt: experiments.choice(['a', 'b']) };
  const a = experiments.sampleConfigs(space, 200, 3);
  assert.deepEqual(a, experiments.sampleConfigs(space, 200, 3));
  assert.notDeepEqual(a, experiments.sampleConfigs(space, 200, 4));
  for (const c of a) {
    assert.ok((c.lr as number) >= 1e-4 && (c.lr as number) <= 1);
    assert.ok((c.w as number) >= 0 && (c.w as number) <= 0.3);
    assert.ok(c.opt === 'a' || c.opt === 'b');
  }
  // log-uniform: about a quarter of the draws in each decade
  const decade = a.filter((c) => (c.lr as number) < 1e-3).length;
  assert.ok(decade > 30 && decade < 70, `draws in [1e-4, 1e-3): ${decade}`);
});

test('sweep runs every configuration and seed in order; aggregate and best summarise them', async () => {
  const rows = await experiments.sweep(experiments.grid({ a: [1, 2], b: [10, 20] }), (c, seed) => ({ score: c.a * c.b + seed }), { seeds: 3, progress: false });
  assert.equal(rows.length, 12);
  assert.deepEqual(rows.slice(0, 3).map((r) => [r.a, r.b, r.seed, r.score]), [[1, 10, 0, 10], [1, 10, 1, 11], [1, 10, 2, 12]]);
  const cells = experiments.aggregate(rows, { by: ['a', 'b'], y: 'score' });
  assert.equal(cells.length, 4);
  assert.deepEqual([cells[0].a, cells[0].b], [1, 10]);
  assertClose([cells[0].mean, cells[0].std, cells[0].n], [11, 1, 3]);
  assert.deepEqual(cells[0].values, [10, 11, 12]);
  assert.equal(experiments.best(cells, 'mean').mean, 11);
  assert.equal(experiments.best(cells, 'mean', 'max').mean, 41);
  assert.equal(experiments.best([{ v: NaN }, { v: 2 }, { v: 1 }], 'v').v, 1);
  await assert.rejects(experiments.sweep([], () => ({ x: 1 })), /configs must be a non-empty array/);
  assert.throws(() => experiments.aggregate(rows, { by: ['a'], y: 'nope' }), /a row has no field 'nope'/);
});

test('tuneLearningRate extends the grid until the optimum is inside it', async () => {
  // minimum at lr = 0.1; the grid starts two decades below it
  const calls: number[] = [];
  const objective = (lr: number) => {
    calls.push(lr);
    return (Math.log10(lr) + 1) ** 2;
  };
  const r = await experiments.tuneLearningRate(objective, { grid: [1e-4, 1e-3, 1e-2] });
  assert.equal(r.lr, 0.1);
  assert.equal(r.atEdge, false);
  assert.deepEqual(r.tried.map((t) => t.lr), [1e-4, 1e-3, 1e-2, 0.1, 1]);
  assert.deepEqual(calls, [1e-4, 1e-3, 1e-2, 0.1, 1]);
  // a half-decade grid given rounded extends to clean values (0.01, not 0.00999)
  const half = await experiments.tuneLearningRate((lr) => -lr, { grid: [1e-3, 3.16e-3], maxExtensions: 2 });
  assert.deepEqual(half.tried.map((t) => t.lr), [1e-3, 3.16e-3, 0.01, 0.0316]);
  assert.equal(half.atEdge, true);
  // diverged (NaN) values count as the worst
  const down = await experiments.tuneLearningRate((lr) => (lr > 0.05 ? NaN : 1 / lr), { grid: [0.01, 0.1, 1], maxExtensions: 0 });
  assert.equal(down.lr, 0.01);
  await assert.rejects(experiments.tuneLearningRate(objective, { grid: [1e-2] }), /at least two increasing positive/);
});

test('separability: zero interaction for an additive grid, large for a diagonal valley', () => {
  const additive = [0, 1, 2].map((i) => [0, 1, 2, 3].map((j) => i * i + 2 * j));
  const s = experiments.separability(additive);
  assertClose(s.interactionShare, 0, { atol: 1e-12 });
  assertClose(s.rowEffects.reduce((a, v) => a + v, 0), 0, { atol: 1e-12 });
  // best column moves with the row: |i - j|
  const diagonal = [0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => Math.abs(i - j)));
  const d = experiments.separability(diagonal);
  assert.deepEqual(d.argminPerRow, [0, 1, 2, 3]);
  assert.ok(d.interactionShare > 0.5, `interaction ${d.interactionShare}`);
  assert.throws(() => experiments.separability([[1, Infinity], [1, 2]]), /values\[0\]\[1\] is Infinity/);
  assert.throws(() => experiments.separability([[1, 2]]), /at least 2 x 2/);
});
