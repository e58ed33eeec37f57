/** plot.band keeps its colour legend; plot.line orders points by a field; axis titles reach layered heatmaps. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plot } from '../../lib/index.js';

const runs = ['adam', 'sgd'].flatMap((method) => [0, 1].flatMap((seed) => [0, 1, 2].map((step) => ({ method, seed, step, loss: 1 / (step + 1) + seed }))));

test('plot.band: the compiled chart has a colour legend with solid line symbols', async () => {
  const chart = plot.band(runs, { y: 'loss' });
  const spec = JSON.stringify(chart.spec);
  assert.ok(!spec.includes('"legend":null'), 'no layer may switch the legend off');
  const compiled = await chart.compile();
  const legends = JSON.stringify((compiled.vega as { legends?: unknown[] }).legends ?? []);
  assert.match(legends, /"stroke":"color"|"fill":"color"/);
  assert.match(legends, /"symbolType":"stroke"/);
  const svg = await chart.toSVG();
  assert.match(svg, />adam</);
  assert.match(svg, />sgd</);
});

test('plot.line order: points joined in the order of a field, not of x', () => {
  const path = [{ x: 0, y: 0, t: 0 }, { x: 2, y: 1, t: 1 }, { x: 1, y: 2, t: 2 }];
  const chart = plot.line(path, { x: 'x', y: 'y', order: 't' });
  assert.deepEqual((chart.spec.encoding as Record<string, unknown>).order, { field: 't', type: 'quantitative' });
  assert.throws(() => plot.line(path, { x: 'x', y: 'y', order: 'nope' }), /nope/);
});

test('xTitle / yTitle apply to a record heatmap with printed values (a layered chart)', () => {
  const cells = [{ lr: 1, wd: 0, v: 1 }, { lr: 2, wd: 0, v: 2 }];
  const spec = JSON.stringify(plot.heatmap(cells, { x: 'lr', y: 'wd', color: 'v', text: true, xTitle: 'learning rate', yTitle: 'weight decay' }).spec);
  assert.match(spec, /"title":"learning rate"/);
  assert.match(spec, /"title":"weight decay"/);
});
