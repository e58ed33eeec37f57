import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { setDisplaySink } from '../../lib/display/index.js';
import * as plot from '../../lib/plot/index.js';
import { recordingSink } from '../helpers.js';

const VL = 'application/vnd.vegalite.v5+json';

afterEach(() => setDisplaySink(null));

test('a 2000-step synchronous loop publishes a handful of updates, then one final chart with its SVG', async () => {
  const sink = recordingSink();
  setDisplaySink(sink);
  const live = plot.live({ throttleMs: 250, logY: true, title: 'loss' });
  const start = Date.now();
  for (let step = 0; step < 2000; step++) live.push({ step, loss: 1 / (step + 1) });
  const elapsed = Date.now() - start;
  const during = sink.published.length;
  assert.ok(during >= 1, 'the first point shows at once');
  assert.ok(during <= Math.ceil(elapsed / 250) + 1, `${during} publishes in ${elapsed} ms with a 250 ms throttle`);
  for (const p of sink.published) assert.equal(p.data['image/svg+xml'], undefined, 'no SVG while the loop runs');

  await live.close();
  await sink.settle();
  const all = sink.published;
  assert.equal(all.length, during + 1);
  const ids = new Set(all.map((p) => p.displayId));
  assert.equal(ids.size, 1, 'one output, updated in place');
  assert.deepEqual(all.map((p) => p.update), [false, ...Array(all.length - 1).fill(true)]);
  const last = all[all.length - 1].data;
  assert.match(last['image/svg+xml'] as string, /^<svg/);
  const spec = last[VL] as { data: { values: unknown[] }; encoding: { y: { scale: { type: string } } }; title: string };
  assert.equal(spec.data.values.length, 2000);
  assert.equal(spec.encoding.y.scale.type, 'log');
  assert.equal(spec.title, 'loss');
  await live.close(); // a second close does nothing
  assert.equal(sink.published.length, all.length);
  assert.throws(() => live.push({ step: 1, loss: 1 }), /push after close/);
});

test('a throttled point is drawn by a trailing update when the loop pauses', async () => {
  const sink = recordingSink();
  setDisplaySink(sink);
  const live = plot.live({ throttleMs: 50 });
  live.push({ step: 0, loss: 1 });
  live.push({ step: 1, loss: 0.5 });
  assert.equal(sink.published.length, 1);
  await new Promise((r) => setTimeout(r, 120));
  assert.equal(sink.published.length, 2);
  const values = (sink.published[1].data[VL] as { data: { values: unknown[] } }).data.values;
  assert.equal(values.length, 2);
  await live.close();
});

test('several metrics and named series become coloured series', () => {
  setDisplaySink(recordingSink());
  const live = plot.live({ y: ['train', 'test'], throttleMs: 1e9 });
  live.push({ step: 0, train: 1, test: 2 }, 'adam');
  live.push({ step: 1, train: 0.5 }, 'adam'); // test logged only every few steps
  const spec = live.chart().spec;
  assert.deepEqual(
    spec.data.values.map((p: { series: string }) => p.series),
    ['adam train', 'adam test', 'adam train'],
  );
  assert.equal(spec.encoding.color.field, 'series');
});

test('outside a notebook a live chart renders nothing', async () => {
  setDisplaySink(null);
  const live = plot.live();
  for (let step = 0; step < 1000; step++) live.push({ step, loss: 1 / (step + 1) });
  await live.close();
  assert.equal(live.renders, 0);
  assert.equal(live.chart().spec.data.values.length, 1000);
});

test("the chart's text summary names the pushed fields, not internal ones", async () => {
  const sink = recordingSink();
  setDisplaySink(sink);
  const live = plot.live({ throttleMs: 1e9 });
  live.push({ step: 0, loss: 1 });
  live.push({ step: 1, loss: 0.5 });
  await live.close();
  await sink.settle();
  const text = sink.published[sink.published.length - 1].data['text/plain'] as string;
  assert.match(text, /loss vs step/);
  const byEpoch = plot.live({ x: 'epoch', throttleMs: 1e9 });
  byEpoch.push({ epoch: 3, loss: 1 });
  assert.equal(byEpoch.chart().spec.encoding.x.field, 'epoch');
  assert.equal(byEpoch.chart().spec.data.values[0].epoch, 3);
});
