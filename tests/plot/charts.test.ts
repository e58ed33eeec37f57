import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '../../lib/index.js';
import { mimeBundle } from '../../lib/display/index.js';
import * as plot from '../../lib/plot/index.js';
import { assertClose } from '../helpers.js';
import { seedRecords } from './records.js';

const VL = 'application/vnd.vegalite.v5+json';

/** Text of the SVG's <text> elements. */
function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
}

test('a line chart renders its marks, axis titles and title', async () => {
  const chart = plot.line(seedRecords(), { y: 'loss', color: 'method', detail: 'seed', title: 'Training loss', xTitle: 'iteration' });
  const svg = await chart.toSVG();
  assert.match(svg, /class="mark-line role-mark/);
  const texts = svgTexts(svg);
  for (const t of ['Training loss', 'iteration', 'loss', 'method', 'adam', 'sgd']) assert.ok(texts.includes(t), `missing text '${t}' in ${texts.join('|')}`);
  assert.equal(chart.spec.data.values.length, 60);
  assert.equal(String(chart), '<Chart: line of loss vs step, 2 series by method, 60 points>');
});

test('SVG text uses a sans-serif font stack', async () => {
  const svg = await plot.line([1, 2, 3]).toSVG();
  const families = new Set([...svg.matchAll(/font-family="([^"]*)"/g)].map((m) => m[1]));
  assert.ok(families.size > 0);
  for (const f of families) assert.match(f, /, sans-serif$/);
});

test('line: per-seed records get one line per seed unless seed is used otherwise', () => {
  assert.equal(plot.line(seedRecords(), { y: 'loss', color: 'method' }).spec.encoding.detail.field, 'seed');
  assert.equal(plot.line(seedRecords(), { y: 'loss', color: 'seed' }).spec.encoding.detail, undefined);
  assert.equal(plot.line({ step: [0, 1], loss: [1, 0] }).spec.encoding.detail, undefined);
});

test('line: order joins the points in the order of a field (paths in the plane), not sorted by x', async () => {
  const chart = plot.line({ x: [0, 1, 0.5], y: [0, 0, 1], t: [0, 1, 2] }, { x: 'x', y: 'y', order: 't' });
  assert.deepEqual(chart.spec.encoding.order, { field: 't', type: 'quantitative' });
  const path = (await chart.toSVG()).match(/class="mark-line[^]*?d="M([^"]*)"/);
  assert.ok(path, 'the line is drawn');
  const xs = path[1].split(/L/).map((p) => Number(p.split(',')[0]));
  assert.ok(xs[2] < xs[1], `the third point (x = 0.5) is drawn after x = 1: ${xs}`);
  assert.throws(() => plot.line({ x: [0, 1], y: [0, 1] }, { order: 'time' }), /field 'time' is not in the data/);
});

test('line: several y fields become series in the order given; a missing field is named in the error', () => {
  const chart = plot.line({ step: [0, 1], train: [1, 0.5], test: [2, 1] }, { y: ['train', 'test'] });
  const spec = chart.spec;
  assert.equal(spec.encoding.color.field, 'series');
  assert.deepEqual(spec.encoding.color.sort, ['train', 'test']);
  assert.deepEqual(spec.data.values[0], { step: 0, series: 'train', value: 1 });
  assert.throws(() => plot.line({ step: [0, 1], train: [1, 0.5] }, { y: 'loss' }), /field 'loss' is not in the data; fields: step, train/);
  assert.throws(() => plot.line({ step: [0, 1], loss: [1] }), /column 'loss' has 1 values but column 'step' has 2/);
});

test('data inputs: tensors, 2-D arrays, columns with scalars, arquero-like tables, values as channels', async () => {
  const fromTensor = plot.line(tf.tensor1d([3, 2, 1])).spec;
  assert.deepEqual(fromTensor.data.values, [{ index: 0, value: 3 }, { index: 1, value: 2 }, { index: 2, value: 1 }]);
  const pts = plot.scatter(tf.tensor2d([[0, 1], [2, 3]]), { color: tf.tensor1d([1, 0], 'int32') }).spec;
  assert.deepEqual(pts.data.values, [{ x: 0, y: 1, color: 1 }, { x: 2, y: 3, color: 0 }]);
  assert.equal(pts.encoding.color.type, 'nominal', 'few distinct integers colour as categories');
  const cols = plot.line({ step: [0, 1], loss: [0.5, 0.25], method: 'adam' }).spec;
  assert.deepEqual(cols.data.values[1], { step: 1, loss: 0.25, method: 'adam' });
  const aq = await import('arquero');
  const t = aq.from([{ step: 0, loss: 1 }, { step: 1, loss: 0.5 }]);
  assert.deepEqual(plot.line(t).spec.data.values, [{ step: 0, loss: 1 }, { step: 1, loss: 0.5 }]);
  assert.throws(() => plot.line(tf.zeros([2, 2, 2])), /1-D \(values\) or 2-D \(rows of points\), got shape \[2, 2, 2\]/);
  assert.throws(() => plot.scatter({ x: [1, 2], y: [1, 2] }, { color: [1] }), /color has 1 values but the data has 2 rows/);
});

test('inline numbers keep 6 significant digits', () => {
  const spec = plot.line({ x: [0, 1], y: [0.123456789, 1 / 3] }).spec;
  assert.deepEqual(spec.data.values.map((r: { y: number }) => r.y), [0.123457, 0.333333]);
});

/** (x, y, fill) of each cell of the heatmap's rect mark, in SVG coordinates (y grows downward). */
function cells(svg: string): { x: number; y: number; fill: string }[] {
  const group = svg.match(/<g class="mark-rect role-mark[^>]*>(.*?)<\/g>/)?.[1] ?? '';
  return [...group.matchAll(/<path[^>]* d="M(-?[\d.]+),(-?[\d.]+)[^"]*" fill="([^"]+)"/g)].map((m) => ({ x: +m[1], y: +m[2], fill: m[3] }));
}

for (const [kind, make] of [
  ['array', (v: number[][]) => v],
  ['tensor', (v: number[][]) => tf.tensor2d(v)],
] as const) {
  test(`heatmap orientation (${kind}): values[i][j] is drawn at row i from the bottom, column j from the left`, async () => {
    // Two rows, three columns; only the top-right cell (row 1, column 2) is hot.
    const values = [[0, 0, 0], [0, 0, 1]];
    const chart = plot.heatmap(make(values), { x: [0, 3], y: [0, 2] });
    const hot = chart.spec.data.values.find((r: { value: number }) => r.value === 1);
    assert.deepEqual(hot, { x: 2.5, y: 1.5, value: 1 });
    const drawn = cells(await chart.toSVG());
    assert.equal(drawn.length, 6);
    const fills = drawn.map((c) => c.fill);
    const hotCell = drawn.find((c) => fills.filter((f) => f === c.fill).length === 1)!;
    assert.equal(hotCell.x, Math.max(...drawn.map((c) => c.x)), 'hot cell is in the rightmost column');
    assert.equal(hotCell.y, Math.min(...drawn.map((c) => c.y)), 'hot cell is in the top row');
  });
}

test('heatmap: extents place cell centres; diverging colours are symmetric around the centre', () => {
  const values = [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, -20]];
  const spec = plot.heatmap(values, { x: [-1, 1], y: [0, 3], diverging: true }).spec;
  const rec = spec.data.values.find((r: { value: number }) => r.value === 7);
  assertClose([rec.x, rec.y], [0.25, 1.5]);
  assert.deepEqual(spec.encoding.color.scale, { scheme: 'blueorange', domain: [-20, 20], domainMid: 0 });
  assert.deepEqual(plot.heatmap(values, { diverging: 5 }).spec.encoding.color.scale.domain, [-20, 30]);
  assert.throws(() => plot.heatmap([[1, 2], [3]]), /row 1 has 1 values but row 0 has 2/);
  assert.throws(() => plot.heatmap([[1]], { x: [1, 1] }), /x must be an extent \[lo, hi\]/);
});

test('band: mean line and min-max / std / sem bands match the seed statistics', () => {
  const runs = seedRecords(); // adam: loss = (1 + seed) / (step + 1) over seeds 0, 1, 2
  const rowsOf = (chart: plot.Chart) =>
    chart.spec.data.values.filter((r: Record<string, unknown>) => r.__part === 'summary' && r.method === 'adam');
  for (const [band, lo, hi] of [
    ['minmax', 1, 3],
    ['std', 1, 3], // mean 2, sample std 1
    ['sem', 2 - 1 / Math.sqrt(3), 2 + 1 / Math.sqrt(3)],
  ] as const) {
    const rows = rowsOf(plot.band(runs, { y: 'loss', band }));
    assert.equal(rows.length, 10);
    for (const r of rows) {
      const k = 1 / (r.step + 1);
      assertClose([r.center, r.lo, r.hi, r.n], [2 * k, lo * k, hi * k, 3], { rtol: 1e-5 }, `${band} step ${r.step}`);
    }
  }
  const median = rowsOf(plot.band(runs, { y: 'loss', center: 'median' }));
  assertClose(median.map((r: { center: number }) => r.center), median.map((r: { step: number }) => 2 / (r.step + 1)));
});

test('band: on a log axis a band edge at or below zero is drawn at the smallest value', () => {
  const runs = [0.1, 0.1, 5].map((loss, seed) => ({ method: 'm', seed, step: 0, loss }));
  const [row] = plot.band(runs, { band: 'std', logY: true }).spec.data.values;
  assert.ok(row.mean - row.std <= 0);
  assert.equal(row.lo, 0.1);
  const [linear] = plot.band(runs, { band: 'std' }).spec.data.values;
  assertClose(linear.lo, linear.mean - linear.std);
});

test('facet by a numeric field: one panel per value, in numeric order', async () => {
  const rows = [15, 1, 7.5, 3].flatMap((w) => [{ x: 0, y: 100, w }, { x: 1, y: 100, w }]);
  const chart = plot.scatter(rows, { facet: 'w' });
  assert.equal(chart.spec.facet.type, 'ordinal');
  const texts = [...(await chart.toSVG()).matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
  assert.deepEqual(texts.slice(-4), ['1', '3', '7.5', '15'], 'the panel headers come last, in numeric order');
});

test('band: faceted bands summarise each panel apart', () => {
  const runs = seedRecords().map((r) => ({ ...r, panel: r.seed === 0 ? 'a' : 'b' }));
  const rows = plot.band(runs, { y: 'loss', facet: 'panel' }).spec.data.values;
  const adamA = rows.filter((r: Record<string, unknown>) => r.method === 'adam' && r.panel === 'a' && r.step === 0);
  assert.equal(adamA.length, 1);
  assert.equal(adamA[0].n, 1);
  assert.equal(adamA[0].mean, 1);
});

test('band: the methods have a legend', async () => {
  const svg = await plot.band(seedRecords(), { y: 'loss' }).toSVG();
  assert.match(svg, /role-legend/);
  for (const method of ['adam', 'sgd']) assert.match(svg, new RegExp(`>${method}<`));
});

test('band accepts summaries and draws per-seed lines on request', async () => {
  const { summarize } = await import('../../lib/data/index.js');
  const fromSummary = plot.band(summarize(seedRecords()), { y: 'loss' });
  const fromRuns = plot.band(seedRecords(), { y: 'loss' });
  const fields = (c: plot.Chart) => c.spec.data.values.flatMap((r: Record<string, number>) => [r.step, r.center, r.lo, r.hi, r.n]);
  assertClose(fields(fromSummary), fields(fromRuns), { rtol: 1e-5 });
  assert.deepEqual(fromSummary.spec.data.values.map((r: { method: string }) => r.method), fromRuns.spec.data.values.map((r: { method: string }) => r.method));
  const svg = await plot.band(seedRecords(), { showSeeds: true, title: 'cmp' }).toSVG();
  // One line per method and seed (2 x 3) and one mean line per method.
  assert.equal(svg.match(/class="mark-line role-mark/g)?.length, 8);
  assert.equal((await plot.band(seedRecords()).toSVG()).match(/class="mark-line role-mark/g)?.length, 2);
  assert.match(svg, /class="mark-area role-mark/);
  assert.throws(() => plot.band(seedRecords(), { band: 'iqr' as never }), /band must be 'minmax', 'std' or 'sem'/);
});

test('band draws a legend naming each method, also side by side', async () => {
  const methods = [...new Set(seedRecords().map((r) => r.method))];
  assert.ok(methods.length > 1);
  for (const chart of [plot.band(seedRecords()), plot.hconcat(plot.band(seedRecords()), plot.band(seedRecords(), { band: 'std' }))]) {
    const svg = await chart.toSVG();
    assert.match(svg, /role-legend/);
    const texts = svgTexts(svg);
    for (const m of methods) assert.ok(texts.includes(m), `legend entry ${m} in ${texts.join(', ')}`);
  }
});

test('charts are immutable; adjustments reach every panel', () => {
  const base = plot.line(seedRecords(), { y: 'loss', color: 'method' });
  const log = base.logY();
  assert.equal(base.spec.encoding.y.scale, undefined);
  assert.equal(log.spec.encoding.y.scale.type, 'log');
  const faceted = base.facet('seed', { columns: 2 }).width(150);
  assert.equal(faceted.spec.spec.width, 150);
  assert.equal(faceted.spec.columns, 2);
  const both = plot.hconcat(base, base).height(120);
  assert.deepEqual(both.spec.hconcat.map((s: { height: number }) => s.height), [120, 120]);
  assert.throws(() => plot.heatmap([{ a: 'x', b: 'y', value: 1 }], { x: 'a', y: 'b' }).scale('x', { type: 'log' }), /no quantitative or temporal 'x' encoding/);
  assert.throws(() => base.width(-1), /width: expected a positive number of pixels/);
  assert.throws(() => plot.layer(base.facet('seed')), /only single or layered charts can be layered/);
  assert.throws(() => plot.hconcat({} as plot.Chart), /argument 0 is not a Chart/);
});

test('the display bundle: Vega-Lite spec object, SVG, text; no HTML', async () => {
  const chart = plot.scatter({ x: [1, 2], y: [2, 1] }, { title: 'pts' });
  const bundle = await mimeBundle(chart);
  assert.deepEqual(Object.keys(bundle).sort(), ['application/vnd.vegalite.v5+json', 'image/svg+xml', 'text/plain']);
  assert.equal(typeof bundle[VL], 'object');
  assert.deepEqual(bundle[VL], chart.spec);
  assert.match(bundle['image/svg+xml'] as string, /^<svg/);
  assert.equal(bundle['text/plain'], '<Chart: scatter of y vs x, 2 points>');
});

test('save writes SVG, the Vega-Lite JSON and PNG; other extensions are refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'optilab-plot-'));
  try {
    const chart = plot.histogram([1, 2, 2, 3]);
    await chart.save(join(dir, 'a', 'h.svg'));
    assert.match(readFileSync(join(dir, 'a', 'h.svg'), 'utf8'), /^<svg/);
    await chart.save(join(dir, 'h.vl.json'));
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'h.vl.json'), 'utf8')), chart.spec);
    if (await plot.pngAvailable()) {
      await chart.save(join(dir, 'h.png'));
      assert.deepEqual([...readFileSync(join(dir, 'h.png')).subarray(1, 4)], [...Buffer.from('PNG')]);
    }
    await assert.rejects(chart.save(join(dir, 'h.pdf')), /unsupported file type .* use \.svg, \.png, \.vl\.json or \.json/);
    assert.equal(existsSync(join(dir, 'h.pdf')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('vegalite wraps a raw spec with the Vega-Lite 5 schema', () => {
  const chart = plot.vegalite({ $schema: 'https://vega.github.io/schema/vega-lite/v6.json', mark: 'point', data: { values: [] } });
  assert.equal(chart.spec.$schema, 'https://vega.github.io/schema/vega-lite/v5.json');
  assert.equal(String(chart), '<Chart: Vega-Lite point unit spec>');
  assert.throws(() => plot.vegalite([] as never), /spec must be a Vega-Lite spec object/);
});
