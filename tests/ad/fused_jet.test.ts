/**
 * The fused WebAssembly jet of tanh MLPs (lib/ad/fused_jet.ts) against the op-by-op
 * Taylor path and against JAX: values, parameter gradients and input gradients, with
 * widths and point counts that are not multiples of the kernels' blocks, several
 * outputs, mixed second derivatives, a backward after another fused forward, and an
 * outer tape that differentiates the backward pass.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, nn, ad, useBackend, Rng } from '../../lib/index.js';
import { fusedJetStats } from '../../lib/ad/fused_jet.js';
import { readFixture, assertClose } from '../helpers.js';

type Layers = Array<{ W: number[][]; b: number[] }>;
const REQUEST = { first: [0, 1], second: [[1, 1], [0, 1]] as Array<[number, number]> };

function points(n: number, seed: number): tf.Tensor2D {
  const rng = new Rng(seed);
  return tf.tensor2d(Array.from({ length: n }, () => [rng.uniform(), 2 * rng.uniform() - 1]));
}

/** A loss that reads every channel of the jet (so every adjoint is non-zero). */
function lossOf(net: nn.Mlp, x: tf.Tensor2D, fused: boolean): tf.Scalar {
  const r = ad.inputDerivatives(net, x, REQUEST, { fused });
  return tf.addN([
    tf.mean(tf.square(r.u)), tf.mean(tf.mul(r.d(0), r.u)), tf.mean(tf.square(tf.sub(r.d(1), r.d2(1, 1)))), tf.mean(tf.mul(r.d2(0, 1), tf.sin(r.u))),
  ]) as tf.Scalar;
}

/** Compares two arrays relative to the larger magnitude of the reference. */
function assertSame(got: ArrayLike<number>, want: ArrayLike<number>, label: string, rtol = 2e-5): void {
  const scale = Math.max(...Array.from(want, Math.abs), 1e-30);
  assertClose(got, want, { rtol: 0, atol: rtol * scale }, label);
}

test('fused jet: values and gradients equal the op-by-op Taylor path (uneven widths, 3 outputs, 150 points)', async () => {
  await useBackend('wasm');
  const net = nn.mlp({ sizes: [2, 20, 30, 3], activation: 'tanh', seed: 3 });
  const x = points(150, 5);
  const before = fusedJetStats.forwards;
  const [fused, plain] = [true, false].map((f) => tf.tidy(() => {
    const r = ad.inputDerivatives(net, x, REQUEST, { fused: f });
    return [r.u, ...r.first, ...r.second].map((t) => Array.from(t.dataSync()));
  }));
  assert.equal(fusedJetStats.forwards, before + 1, 'the fused path ran once');
  fused.forEach((v, k) => assertSame(v, plain[k], `channel ${k}`));
  const [gf, gp] = [true, false].map((f) => tf.variableGrads(() => lossOf(net, x, f), net.variables));
  assertSame([gf.value.dataSync()[0]], [gp.value.dataSync()[0]], 'loss');
  for (const v of net.variables) {
    // a variable the loss does not reach: the op-by-op path gives no gradient, the fused one zeros
    const want = gp.grads[v.name]?.dataSync() ?? new Float32Array(v.size);
    assertSame(gf.grads[v.name].dataSync(), want, `gradient of ${v.name}`);
  }
  const [dxf, dxp] = [true, false].map((f) => tf.grad((xx: tf.Tensor) => {
    const r = ad.inputDerivatives(net, xx as tf.Tensor2D, REQUEST, { fused: f });
    return tf.sum(tf.mul(r.d2(1, 1), r.u));
  })(x));
  assertSame(dxf.dataSync(), dxp.dataSync(), 'gradient with respect to the points');
  tf.dispose([gf.value, gp.value, ...Object.values(gf.grads), ...Object.values(gp.grads), dxf, dxp, x]);
  net.dispose();
});

test('fused jet: a backward after another fused forward recomputes its own activations', async () => {
  await useBackend('wasm');
  const net = nn.mlp({ sizes: [2, 16, 16, 1], activation: 'tanh', seed: 4 });
  const [x1, x2] = [points(70, 1), points(33, 2)];
  const both = (f: boolean) => tf.variableGrads(() => tf.add(lossOf(net, x1, f), tf.mul(3, lossOf(net, x2, f))) as tf.Scalar, net.variables);
  const recomputed = fusedJetStats.recomputed;
  const gf = both(true);
  assert.ok(fusedJetStats.recomputed > recomputed, 'the first jet was recomputed');
  const gp = both(false);
  for (const v of net.variables) assertSame(gf.grads[v.name].dataSync(), gp.grads[v.name].dataSync(), `gradient of ${v.name}`);
  tf.dispose([gf.value, gp.value, ...Object.values(gf.grads), ...Object.values(gp.grads), x1, x2]);
  net.dispose();
});

test('fused jet: second-order derivatives through it (outer tapes) equal the op-by-op path', async () => {
  await useBackend('wasm');
  const net = nn.mlp({ sizes: [2, 12, 12, 1], activation: 'tanh', seed: 6 });
  const x = points(40, 3);
  // an inner gradient with respect to the points, inside a parameter gradient
  const outer = (f: boolean) => tf.variableGrads(() => {
    const r = ad.inputDerivatives(net, x, REQUEST, { fused: f });
    const g = ad.gradients(() => tf.sum(tf.square(r.d(1))), [x]).grads[0];
    return tf.sum(tf.square(g)) as tf.Scalar;
  }, net.variables);
  const [of, op] = [outer(true), outer(false)];
  for (const v of net.variables) {
    const want = op.grads[v.name]?.dataSync() ?? new Float32Array(v.size);
    assertSame(of.grads[v.name]?.dataSync() ?? new Float32Array(v.size), want, `outer gradient of ${v.name}`, 1e-4);
  }
  // a Hessian-vector product of a PINN loss
  const ones = net.variables.map((v) => tf.onesLike(v));
  const [hf, hp] = [true, false].map((f) => ad.hvp(() => lossOf(net, x, f), net.variables, ones));
  hf.forEach((t, i) => assertSame(t.dataSync(), hp[i].dataSync(), `hvp ${i}`, 1e-4));
  tf.dispose([of.value, op.value, ...Object.values(of.grads), ...Object.values(op.grads), ...ones, ...hf, ...hp, x]);
  net.dispose();
});

for (const backend of ['wasm', 'cpu'] as const) {
  test(`fused jet: the Burgers PINN loss and its parameter gradient match JAX (${backend})`, async () => {
    await useBackend(backend);
    const { nu, params, points: pts, loss, grads } = readFixture('derivatives.json').burgers as { nu: number; params: Layers; points: number[][]; loss: number; grads: Layers };
    const net = nn.mlp({ sizes: [2, 32, 32, 32, 1], activation: 'tanh' });
    net.setLayers(params);
    const x = tf.tensor2d(pts);
    const before = fusedJetStats.backwards;
    const { value, grads: got } = tf.variableGrads(() => {
      const r = ad.inputDerivatives(net, x, { first: [0, 1], second: [[1, 1]] });
      return tf.mean(tf.square(tf.sub(tf.add(r.d(0), tf.mul(r.u, r.d(1))), tf.mul(nu, r.d2(1, 1))))) as tf.Scalar;
    }, net.variables);
    assert.equal(fusedJetStats.backwards, before + 1, 'the fused path ran');
    assertClose(value.dataSync()[0], loss, { rtol: 1e-4, atol: 1e-7 }, 'loss');
    const expected = grads.flatMap((g) => [g.W.flat(), g.b]);
    const scale = Math.max(...expected.flat().map(Math.abs));
    net.variables.forEach((v, i) => assertClose(got[v.name].dataSync(), expected[i], { rtol: 1e-3, atol: 1e-4 * scale }, `grad of variable ${i}`));
    tf.dispose([value, ...Object.values(got), x]);
    net.dispose();
  });
}
await useBackend('wasm');

test('Mlp.apply runs tanh and relu MLPs fused, with the values and gradients of the op-by-op pass', async () => {
  await useBackend('wasm');
  for (const activation of ['relu', 'tanh'] as const) {
    const net = nn.mlp({ sizes: [64, 128, 100, 10], activation, seed: 0 });
    const rng = new Rng(2);
    const x = tf.tensor2d(Float32Array.from({ length: 130 * 64 }, () => 4 * rng.uniform() - 2), [130, 64]);
    const y = tf.tensor1d(Int32Array.from({ length: 130 }, () => Math.floor(10 * rng.uniform())), 'int32');
    const before = fusedJetStats.backwards;
    const fused = tf.variableGrads(() => nn.crossEntropy(net.apply(x), y), net.variables);
    assert.equal(fusedJetStats.backwards, before + 1, `${activation}: the fused path ran`);
    const plain = tf.variableGrads(() => nn.crossEntropy(net.applyOps(x), y), net.variables);
    assertSame([fused.value.dataSync()[0]], [plain.value.dataSync()[0]], `${activation} loss`);
    for (const v of net.variables) assertSame(fused.grads[v.name].dataSync(), plain.grads[v.name].dataSync(), `${activation} gradient of ${v.name}`);
    tf.dispose([fused.value, plain.value, ...Object.values(fused.grads), ...Object.values(plain.grads), x, y]);
    net.dispose();
  }
});
