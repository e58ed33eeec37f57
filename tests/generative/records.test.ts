import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, generative as g } from '../../lib/index.js';

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
