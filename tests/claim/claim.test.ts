import { test, afterEach, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { setDisplaySink } from '../../lib/display/index.js';
import { claim } from '../../lib/index.js';
import { recordingSink } from '../helpers.js';

const MIME = 'application/vnd.optilab.claim+json';

beforeEach(() => claim.clear());
afterEach(() => setDisplaySink(null));

test('a claim that holds: text, markdown and the machine-readable record in one bundle', () => {
  const sink = recordingSink();
  setDisplaySink(sink);
  const adam = 0.0123, sgd = 0.0456;
  claim('Adam reaches a lower loss than SGD', { adam, sgd, winner: 'adam' }, adam < sgd);
  assert.equal(sink.published.length, 1);
  const { data, update } = sink.published[0];
  assert.equal(update, false);
  assert.equal(data['text/plain'], '✔ holds: Adam reaches a lower loss than SGD — measured: adam=0.0123, sgd=0.0456, winner=adam');
  assert.equal(data['text/markdown'], '**✔ holds:** Adam reaches a lower loss than SGD — measured: adam = 0.0123, sgd = 0.0456, winner = adam');
  assert.deepEqual(data[MIME], { text: 'Adam reaches a lower loss than SGD', measured: { adam, sgd, winner: 'adam' }, holds: true });
});

test('a claim that does not hold says so; a bare number becomes {value}', () => {
  const sink = recordingSink();
  setDisplaySink(sink);
  const ratio = 1.7;
  claim('speed-up of at least 2x', ratio, ratio >= 2);
  assert.equal(sink.published[0].data['text/plain'], '✘ does not hold: speed-up of at least 2x — measured: value=1.7');
  assert.deepEqual(sink.published[0].data[MIME], { text: 'speed-up of at least 2x', measured: { value: 1.7 }, holds: false });
});

test('claim.all() keeps the claims of this process, as copies', () => {
  setDisplaySink(recordingSink());
  const measured = { a: 1 };
  claim('first', measured, true);
  claim('second', 2, false);
  measured.a = 99;
  const all = claim.all();
  assert.deepEqual(all, [
    { text: 'first', measured: { a: 1 }, holds: true },
    { text: 'second', measured: { value: 2 }, holds: false },
  ]);
  all[0].measured.a = 5;
  assert.equal(claim.all()[0].measured.a, 1);
});

test('bad arguments get errors that name them and what is accepted', () => {
  setDisplaySink(recordingSink());
  assert.throws(() => claim('x', 1, 'yes' as never), /holds must be a boolean computed from the measured values .*got "yes"/);
  assert.throws(() => claim('x', 1, 1 as never), /holds must be a boolean/);
  assert.throws(() => claim('', 1, true), /text must be a non-empty string/);
  assert.throws(() => claim(3 as never, 1, true), /text must be a non-empty string .*got 3/);
  assert.throws(() => claim('x', { a: NaN }, true), /measured\.a is NaN; measured values must be finite numbers/);
  assert.throws(() => claim('x', Infinity, true), /measured\.value is Infinity/);
  assert.throws(() => claim('x', { a: true } as never, true), /measured\.a must be a finite number or a string, got true/);
  assert.throws(() => claim('x', [1, 2] as never, true), /measured must be a number or a record of named numbers .*got an array/);
  assert.throws(() => claim('x', {}, true), /measured is empty/);
  assert.equal(claim.all().length, 0, 'rejected claims are not recorded');
});

test('claim.pending shows the measured values and the reason, without a verdict or a claim record', () => {
  const sink = recordingSink();
  setDisplaySink(sink);
  claim.pending('A trains faster than B', { a: 0.1, b: 0.2 }, 'QUICK budget of 400 steps');
  const { data } = sink.published[0];
  assert.equal(data['text/plain'], '… not verdicted (QUICK budget of 400 steps): A trains faster than B — measured: a=0.1, b=0.2');
  assert.equal(data[MIME], undefined);
  assert.deepEqual(claim.all(), []);
  assert.throws(() => claim.pending('x', { a: 1 }, ''), /reason must say why/);
  assert.throws(() => claim.pending('x', { a: NaN }, 'r'), /measured.a is NaN/);
});
