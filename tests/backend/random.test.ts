/** The library generator: seeding, distributions, and reproducibility of library draws. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, seed, rng, Rng, nn, ad } from '../../lib/index.js';

test('seed(n) makes library draws reproducible', () => {
  seed(123);
  const a = [rng().uniform(), rng().normal(), rng().int(10)];
  const netA = nn.mlp({ sizes: [2, 4, 1] }).getFlat();
  seed(123);
  const b = [rng().uniform(), rng().normal(), rng().int(10)];
  const netB = nn.mlp({ sizes: [2, 4, 1] }).getFlat();
  assert.deepEqual(a, b);
  assert.deepEqual(netA, netB);
  seed(124);
  assert.notDeepEqual([rng().uniform(), rng().normal()], a.slice(0, 2));
  // Estimators without an explicit seed draw from the library generator too.
  const f = (x: tf.Tensor) => tf.sum(tf.mul(tf.square(x), tf.tensor1d([1, 2, 3])));
  const x = tf.tensor1d([0.5, 1, 1.5]);
  const Q = (t: tf.Tensor) => tf.sum(tf.mul(t, tf.reverse(t)));
  seed(9);
  const d1 = Array.from(ad.hessianDiag(Q, x, { samples: 3 }).dataSync());
  seed(9);
  const d2 = Array.from(ad.hessianDiag(Q, x, { samples: 3 }).dataSync());
  assert.deepEqual(d1, d2);
  assert.deepEqual(Array.from(ad.hessianDiag(f, x, { samples: 1 }).dataSync()), [2, 4, 6]);
  x.dispose();
});

test('Rng streams: same seed same stream, forks independent, TF.js seeds reproducible', () => {
  const r1 = new Rng(7);
  const r2 = new Rng(7);
  assert.deepEqual(r1.uniformArray(5), r2.uniformArray(5));
  const f1 = r1.fork();
  const f2 = r2.fork();
  assert.deepEqual(f1.normalArray(3), f2.normalArray(3));
  assert.notDeepEqual(new Rng(7).fork().normalArray(3), new Rng(7).normalArray(3));
  const t1 = tf.tidy(() => Array.from(new Rng(1).normalTensor([4]).dataSync()));
  const t2 = tf.tidy(() => Array.from(new Rng(1).normalTensor([4]).dataSync()));
  assert.deepEqual(t1, t2);
});

test('Rng distributions have the right moments and ranges', () => {
  const r = new Rng(2);
  const u = r.uniformArray(20000);
  assert.ok(u.every((v) => v >= 0 && v < 1));
  const mean = u.reduce((s, v) => s + v, 0) / u.length;
  assert.ok(Math.abs(mean - 0.5) < 0.01, `uniform mean ${mean}`);
  const z = r.normalArray(20000);
  const zm = z.reduce((s, v) => s + v, 0) / z.length;
  const zv = z.reduce((s, v) => s + (v - zm) ** 2, 0) / z.length;
  assert.ok(Math.abs(zm) < 0.03 && Math.abs(zv - 1) < 0.04, `normal mean ${zm} variance ${zv}`);
  const p = Array.from(r.permutation(50)).sort((a, b) => a - b);
  assert.deepEqual(p, [...Array(50).keys()]);
  const k = Array.from({ length: 1000 }, () => r.int(3));
  assert.deepEqual([...new Set(k)].sort(), [0, 1, 2]);
  assert.ok(r.rademacherArray(100).every((v) => v === 1 || v === -1));
});

test('bad seeds are refused by name', () => {
  assert.throws(() => seed(-1), /seed\(n\): expected an integer in \[0, 2\^32 - 1\], got -1/);
  assert.throws(() => new Rng(1.5), /seed: expected an integer/);
  assert.throws(() => new Rng(3).int(0), /Rng.int: n must be a positive integer/);
});
