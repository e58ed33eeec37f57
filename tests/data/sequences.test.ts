/** The adding problem: shapes, markers in each half, targets, determinism. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { data } from '../../lib/index.js';
import { assertClose } from '../helpers.js';

test('addingProblem: one marker per half, target = sum of the marked values', () => {
  const t = data.addingProblem({ n: 50, length: 12, seed: 4 });
  assert.deepEqual(t.x.shape, [50, 12, 2]);
  assert.deepEqual(t.y.shape, [50, 1]);
  const x = t.x.arraySync();
  const y = t.y.dataSync();
  for (let i = 0; i < 50; i++) {
    const marked = x[i].map((step, k) => [k, step[1]]).filter(([, m]) => m === 1).map(([k]) => k);
    assert.equal(marked.length, 2);
    assert.ok(marked[0] < 6 && marked[1] >= 6, `markers at ${marked}`);
    assertClose(y[i], x[i][marked[0]][0] + x[i][marked[1]][0], { rtol: 1e-6 });
    assert.ok(x[i].every((step) => step[0] >= 0 && step[0] < 1));
  }
  assert.deepEqual(data.addingProblem({ n: 50, length: 12, seed: 4 }).y.dataSync(), y);
  assert.equal(t.baselineMse, 1 / 6);
  assert.throws(() => data.addingProblem({ n: 5, length: 1 }), /length must be an integer >= 2/);
});
