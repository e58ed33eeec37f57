/**
 * float64 linear algebra against numpy / scipy (tests/fixtures/gen_linalg.py), plus
 * identities that must hold to rounding, and the float32 Newton-Schulz iterations.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, linalg, Rng } from '../../lib/index.js';
import { readFixture, assertClose } from '../helpers.js';

const { Matrix } = linalg;
const fx = readFixture('linalg.json');
const F64 = { rtol: 1e-10, atol: 1e-12 };
const eye = (n: number) => Matrix.identity(n).data;

test('svd: singular values match numpy; U S V^T = A with orthonormal U and V', () => {
  for (const name of ['tall', 'wide', 'square']) {
    const A = Matrix.from(fx[name]);
    const { U, s, V } = linalg.svd(A);
    assertClose(s, fx.singular_values[name], F64, `${name} singular values`);
    const k = s.length;
    const US = new Matrix(U.rows, k, U.data.map((v, i) => v * s[i % k]));
    assertClose(linalg.matmul(US, V, { transB: true }).data, A.data, F64, `${name} reconstruction`);
    assertClose(linalg.matmul(U, U, { transA: true }).data, eye(k), F64, `${name} U^T U`);
    assertClose(linalg.matmul(V, V, { transA: true }).data, eye(k), F64, `${name} V^T V`);
  }
});

test('eigh, cholesky, qr, sqrtm and inverse p-th roots match numpy / scipy', () => {
  const S = Matrix.from(fx.spd);
  const { values, vectors } = linalg.eigh(S);
  assertClose(values, fx.eigh_spd, F64, 'eigenvalues');
  const VD = new Matrix(6, 6, vectors.data.map((v, i) => v * values[i % 6]));
  assertClose(linalg.matmul(VD, vectors, { transB: true }).data, S.data, F64, 'V diag(w) V^T');
  assertClose(linalg.cholesky(S).data, Matrix.from(fx.cholesky_spd).data, F64, 'cholesky');
  assertClose(linalg.sqrtm(S).data, Matrix.from(fx.sqrtm_spd).data, { rtol: 1e-9, atol: 1e-11 }, 'sqrtm');
  assertClose(linalg.inversePthRoot(S, 4).data, Matrix.from(fx.inv_4th_root_spd).data, { rtol: 1e-9, atol: 1e-11 }, 'A^(-1/4)');
  for (const name of ['tall', 'wide', 'square']) {
    const A = Matrix.from(fx[name]);
    const { Q, R } = linalg.qr(A);
    assertClose(linalg.matmul(Q, R).data, A.data, F64, `${name} QR`);
    assertClose(linalg.matmul(Q, Q, { transA: true }).data, eye(Q.cols), F64, `${name} Q^T Q`);
    for (let i = 0; i < R.rows; i++) for (let j = 0; j < Math.min(i, R.cols); j++) assert.equal(R.get(i, j), 0);
  }
  const x = linalg.choleskySolve(linalg.cholesky(S), [1, 2, 3, 4, 5, 6]);
  assertClose(linalg.matvec(S, x.data), [1, 2, 3, 4, 5, 6], F64, 'cholesky solve');
});

test('lstsq matches numpy.linalg.lstsq: full rank, wide, rank-deficient, ill-conditioned, damped', () => {
  for (const [name, c] of Object.entries(fx.lstsq as Record<string, any>)) {
    const methods = name === 'damped' ? ['qr', 'svd', 'normal'] : name === 'tall' ? ['qr', 'svd', 'normal'] : ['qr', 'svd'];
    for (const method of methods) {
      const r = linalg.lstsq(c.A, c.b, { method: method as linalg.LstsqMethod, rcond: c.rcond, damping: c.damping });
      const label = `${name} (${method})`;
      // Truncation by pivoted QR is scipy's gelsy; truncation by singular values is numpy's gelsd.
      const ref = method === 'qr' && c.gelsy ? { ...c, ...c.gelsy, residual: undefined } : c;
      assert.equal(r.rank, ref.rank, `${label} rank`);
      // The ill-conditioned problem amplifies rounding by its condition number (~1e10).
      const tol = name === 'ill' ? { rtol: 1e-4, atol: 1e-4 * Math.max(...ref.x.map(Math.abs)) } : { rtol: 1e-8, atol: 1e-10 };
      assertClose(r.x.data, ref.x, tol, `${label} x`);
      if (ref.residual !== undefined) assertClose(r.residualNorms[0], ref.residual, { rtol: 1e-8, atol: 1e-10 }, `${label} residual`);
    }
  }
});

test('lstsq on a rank-deficient wide matrix: qr and svd give the same minimum-norm solution', () => {
  const rng = new Rng(21);
  const A = linalg.matmul(new Matrix(8, 3, rng.normalArray(24)), new Matrix(3, 12, rng.normalArray(36)));
  const b = rng.normalArray(8);
  const q = linalg.lstsq(A, b, { rcond: 1e-10 });
  const s = linalg.lstsq(A, b, { method: 'svd', rcond: 1e-10 });
  assert.equal(q.rank, 3);
  assert.equal(s.rank, 3);
  assertClose(q.x.data, s.x.data, { rtol: 1e-8, atol: 1e-10 });
  assertClose(q.residualNorms[0], s.residualNorms[0], { rtol: 1e-8, atol: 1e-10 });
});

test('lstsq reports singular values (svd), handles several right-hand sides, and refuses bad input by name', () => {
  const c = fx.lstsq.tall;
  const r = linalg.lstsq(c.A, c.b, { method: 'svd' });
  assertClose(r.singularValues!, fx.singular_values.tall, F64);
  const B = Matrix.from(c.b.map((v: number, i: number) => [v, 2 * v, i]));
  const multi = linalg.lstsq(c.A, B);
  assert.deepEqual([multi.x.rows, multi.x.cols], [5, 3]);
  assertClose(multi.x.column(0), c.x, F64);
  assertClose(multi.x.column(1), c.x.map((v: number) => 2 * v), F64);
  assert.throws(() => linalg.lstsq(c.A, [1, 2]), /lstsq: b has 2 rows, A has 9/);
  assert.throws(() => linalg.lstsq(c.A, c.b, { damping: -1 }), /damping must be >= 0/);
  assert.throws(() => linalg.lstsq(c.A, c.b, { method: 'lu' as never }), /method must be 'qr', 'svd' or 'normal'/);
  assert.throws(() => linalg.cholesky([[1, 2], [2, 1]]), /not positive definite \(leading minor 2 of 2/);
  assert.throws(() => linalg.matmul(new Matrix(2, 3), new Matrix(2, 3)), /inner dimensions differ/);
});

test('blocked kernels agree with the naive definitions on sizes that straddle the blocks', () => {
  const rng = new Rng(11);
  const A = new Matrix(70, 130, rng.normalArray(70 * 130));
  const B = new Matrix(130, 530, rng.normalArray(130 * 530));
  const C = linalg.matmul(A, B);
  let worst = 0;
  for (const [i, j] of [[0, 0], [69, 529], [33, 511], [12, 512]]) {
    let s = 0;
    for (let k = 0; k < 130; k++) s += A.get(i, k) * B.get(k, j);
    worst = Math.max(worst, Math.abs(C.get(i, j) - s));
  }
  assert.ok(worst < 1e-12, `matmul error ${worst}`);
  assertClose(linalg.gram(A).data, linalg.matmul(A, A, { transA: true }).data, F64, 'gram');
  // A tall QR spanning several panels.
  const T = new Matrix(150, 110, rng.normalArray(150 * 110));
  const { Q, R } = linalg.qr(T);
  assertClose(linalg.matmul(Q, R).data, T.data, { rtol: 1e-10, atol: 1e-11 }, 'blocked QR');
});

test('Newton-Schulz: orthogonalization and matrix square roots in float32', () => {
  tf.tidy(() => {
    const rng = new Rng(3);
    const G = tf.tensor2d(Float32Array.from(rng.normalArray(12 * 7)), [12, 7]);
    const s = (t: tf.Tensor2D) => linalg.svd(Matrix.fromTensor(t)).s;
    const quintic = s(linalg.orthogonalize(G));
    assert.ok(quintic.every((v) => v > 0.6 && v < 1.25), `quintic singular values ${Array.from(quintic)}`);
    const cubic = s(linalg.orthogonalize(G, { variant: 'cubic', steps: 30 }));
    assertClose(cubic, new Array(7).fill(1), { rtol: 0, atol: 1e-4 }, 'cubic singular values');
    const S = Matrix.from(fx.spd);
    const { sqrt, inverseSqrt } = linalg.sqrtAndInverseSqrt(S.toTensor(), { steps: 30 });
    const scale = Math.max(...linalg.sqrtm(S).data.map(Math.abs));
    assertClose(sqrt.dataSync(), linalg.sqrtm(S).data, { rtol: 1e-3, atol: 1e-4 * scale }, 'sqrt');
    const inv = linalg.inversePthRoot(S, 2);
    assertClose(inverseSqrt.dataSync(), inv.data, { rtol: 1e-3, atol: 1e-4 * Math.max(...inv.data.map(Math.abs)) }, 'inverse sqrt');
  });
});
