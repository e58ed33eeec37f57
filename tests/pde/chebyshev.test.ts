import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose } from '../helpers.js';
import { chebPoints, chebDiffMatrix, clenshawCurtisWeights, chebInterpolate } from '../../lib/pde/numerics/index.js';

function matVec(D: Float64Array, v: Float64Array): Float64Array {
  const n = v.length;
  return Float64Array.from({ length: n }, (_, i) => {
    let s = 0;
    for (let j = 0; j < n; j++) s += D[i * n + j] * v[j];
    return s;
  });
}

test('Chebyshev points are cos(j pi / n), symmetric, on [a, b]', () => {
  const x = chebPoints(4);
  assertClose(x, [1, Math.SQRT1_2, 0, -Math.SQRT1_2, -1], { atol: 1e-16 }, 'n=4');
  const y = chebPoints(5, 0, 2);
  assertClose(y, Array.from(chebPoints(5), (v) => 1 + v), { atol: 1e-15 }, 'mapped');
  assert.throws(() => chebPoints(0), /n must be an integer >= 1/);
});

test('the differentiation matrix is exact on polynomials of degree <= n (first and second derivatives)', () => {
  const n = 12;
  const x = chebPoints(n);
  const D = chebDiffMatrix(n);
  const p = (v: number) => 3 * v ** 12 - 2 * v ** 7 + v ** 3 - 1;
  const dp = (v: number) => 36 * v ** 11 - 14 * v ** 6 + 3 * v ** 2;
  const d2p = (v: number) => 396 * v ** 10 - 84 * v ** 5 + 6 * v;
  const u = Float64Array.from(x, p);
  const du = matVec(D, u);
  assertClose(du, Float64Array.from(x, dp), { atol: 1e-11 }, "p'");
  assertClose(matVec(D, du), Float64Array.from(x, d2p), { atol: 1e-9 }, "p''");
  // on [a, b] = [2, 5]
  const xm = chebPoints(6, 2, 5);
  const Dm = chebDiffMatrix(6, 2, 5);
  assertClose(matVec(Dm, Float64Array.from(xm, (v) => v ** 5)), Float64Array.from(xm, (v) => 5 * v ** 4), { rtol: 1e-12, atol: 1e-10 }, 'mapped');
  // rows sum to zero (derivative of a constant)
  for (let i = 0; i <= n; i++) {
    let s = 0;
    for (let j = 0; j <= n; j++) s += D[i * (n + 1) + j];
    assert.ok(Math.abs(s) < 1e-12, `row ${i} sums to ${s}`);
  }
});

test('spectral convergence of the Chebyshev derivative of exp(x) sin(5x)', () => {
  const f = (v: number) => Math.exp(v) * Math.sin(5 * v);
  const df = (v: number) => Math.exp(v) * (Math.sin(5 * v) + 5 * Math.cos(5 * v));
  const err = (n: number) => {
    const x = chebPoints(n);
    const d = matVec(chebDiffMatrix(n), Float64Array.from(x, f));
    return Math.max(...d.map((v, i) => Math.abs(v - df(x[i]))));
  };
  assert.ok(err(10) > 1e-3, `n = 10 is under-resolved (err ${err(10)})`);
  assert.ok(err(30) < 1e-10, `n = 30 reaches 1e-10 (err ${err(30)})`);
});

test('Clenshaw–Curtis is exact for polynomials of degree <= n (even and odd n, mapped intervals)', () => {
  for (const n of [8, 9]) {
    const x = chebPoints(n);
    const w = clenshawCurtisWeights(n);
    for (let k = 0; k <= n; k++) {
      const exact = k % 2 === 1 ? 0 : 2 / (k + 1);
      const got = w.reduce((s, wi, i) => s + wi * x[i] ** k, 0);
      assert.ok(Math.abs(got - exact) < 1e-14, `n=${n}: int x^${k} = ${got}, exact ${exact}`);
    }
  }
  const x = chebPoints(20, 0, Math.PI);
  const w = clenshawCurtisWeights(20, 0, Math.PI);
  const got = w.reduce((s, wi, i) => s + wi * Math.sin(x[i]), 0);
  assert.ok(Math.abs(got - 2) < 1e-14, `int_0^pi sin = ${got}`);
});

test('barycentric interpolation reproduces polynomials exactly and hits the nodes', () => {
  const n = 9;
  const x = chebPoints(n, -2, 3);
  const p = (v: number) => v ** 9 - 4 * v ** 4 + v;
  const xs = [-1.7, 0.123, 2.9, x[3]];
  assertClose(chebInterpolate(Float64Array.from(x, p), xs, -2, 3), xs.map(p), { rtol: 1e-13, atol: 1e-11 }, 'interpolant');
});
