/** The vanilla RNN against a hand-written forward pass and finite differences; the layer-normalised MLP's scale invariance. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, nn } from '../../lib/index.js';
import { assertClose } from '../helpers.js';

function jsForward(net: nn.Rnn, x: number[][][]): number[][] {
  const [Wx, Wh, b, Wo, bo] = net.variables.map((v) => Array.from(v.dataSync()));
  const H = net.hiddenDim, I = net.inputDim, O = net.outputDim;
  return x.map((seq) => {
    let h = new Array(H).fill(0);
    for (const xt of seq) {
      h = Array.from({ length: H }, (_, j) => {
        let z = b[j];
        for (let i = 0; i < I; i++) z += xt[i] * Wx[i * H + j];
        for (let k = 0; k < H; k++) z += h[k] * Wh[k * H + j];
        return Math.tanh(z);
      });
    }
    return Array.from({ length: O }, (_, o) => bo[o] + h.reduce((a, hk, k) => a + hk * Wo[k * O + o], 0));
  });
}

test('rnn: output equals a hand-written tanh recurrence; gradients match finite differences', () => {
  const net = nn.rnn({ inputDim: 2, hiddenDim: 4, outputDim: 1, recurrentScale: 1.2, seed: 3 });
  assert.equal(net.paramCount, 2 * 4 + 16 + 4 + 4 + 1);
  const xs = [[[0.1, 1], [0.5, 0], [0.9, 0]], [[0.3, 0], [0.2, 1], [0.7, 0]]];
  const x = tf.tensor3d(xs);
  assertClose(net.apply(x).dataSync(), jsForward(net, xs).flat(), { rtol: 1e-5, atol: 1e-6 });
  assert.deepEqual(net.hiddenStates(x).shape, [2, 3, 4]);
  // d loss / d Wh[0][1] by central differences in float32 (loose tolerance)
  const loss = () => tf.sum(tf.square(net.apply(x))) as tf.Scalar;
  const { grads } = tf.variableGrads(loss, [net.Wh]);
  const g = grads[net.Wh.name].dataSync()[1];
  const base = net.Wh.dataSync().slice();
  const at = (d: number) => {
    const w = base.slice();
    w[1] += d;
    net.Wh.assign(tf.tensor2d(w, [4, 4]));
    return loss().dataSync()[0];
  };
  const fd = (at(1e-3) - at(-1e-3)) / 2e-3;
  net.Wh.assign(tf.tensor2d(base, [4, 4]));
  assertClose(g, fd, { rtol: 2e-2, atol: 1e-4 });
  assert.throws(() => net.apply(tf.zeros([2, 3])), /input must have shape \[batch, time, 2\]/);
  assert.throws(() => nn.rnn({ inputDim: 2, hiddenDim: 0, outputDim: 1 }), /rnn.hiddenDim: expected a positive integer/);
  tf.dispose([x, grads[net.Wh.name]]);
  net.dispose();
});

test('rnn: recurrentNorm is the largest singular value of Wh', () => {
  const net = nn.rnn({ inputDim: 1, hiddenDim: 3, outputDim: 1, seed: 0 });
  net.Wh.assign(tf.tensor2d([[2, 0, 0], [0, -3, 0], [0, 0, 0.5]]));
  assertClose(net.recurrentNorm(), 3, { rtol: 1e-4 });
  net.dispose();
  // the initial scale sets the norm's order of magnitude
  const big = nn.rnn({ inputDim: 1, hiddenDim: 64, outputDim: 1, recurrentScale: 1.5, seed: 1 });
  const small = nn.rnn({ inputDim: 1, hiddenDim: 64, outputDim: 1, recurrentScale: 0.5, seed: 1 });
  assertClose(big.recurrentNorm() / small.recurrentNorm(), 3, { rtol: 1e-3 });
  big.dispose();
  small.dispose();
});

test('normMlp: hidden weights are scale-invariant, the output layer is not', () => {
  const net = nn.normMlp({ sizes: [5, 8, 6, 3], seed: 2 });
  assert.equal(net.scaleInvariant.length, 2);
  assert.equal(net.variables.length, 2 * 3 + 2);
  const x = tf.randomNormal([4, 5], 0, 1, 'float32', 7);
  const y0 = net.apply(x).dataSync();
  for (const w of net.scaleInvariant) w.assign(tf.mul(w, 7.5));
  assertClose(net.apply(x).dataSync(), y0, { rtol: 1e-4, atol: 1e-5 });
  net.output.W.assign(tf.mul(net.output.W, 2));
  assert.ok(Math.abs(net.apply(x).dataSync()[0] - y0[0]) > 1e-3);
  // so the gradient of a scale-invariant weight is orthogonal to it
  const target = tf.oneHot(tf.tensor1d([0, 1, 2, 0], 'int32'), 3);
  const { grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(target, net.apply(x)) as tf.Scalar, net.scaleInvariant);
  for (const w of net.scaleInvariant) {
    const inner = tf.sum(tf.mul(w, grads[w.name])).dataSync()[0];
    const scale = tf.norm(w).dataSync()[0] * tf.norm(grads[w.name]).dataSync()[0];
    assert.ok(Math.abs(inner) < 1e-3 * scale, `<W, dW> = ${inner}, |W||dW| = ${scale}`);
  }
  assert.throws(() => nn.normMlp({ sizes: [5, 3] }), /at least three positive integers/);
  tf.dispose([x, target, ...Object.values(grads)]);
  net.dispose();
});

test('rnn and normMlp free every tensor they create when disposed', () => {
  const before = tf.memory().numTensors;
  const a = nn.rnn({ inputDim: 2, hiddenDim: 5, outputDim: 1, seed: 0 });
  const x = tf.ones([3, 4, 2]);
  a.apply(x).dispose();
  a.hiddenStates(x).dispose();
  a.recurrentNorm();
  a.dispose();
  const b = nn.normMlp({ sizes: [2, 4, 1], seed: 0 });
  const z = tf.ones([3, 2]);
  b.apply(z).dispose();
  b.dispose();
  tf.dispose([x, z]);
  assert.equal(tf.memory().numTensors, before);
});
