import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose } from '../helpers.js';
import {
  csrFromTriplets, csrMatVec, diffusionOperator2d, embedInterior, interiorOf, conjugateGradient, BandedCholesky,
} from '../../lib/pde/numerics/index.js';

test('CSR assembly sums duplicates and multiplies correctly', () => {
  const A = csrFromTriplets(3, 3, [0, 0, 1, 2, 2, 0], [0, 2, 1, 0, 2, 0], [1, 2, 3, 4, 5, 10]);
  assertClose(csrMatVec(A, [1, 1, 1]), [13, 3, 9], { atol: 0 }, 'A 1');
  assert.throws(() => csrFromTriplets(2, 2, [0], [5], [1]), /outside the 2 x 2 matrix/);
});

/** Manufactured problem: u = sin(pi x) sin(2 pi y) e^x, a = 1 + x y^2; f = -div(a grad u). */
function manufactured(x: number, y: number) {
  const s1 = Math.sin(Math.PI * x);
  const c1 = Math.cos(Math.PI * x);
  const s2 = Math.sin(2 * Math.PI * y);
  const c2 = Math.cos(2 * Math.PI * y);
  const e = Math.exp(x);
  const u = s1 * s2 * e;
  const ux = (Math.PI * c1 + s1) * s2 * e;
  const uxx = (2 * Math.PI * c1 + s1 - Math.PI * Math.PI * s1) * s2 * e;
  const uy = 2 * Math.PI * s1 * c2 * e;
  const uyy = -4 * Math.PI * Math.PI * u;
  const a = 1 + x * y * y;
  const ax = y * y;
  const ay = 2 * x * y;
  return { u, a, f: -(a * (uxx + uyy) + ax * ux + ay * uy) };
}

function solveManufactured(n: number, solver: 'cholesky' | 'cg') {
  const h = 1 / (n - 1);
  const A = diffusionOperator2d({ nx: n, ny: n, coefficient: (x, y) => manufactured(x, y).a });
  const f = new Float64Array(n * n);
  const exact = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const m = manufactured(i * h, j * h);
      f[i * n + j] = m.f;
      exact[i * n + j] = m.u;
    }
  }
  const b = interiorOf(f, n, n);
  const x = solver === 'cholesky' ? new BandedCholesky(A).solve(b) : conjugateGradient(A, b, { tol: 1e-13 }).x;
  const u = embedInterior(x, n, n);
  return Math.max(...u.map((v, p) => Math.abs(v - exact[p])));
}

test('variable-coefficient 5-point operator converges at second order on a manufactured solution', () => {
  const e1 = solveManufactured(17, 'cholesky');
  const e2 = solveManufactured(33, 'cholesky');
  const e3 = solveManufactured(65, 'cholesky');
  const r1 = Math.log2(e1 / e2);
  const r2 = Math.log2(e2 / e3);
  assert.ok(r1 > 1.8 && r2 > 1.9, `orders ${r1.toFixed(2)}, ${r2.toFixed(2)} (errors ${e1}, ${e2}, ${e3})`);
  assert.ok(e3 < 2e-3, `error at h = 1/64: ${e3}`);
});

test('CG (IC(0), Jacobi, none) and band Cholesky agree; IC(0) needs the fewest iterations', () => {
  const n = 33;
  const A = diffusionOperator2d({ nx: n, ny: n, coefficient: (x, y) => (Math.sin(6 * x) * Math.cos(5 * y) > 0 ? 12 : 3) });
  const b = Float64Array.from({ length: A.rows }, (_, i) => 1 + Math.sin(i));
  const direct = new BandedCholesky(A).solve(b);
  const its: Record<string, number> = {};
  for (const p of ['ic0', 'jacobi', 'none'] as const) {
    const r = conjugateGradient(A, b, { preconditioner: p, tol: 1e-12 });
    assert.ok(r.converged, `${p} converged`);
    its[p] = r.iterations;
    assertClose(r.x, direct, { rtol: 1e-9, atol: 1e-12 }, `cg(${p}) vs Cholesky`);
    const res = csrMatVec(A, r.x).map((v, i) => v - b[i]);
    assert.ok(Math.hypot(...res) <= 1e-11 * Math.hypot(...b), `${p}: true residual`);
  }
  assert.ok(its.ic0 < its.jacobi && its.jacobi <= its.none, `iterations ${JSON.stringify(its)}`);
});

test('solvers reject bad input with named arguments', () => {
  assert.throws(() => diffusionOperator2d({ nx: 2, ny: 5 }), /nx and ny must be integers >= 3/);
  assert.throws(() => diffusionOperator2d({ nx: 4, ny: 4, coefficient: () => -1 }), /coefficient must be positive/);
  const A = csrFromTriplets(2, 2, [0, 1, 0, 1], [0, 1, 1, 0], [1, 1, 2, 2]); // indefinite
  assert.throws(() => new BandedCholesky(A), /not positive definite/);
  assert.throws(() => conjugateGradient(A, [1], {}), /b has length 1/);
  assert.throws(() => conjugateGradient(A, [1, 1], { preconditioner: 'ilu' as never }), /preconditioner must be/);
});
