/** Random mini-batches: distinct rows, the same rows of every tensor, reproducible from a seed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, data } from '../../lib/index.js';

test('sampleRows draws distinct rows, aligned across tensors, the same for the same seed', () => {
  const x = tf.tensor2d(Array.from({ length: 50 }, (_, i) => [i, 10 * i]));
  const y = tf.tensor1d(Array.from({ length: 50 }, (_, i) => i), 'int32');
  const [xb, yb] = data.sampleRows([x, y], 20, 3);
  const rows = Array.from(yb.dataSync());
  assert.equal(new Set(rows).size, 20);
  assert.deepEqual(Array.from(xb.dataSync()), rows.flatMap((i) => [i, 10 * i]));
  const [, again] = data.sampleRows([x, y], 20, 3);
  assert.deepEqual(Array.from(again.dataSync()), rows);
  assert.throws(() => data.sampleRows([x, y], 51, 0), /sampleRows: size must be an integer in \[1, 50\], got 51/);
  assert.throws(() => data.sampleRows([x, tf.ones([3])], 2, 0), /sampleRows: tensors\[1\] must have 50 rows like tensors\[0\]/);
  tf.dispose([x, y, xb, yb, again]);
});
