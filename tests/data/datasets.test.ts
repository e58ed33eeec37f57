import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { tf, data } from '../../lib/index.js';
import { readFixture } from '../helpers.js';

const ref = readFixture('data_reference.json').digits;

test('digits: the shipped file matches its checksum and scikit-learn\'s data', () => {
  const dir = join(data.datasetsDir(), 'digits');
  const header = JSON.parse(readFileSync(join(dir, 'digits.json'), 'utf8'));
  const bytes = gunzipSync(readFileSync(join(dir, header.file)));
  assert.equal(createHash('sha256').update(bytes).digest('hex'), header.sha256);
  const raw = data.digitsRaw();
  assert.equal(raw.n, ref.n);
  assert.equal(raw.features, ref.features);
  assert.deepEqual([...raw.pixels.subarray(0, 64)], ref.first_image);
  assert.deepEqual([...raw.labels.subarray(0, 10)], ref.first_labels);
  assert.equal(raw.labels[raw.n - 1], ref.last_label);
  const counts = new Array(10).fill(0);
  const sums = new Array(10).fill(0);
  raw.labels.forEach((c, i) => {
    counts[c]++;
    for (let j = 0; j < 64; j++) sums[c] += raw.pixels[i * 64 + j];
  });
  assert.deepEqual(counts, ref.class_counts);
  assert.deepEqual(sums, ref.pixel_sum_per_class);
  assert.match(header.license, /BSD-3-Clause/);
});

test('digits: tensors in [0, 1], a stratified deterministic split, one-hot labels', () => {
  const { train, test: held, classes } = data.digits({ seed: 3 });
  assert.equal(classes, 10);
  assert.deepEqual(train.x.shape, [train.n, 64]);
  assert.equal(train.n + held.n, 1797);
  assert.equal(held.n, ref.class_counts.reduce((s: number, c: number) => s + Math.round(c * 0.2), 0));
  const all = new Set([...train.indices, ...held.indices]);
  assert.equal(all.size, 1797, 'train and test are disjoint and cover the data');
  const x = train.x.dataSync();
  assert.ok(x.every((v) => v >= 0 && v <= 1));
  assert.equal(Math.max(...x), 1);
  assert.equal(train.y.dtype, 'int32');
  assert.deepEqual([...train.y.dataSync()], [...train.labels]);
  for (let c = 0; c < 10; c++) {
    const inTest = held.labels.filter((l) => l === c).length;
    assert.equal(inTest, Math.round(ref.class_counts[c] * 0.2), `class ${c}`);
  }
  const again = data.digits({ seed: 3, split: 'test' });
  assert.deepEqual([...again.indices], [...held.indices]);
  assert.notDeepEqual([...data.digits({ seed: 4, split: 'test' }).indices], [...held.indices]);
  const hot = data.digits({ split: 'all', oneHot: true });
  assert.deepEqual(hot.y.shape, [1797, 10]);
  assert.deepEqual([...tf.argMax(hot.y, 1).dataSync()], [...data.digitsRaw().labels]);
  assert.throws(() => data.digits({ testFraction: 1 }), /testFraction must be in \(0, 1\)/);
  assert.throws(() => data.digits({ split: 'dev' as never }), /split must be 'train', 'test' or 'all'/);
});

test('charText: provenance, vocabulary, encode/decode round trip, splits', () => {
  const header = JSON.parse(readFileSync(join(data.datasetsDir(), 'text', 'devils_dictionary.json'), 'utf8'));
  assert.match(header.license, /Public domain/);
  const train = data.charText({ context: 32 });
  const val = data.charText({ context: 32, split: 'val' });
  const all = data.charText({ split: 'all' });
  assert.equal(all.text.length, header.characters);
  assert.equal(createHash('sha256').update(all.text).digest('hex'), header.sha256);
  assert.equal(train.text + val.text, all.text);
  assert.equal(val.text.length, all.text.length - Math.floor(all.text.length * 0.9));
  assert.deepEqual(train.vocab, val.vocab);
  assert.deepEqual(train.vocab, [...new Set(all.text)].sort());
  assert.equal(train.decode(train.ids), train.text);
  const s = 'A cynic, n.  A blackguard';
  assert.equal(train.decode(train.encode(s)), s);
  assert.throws(() => train.encode('naïve'), /character "ï" at 2 is not in the vocabulary/);
  assert.throws(() => train.decode([train.vocabSize]), /id \d+ at 0 is outside/);
});

test('charText: windows and batches are shifted by one character', () => {
  const lm = data.charText({ context: 8 });
  const w = lm.window(100);
  assert.equal(lm.decode(w.x), lm.text.slice(100, 108));
  assert.equal(lm.decode(w.y), lm.text.slice(101, 109));
  const { x, y } = lm.batch(4, 0);
  assert.deepEqual(x.shape, [4, 8]);
  assert.deepEqual(y.shape, [4, 8]);
  assert.equal(x.dtype, 'int32');
  const xs = x.arraySync() as number[][], ys = y.arraySync() as number[][];
  for (let b = 0; b < 4; b++) assert.deepEqual(xs[b].slice(1), ys[b].slice(0, 7));
  assert.deepEqual(lm.batch(4, 0).x.arraySync(), xs, 'the same seed gives the same batch');
  const next = data.charText({ context: 8, target: 'next' });
  const nb = next.batch(3, data.rng(1));
  assert.deepEqual(nb.y.shape, [3]);
  let windows = 0;
  for (const b of lm.batches(512, { seed: 1 })) windows += b.x.shape[0];
  assert.equal(windows, Math.ceil(lm.numWindows / 8));
  assert.throws(() => data.charText({ context: 0 }), /context must be a positive integer/);
});
