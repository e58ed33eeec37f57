/** Samplers: Sobol' against scipy, Latin hypercube stratification, geometry maps, R3's retain rule, RAD. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pde, Rng } from '../../lib/index.js';
import { readFixture, assertClose } from '../helpers.js';

const { sampling, geometry } = pde;
const fx = readFixture<{ sobol: Array<{ d: number; n: number; skip?: number; points: number[][] }> }>('sampling.json');

test("Sobol' points equal scipy.stats.qmc.Sobol(scramble=False) in dimensions 1 to 21", () => {
  for (const c of fx.sobol) {
    const got = sampling.sobol(c.n, c.d, { skip: c.skip ?? 0 });
    assertClose(got, c.points.flat(), { rtol: 0, atol: 0 }, `d = ${c.d}, n = ${c.n}, skip = ${c.skip ?? 0}`);
  }
});

test("a digital shift keeps the Sobol' net property and depends on the seed", () => {
  const a = sampling.sobol(256, 2, { shift: 3 });
  const b = sampling.sobol(256, 2, { shift: 4 });
  assert.notDeepEqual(Array.from(a.slice(0, 4)), Array.from(b.slice(0, 4)));
  // (0, m, 2)-net: every 1/16 x 1/16 box holds exactly one of the first 256 points
  const cells = new Set<number>();
  for (let i = 0; i < 256; i++) cells.add(Math.floor(a[2 * i] * 16) * 16 + Math.floor(a[2 * i + 1] * 16));
  assert.equal(cells.size, 256);
  assert.throws(() => sampling.sobol(4, 22), /d must be an integer in \[1, 21\]/);
});

test('Latin hypercube puts exactly one point in each of the n strata of every dimension', () => {
  for (const [n, d] of [[10, 2], [97, 5]]) {
    const pts = sampling.latinHypercube(n, d, 11);
    for (let j = 0; j < d; j++) {
      const strata = new Set<number>();
      for (let i = 0; i < n; i++) strata.add(Math.floor(pts[i * d + j] * n));
      assert.equal(strata.size, n, `dimension ${j}`);
    }
  }
  assert.deepEqual(sampling.latinHypercube(5, 2, 1), sampling.latinHypercube(5, 2, 1), 'seeded');
});

test('geometries map samples into their parts, with outward normals', () => {
  const rect = geometry.rectangle([0, -1], [2, 1]);
  const inside = rect.sample('interior', 500, { method: 'sobol', seed: 1 });
  for (let i = 0; i < 500; i++) assert.ok(rect.contains([inside[2 * i], inside[2 * i + 1]]));
  const edge = rect.sample('boundary', 400, { method: 'lhs', seed: 2 });
  const normals = rect.normals(edge);
  let onLong = 0;
  for (let i = 0; i < 400; i++) {
    const [x, y] = [edge[2 * i], edge[2 * i + 1]];
    const onX = x === 0 || x === 2;
    const onY = y === -1 || y === 1;
    assert.ok(onX || onY, `(${x}, ${y}) is on the boundary`);
    if (onX) assert.equal(Math.abs(normals[2 * i]), 1);
    if (x === 0 && !onY) assert.equal(normals[2 * i], -1);
    if (onY && !onX) onLong++;
  }
  // the faces y = +-1 have length 2, x = 0, 2 length 2: about half the points each way
  assert.ok(onLong > 150 && onLong < 250, `${onLong} of 400 on the y faces`);
  const disk = geometry.disk([1, 1], 2);
  const b = disk.sample('boundary', 50, { seed: 3 });
  const nd = disk.normals(b);
  for (let i = 0; i < 50; i++) {
    assertClose(Math.hypot(b[2 * i] - 1, b[2 * i + 1] - 1), 2, { rtol: 1e-12 }, 'on the circle');
    assertClose(nd[2 * i] * 2, b[2 * i] - 1, { rtol: 1e-9, atol: 1e-12 }, 'normal');
  }
  const st = geometry.spaceTime(geometry.interval(-1, 1), geometry.timeDomain(0, 1));
  assert.deepEqual(st.names, ['t', 'x']);
  const ic = st.sample('initial', 20, { seed: 4 });
  for (let i = 0; i < 20; i++) assert.equal(ic[2 * i], 0);
  const bc = st.sample('boundary', 20, { seed: 4 });
  for (let i = 0; i < 20; i++) assert.ok(Math.abs(bc[2 * i + 1]) === 1 && bc[2 * i] >= 0 && bc[2 * i] <= 1);
  const right = st.sample('boundary', 30, { seed: 5, filter: (p) => p[1] > 0 });
  for (let i = 0; i < 30; i++) assert.equal(right[2 * i + 1], 1);
  assert.throws(() => geometry.rectangle([0, 0], [1, 1]).sample('initial', 3), /has no initial/);
  assert.throws(() => geometry.box([0, 1], [1, 1]), /need lower\[1\] < upper\[1\]/);
});

test("R3 retains exactly the points with fitness above the mean, keeps N fixed, and refills uniformly", () => {
  const pts = Float64Array.from([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
  const fitness = [0.1, 5, 0.2, 3, 0.3]; // mean 1.72: points 1 and 3 stay
  let drawn = 0;
  const r = sampling.r3Update(pts, 2, fitness, (k) => { drawn = k; return new Float64Array(2 * k).fill(9); });
  assert.equal(r.retainedCount, 2);
  assert.equal(drawn, 3);
  assert.deepEqual(Array.from(r.retained), [0, 1, 0, 1, 0]);
  assert.deepEqual(Array.from(r.points), [1, 1, 3, 3, 9, 9, 9, 9, 9, 9]);
  // equal fitness everywhere: nothing is strictly above the mean, every point is released
  assert.equal(sampling.r3Update(pts, 2, [1, 1, 1, 1, 1], (k) => new Float64Array(2 * k)).retainedCount, 0);
  assert.throws(() => sampling.r3Update(pts, 2, [1, NaN, 1, 1, 1], () => new Float64Array(0)), /fitness\[1\] is NaN/);
  const rng = new Rng(0);
  const s = new sampling.R3Sampler(1, 100, (k) => rng.uniformArray(k));
  for (let it = 0; it < 5; it++) s.update(Array.from(s.points, (x) => x)); // fitness = x: the larger half is kept
  assert.equal(s.points.length, 100);
  assert.ok(s.points.reduce((a, b) => a + b, 0) / 100 > 0.6, 'the population moves to high fitness');
});

test('RAD draws without replacement, favouring large residuals', () => {
  const n = 1000;
  const cand = Float64Array.from({ length: n }, (_, i) => i / n);
  const fit = Array.from(cand, (x) => (x > 0.9 ? 100 : 0));
  const pts = sampling.radSample(cand, 1, fit, 100, { seed: 1 });
  assert.equal(new Set(pts).size, 100);
  const high = Array.from(pts).filter((x) => x > 0.9).length;
  // p ∝ eps/mean(eps) + 1: 100 candidates weigh 11, 900 weigh 1; most of 100 draws come from the top
  assert.ok(high > 40, `${high} of 100 from the top decile`);
});
