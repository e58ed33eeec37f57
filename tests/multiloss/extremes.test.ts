/**
 * Every combiner on extreme gradient matrices G [losses, parameters]: all zero, one zero
 * row, entries of 1e-30 and of 1e30, magnitudes mixed from 1e-20 to 1e20, identical and
 * opposite rows, from 1 x 1 to 4 x 7. The direction is always finite, and all-zero
 * gradients give the zero direction.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, multiloss } from '../../lib/index.js';

const matrix = (k: number, n: number, f: (i: number) => number) => tf.tensor2d(Array.from({ length: k * n }, (_, i) => f(i)), [k, n]);

const CASES: Record<string, (k: number, n: number) => tf.Tensor2D> = {
  zero: (k, n) => matrix(k, n, () => 0),
  'one zero row': (k, n) => matrix(k, n, (i) => (i < n ? 0 : (i % 3) - 1.2)),
  tiny: (k, n) => matrix(k, n, (i) => 1e-30 * ((i % 3) - 1.2)),
  huge: (k, n) => matrix(k, n, (i) => 1e30 * ((i % 3) - 1.2)),
  mixed: (k, n) => matrix(k, n, (i) => (i % 2 ? -1 : 1) * 10 ** (((i * 7) % 41) - 20)),
  identical: (k, n) => matrix(k, n, (i) => (i % n) + 1),
  opposite: (k, n) => matrix(k, n, (i) => (Math.floor(i / n) % 2 ? -1 : 1) * ((i % n) + 1)),
};

test('every combiner gives a finite direction on extreme G; zero G gives the zero direction', () => {
  const failures: string[] = [];
  for (const name of multiloss.AGGREGATOR_NAMES) {
    for (const [label, make] of Object.entries(CASES)) {
      for (const [k, n] of [[1, 1], [2, 5], [3, 7], [4, 2]]) {
        const G = make(k, n);
        const context = { losses: Array.from({ length: k }, (_, i) => 1 + i), ntkTraces: Array.from({ length: k }, (_, i) => 1 + i) };
        const d = multiloss.aggregator(name).combine(G, context);
        const v = Array.from(d.dataSync());
        if (v.length !== n || !v.every(Number.isFinite)) failures.push(`${name} ${label} [${k}, ${n}]: ${v.slice(0, 3).join(', ')}`);
        if (label === 'zero' && v.some((x) => x !== 0)) failures.push(`${name} zero [${k}, ${n}]: ${v.slice(0, 3).join(', ')}`);
        tf.dispose([G, d]);
      }
    }
  }
  assert.deepEqual(failures, []);
});
