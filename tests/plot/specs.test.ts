/**
 * Every builder's spec is valid Vega-Lite 5 (the schema of the last 5.x release,
 * committed by tests/fixtures/gen_plot.py): JupyterLab renders with its bundled
 * Vega-Lite 5, so a chart must not rely on a Vega-Lite 6 feature.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Ajv } from 'ajv';
import { repoRoot } from '../helpers.js';
import { tf } from '../../lib/index.js';
import * as plot from '../../lib/plot/index.js';
import { seedRecords } from './records.js';

type Validate = ((x: unknown) => boolean) & { errors?: unknown[] | null };
let validate: Validate;

before(() => {
  const schema = JSON.parse(gunzipSync(readFileSync(join(repoRoot(), 'tests', 'fixtures', 'plot_vegalite_v5_schema.json.gz'))).toString('utf8'));
  validate = new Ajv({ strict: false, validateFormats: false, logger: false }).compile(schema) as Validate;
});

function charts(): Record<string, plot.Chart> {
  const runs = seedRecords();
  const steps = Array.from({ length: 50 }, (_, i) => i);
  const base = plot.line(runs, { y: 'loss', color: 'method', detail: 'seed' });
  return {
    line: base,
    lineLogTitled: base.logY().title('Loss', 'three seeds').xTitle('iteration').size(300, 200),
    lineFolded: plot.line({ step: steps, train: steps.map((s) => 1 / (s + 1)), test: steps.map((s) => 2 / (s + 1)) }, { point: true }),
    lineTensor: plot.line(tf.tensor1d([3, 2, 1])),
    lineOrdered: plot.line({ x: [0, 1, 0.5], y: [0, 0, 1], t: [0, 1, 2], path: 'a' }, { x: 'x', y: 'y', order: 't', detail: 'path' }),
    lineFacet: plot.line(runs, { y: 'loss', color: 'method', facet: 'seed', columns: 2 }),
    interactive: base.interactive(),
    scatter: plot.scatter({ x: [1, 2, 3], y: [3, 1, 2], label: ['a', 'b', 'a'] }, { color: 'label' }),
    scatterTensor: plot.scatter(tf.tensor2d([[0, 1], [1, 0]]), { color: tf.tensor1d([0, 1], 'int32'), size: [1, 2] }),
    heatmap: plot.heatmap([[1, 2, 3], [4, 5, 6]], { x: [-1, 1], y: [0, 1], colorTitle: 'u' }),
    heatmapDiverging: plot.heatmap(tf.tensor2d([[-1, 2], [3, -4]]), { diverging: true }),
    heatmapRecords: plot.heatmap(
      [{ lr: 0.1, beta: 0.9, loss: 1 }, { lr: 0.01, beta: 0.9, loss: 2 }, { lr: 0.1, beta: 0.99, loss: 3 }],
      { x: 'lr', y: 'beta', color: 'loss', text: true },
    ),
    histogram: plot.histogram([1, 2, 2, 3, 3, 3], { bins: 5 }),
    histogramDensity: plot.histogram([{ v: 1, g: 'a' }, { v: 2, g: 'b' }], { field: 'v', color: 'g', density: true }),
    band: plot.band(runs, { y: 'loss' }),
    bandStdLogSeeds: plot.band(runs, { y: 'loss', band: 'std', logY: true, showSeeds: true }),
    bandFacet: plot.band(runs, { y: 'loss', facet: 'method' }),
    layer: plot.layer(plot.line({ x: [0, 1], y: [0, 1] }), plot.scatter({ x: [0, 1], y: [0.1, 0.9] })),
    hconcat: plot.hconcat(base, plot.histogram([1, 2, 3])),
    vconcat: plot.vconcat(base.width(200), plot.band(runs)).title('both'),
    raw: plot.vegalite({ data: { values: [{ a: 1 }] }, mark: 'bar', encoding: { y: { field: 'a', type: 'quantitative' } } }),
  };
}

test('every builder produces a valid Vega-Lite 5 spec', () => {
  for (const [name, chart] of Object.entries(charts())) {
    const spec = chart.spec;
    assert.equal(spec.$schema, 'https://vega.github.io/schema/vega-lite/v5.json', name);
    assert.ok(validate(spec), `${name}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
  }
});

test('the schema check rejects what Vega-Lite 5 does not know', () => {
  const spec = plot.line({ x: [0, 1], y: [0, 1] }).spec;
  spec.mark = { type: 'line', notAProperty: 1 };
  assert.equal(validate(spec), false);
  assert.equal(validate({ ...plot.line({ x: [0, 1], y: [0, 1] }).spec, mark: 'squiggle' }), false);
});

test('every builder compiles without warnings and renders to SVG', async () => {
  for (const [name, chart] of Object.entries(charts())) {
    const { warnings } = await chart.compile();
    assert.deepEqual(warnings, [], name);
    const svg = await chart.toSVG();
    assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/, name);
  }
});
