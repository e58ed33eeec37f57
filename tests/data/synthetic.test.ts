import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, data } from '../../lib/index.js';
import { assertClose, readFixture } from '../helpers.js';

const values = (t: tf.Tensor) => Array.from(t.dataSync());

test('generators are deterministic from their seed', () => {
  const pairs: [() => { x: tf.Tensor; y: tf.Tensor }, () => { x: tf.Tensor; y: tf.Tensor }][] = [
    [() => data.linearRegression({ seed: 1 }), () => data.linearRegression({ seed: 2 })],
    [() => data.teacherStudent({ seed: 1 }), () => data.teacherStudent({ seed: 2 })],
    [() => data.twoMoons({ seed: 1 }), () => data.twoMoons({ seed: 2 })],
    [() => data.blobs({ seed: 1 }), () => data.blobs({ seed: 2 })],
  ];
  for (const [a, b] of pairs) {
    assert.deepEqual(values(a().x), values(a().x));
    assert.deepEqual(values(a().y), values(a().y));
    assert.notDeepEqual(values(a().x), values(b().x));
  }
});

test('linear regression: least squares recovers the true weights', () => {
  const { x, y, w, b } = data.linearRegression({ n: 2000, dim: 3, noise: 0.05, seed: 4 });
  assert.deepEqual(x.shape, [2000, 3]);
  assert.deepEqual(y.shape, [2000, 1]);
  // Normal equations on [x, 1] in float64.
  const X = x.arraySync() as number[][], Y = values(y);
  const A = Array.from({ length: 4 }, () => new Array(4).fill(0)), r = new Array(4).fill(0);
  X.forEach((row, i) => {
    const f = [...row, 1];
    for (let p = 0; p < 4; p++) {
      r[p] += f[p] * Y[i];
      for (let q = 0; q < 4; q++) A[p][q] += f[p] * f[q];
    }
  });
  for (let p = 0; p < 4; p++) {
    for (let q = p + 1; q < 4; q++) {
      const m = A[q][p] / A[p][p];
      for (let k = p; k < 4; k++) A[q][k] -= m * A[p][k];
      r[q] -= m * r[p];
    }
  }
  const sol = new Array(4).fill(0);
  for (let p = 3; p >= 0; p--) sol[p] = (r[p] - A[p].slice(p + 1).reduce((s, v, k) => s + v * sol[p + 1 + k], 0)) / A[p][p];
  assertClose(sol, [...w, b], { atol: 0.01 });
});

test('teacher-student: targets are the teacher network applied to x', () => {
  const { x, y, teacher } = data.teacherStudent({ n: 5, inputDim: 3, hiddenDim: 4, outputDim: 2, seed: 9 });
  const X = x.arraySync() as number[][];
  const expected = X.flatMap((row) => {
    const h = teacher.b1.map((b, k) => Math.tanh(b + row.reduce((s, v, j) => s + v * teacher.w1[j][k], 0)));
    return teacher.b2.map((b, o) => b + h.reduce((s, v, k) => s + v * teacher.w2[k][o], 0));
  });
  assertClose(values(y), expected, { rtol: 1e-5, atol: 1e-6 });
  assert.throws(() => data.teacherStudent({ activation: 'gelu' as never }), /activation must be 'tanh' or 'relu'/);
});

test('two moons without noise lie on scikit-learn\'s half circles', () => {
  const ref = readFixture('data_reference.json').two_moons;
  const m = data.twoMoons({ n: 7, noise: 0, seed: 0 });
  const key = (p: number[], l: number) => `${p[0].toFixed(5)},${p[1].toFixed(5)},${l}`;
  const ours = (m.x.arraySync() as number[][]).map((p, i) => key(p, m.labels[i])).sort();
  const theirs = (ref.x as number[][]).map((p, i) => key(p, ref.y[i])).sort();
  assert.deepEqual(ours, theirs);
});

test('blobs: even class sizes around the centres', () => {
  const centers = [[0, 0], [10, 10], [-10, 5]];
  const { x, labels } = data.blobs({ n: 300, centers, std: 0.5, seed: 3 });
  const X = x.arraySync() as number[][];
  for (let c = 0; c < 3; c++) {
    const pts = X.filter((_, i) => labels[i] === c);
    assert.equal(pts.length, 100);
    const mean = [0, 1].map((d) => pts.reduce((s, p) => s + p[d], 0) / pts.length);
    assertClose(mean, centers[c], { atol: 0.15 });
  }
  assert.deepEqual(data.blobs({ centers: 4, dim: 5, seed: 1 }).centers.map((c) => c.length), [5, 5, 5, 5]);
  assert.throws(() => data.blobs({ centers: [[0], [1, 2]] }), /centers must be a non-empty list of equal-length/);
  assert.throws(() => data.twoMoons({ n: 0 }), /n must be a positive integer, got 0/);
});
