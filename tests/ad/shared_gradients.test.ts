/**
 * Gradients that an op passes through unchanged (a + b of same-shaped tensors, custom ops
 * returning dy) must not leave one tensor as the running gradient of two tensors: the
 * backward pass disposes a running gradient when the next one is added to it. Before the
 * registry handed out owned tensors, these cases threw "Cannot read properties of
 * undefined (reading 'backend')"; the multi-output residual is the PDE case that did.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, nn, ad, useBackend } from '../../lib/index.js';
import { readFixture, assertClose } from '../helpers.js';

type Layers = Array<{ W: number[][]; b: number[] }>;
const fixture = readFixture('derivatives.json');
const column = (t: tf.Tensor2D, k: number) => tf.slice(t, [0, k], [t.shape[0], 1]);

for (const backend of ['wasm', 'cpu'] as const) {
  test(`a + b where a also feeds an op recorded before the sum: gradient right (${backend})`, async () => {
    await useBackend(backend);
    const x = tf.tensor1d([1, 2, 3]);
    // f = sum(2x + 3x) + sum((2x)^2), f' = 5 + 8x
    const g = tf.grad((x: tf.Tensor) => {
      const a = tf.mul(x, 2);
      const b = tf.mul(x, 3);
      const later = tf.square(a);
      return tf.add(tf.sum(tf.add(a, b)), tf.sum(later));
    })(x);
    assert.deepEqual(Array.from(g.dataSync()), [13, 21, 29]);
    tf.dispose([x, g]);
  });

  test(`a customGrad op that returns dy for both inputs (${backend})`, async () => {
    await useBackend(backend);
    const plus = tf.customGrad(((a: tf.Tensor, b: tf.Tensor) =>
      ({ value: tf.add(a, b), gradFunc: (dy: tf.Tensor) => [dy, dy] })) as unknown as Parameters<typeof tf.customGrad>[0]);
    const x = tf.tensor1d([1, -2]);
    const g = tf.grad((x: tf.Tensor) => {
      const a = tf.mul(x, 2);
      const b = tf.mul(x, 3);
      const later = tf.square(a);
      return tf.add(tf.sum(plus(a, b) as tf.Tensor), tf.sum(later));
    })(x);
    assert.deepEqual(Array.from(g.dataSync()), [13, -11]);
    tf.dispose([x, g]);
  });

  for (const method of ['taylor', 'nested'] as const) {
    test(`mean (u_x + v_x)^2 + mean (u_x + v_y)^2 of a 3-output MLP: parameter gradient matches JAX (${method}, ${backend})`, async () => {
      await useBackend(backend);
      const { params, points, loss, grads } = fixture.mixed_outputs as { params: Layers; points: number[][]; loss: number; grads: Layers };
      const net = nn.mlp({ sizes: [2, 8, 3], activation: 'tanh' });
      net.setLayers(params);
      const x = tf.tensor2d(points);
      const { value, grads: got } = tf.variableGrads(() => {
        const r = ad.inputDerivatives(net, x, { first: [0, 1] }, { method });
        const [uX, vX, vY] = [column(r.d(0), 0), column(r.d(0), 1), column(r.d(1), 1)];
        return tf.add(tf.mean(tf.square(tf.add(uX, vX))), tf.mean(tf.square(tf.add(uX, vY)))) as tf.Scalar;
      }, net.variables);
      assertClose(value.dataSync()[0], loss, { rtol: 1e-4, atol: 1e-7 }, 'loss');
      const expected = grads.flatMap((g) => [g.W.flat(), g.b]);
      const scale = Math.max(...expected.flat().map(Math.abs));
      net.variables.forEach((v, i) => {
        // the output bias does not reach a derivative: TF.js leaves its gradient out, JAX has zeros
        const values = got[v.name] === undefined ? new Float32Array(v.size) : got[v.name].dataSync();
        assertClose(values, expected[i], { rtol: 1e-3, atol: 1e-4 * scale }, `grad of variable ${i}`);
      });
      assert.ok(net.variables.slice(0, -1).every((v) => got[v.name] !== undefined), 'every weight has a gradient');
      tf.dispose([value, ...Object.values(got), x]);
      net.dispose();
    });
  }
}

test('no tensors leak from the cloned gradients', async () => {
  await useBackend('wasm');
  const x = tf.tensor1d([1, 2, 3]);
  const step = () => tf.tidy(() => tf.grad((x: tf.Tensor) => tf.sum(tf.add(tf.mul(x, 2), tf.mul(x, 3))))(x).dataSync());
  step();
  const before = tf.memory().numTensors;
  for (let i = 0; i < 5; i++) step();
  assert.equal(tf.memory().numTensors, before);
  x.dispose();
  await useBackend();
});
