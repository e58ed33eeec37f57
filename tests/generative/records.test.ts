import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, generative as g } from '../../lib/index.js';
import { assertClose } from '../helpers.js';

test('pointRecords: first two coordinates with the given fields, limited; bad input refused', () => {
  const x = tf.tensor2d([[1, 2, 9], [3, 4, 9], [5, 6, 9]]);
  assert.deepEqual(g.pointRecords(x, { method: 'cfg', w: 3 }, { limit: 2 }), [
    { method: 'cfg', w: 3, x: 1, y: 2 },
    { method: 'cfg', w: 3, x: 3, y: 4 },
  ]);
  assert.equal(g.pointRecords([[0, 1]]).length, 1);
  assert.throws(() => g.pointRecords(tf.tensor2d([[1], [2]])), /at least 2 coordinates/);
  x.dispose();
});

test('trajectoryRecords: one record per path and grid time, in grid order; needs a recorded run', () => {
  const x0 = tf.tensor2d([[0, 0], [1, 1], [2, 2]]);
  const field: g.VelocityField = (x) => tf.onesLike(x) as tf.Tensor2D;
  const res = g.odeSolve(field, x0, [0, 0.5, 1], { record: true });
  const recs = g.trajectoryRecords(res, { nfe: 2 }, { paths: 2 });
  assert.equal(recs.length, 2 * 3);
  assert.deepEqual(recs.filter((r) => r.path === 1).map((r) => [r.t, r.x, r.y]), [[0, 1, 1], [0.5, 1.5, 1.5], [1, 2, 2]]);
  assert.equal(recs[0].nfe, 2);
  const plain = g.odeSolve(field, x0, [0, 1]);
  assert.throws(() => g.trajectoryRecords(plain), /record: true/);
  tf.dispose([x0, res.x, plain.x, ...(res.trajectory ?? [])]);
});

test('noised: alpha(t) x + sigma(t) noise, for one time or per-row times; bad shapes refused', () => {
  const vp = g.vpPath();
  const x = tf.tensor2d([[1, 2], [3, 4]]);
  const eps = tf.tensor2d([[0.5, -1], [2, 0]]);
  const one = g.noised(vp, x, 0.3, eps).arraySync();
  const a = vp.alpha(0.3), s = vp.sigma(0.3);
  assertClose(one.flat(), [a + 0.5 * s, 2 * a - s, 3 * a + 2 * s, 4 * a], { rtol: 1e-6 });
  const rows = g.noised(vp, x, [0.3, 0.9], eps).arraySync();
  assertClose(rows[1], [3 * vp.alpha(0.9) + 2 * vp.sigma(0.9), 4 * vp.alpha(0.9)], { rtol: 1e-6 });
  assert.deepEqual(g.noised(vp, x, 0.5, 7).shape, [2, 2]);
  assert.throws(() => g.noised(vp, x, [0.1], eps), /t has 1 entries, x has 2 rows/);
  assert.throws(() => g.noised(vp, tf.ones([2]), 0.1), /x must be a 2-D tensor/);
  tf.dispose([x, eps]);
});
