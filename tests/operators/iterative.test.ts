import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../lib/index.js';
import {
  fixedPointIterate, empiricalLipschitz, tridiagonalTensors, tridiagonalApply, jacobiSteps, jacobiIterations, deepConjugateDirection,
} from '../../lib/operators/index.js';
import { poisson1dMatrix, poisson1dSample, tridiagonalMatVec, solveTridiagonal } from '../../lib/operators/data/index.js';
import { diffusionOperator2d, conjugateGradient, BandedCholesky, Rng } from '../../lib/pde/numerics/index.js';
import { assertClose } from '../helpers.js';

test('fixed-point iteration of a contraction converges to its fixed point; the Lipschitz estimate is its factor', () => {
  const c = tf.tensor2d([[1, 2, 3]]);
  const G = (u: tf.Tensor) => tf.add(tf.mul(0.5, u), c);
  const r = fixedPointIterate(G, tf.zeros([1, 3]), { iterations: 30, reference: tf.mul(2, c) });
  assertClose(r.u.dataSync(), [2, 4, 6], { atol: 1e-5 });
  assert.ok(r.errors.slice(0, 15).every((e, i) => i === 0 || e < r.errors[i - 1]), 'monotone error until float32 rounding');
  assertClose(r.errors[0], 0.5, { atol: 1e-6 }, 'first error');
  assertClose(empiricalLipschitz(G, tf.randomNormal([4, 3]), tf.randomNormal([4, 3])), 0.5, { rtol: 1e-5 });
});

test('batched Jacobi sweeps as tensors equal the float64 sweeps; sweeps are counted to a tolerance', () => {
  const samples = [poisson1dSample(1, { n: 15 }), poisson1dSample(2, { n: 15 })];
  const mats = samples.map((s) => poisson1dMatrix(s.aFaces));
  const A = tridiagonalTensors(mats);
  const f = tf.tensor2d(samples.map((s) => Array.from(s.f)));
  const u0 = tf.tensor2d(samples.map((s) => Array.from(s.u, (v) => 0.3 * v)));
  assertClose(tridiagonalApply(A, u0).dataSync(), mats.flatMap((m, b) => Array.from(tridiagonalMatVec(m, u0.arraySync()[b]))), { rtol: 1e-5, atol: 1e-3 }, 'A u');
  const k = 5;
  const got = jacobiSteps(A, f, u0, k, 0.8).arraySync();
  mats.forEach((m, b) => {
    let u = Float64Array.from(u0.arraySync()[b]);
    for (let i = 0; i < k; i++) {
      const Au = tridiagonalMatVec(m, u);
      u = u.map((v, j) => v + (0.8 * (samples[b].f[j] - Au[j])) / m.diag[j]);
    }
    assertClose(got[b], u, { rtol: 1e-4, atol: 1e-6 }, `sample ${b}`);
  });
  // from the exact solution: zero sweeps; from zero: many
  const exact = jacobiIterations(mats[0], samples[0].f, solveTridiagonal(mats[0], samples[0].f), { tol: 1e-8 });
  assert.equal(exact.iterations, 0);
  const cold = jacobiIterations(mats[0], samples[0].f, new Float64Array(15), { tol: 1e-6 });
  assert.ok(cold.iterations > 100 && cold.relativeResidual <= 1e-6, `${cold.iterations} sweeps`);
});

test('deep conjugate direction with the identity is conjugate gradients, with the exact inverse one step', () => {
  const A = diffusionOperator2d({ nx: 18, ny: 18 });
  const rng = new Rng(3);
  const b = Float64Array.from({ length: A.rows }, () => rng.normal());
  const cg = conjugateGradient(A, b, { tol: 1e-4, preconditioner: 'none' });
  const dcdm = deepConjugateDirection(A, b, (r) => r, { tol: 1e-4 });
  assert.ok(dcdm.converged);
  assert.ok(Math.abs(dcdm.iterations - cg.iterations) <= 1, `identity directions ${dcdm.iterations} vs CG ${cg.iterations}`);
  assert.equal(dcdm.residuals.length, dcdm.iterations + 1);
  const chol = new BandedCholesky(A);
  const exact = deepConjugateDirection(A, b, (r) => chol.solve(r), { tol: 1e-10 });
  assert.equal(exact.iterations, 1);
  assert.throws(() => deepConjugateDirection(A, b.subarray(1), (r) => r), /b has 255 values, the matrix 256 rows/);
});

test('staggered decomposition: unshuffle / shuffle round trip and each solver predicting its sub-grid', async () => {
  const { unshuffle1d, shuffle1d, staggered, fno1d } = await import('../../lib/operators/index.js');
  const x = tf.tensor2d([[0, 1, 2, 3, 4, 5, 6, 7]]);
  const u = unshuffle1d(x, 2);
  assert.deepEqual(u.arraySync(), [[[0, 1], [2, 3], [4, 5], [6, 7]]]);
  assert.deepEqual(shuffle1d(u).arraySync(), x.arraySync());
  assert.throws(() => unshuffle1d(tf.zeros([1, 9]), 2), /N divisible by s = 2/);
  const solvers = [0, 1].map((i) => fno1d({ modes: 3, width: 4, layers: 1, inChannels: 2, seed: i }));
  const model = staggered(solvers);
  const field = tf.randomNormal([3, 16]);
  const out = model.apply(field);
  assert.deepEqual(out.shape, [3, 16]);
  // points 1, 3, 5, ... come from solver 1 alone
  const odd = tf.squeeze(model.applySolver(1, field), [2]);
  assertClose(tf.reshape(tf.slice(tf.reshape(out, [3, 8, 2]), [0, 0, 1], [-1, -1, 1]), [3, 8]).dataSync(), odd.dataSync(), { atol: 1e-6 });
  assert.equal(model.paramCount, solvers[0].paramCount + solvers[1].paramCount);
  model.dispose();
});
