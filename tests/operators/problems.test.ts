import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  poisson1dMatrix, poisson1dSample, solveTridiagonal, tridiagonalMatVec, darcy1dExact, darcy1dPiecewise,
} from '../../lib/operators/data/index.js';
import { assertClose } from '../helpers.js';

test('1-D Poisson: the Thomas solve satisfies the system and converges at second order to an exact solution', () => {
  const s = poisson1dSample(3, { n: 31 });
  const A = poisson1dMatrix(s.aFaces);
  assertClose(tridiagonalMatVec(A, s.u), s.f, { rtol: 1e-10, atol: 1e-9 }, 'A u = f');
  assert.deepEqual(poisson1dSample(3, { n: 31 }), s, 'deterministic');
  assert.notDeepEqual(poisson1dSample(4, { n: 31 }).f, s.f);
  // a = 1 + x, u = sin(pi x): f = -(a u')' = pi^2 (1 + x) sin(pi x) - pi cos(pi x)
  const err = (n: number) => {
    const h = 1 / (n + 1);
    const faces = Float64Array.from({ length: n + 1 }, (_, j) => 1 + (j + 0.5) * h);
    const x = (j: number) => (j + 1) * h;
    const f = Float64Array.from({ length: n }, (_, j) => Math.PI ** 2 * (1 + x(j)) * Math.sin(Math.PI * x(j)) - Math.PI * Math.cos(Math.PI * x(j)));
    const u = solveTridiagonal(poisson1dMatrix(faces), f);
    return Math.max(...u.map((v, j) => Math.abs(v - Math.sin(Math.PI * x(j)))));
  };
  const order = Math.log2(err(31) / err(63));
  assert.ok(order > 1.9 && order < 2.1, `order ${order}`);
  assert.throws(() => poisson1dMatrix([1, 0, 1]), /a must be positive, got 0 at face 1/);
});

test('1-D two-phase Darcy: exact solution for constant and piecewise-constant a', () => {
  const { u } = darcy1dExact(new Float64Array(8).fill(4));
  assertClose(u, Array.from({ length: 9 }, (_, j) => ((j / 8) * (1 - j / 8)) / 8), { atol: 1e-15 }, 'a = 4: x(1 - x)/8');
  const s = darcy1dPiecewise(11, { cells: 128 });
  assert.ok(s.aCells.every((v) => v === 12 || v === 3));
  assert.ok(s.aCells.some((v) => v === 12) && s.aCells.some((v) => v === 3), 'both phases present');
  assert.equal(s.u[0], 0);
  assert.equal(s.u[128], 0);
  // the FD solution with a at the faces = the cell values converges to it (the nodes are the cell ends)
  const n = 127;
  const fd = solveTridiagonal(poisson1dMatrix(s.aCells), new Float64Array(n).fill(1));
  assertClose(fd, s.u.subarray(1, 128), { rtol: 1e-9, atol: 1e-12 }, 'conservative FD is exact for piecewise-linear fluxes');
});

test('periodic semilinear problem: Newton solution satisfies the equation and converges spectrally', async () => {
  const { semilinearSample, solveSemilinearPeriodic, trigSeries } = await import('../../lib/operators/data/index.js');
  const { spectralDerivative } = await import('../../lib/pde/numerics/index.js');
  const a = semilinearSample(5, { K: 6, n: 64 });
  assert.deepEqual(semilinearSample(5, { K: 6, n: 64 }).u, a.u, 'deterministic');
  const s = trigSeries(a.sCoefficients, 64);
  const d2 = spectralDerivative(a.u, 2, 1);
  const r = a.u.map((v, i) => -0.05 * d2[i] + v ** 3 - s[i]);
  assert.ok(Math.max(...r.map(Math.abs)) < 1e-9, `residual ${Math.max(...r.map(Math.abs))}`);
  // the 64-point solution agrees with a 256-point one at the common points
  const fine = solveSemilinearPeriodic(trigSeries(a.sCoefficients, 256));
  assert.ok(Math.max(...a.u.map((v, j) => Math.abs(v - fine[4 * j]))) < 1e-8);
  // nonlinear regime: the cubic term is not small next to the diffusion
  const cubic = Math.sqrt(a.u.reduce((t, v) => t + v ** 6, 0));
  const diff = Math.sqrt(d2.reduce((t, v) => t + (0.05 * v) ** 2, 0));
  assert.ok(cubic > 0.2 * diff && diff > 0.2 * cubic, `|c u^3| ${cubic}, |nu u''| ${diff}`);
});

test('Lie point symmetries map Burgers solutions to Burgers solutions with the same viscosity', async () => {
  const { burgersViscosityTrajectory, PeriodicBurgersSolver } = await import('../../lib/operators/data/index.js');
  const { galileanBoost, translateSpace, cropTime, burgersView } = await import('../../lib/operators/index.js');
  const { Rng } = await import('../../lib/backend/random.js');
  const tr = burgersViscosityTrajectory(3, { nx: 64, nt: 11, dt: 0.02 });
  assert.ok(tr.nu >= 0.01 && tr.nu <= 0.1);
  const base = { u: tr.u, nt: 11, nx: 64, dt: 0.02, period: 1 };
  // a boosted (and shifted) initial field, evolved by the solver, equals the boosted trajectory
  const boosted = galileanBoost(translateSpace(base, 0.3), 0.4);
  const solver = new PeriodicBurgersSolver(64, tr.nu, 1e-3);
  const evolved = solver.solve(boosted.u.subarray(0, 64), [0.2]);
  const last = boosted.u.subarray(10 * 64, 11 * 64);
  const err = Math.max(...evolved[0].map((v, j) => Math.abs(v - last[j])));
  assert.ok(err < 1e-6, `boost + shift commute with the dynamics: max error ${err}`);
  assert.equal(cropTime(base, 3, 5).u.length, 5 * 64);
  assert.throws(() => cropTime(base, 8, 5), /outside the trajectory's 0..10/);
  const v = burgersView(base, new Rng(1), { frames: 4 });
  assert.equal(v.nt, 4);
});

test('VICReg loss terms: invariance, variance hinge and off-diagonal covariance', async () => {
  const { tf } = await import('../../lib/index.js');
  const { vicregLoss } = await import('../../lib/operators/index.js');
  // z with independent unit-variance columns, identical views: only tiny terms remain
  const z = tf.tensor2d([[1, 1], [-1, 1], [1, -1], [-1, -1]]);
  const std = Math.sqrt(4 / 3 + 1e-4);
  assertClose(vicregLoss(z, z).dataSync()[0], 25 * 2 * Math.max(0, 1 - std), { atol: 1e-6 }, 'decorrelated, std > 1');
  // collapsed views: variance hinge 25 * 2 * (1 - sqrt(1e-4)), no covariance
  const c = tf.zeros([4, 2]);
  assertClose(vicregLoss(c, c).dataSync()[0], 50 * (1 - 0.01), { atol: 1e-5 }, 'collapse is penalised');
  // invariance: mean squared difference, times 25
  const w = tf.add(z, 0.5);
  assertClose(vicregLoss(z, w, { variance: 0, covariance: 0 }).dataSync()[0], 25 * 0.25, { atol: 1e-6 });
  // covariance: perfectly correlated columns, cov = [[v, v], [v, v]] with v = 4/3
  const corr = tf.tensor2d([[1, 1], [-1, -1], [1, 1], [-1, -1]]);
  assertClose(vicregLoss(corr, corr, { invariance: 0, variance: 0 }).dataSync()[0], 2 * (2 * (4 / 3) ** 2) / 2, { atol: 1e-5 });
});
