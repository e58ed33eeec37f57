import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { setDisplaySink } from '../../lib/display/index.js';
import { progress, formatProgress, formatProgressHtml, formatDuration, type ProgressState } from '../../lib/progress/index.js';
import { recordingSink } from '../helpers.js';

afterEach(() => setDisplaySink(null));

function state(count: number, extra: Partial<ProgressState> = {}): ProgressState {
  return { label: 'train', count, total: 1000, elapsedMs: (count / 150) * 1000, unit: 'it', width: 20, postfix: {}, status: 'running', ...extra };
}

test('the text bar at 0%, 50% and 100%', () => {
  assert.equal(formatProgress(state(0)), 'train   0% |                    | 0/1000 [00:00<?, ? it/s]');
  assert.equal(formatProgress(state(500)), 'train  50% |██████████          | 500/1000 [00:03<00:03, 150 it/s]');
  assert.equal(formatProgress(state(1000, { status: 'done' })), 'train 100% |████████████████████| 1000/1000 [00:07<00:00, 150 it/s]');
});

test('partial blocks, postfix metrics, slow rates, unknown totals, long runs', () => {
  assert.equal(
    formatProgress(state(456, { postfix: { loss: 0.012345, lr: 1e-4 } })),
    'train  45% |█████████▏          | 456/1000 [00:03<00:04, 150 it/s, loss=0.01235, lr=1e-4]',
  );
  assert.equal(formatProgress(state(2, { elapsedMs: 5000, label: '' })), '  0% |                    | 2/1000 [00:05<41:35, 2.5 s/it]');
  assert.equal(formatProgress(state(450, { total: undefined })), 'train 450 it [00:03, 150 it/s]');
  assert.equal(formatDuration(3723), '1:02:03');
});

test('the HTML bar shows the fraction, the figures and the state colour', () => {
  const html = formatProgressHtml(state(500, { label: '<b>' }));
  assert.match(html, /<span>&lt;b&gt;<\/span>/);
  assert.match(html, /width:50\.0%/);
  assert.match(html, />50%</);
  assert.match(html, /500\/1000 \[00:03&lt;00:03, 150 it\/s\]/);
  assert.match(formatProgressHtml(state(1000, { status: 'done' })), /background:#54a24b/);
});

test('in a notebook: one output, drawn at once, throttled, and always ending at 100%', () => {
  const sink = recordingSink();
  setDisplaySink(sink);
  const items = Array.from({ length: 5000 }, (_, i) => i);
  let sum = 0;
  const start = Date.now();
  for (const x of progress(items, { label: 'sum', throttleMs: 10_000 })) sum += x;
  assert.ok(Date.now() - start < 10_000);
  assert.equal(sum, (4999 * 5000) / 2);
  const texts = sink.published.map((p) => p.data['text/plain']);
  assert.equal(texts.length, 2, 'the 0% state and the final state');
  assert.match(texts[0], /^sum   0% \|\s+\| 0\/5000/);
  assert.match(texts[1], /^sum 100% \|█{20}\| 5000\/5000/);
  assert.equal(new Set(sink.published.map((p) => p.displayId)).size, 1);
  assert.deepEqual(sink.published.map((p) => p.update), [false, true]);
  assert.match(sink.published[1].data['text/html'] as string, /optilab-progress/);
});

test('a manual handle: tick, set, postfix, done; a loop left early stops where it is', () => {
  const sink = recordingSink();
  setDisplaySink(sink);
  const bar = progress(10, { label: 'steps', throttleMs: 0 });
  bar.tick().tick(3);
  bar.postfix({ loss: 0.5 });
  bar.set(8);
  bar.done();
  bar.done();
  const last = sink.published[sink.published.length - 1].data['text/plain'];
  assert.match(last, /^steps 100% .* 10\/10 .*loss=0\.5\]$/);
  assert.equal(sink.published.length, 6, 'created, tick, tick, postfix, set, done (a second done does nothing)');

  const early = recordingSink();
  setDisplaySink(early);
  for (const i of progress(10, { throttleMs: 0 })) if (i === 3) break;
  const final = early.published[early.published.length - 1].data;
  assert.match(final['text/plain'], /^ 30% \|█{6} {14}\| 3\/10/);
  assert.match(final['text/html'] as string, /background:#e45756/);
});

test('async iterables are counted too', async () => {
  const sink = recordingSink();
  setDisplaySink(sink);
  async function* gen() {
    for (let i = 0; i < 3; i++) yield i;
  }
  const seen: number[] = [];
  for await (const x of progress(gen(), { label: 'async' })) seen.push(x);
  assert.deepEqual(seen, [0, 1, 2]);
  assert.match(sink.published[sink.published.length - 1].data['text/plain'], /^async 3 it \[/);
});

test('bad arguments are named', () => {
  assert.throws(() => progress(-1), /total must be a non-negative integer, got -1/);
  assert.throws(() => progress(null as never), /expected an iterable, an async iterable, a total count or options, got null/);
  assert.throws(() => progress(5, { throttleMs: -1 }), /throttleMs must be a non-negative number/);
  assert.throws(() => progress(5).set(NaN), /count must be a finite number/);
});
