/**
 * Fake quantization against the official Stable-SPAM quantizers (ported in
 * tests/fixtures/gen_optim_papers_a.py), the straight-through gradient, grid and
 * error properties, and the character-level MLP language model.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, nn, data } from '../../lib/index.js';
import { assertClose, readFixture } from '../helpers.js';

interface QuantCase { scheme: 'asymmetric' | 'symmetric'; bits: number; groupSize: number; outliers: number; output: number[][] }
const fixture = readFixture<{ quantization: { input: number[][]; cases: QuantCase[] } }>('optim_papers_a.json').quantization;

for (const c of fixture.cases) {
  test(`fakeQuantize matches the official ${c.scheme} quantizer: ${c.bits} bits, groups of ${c.groupSize}, ${c.outliers} outliers`, () => {
    const x = tf.tensor2d(fixture.input);
    const q = nn.quantizeDequantize(x, { bits: c.bits, groupSize: c.groupSize, scheme: c.scheme, outliers: c.outliers });
    assertClose(Array.from(q.dataSync()), c.output.flat(), { rtol: 1e-6, atol: 1e-7 });
    tf.dispose([x, q]);
  });
}

test('asymmetric: at most 2^b levels per group, error at most half a step; symmetric keeps the outliers exact', () => {
  const x = tf.tensor2d(fixture.input);
  const flat = fixture.input.flat();
  for (const bits of [2, 4, 8]) {
    const q = Array.from(nn.quantizeDequantize(x, { bits, groupSize: 64 }).dataSync());
    for (let g = 0; g < 4; g++) {
      const xs = flat.slice(64 * g, 64 * g + 64);
      const qs = q.slice(64 * g, 64 * g + 64);
      const step = (Math.max(...xs) - Math.min(...xs)) / (2 ** bits - 1);
      assert.ok(new Set(qs.map((v) => v.toFixed(5))).size <= 2 ** bits);
      // the zero point is rounded, so the grid may be off by up to half a step at its ends
      xs.forEach((v, i) => assert.ok(Math.abs(v - qs[i]) <= step + 1e-5, `bits ${bits}: |${v} - ${qs[i]}| > ${step}`));
    }
  }
  const s = Array.from(nn.quantizeDequantize(x, { bits: 4, groupSize: 64, scheme: 'symmetric', outliers: 1 }).dataSync());
  assert.equal(s[64 + 5], 40); // the outlier of row 1
  const err8 = flat.reduce((e, v, i) => e + (v - Array.from(nn.quantizeDequantize(x, { bits: 8, groupSize: 64 }).dataSync())[i]) ** 2, 0);
  const err4 = flat.reduce((e, v, i) => e + (v - Array.from(nn.quantizeDequantize(x, { bits: 4, groupSize: 64 }).dataSync())[i]) ** 2, 0);
  assert.ok(err8 < err4 / 100, `int8 error ${err8}, int4 error ${err4}`);
  x.dispose();
});

test('fakeQuantize passes the gradient straight through; quantizedDense differentiates through both quantizers', () => {
  const x = tf.tensor2d([[0.3, -1.2, 2.5, 0.01]]);
  const c = tf.tensor2d([[1, 2, 3, 4]]);
  const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(nn.fakeQuantize(v, { bits: 2 }), c)))(x);
  assert.deepEqual(Array.from(g.dataSync()), [1, 2, 3, 4]);
  const W = tf.tensor2d([[0.5, -0.2], [0.1, 0.4], [-0.3, 0.2], [0.05, -0.6]]);
  const opts = { weights: { bits: 4 }, activations: { bits: 4, scheme: 'symmetric' as const } };
  const gW = tf.grad((w: tf.Tensor) => tf.sum(nn.quantizedDense(x, w as tf.Tensor2D, undefined, opts)))(W);
  const xq = nn.quantizeDequantize(x, opts.activations);
  assertClose(Array.from(gW.dataSync()), Array.from(tf.matMul(tf.transpose(xq), tf.ones([1, 2])).dataSync()), { rtol: 1e-6 });
  tf.dispose([x, c, g, W, gW, xq]);
});

test('stochastic rounding is unbiased and reproducible with a seed', () => {
  const x = tf.fill([4096], 0.3);
  const opts = (seed: number) => ({ bits: 2, scheme: 'symmetric' as const, stochastic: true, seed });
  // with the extra entry 1, the grid is {-1, 0, 1}: rounding to nearest maps 0.3 to 0, stochastic rounding to 1 with probability 0.3
  const a = Array.from(nn.quantizeDequantize(tf.concat([x, tf.fill([1], 1)]), opts(1)).dataSync()).slice(0, 4096);
  const mean = a.reduce((s, v) => s + v, 0) / a.length;
  assert.ok(Math.abs(mean - 0.3) < 0.02, `mean of stochastic rounding ${mean}`);
  assert.ok(new Set(a).size > 1, 'stochastic rounding produced a single value');
  assert.deepEqual(Array.from(nn.quantizeDequantize(tf.concat([x, tf.fill([1], 1)]), opts(1)).dataSync()).slice(0, 4096), a);
  x.dispose();
});

test('fakeQuantize refuses bad options with the argument and the accepted range', () => {
  const x = tf.ones([6]);
  assert.throws(() => nn.fakeQuantize(x, { bits: 0 }), { message: 'fakeQuantize: bits must be an integer in [1, 16] for the asymmetric scheme, got 0' });
  assert.throws(() => nn.fakeQuantize(x, { bits: 1, scheme: 'symmetric' }), { message: 'fakeQuantize: bits must be an integer in [2, 16] for the symmetric scheme, got 1' });
  assert.throws(() => nn.fakeQuantize(x, { bits: 4, groupSize: 4 }), { message: 'fakeQuantize: groupSize must be a positive integer dividing the tensor size 6 (shape [6]), got 4' });
  assert.throws(() => nn.fakeQuantize(x, { bits: 4, outliers: 1 }), { message: "fakeQuantize: outliers apply to the 'symmetric' scheme only" });
  x.dispose();
});

test('charMlp: next-character logits, a loss near ln(vocab) at initialisation that training lowers, in full and fake 4-bit precision', () => {
  const lm = data.charText({ context: 8, target: 'next' });
  for (const quantize of [undefined, { weights: { bits: 4, groupSize: 64 }, activations: { bits: 4, groupSize: 64, scheme: 'symmetric' as const, outliers: 2 } }]) {
    const net = nn.charMlp({ vocabSize: lm.vocabSize, context: 8, hidden: [64], seed: 0, quantize });
    const { x, y } = lm.batch(64, 3);
    const z = net.logits(x);
    assert.deepEqual(z.shape, [64, lm.vocabSize]);
    const opt = tf.train.adam(0.01);
    const l0 = net.loss(x, y).dataSync()[0];
    for (let i = 0; i < 30; i++) opt.minimize(() => net.loss(x, y), false, net.variables);
    const l1 = net.loss(x, y).dataSync()[0];
    assert.ok(l1 < 0.7 * l0, `${quantize ? '4-bit' : 'float'}: loss ${l0} -> ${l1}`);
    tf.dispose([x, y, z]);
    opt.dispose();
    net.dispose();
  }
});
