import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, generative as g } from '../../lib/index.js';
import { assertClose, readFixture } from '../helpers.js';

const fx = readFixture('generative.json');

test('energy distance matches numpy (2-D) and scipy (1-D, squared)', () => {
  assertClose(g.energyDistance(fx.x, fx.y), fx.energy2d, { rtol: 1e-10 });
  const col = (v: number[]) => v.map((t) => [t]);
  assertClose(g.energyDistance(col(fx.u1d), col(fx.v1d)), fx.energy1d_scipy_squared, { rtol: 1e-10 });
});

test('MMD with Gaussian and IMQ kernels matches numpy, both estimators', () => {
  assertClose(g.mmd(fx.x, fx.y), fx.mmd_gauss_unbiased, { rtol: 1e-10 });
  assertClose(g.mmd(fx.x, fx.y, { estimator: 'biased' }), fx.mmd_gauss_biased, { rtol: 1e-10 });
  assertClose(g.mmd(fx.x, fx.y, { kernel: g.imqKernel() }), fx.mmd_imq_unbiased, { rtol: 1e-10 });
  assertClose(g.mmd(fx.x, fx.y, { kernel: g.gaussianKernel(1), estimator: 'biased' }), fx.mmd_gauss1_biased, { rtol: 1e-10 });
  assert.throws(() => g.mmd(fx.x, fx.y, { estimator: 'fancy' as any }), /estimator must be/);
  assert.throws(() => g.gaussianKernel([1, -2]), /bandwidths must be positive/);
});

test('1-D Wasserstein matches scipy (unequal sizes) and the sorted formula (W2)', () => {
  assertClose(g.wasserstein1d(fx.u1d, fx.v1d), fx.w1_scipy, { rtol: 1e-10 });
  assertClose(g.wasserstein1d(fx.a1d, fx.b1d), fx.w1_equal_sizes_scipy, { rtol: 1e-10 });
  assertClose(g.wasserstein1d(fx.a1d, fx.b1d, 2), fx.w2_equal_sizes, { rtol: 1e-10 });
});

test('sliced Wasserstein: seeded, zero for identical sets, equals W_p in 1-D, grows with a shift', () => {
  const a = fx.x as number[][];
  assert.equal(g.slicedWasserstein(a, a), 0);
  assert.equal(g.slicedWasserstein(fx.x, fx.y, { seed: 3 }), g.slicedWasserstein(fx.x, fx.y, { seed: 3 }));
  const col = (v: number[]) => v.map((t) => [t]);
  assertClose(g.slicedWasserstein(col(fx.a1d), col(fx.b1d), { projections: 5 }), fx.w2_equal_sizes, { rtol: 1e-10 });
  // translating every point by (3, 4) moves each projection by <theta, (3,4)>: E[<theta,v>^2] = |v|^2 / 2 in 2-D
  const shifted = a.map(([p, q]) => [p + 3, q + 4]);
  const sw = g.slicedWasserstein(a, shifted, { projections: 4000 });
  assertClose(sw, Math.sqrt(25 / 2), { rtol: 0.03 });
});

test('Gaussian mixture log density matches scipy; sampling reproduces moments; bad specs are refused', () => {
  const m = new g.GaussianMixture({ means: fx.gmm.means, stds: fx.gmm.stds, weights: fx.gmm.weights });
  assertClose(m.logProb(fx.gmm.points), fx.gmm.logprob, { rtol: 1e-10 });
  const x = m.sample(20000, 1);
  const { mean, variance } = g.sampleMoments(x);
  const exact = m.moments();
  assertClose(mean, exact.mean, { atol: 0.05 });
  assertClose(variance, exact.variance, { rtol: 0.05 });
  const again = m.sample(5, 7).arraySync();
  assert.deepEqual(again, m.sample(5, 7).arraySync());
  x.dispose();
  assert.throws(() => new g.GaussianMixture({ means: [[0, 0]], stds: -1 }), /stds must be positive/);
  assert.throws(() => new g.GaussianMixture({ means: [[0, 0], [1]], stds: 1 }), /means\[1\] has 1 entries/);
});

test('class-conditional sampling, classification and restriction', () => {
  const m = g.classMixture({ classes: 3, perClass: 2 });
  const labels = Int32Array.from({ length: 300 }, (_, i) => i % 3);
  const { x, labels: got } = m.sampleLabeled(300, 2, labels);
  assert.deepEqual(Array.from(got), Array.from(labels));
  assert.ok(g.classAccuracy(x, labels, m) > 0.95);
  const sub = m.restrict(1);
  assert.equal(sub.k, 2);
  assert.ok(g.modeCoverage(x, m).coverage === 1);
  x.dispose();
});

test('mode coverage and out-of-box fraction count what they say', () => {
  const m = g.eightGaussians();
  const x = m.sample(800, 4);
  const s = g.modeCoverage(x, m);
  assert.equal(s.coverage, 1);
  assert.ok(s.highQuality > 0.98);
  const onlyFirst = tf.tidy(() => tf.add(tf.zeros([50, 2]), tf.tensor1d(m.means[0])));
  assert.equal(g.modeCoverage(onlyFirst, m).coverage, 1 / 8);
  assert.equal(g.outOfBoxFraction([[0.5, 0.5], [1.2, 0.3], [0.1, -0.01], [0, 1]]), 0.5);
  x.dispose();
  onlyFirst.dispose();
});

test('toy distributions: right shapes, seeded, checkerboard on its dark squares', () => {
  for (const d of [g.moons(), g.checkerboard(), g.spirals(), g.rings(), g.eightGaussians(), g.uniformBox()]) {
    const s = d.sample(64, 5);
    assert.deepEqual(s.shape, [64, d.dim]);
    assert.deepEqual(s.arraySync(), d.sample(64, 5).arraySync());
    s.dispose();
  }
  const cb = g.checkerboard({ cells: 4, low: 0, high: 1 }).sample(2000, 1).arraySync();
  for (const [p, q] of cb) {
    assert.ok(p >= 0 && p <= 1 && q >= 0 && q <= 1);
    assert.equal((Math.floor(p * 4) + Math.floor(q * 4)) % 2, 0);
  }
  assert.throws(() => g.checkerboard({ cells: 3 }), /cells must be an even integer/);
});

test('precision / recall: a collapsed generator has full precision and low recall', () => {
  const m = g.eightGaussians();
  const real = m.sample(400, 1);
  const good = m.sample(400, 2);
  const collapsed = m.restrict(0).sample(400, 3);
  const pg = g.precisionRecall(real, good);
  const pc = g.precisionRecall(real, collapsed);
  assert.ok(pg.precision > 0.9 && pg.recall > 0.9, JSON.stringify(pg));
  assert.ok(pc.precision > 0.9 && pc.recall < 0.3, JSON.stringify(pc));
  tf.dispose([real, good, collapsed]);
});

test('digits as a labelled 64-d distribution in [-1, 1], class-conditional sampling', () => {
  const d = g.digitsDistribution({ split: 'train' });
  assert.equal(d.dim, 64);
  const { x, labels } = d.sampleLabeled(50, 1, Array.from({ length: 50 }, (_, i) => i % 10));
  assert.deepEqual(Array.from(labels), Array.from({ length: 50 }, (_, i) => i % 10));
  const v = x.dataSync();
  assert.ok(Math.min(...v) >= -1 && Math.max(...v) <= 1 && Math.min(...v) === -1);
  const px = d.toPixels(x);
  assert.ok(Math.min(...px.dataSync()) >= 0);
  tf.dispose([x, px]);
});

test('classwise applies a metric per class and averages over the shared classes', () => {
  const x = [[0, 0], [1, 1], [10, 10], [11, 11]];
  const y = [[0, 0], [1, 1], [20, 20], [21, 21], [5, 5]];
  const r = g.classwise(g.energyDistance, x, [0, 0, 1, 1], y, [0, 0, 1, 1, 2]);
  assert.deepEqual([...r.perClass.keys()], [0, 1]);
  assert.equal(r.perClass.get(0), 0);
  assertClose(r.perClass.get(1)!, g.energyDistance([[10, 10], [11, 11]], [[20, 20], [21, 21]]), { rtol: 1e-12 });
  assertClose(r.mean, r.perClass.get(1)! / 2, { rtol: 1e-12 });
  assert.throws(() => g.classwise(g.energyDistance, x, [0, 0, 1], y, [0, 0, 1, 1, 2]), /4 points but 3 labels/);
  assert.throws(() => g.classwise(g.energyDistance, x, [3, 3, 3, 3], y, [0, 0, 1, 1, 2]), /share no class/);
});
