import { test } from 'node:test';
import assert from 'node:assert/strict';
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
