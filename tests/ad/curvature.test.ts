/**
 * Curvature tools on losses whose Hessian is known exactly: a quadratic over two
 * parameter tensors (eigenpairs, trace, spectral density) and a linear least-squares
 * model (Gauss-Newton = Hessian); the NTK from the closed-form MLP Jacobian.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, curvature, linalg, nn, ad, Rng } from '../../lib/index.js';
import { assertClose } from '../helpers.js';

// loss = 0.5 [a; b]^T Q [a; b] over a (shape [4]) and b (shape [2, 2]); Hessian Q (8 x 8).
const N = 8;
const rng = new Rng(5);
const M = new linalg.Matrix(N, N, rng.normalArray(N * N));
const Q = linalg.matmul(M, M, { transB: true });
for (let i = 0; i < N; i++) Q.data[i * N + i] -= 6; // indefinite, with a spread of eigenvalues
const exact = linalg.eigh(Q);
const a = tf.variable(tf.tensor1d([0.1, -0.2, 0.3, 0.5]));
const b = tf.variable(tf.tensor2d([[0.7, -0.1], [0.2, 0.4]]));
const Qt = tf.tensor2d(Float32Array.from(Q.data), [N, N]);
const loss = () => tf.tidy(() => {
  const x = tf.concat([a, tf.reshape(b, [4])]).reshape([N, 1]);
  return tf.mul(0.5, tf.sum(tf.mul(x, tf.matMul(Qt, x)))) as tf.Scalar;
});
const scale = Math.max(...Array.from(exact.values).map(Math.abs));

test('hessianOperator applies the exact Hessian', () => {
  const op = curvature.hessianOperator(loss, [a, b]);
  assert.equal(op.size, N);
  const v = rng.normalArray(N);
  assertClose(op.apply(v), linalg.matvec(Q, v), { rtol: 1e-4, atol: 1e-4 * scale });
});

test('hessianEigs: Lanczos and power iteration find the top eigenpairs', () => {
  const lanczos = curvature.hessianEigs(loss, [a, b], { k: 3, seed: 1 });
  const top = Array.from(exact.values).reverse().slice(0, 3);
  assertClose(lanczos.values, top, { rtol: 1e-4, atol: 1e-4 * scale }, 'Lanczos values');
  lanczos.vectors.forEach((v, k) => {
    // H v = lambda v for each returned pair.
    assertClose(linalg.matvec(Q, v), v.map((x) => x * lanczos.values[k]), { rtol: 1e-3, atol: 1e-3 * scale }, `Lanczos vector ${k}`);
  });
  const byMagnitude = Array.from(exact.values).sort((x, y) => Math.abs(y) - Math.abs(x)).slice(0, 2);
  const power = curvature.hessianEigs(loss, [a, b], { k: 2, method: 'power', iterations: 400, tol: 1e-7, seed: 2 });
  assertClose(power.values, byMagnitude, { rtol: 1e-3, atol: 1e-3 * scale }, 'power values');
});

test('hessianTrace: Hutchinson estimate within its standard error of tr(Q)', () => {
  const trace = Array.from(exact.values).reduce((s, v) => s + v, 0);
  const est = curvature.hessianTrace(loss, [a, b], { samples: 100, seed: 3 });
  assert.ok(Math.abs(est.estimate - trace) < 4 * est.standardError, `estimate ${est.estimate} +- ${est.standardError}, exact ${trace}`);
  assert.deepEqual(curvature.hessianTrace(loss, [a, b], { samples: 100, seed: 3 }), est, 'seeded');
});

test('spectralDensity: with as many Lanczos steps as parameters the nodes are the eigenvalues', () => {
  const sld = curvature.spectralDensity(loss, [a, b], { runs: 3, steps: N, seed: 4 });
  for (let r = 0; r < 3; r++) {
    assertClose(sld.nodes[r], exact.values, { rtol: 1e-3, atol: 1e-3 * scale }, `run ${r} nodes`);
    assertClose(sld.weights[r].reduce((s, w) => s + w, 0), 1, { rtol: 1e-9, atol: 1e-9 }, `run ${r} weights`);
  }
  const grid = Array.from({ length: 2001 }, (_, i) => -3 * scale + (6 * scale * i) / 2000);
  const density = sld.density(grid, scale / 20);
  const integral = density.reduce((s, d) => s + d, 0) * (grid[1] - grid[0]);
  assertClose(integral, 1, { rtol: 1e-3, atol: 1e-3 });
});

test('Gauss-Newton of a linear least-squares model equals its Hessian; NTK is J J^T', () => {
  tf.tidy(() => {
    const X = tf.tensor2d(Float32Array.from(rng.normalArray(10 * 3)), [10, 3]);
    const y = tf.tensor1d(Float32Array.from(rng.normalArray(10)));
    const w = tf.tensor1d([0.3, -0.5, 1.2]);
    const mse = (t: tf.Tensor) => tf.mean(tf.square(tf.sub(tf.matMul(X, tf.reshape(t, [3, 1])).reshape([10]), y)));
    const gn = curvature.gaussNewton(X);
    assertClose(gn.dataSync(), ad.hessian(mse, w).dataSync(), { rtol: 1e-5, atol: 1e-6 });
    const net = nn.mlp({ sizes: [2, 6, 1], seed: 8 });
    const J = net.parameterJacobian(tf.tensor2d([[0.1, 0.2], [0.3, -0.4], [-0.5, 0.6]]));
    const K = curvature.ntkGram(J);
    assert.deepEqual(K.shape, [3, 3]);
    assertClose(K.dataSync(), tf.matMul(J, tf.transpose(J)).dataSync(), { rtol: 1e-6, atol: 1e-7 });
    net.dispose();
  });
});

test('curvature options are validated by name', () => {
  assert.throws(() => curvature.hessianEigs(loss, [a, b], { k: 0 }), /hessianEigs: k must be an integer in \[1, 8\]/);
  assert.throws(() => curvature.hessianTrace(loss, [a, b], { samples: 1 }), /samples must be an integer >= 2/);
  assert.throws(() => curvature.hessianOperator(loss, []), /non-empty list/);
});
