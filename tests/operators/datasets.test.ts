import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DATASETS, readManifest, datasetPath, readDataset, generateBytes, loadDataset, encodeDataset, decodeDataset, sha256, decompress,
} from '../../lib/operators/data/index.js';
import { main } from '../../datasets/cli.js';

test('the manifest records every registered data set with a checksum', () => {
  const m = readManifest();
  for (const name of Object.keys(DATASETS)) {
    assert.ok(m[name], `manifest entry for ${name}`);
    assert.match(m[name].sha256, /^[0-9a-f]{64}$/);
    assert.equal(m[name].shipped, DATASETS[name].shipped);
    assert.equal(m[name].samples, DATASETS[name].nTrain + DATASETS[name].nTest);
  }
});

test('shipped files match the manifest and regenerated samples are bit-identical to them', () => {
  const m = readManifest();
  for (const spec of Object.values(DATASETS).filter((s) => s.shipped)) {
    const bytes = decompress(readFileSync(datasetPath(spec)));
    assert.equal(sha256(bytes), m[spec.name].sha256, `${spec.name} checksum`);
    const stored = readDataset(spec.name);
    const picks = [0, 1, spec.nTrain]; // two training samples and the first test sample
    const fresh = decodeDataset(generateBytes(spec.name, { indices: picks }));
    for (const [k, shape] of Object.entries(spec.sampleShapes)) {
      const per = shape.reduce((a, b) => a * b, 1);
      picks.forEach((i, row) => {
        const a = Buffer.from(stored.arrays[k].slice(i * per, (i + 1) * per).buffer);
        const b = Buffer.from(fresh.arrays[k].slice(row * per, (row + 1) * per).buffer);
        assert.ok(a.equals(b), `${spec.name}.${k} sample ${i} regenerates bit-identically`);
      });
    }
  }
});

test('generation is deterministic from the seed and different samples differ', () => {
  for (const name of ['burgers1d', 'darcy2d', 'heat1d', 'kdv1d', 'ns2d']) {
    const a = generateBytes(name, { indices: [3] });
    const b = generateBytes(name, { indices: [3] });
    const c = generateBytes(name, { indices: [4] });
    assert.equal(sha256(a), sha256(b), `${name}: same seed, same bytes`);
    assert.notEqual(sha256(a), sha256(c), `${name}: another sample differs`);
  }
});

test('loadDataset returns tensors of the documented shapes plus a metadata table', async () => {
  const train = await loadDataset('burgers1d');
  assert.deepEqual(train.x.shape, [1000, 128]);
  assert.deepEqual(train.y.shape, [1000, 128]);
  assert.equal(train.meta.numRows(), 1000);
  train.dispose();
  const test2 = await loadDataset('burgers1d', { split: 'test', n: 7 });
  assert.deepEqual(test2.x.shape, [7, 128]);
  assert.deepEqual(test2.meta.array('sample'), [1000, 1001, 1002, 1003, 1004, 1005, 1006]);
  assert.deepEqual(test2.meta.array('split'), Array(7).fill('test'));
  assert.equal(test2.coords.x.length, 128);
  test2.dispose();
  const darcy = await loadDataset('darcy2d', { split: 'all', n: 3 });
  assert.deepEqual(darcy.x.shape, [3, 33, 33]);
  assert.deepEqual(darcy.y.shape, [3, 33, 33]);
  assert.deepEqual(darcy.meta.columnNames(), ['sample', 'seed', 'split', 'highFraction']);
  const a = await darcy.x.data();
  assert.ok(Array.from(a).every((v) => v === 12 || v === 3));
  darcy.dispose();
  await assert.rejects(loadDataset('nope'), /unknown data set 'nope'; available: burgers1d/);
  await assert.rejects(loadDataset('burgers1d', { split: 'val' as never }), /split must be 'train', 'test' or 'all'/);
  await assert.rejects(loadDataset('burgers1d', { split: 'test', n: 201 }), /n = 201 exceeds the 200 samples/);
});

test('a non-shipped data set is generated on first use, checked against the manifest and cached', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'optilab-data-'));
  const before = process.env.OPTILAB_DATASETS_DIR;
  process.env.OPTILAB_DATASETS_DIR = dir;
  try {
    await assert.rejects(loadDataset('heat1d', { generate: false }), /has not been generated yet/);
    let calls = 0;
    const d = await loadDataset('heat1d', { split: 'test', n: 4, onProgress: () => calls++ });
    assert.ok(calls > 0, 'progress reported');
    assert.ok(existsSync(join(dir, 'heat1d', 'heat1d.f32.gz')), 'cached in OPTILAB_DATASETS_DIR');
    assert.deepEqual(d.x.shape, [4, 64]);
    assert.deepEqual(d.y.shape, [4, 32, 64]);
    assert.deepEqual(d.fields.nu.shape, [4, 1]);
    assert.equal(d.info.sha256, readManifest().heat1d.sha256);
    const nu = d.meta.array('nu') as number[];
    assert.ok(nu.every((v) => v >= 0.01 && v <= 0.1));
    d.dispose();
  } finally {
    if (before === undefined) delete process.env.OPTILAB_DATASETS_DIR;
    else process.env.OPTILAB_DATASETS_DIR = before;
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the binary format round-trips and rejects foreign files', () => {
  const data = Float32Array.from([1.5, -2, 3.25, 0, 1e-7, 7]);
  const bytes = encodeDataset(
    { format: 'optilab-dataset', version: 1, name: 't', description: 'd', params: { a: 1 }, nTrain: 2, nTest: 1, input: 'v', output: 'v', coords: {}, sampleMeta: { sample: [0, 1, 2] } },
    [{ name: 'v', shape: [3, 2], data }],
  );
  const back = decodeDataset(bytes);
  assert.deepEqual(Array.from(back.arrays.v), Array.from(data));
  assert.deepEqual(back.header.arrays[0].shape, [3, 2]);
  assert.throws(() => decodeDataset(new Uint8Array(16)), /not an optilab data set/);
  assert.throws(() => encodeDataset(back.header, [{ name: 'v', shape: [4, 2], data }]), /has 6 values but shape/);
});

test('the datasets command line lists, verifies and reports bad input', async () => {
  const lines: string[] = [];
  const log = (s: string) => lines.push(s);
  assert.equal(await main(['list'], log), 0);
  assert.ok(lines.some((l) => l.startsWith('burgers1d')));
  lines.length = 0;
  assert.equal(await main(['verify', 'burgers1d', 'darcy2d'], log), 0);
  assert.deepEqual(lines, ['burgers1d: ok', 'darcy2d: ok']);
  lines.length = 0;
  assert.equal(await main(['generate', 'nope'], log), 1);
  assert.match(lines[0], /unknown data set 'nope'/);
  assert.equal(await main(['frobnicate'], log), 1);
});
