import { test } from 'node:test';
import assert from 'node:assert/strict';
import { data } from '../../lib/index.js';
import { assertClose, readFixture } from '../helpers.js';

const ref = readFixture('data_reference.json');

test('mulberry32 matches the canonical algorithm', () => {
  for (const [state, expected] of Object.entries(ref.mulberry32 as Record<string, number[]>)) {
    const next = data.mulberry32(Number(state));
    assert.deepEqual(Array.from({ length: 5 }, next), expected, `state ${state}`);
  }
});

test('a seed gives the same stream every time; other seeds and labels give other streams', () => {
  const draw = (r: data.Rng) => [r.uniform(), r.normal(), r.int(1000)];
  assert.deepEqual(draw(data.rng(7)), draw(data.rng(7)));
  assert.notDeepEqual(draw(data.rng(7)), draw(data.rng(8)));
  assert.notDeepEqual(draw(data.rng(7, 'noise')), draw(data.rng(7, 'split')));
  assert.deepEqual(draw(data.rng(7, 'noise', 2)), draw(data.rng(7, 'noise', 2)));
  assert.notEqual(data.derive(2 ** 40), data.derive(0), 'seeds beyond 32 bits stay distinct');
});

test('uniform and normal draws have the right moments', () => {
  const r = data.rng(123);
  const n = 100_000;
  const u = r.uniformArray(n, -1, 3);
  const z = r.normalArray(n, 2, 0.5);
  const mean = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length;
  const variance = (a: Float64Array) => { const m = mean(a); return a.reduce((s, v) => s + (v - m) ** 2, 0) / a.length; };
  assert.ok(u.every((v) => v >= -1 && v < 3));
  // Standard errors: uniform mean 1 ± 0.0037, normal mean 2 ± 0.0016; allow about 4 of them.
  assertClose([mean(u), variance(u)], [1, 16 / 12], { atol: 0.015 });
  assertClose([mean(z), variance(z)], [2, 0.25], { atol: 0.007 });
});

test('shuffle and permutation are permutations', () => {
  const p = data.rng(1).permutation(100);
  assert.deepEqual([...p].sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i));
  assert.notDeepEqual([...p], Array.from({ length: 100 }, (_, i) => i));
  const counts = new Array(10).fill(0);
  const r = data.rng(2);
  for (let i = 0; i < 10_000; i++) counts[r.int(10)]++;
  assert.ok(counts.every((c) => c > 900 && c < 1100), counts.join(','));
});

test('seeds must be integers', () => {
  assert.throws(() => data.rng(1.5), /seed must be an integer .*got 1\.5/);
  assert.throws(() => data.rng('1' as never), /seed must be an integer .*got "1"/);
  assert.throws(() => data.rng(0).int(0), /n must be a positive integer/);
});
