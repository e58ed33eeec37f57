import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose, readFixture } from '../helpers.js';
import { gaussLegendre, gaussHermite, symTridiagEigen } from '../../lib/pde/numerics/index.js';

interface QuadFixture { n: number; nodes: number[]; weights: number[] }
const fx = readFixture<{ gaussLegendre: QuadFixture[]; gaussHermite: QuadFixture[] }>('pde_reference.json');

test('Gauss–Legendre nodes and weights match numpy.polynomial.legendre.leggauss', () => {
  for (const { n, nodes, weights } of fx.gaussLegendre) {
    const r = gaussLegendre(n);
    assertClose(r.nodes, nodes, { rtol: 0, atol: 2e-15 }, `nodes n=${n}`);
    assertClose(r.weights, weights, { rtol: 1e-13, atol: 1e-16 }, `weights n=${n}`);
  }
});

test('Gauss–Hermite nodes and weights match numpy.polynomial.hermite.hermgauss', () => {
  for (const { n, nodes, weights } of fx.gaussHermite) {
    const r = gaussHermite(n);
    assertClose(r.nodes, nodes, { rtol: 1e-13, atol: 1e-14 }, `nodes n=${n}`);
    assertClose(r.weights, weights, { rtol: 1e-11, atol: 1e-300 }, `weights n=${n}`);
  }
});

test('Gauss–Legendre is exact to degree 2n-1 and fails at degree 2n', () => {
  const n = 6;
  const { nodes, weights } = gaussLegendre(n, 1, 3);
  for (let k = 0; k <= 2 * n; k++) {
    const exact = (3 ** (k + 1) - 1) / (k + 1);
    const got = nodes.reduce((s, x, i) => s + weights[i] * x ** k, 0);
    if (k < 2 * n) assert.ok(Math.abs(got - exact) < 1e-12 * exact, `degree ${k}: ${got} vs ${exact}`);
    else assert.ok(Math.abs(got - exact) > 1e-10 * exact, `degree ${k} should not be exact`);
  }
});

test('Gauss–Hermite moments: int x^{2k} e^{-x^2} = Gamma(k + 1/2), also for large n', () => {
  const gammaHalf = (k: number) => {
    let g = Math.sqrt(Math.PI);
    for (let j = 0; j < k; j++) g *= j + 0.5;
    return g;
  };
  for (const n of [10, 200]) {
    const { nodes, weights } = gaussHermite(n);
    for (let k = 0; k < Math.min(n, 12); k++) {
      const got = nodes.reduce((s, x, i) => s + weights[i] * x ** (2 * k), 0);
      assert.ok(Math.abs(got - gammaHalf(k)) < 1e-12 * gammaHalf(k), `n=${n}, k=${k}: ${got} vs ${gammaHalf(k)}`);
    }
  }
});

test('the symmetric tridiagonal eigensolver finds known spectra', () => {
  // the n x n second-difference matrix has eigenvalues 2 - 2 cos(j pi / (n + 1))
  const n = 9;
  const { values, first } = symTridiagEigen(new Float64Array(n).fill(2), new Float64Array(n - 1).fill(-1));
  const want = Array.from({ length: n }, (_, j) => 2 - 2 * Math.cos(((j + 1) * Math.PI) / (n + 1)));
  assertClose(values, want, { atol: 1e-14 }, 'eigenvalues');
  // first eigenvector components are sqrt(2/(n+1)) sin(j pi / (n+1)) up to sign
  assertClose(first.map(Math.abs), want.map((_, j) => Math.sqrt(2 / (n + 1)) * Math.sin(((j + 1) * Math.PI) / (n + 1))), { atol: 1e-14 }, 'components');
});
