import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { tf, backendName, useBackend } from '../../lib/index.js';

test('importing optilab selects a working backend', () => {
  assert.ok(['wasm', 'cpu', 'tensorflow'].includes(backendName()), backendName());
  const s = tf.tidy(() => tf.add(tf.scalar(2), tf.scalar(3)).dataSync()[0]);
  assert.equal(s, 5);
});

test('tf carries the layers API', () => {
  assert.equal(typeof tf.sequential, 'function');
  assert.equal(typeof tf.layers.dense, 'function');
});

test('an unknown backend name is refused with a message naming it', async () => {
  await assert.rejects(useBackend('quantum'), /unknown backend 'quantum'/);
  assert.ok(['wasm', 'cpu', 'tensorflow'].includes(backendName()));
});

test('chained tensor methods are installed (x.square().sum())', () => {
  const s = tf.tidy(() => tf.tensor1d([1, 2, 3]).square().sum().dataSync()[0]);
  assert.equal(s, 14);
  const m = tf.tidy(() => Array.from(tf.tensor2d([[1, 2], [3, 4]]).transpose().reshape([4]).dataSync()));
  assert.deepEqual(m, [1, 3, 2, 4]);
});

test('importing optilab and computing prints nothing (no TF.js banners)', () => {
  const entry = new URL('../../lib/index.js', import.meta.url).href;
  const script = `const { tf, useBackend } = await import(${JSON.stringify(entry)});
    tf.add(tf.scalar(1), tf.scalar(2)).dataSync();
    await useBackend('cpu');
    tf.grad((x) => tf.sum(tf.tanh(x)))(tf.tensor1d([1, 2])).dataSync();`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, '');
  assert.equal(run.stderr, '');
});

test('OPTILAB_BACKEND selects the backend at import', () => {
  const entry = new URL('../../lib/index.js', import.meta.url).href;
  const script = `const { backendName } = await import(${JSON.stringify(entry)}); process.stdout.write(backendName());`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, OPTILAB_BACKEND: 'cpu' } });
  assert.equal(run.stdout, 'cpu', run.stderr);
  const bad = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, OPTILAB_BACKEND: 'gpu' } });
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /OPTILAB_BACKEND: unknown backend 'gpu'; expected one of wasm, cpu, tensorflow/);
});
