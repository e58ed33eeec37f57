import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../lib/index.js';
import { mimeBundle, registerFormatter } from '../../lib/display/index.js';
import { formatNumber } from '../../lib/display/format.js';

test('formatNumber: integers as they are, 4 significant digits, exponents for extremes', () => {
  const cases: [number, string][] = [
    [3, '3'], [-42, '-42'], [0.123456, '0.1235'], [1.5, '1.5'], [2 / 3, '0.6667'], [1.23456e-5, '1.235e-5'],
    [2.5e7, '2.5e+7'], [1234567, '1.235e+6'], [0, '0'], [NaN, 'NaN'], [-Infinity, '-Infinity'], [0.001, '0.001'],
  ];
  for (const [x, s] of cases) assert.equal(formatNumber(x), s, String(x));
});

test('a 2-D tensor shows dtype, shape and aligned rows, and an HTML table', async () => {
  const b = await mimeBundle(tf.tensor2d([[1, 2.5], [-3, 4]]));
  assert.equal(b['text/plain'], 'Tensor float32 [2, 2]\n[[  1, 2.5],\n [ -3,   4]]');
  const html = b['text/html'] as string;
  assert.match(html, /<caption[^>]*>Tensor float32 \[2, 2\]<\/caption>/);
  assert.equal(html.match(/<tr>/g)?.length, 3, 'a header row and two rows');
  assert.match(html, /<td>2\.5<\/td>/);
});

test('large tensors are summarised with ellipses in text and HTML', async () => {
  const b = await mimeBundle(tf.range(0, 1000, 1, 'int32'));
  assert.equal(b['text/plain'], 'Tensor int32 [1000]\n[  0,   1,   2, ..., 997, 998, 999]');
  const html = b['text/html'] as string;
  assert.equal(html.match(/<td>/g)?.length, 21, '20 values and one ellipsis');
  const m = await mimeBundle(tf.zeros([50, 50]));
  const lines = (m['text/plain'] as string).split('\n');
  assert.equal(lines.length, 1 + 7, 'header, 3 rows, an ellipsis row, 3 rows');
  assert.equal(lines[4].trim(), '...,');
});

test('scalars, 3-D, bool, disposed tensors and variables', async () => {
  assert.equal((await mimeBundle(tf.scalar(2.5)))['text/plain'], 'Tensor float32 []\n2.5');
  const cube = await mimeBundle(tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]));
  assert.equal(cube['text/plain'], 'Tensor float32 [2, 2, 2]\n[[[1, 2],\n  [3, 4]],\n\n [[5, 6],\n  [7, 8]]]');
  assert.match(cube['text/html'] as string, /^<pre>/);
  assert.equal((await mimeBundle(tf.tensor1d([1, 0], 'bool')))['text/plain'], 'Tensor bool [2]\n[ true, false]');
  const t = tf.tensor1d([1]);
  t.dispose();
  assert.equal((await mimeBundle(t))['text/plain'], 'Tensor float32 [1] (disposed)');
  const v = tf.variable(tf.tensor1d([1, 2]));
  assert.match((await mimeBundle(v))['text/plain'], /^Variable float32 \[2\]/);
});

test('arquero tables: caption, aligned columns, elided rows, HTML with the same', async () => {
  const aq = await import('arquero');
  const t = aq.from(Array.from({ length: 30 }, (_, i) => ({ step: i, loss: 1 / (i + 1), method: i % 2 ? 'sgd' : 'adam' })));
  const b = await mimeBundle(t);
  const text = b['text/plain'] as string;
  const lines = text.split('\n');
  assert.equal(lines[0], 'Table 30 rows × 3 columns');
  assert.deepEqual(lines[1].trim().split(/\s+/), ['step', 'loss', 'method']);
  assert.equal(lines.length, 2 + 1 + 11, 'caption, header, rule, 5 + ellipsis + 5 rows');
  assert.deepEqual(lines[lines.length - 1].trim().split(/\s+/), ['29', '0.03333', 'sgd']);
  const html = b['text/html'] as string;
  assert.match(html, /<th>method<\/th>/);
  assert.equal(html.match(/<tr>/g)?.length, 1 + 21);
  const grouped = await mimeBundle(t.groupby('method'));
  assert.match(grouped['text/plain'] as string, /^Table 30 rows × 3 columns, grouped by method/);
});

test('a formatter registered by the user takes precedence over the built-in ones', async () => {
  const marker = tf.tensor1d([7]);
  registerFormatter((x) => x === marker, () => ({ 'text/plain': 'mine' }));
  assert.equal((await mimeBundle(marker))['text/plain'], 'mine');
  assert.match((await mimeBundle(tf.tensor1d([7])))['text/plain'], /^Tensor/);
});
