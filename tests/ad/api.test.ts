/**
 * The derivative API (grad, valueAndGrad, vjp, jvp, hvp, hessian, hessianDiag, jacobian)
 * against JAX and closed forms; customGrad under nesting; clear refusals; the gradient
 * registry's ownership and catalog.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, ad, useBackend, Rng } from '../../lib/index.js';
import { readFixture, assertClose } from '../helpers.js';

const fixture = readFixture('derivatives.json');
const values = (t: tf.Tensor | tf.Tensor[]) => (Array.isArray(t) ? t.flatMap((u) => Array.from(u.dataSync())) : Array.from(t.dataSync()));

test('HVP and Hessian through softmax cross-entropy match JAX', () => {
  const { X, W, V, labels, loss, grad, hvp, hessian } = fixture.hvp_softmax_ce;
  tf.tidy(() => {
    const x = tf.tensor2d(X);
    const y = tf.tensor2d(labels);
    const f = (w: tf.Tensor) => tf.losses.softmaxCrossEntropy(y, tf.matMul(x, w as tf.Tensor2D)) as tf.Scalar;
    const w = tf.tensor2d(W);
    const { value, grad: g } = ad.valueAndGrad(f)(w);
    assertClose(value.dataSync()[0], loss, { rtol: 1e-5, atol: 1e-6 }, 'loss');
    assertClose(g.dataSync(), grad.flat(), { rtol: 1e-4, atol: 1e-6 }, 'gradient');
    assertClose(ad.hvp(f, w, tf.tensor2d(V)).dataSync(), hvp.flat(), { rtol: 1e-4, atol: 1e-6 }, 'H v');
    assertClose(ad.hessian(f, w).dataSync(), hessian.flat(), { rtol: 1e-4, atol: 1e-6 }, 'Hessian');
  });
});

test('jvp (double VJP) and vjp agree with the JAX Jacobian', () => {
  const { A, b, x, jacobian } = fixture.jacobians;
  tf.tidy(() => {
    const f = (t: tf.Tensor) => tf.tanh(tf.add(tf.matMul(tf.tensor2d(A), tf.reshape(t, [4, 1])), tf.reshape(tf.tensor1d(b), [3, 1])));
    const at = tf.tensor1d(x);
    const J = jacobian as number[][];
    const t = [0.5, -1, 2, 0.25];
    const v = [1, -0.5, 0.75];
    const jt = J.map((r) => r.reduce((s, a, k) => s + a * t[k], 0));
    const vj = t.map((_, k) => J.reduce((s, r, i) => s + r[k] * v[i], 0));
    assertClose(ad.jvp(f, at, tf.tensor1d(t)).jvp.dataSync(), jt, { rtol: 1e-5, atol: 1e-6 }, 'J t');
    assertClose(ad.vjp(f, at, tf.tensor2d(v, [3, 1])).vjp.dataSync(), vj, { rtol: 1e-5, atol: 1e-6 }, 'v^T J');
    assertClose(ad.jacobian(f, at).dataSync(), J.flat(), { rtol: 1e-5, atol: 1e-6 }, 'jacobian');
  });
});

test('per-sample Jacobians equal the full Jacobian\'s diagonal blocks', () => {
  tf.tidy(() => {
    const M = tf.tensor2d([[0.3, -1.2, 0.5], [1.1, 0.4, -0.7]]);
    const f = (x: tf.Tensor) => tf.sin(tf.matMul(x as tf.Tensor2D, M, false, true)); // [N, 3] -> [N, 2]
    const x = tf.tensor2d([[0.1, 0.2, 0.3], [-0.5, 0.4, 1.0], [0.9, -0.2, 0.05]]);
    const perSample = ad.jacobian(f, x, { perSample: true });
    assert.deepEqual(perSample.shape, [3, 2, 3]);
    const full = ad.jacobian(f, x) as tf.Tensor; // [3, 2, 3, 3]
    const blocks = [0, 1, 2].map((n) => tf.slice(full, [n, 0, n, 0], [1, 2, 1, 3]).reshape([2, 3]));
    assertClose(perSample.dataSync(), values(blocks), { rtol: 1e-6, atol: 1e-7 });
  });
});

test('grad, hvp and hessianDiag take lists of tensors and variables', () => {
  tf.tidy(() => {
    const a = tf.variable(tf.tensor1d([0.5, -1.0]));
    const b = tf.tensor1d([2.0]);
    // f = sum(a^3) * b + sum(a) b^2: df/da = 3a^2 b + b^2, df/db = sum(a^3) + 2 b sum(a)
    const f = ([p, q]: tf.Tensor[]) => tf.add(tf.mul(tf.sum(tf.pow(p, 3)), tf.sum(q)), tf.mul(tf.sum(p), tf.sum(tf.square(q))));
    const [ga, gb] = ad.grad(f)([a, b]);
    assertClose(ga.dataSync(), [3 * 0.25 * 2 + 4, 3 * 1 * 2 + 4], { rtol: 1e-6 });
    assertClose(gb.dataSync(), [0.125 - 1 + 2 * 2 * -0.5], { rtol: 1e-6 });
    // Hessian over (a0, a1, b): [[6 a0 b, 0, 3 a0^2 + 2 b], [0, 6 a1 b, 3 a1^2 + 2 b], [., ., 2 sum(a)]].
    const H = [[6 * 0.5 * 2, 0, 3 * 0.25 + 4], [0, 6 * -1 * 2, 3 * 1 + 4], [3 * 0.25 + 4, 3 * 1 + 4, 2 * -0.5]];
    for (let k = 0; k < 3; k++) {
      const e = [0, 1, 2].map((i) => (i === k ? 1 : 0));
      const hv = ad.hvp(f, [a, b], [tf.tensor1d(e.slice(0, 2)), tf.tensor1d(e.slice(2))]);
      assertClose(values(hv), H[k], { rtol: 1e-5 }, `H e${k}`);
    }
    const diag = ad.hessianDiag(f, [a, b], { samples: 2, seed: 1 });
    assert.deepEqual(diag.map((t) => t.shape), [[2], [1]]);
    a.dispose();
  });
});

test('hessianDiag: exact for a diagonal Hessian, unbiased and seeded otherwise', () => {
  tf.tidy(() => {
    const c = tf.tensor1d([1, -2, 3, 0.5]);
    const diagOnly = (x: tf.Tensor) => tf.sum(tf.mul(c, tf.pow(x, 4)));
    const x = tf.tensor1d([0.5, 1.0, -0.3, 2.0]);
    const exact = [0.5, 1.0, -0.3, 2.0].map((v, i) => 12 * [1, -2, 3, 0.5][i] * v * v);
    assertClose(ad.hessianDiag(diagOnly, x, { samples: 1, seed: 3 }).dataSync(), exact, { rtol: 1e-5 });
    // A coupled quadratic: diag(H) estimate converges at rate 1/sqrt(samples).
    const Q = tf.tensor2d([[2, 0.5, 0, 0.3], [0.5, 1, 0.2, 0], [0, 0.2, 3, 0.4], [0.3, 0, 0.4, 1.5]]);
    const quad = (t: tf.Tensor) => tf.mul(0.5, tf.sum(tf.mul(t, tf.matMul(Q, tf.reshape(t, [4, 1])).reshape([4]))));
    const est = ad.hessianDiag(quad, x, { samples: 400, seed: 7 }).dataSync();
    assertClose(est, [2, 1, 3, 1.5], { rtol: 0, atol: 0.1 }, 'Hutchinson estimate');
    const again = ad.hessianDiag(quad, x, { samples: 400, seed: 7 }).dataSync();
    assert.deepEqual(again, est, 'same seed, same estimate');
  });
});

test('a derivative that does not depend on x is zero, not an error', () => {
  tf.tidy(() => {
    const cube = (x: tf.Tensor) => tf.sum(tf.square(x));
    const d3 = ad.grad((x: tf.Tensor) => tf.sum(ad.grad((y: tf.Tensor) => tf.sum(ad.grad(cube)(y)))(x)));
    assert.deepEqual(Array.from(d3(tf.tensor1d([1, 2])).dataSync()), [0, 0]);
  });
});

test('tf.customGrad ops stay right under nesting', () => {
  tf.tidy(() => {
    // f(x) = x^3 with a custom gradient that saves x^2 (3 x^2 dy): f'' = 6x, f''' = 6.
    const cube = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
      const sq = tf.square(x);
      save([sq]);
      return { value: tf.mul(sq, x), gradFunc: (dy: tf.Tensor, [s]: tf.Tensor[]) => tf.mul(dy, tf.mul(3, s)) };
    }) as unknown as Parameters<typeof tf.customGrad>[0]) as (x: tf.Tensor) => tf.Tensor;
    const f = (x: tf.Tensor) => tf.sum(cube(tf.mul(x, 1)));
    const d1 = tf.grad(f);
    const d2 = tf.grad((x: tf.Tensor) => tf.sum(d1(x)));
    const d3 = tf.grad((x: tf.Tensor) => tf.sum(d2(x)));
    const x = tf.tensor1d([0.5, -2]);
    assertClose(d1(x).dataSync(), [0.75, 12]);
    assertClose(d2(x).dataSync(), [3, -12]);
    assertClose(d3(x).dataSync(), [6, 6]);
    // tf.logSigmoid (a customGrad op) of an intermediate tensor: TF.js alone throws here.
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.logSigmoid(tf.mul(t, 2))))(x);
    assertClose(g.dataSync(), [0.5, -2].map((v) => 2 / (1 + Math.exp(2 * v))), { rtol: 1e-5 });
  });
});

test('ops that are first order only refuse a second derivative by name', () => {
  tf.tidy(() => {
    const pool = (x: tf.Tensor) => tf.sum(tf.maxPool(tf.reshape(x, [1, 2, 2, 1]) as tf.Tensor4D, 2, 1, 'valid'));
    const x = tf.tensor1d([0.1, 0.7, 0.3, 0.2]);
    assertClose(tf.grad(pool)(x).dataSync(), [0, 1, 0, 0]);
    assert.throws(() => tf.grad((t: tf.Tensor) => tf.sum(tf.grad(pool)(t)))(x), /cannot differentiate maxPool twice/);
  });
});

test('abs of a complex tensor refuses a gradient instead of returning the real-abs one (cpu)', async () => {
  await useBackend('cpu'); // wasm has no complex kernels
  assert.throws(() => tf.tidy(() => tf.grad((t: tf.Tensor) => tf.sum(tf.abs(tf.complex(t, t))))(tf.tensor1d([1, 2]))),
    /abs of a complex tensor has no gradient/);
  await useBackend();
});

test('conv2d and gather gradients run on wasm (kernels optilab adds) and match cpu', async () => {
  const rng = new Rng(12);
  const xs = Float32Array.from(rng.normalArray(2 * 5 * 6 * 3));
  const ws = Float32Array.from(rng.normalArray(3 * 2 * 3 * 4));
  const table = Float32Array.from(rng.normalArray(7 * 3));
  const results: Record<string, number[][]> = {};
  for (const backend of ['wasm', 'cpu'] as const) {
    await useBackend(backend);
    results[backend] = tf.tidy(() => {
      const x = tf.tensor4d(xs, [2, 5, 6, 3]);
      const w = tf.tensor4d(ws, [3, 2, 3, 4]);
      const conv = (k: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x, k as tf.Tensor4D, [2, 1], 'same')));
      const emb = (t: tf.Tensor) => tf.sum(tf.square(tf.gather(t, tf.tensor1d([3, 0, 3, 6], 'int32'))));
      return [tf.grad(conv)(w), tf.grad(emb)(tf.tensor2d(table, [7, 3]))].map((t) => Array.from(t.dataSync()));
    });
  }
  results.wasm.forEach((values, i) => assertClose(values, results.cpu[i], { rtol: 1e-4, atol: 1e-4 }, `gradient ${i}`));
  await useBackend();
});

test('a kernel missing on wasm is reported with the fix', async () => {
  await useBackend('wasm');
  const x = tf.ones([1, 4, 4, 2]) as tf.Tensor4D;
  const w = tf.ones([2, 2, 2, 1]) as tf.Tensor4D;
  assert.throws(() => tf.grad((k: tf.Tensor) => tf.sum(tf.depthwiseConv2d(x, k as tf.Tensor4D, 1, 'valid')))(w),
    /gradient of DepthwiseConv2dNative needs the TF.js kernel DepthwiseConv2dNativeBackpropFilter, which the wasm backend does not have.*useBackend\('cpu'\)/);
  await useBackend('cpu');
  assertClose(tf.grad((k: tf.Tensor) => tf.sum(tf.depthwiseConv2d(x, k as tf.Tensor4D, 1, 'valid')))(w).dataSync(), new Array(8).fill(9));
  tf.dispose([x, w]);
  await useBackend();
});

test('conv2d is differentiable twice', () => {
  tf.tidy(() => {
    const x = tf.ones([1, 4, 4, 1]) as tf.Tensor4D;
    const w = tf.ones([2, 2, 1, 1]) as tf.Tensor4D;
    // d/dk sum(conv(x, k)^2) is linear in k: H e_0 = 2 * sum over the 9 windows of x x^T e_0 = 18 (x all ones).
    const e0 = tf.tensor4d([1, 0, 0, 0], [2, 2, 1, 1]);
    const hv = ad.hvp((k: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x, k as tf.Tensor4D, 1, 'valid'))), w, e0);
    assertClose(hv.dataSync(), [18, 18, 18, 18]);
  });
});

test('bad arguments are refused by name', () => {
  tf.tidy(() => {
    const x = tf.tensor1d([1, 2]);
    assert.throws(() => ad.grad((t: tf.Tensor) => tf.square(t))(x), /ad.grad: f must return a scalar .* got shape \[2\]/);
    assert.throws(() => ad.hvp((t: tf.Tensor) => tf.sum(t), x, tf.tensor1d([1, 2, 3])), /ad.hvp: v has shape \[3\], x has \[2\]/);
    assert.throws(() => ad.vjp((t: tf.Tensor) => tf.square(t), x, tf.tensor1d([1])), /ad.vjp: v has shape \[1\], f\(x\) has \[2\]/);
    assert.throws(() => ad.grad((t: tf.Tensor) => tf.sum(t))(tf.tensor1d([1], 'int32')), /must be float32, got int32/);
    assert.throws(() => ad.hessianDiag((t: tf.Tensor) => tf.sum(t), x, { samples: 0 }), /samples must be a positive integer/);
  });
});

test('optilab owns every registered gradient, and the catalog covers them all', () => {
  const kernels = ad.registeredGradientKernels();
  const missing = kernels.filter((k) => !(k in ad.GRADIENT_CATALOG));
  assert.deepEqual(missing, [], 'kernels with a gradient but no catalog entry');
  const notOwned = kernels.filter((k) => !ad.isOptilabGradient(k));
  assert.deepEqual(notOwned, []);
});

test('a later copy of TF.js re-registering the stock tanh gradient does not undo the fix', () => {
  const stock = ad.stockGradient('Tanh')!;
  assert.ok(stock !== undefined);
  tf.registerGradient({ ...stock });
  assert.ok(ad.isOptilabGradient('Tanh'));
  const d2 = tf.tidy(() => tf.grad((x: tf.Tensor) => tf.sum(tf.grad((y: tf.Tensor) => tf.sum(tf.tanh(y)))(x)))(tf.tensor1d([0.3])).dataSync()[0]);
  const t = Math.tanh(0.3);
  assertClose(d2, -2 * t * (1 - t * t), { rtol: 1e-5 });
  // A user's own, different gradient is respected.
  const mine = tf.getGradient('Tanh');
  tf.registerGradient({ kernelName: 'Tanh', inputsToSave: ['x'], gradFunc: (dy) => ({ x: () => tf.mul(dy as tf.Tensor, 7) }) });
  assert.equal(tf.tidy(() => tf.grad((x: tf.Tensor) => tf.sum(tf.tanh(x)))(tf.tensor1d([0.3])).dataSync()[0]), 7);
  tf.registerGradient(mine);
  assert.ok(ad.isOptilabGradient('Tanh'));
});
