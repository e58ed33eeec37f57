import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose, readFixture } from '../helpers.js';
import {
  PeriodicBurgersSolver, burgersColeHopfPeriodic, burgersInitialField, solveDarcy, darcySample, subsampleNodes,
  NavierStokes2dSolver, navierStokesInitialVorticity, fnoForcing, KdVSolver, kdvSoliton, randomSines, heatTrajectory,
} from '../../lib/operators/data/index.js';
import { Rng, spectralDerivative, periodicGrid } from '../../lib/pde/numerics/index.js';
import { burgersColeHopf, BURGERS_NU } from '../../lib/pde/reference/index.js';

const fx = readFixture('operators_reference.json');

test('Burgers generator: ETDRK4 matches the exact periodic Cole–Hopf solution on GRF initial data', () => {
  const solver = new PeriodicBurgersSolver(128, 0.1, 1e-3);
  for (const seed of [1, 2, 3]) {
    const u0 = burgersInitialField(128, seed, undefined, 63);
    const [uT] = solver.solve(u0, [1]);
    assertClose(uT, burgersColeHopfPeriodic(u0, 0.1, 1), { rtol: 0, atol: 1e-9 }, `seed ${seed}`);
  }
});

test('Burgers generator matches scipy DOP853 on the same semi-discretisation', () => {
  const b = fx.burgers as { n: number; nu: number; T: number; u0: number[]; uT: number[] };
  const [uT] = new PeriodicBurgersSolver(b.n, b.nu, 1e-3).solve(b.u0, [b.T]);
  assertClose(uT, b.uT, { rtol: 0, atol: 1e-10 }, 'u(T)');
});

test('periodic Cole–Hopf agrees with the Gauss–Hermite Cole–Hopf of the classic Burgers problem', () => {
  // u0 = -sin(pi x) on the period [-1, 1): two independent exact representations. nu = 0.1/pi keeps
  // exp(-U / 2 nu) within float64's useful range (at 0.01/pi it spans e^100 and the spectral form loses digits)
  const nu = 10 * BURGERS_NU;
  const n = 512;
  const x = periodicGrid(n, -1, 2);
  const u0 = Float64Array.from(x, (v) => -Math.sin(Math.PI * v));
  const u = burgersColeHopfPeriodic(u0, nu, 0.3, 2);
  const probe = [0, 100, 200, 255, 260, 350];
  assertClose(probe.map((j) => u[j]), probe.map((j) => burgersColeHopf(0.3, x[j], nu)), { rtol: 0, atol: 1e-10 }, 'u(0.3, x)');
});

test('Darcy solver: second-order convergence on a manufactured solution and agreement with scipy spsolve', () => {
  // u = x(1-x) y(1-y) e^{x}, a = 2 + sin(pi x) cos(pi y); f = -div(a grad u)
  const exact = (x: number, y: number) => x * (1 - x) * y * (1 - y) * Math.exp(x);
  const err = (s: number) => {
    const h = 1 / (s - 1);
    const a = new Float64Array(s * s);
    const f = new Float64Array(s * s);
    const u = new Float64Array(s * s);
    const d = 1e-4;
    for (let i = 0; i < s; i++) {
      for (let j = 0; j < s; j++) {
        const x = i * h;
        const y = j * h;
        const A = (xx: number, yy: number) => 2 + Math.sin(Math.PI * xx) * Math.cos(Math.PI * yy);
        a[i * s + j] = A(x, y);
        u[i * s + j] = exact(x, y);
        // flux divergence by nested central differences of the analytic functions (error ~1e-8)
        const fxp = A(x + d / 2, y) * (exact(x + d, y) - exact(x, y)) / d;
        const fxm = A(x - d / 2, y) * (exact(x, y) - exact(x - d, y)) / d;
        const fyp = A(x, y + d / 2) * (exact(x, y + d) - exact(x, y)) / d;
        const fym = A(x, y - d / 2) * (exact(x, y) - exact(x, y - d)) / d;
        f[i * s + j] = -((fxp - fxm) / d + (fyp - fym) / d);
      }
    }
    const got = solveDarcy(a, s, f);
    return Math.max(...got.map((v, p) => Math.abs(v - u[p])));
  };
  const e = [17, 33, 65].map(err);
  const orders = [Math.log2(e[0] / e[1]), Math.log2(e[1] / e[2])];
  assert.ok(orders.every((p) => p > 1.8 && p < 2.3), `orders ${orders} (errors ${e})`);
  const dz = fx.darcy as { s: number; a: number[]; u: number[] };
  assertClose(solveDarcy(dz.a, dz.s), dz.u, { rtol: 1e-11, atol: 1e-14 }, 'piecewise-constant a vs scipy');
});

test('Darcy samples: two-valued permeability, zero boundary, positive interior, refinement-consistent', () => {
  const { a, u } = darcySample(7, { s: 17, refinement: 2 });
  assert.ok(a.every((v) => v === 12 || v === 3) && a.some((v) => v === 12) && a.some((v) => v === 3));
  for (let i = 0; i < 17; i++) {
    for (const p of [i, 16 * 17 + i, i * 17, i * 17 + 16]) assert.equal(u[p], 0, `boundary node ${p}`);
  }
  assert.ok(u.every((v) => v >= 0) && Math.max(...u) > 0.005 && Math.max(...u) < 0.05, `max u ${Math.max(...u)}`);
  assert.deepEqual(Array.from(subsampleNodes(Float64Array.from({ length: 25 }, (_, p) => p), 5, 2)), [0, 2, 4, 10, 12, 14, 20, 22, 24]);
});

test('Navier–Stokes: a Taylor–Green vortex decays at the analytic rate (Crank–Nicolson factor exactly)', () => {
  const n = 32;
  const nu = 0.01;
  const dt = 0.01;
  const w0 = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const x = i / n;
      const y = j / n;
      // every mode on the shell |k| = 2 pi sqrt 2, so u . grad w = 0 exactly
      w0[i * n + j] = Math.sin(2 * Math.PI * x) * Math.sin(2 * Math.PI * y) + 0.5 * Math.cos(2 * Math.PI * x) * Math.cos(2 * Math.PI * y);
    }
  }
  const lambda = nu * 8 * Math.PI * Math.PI;
  const [w] = new NavierStokes2dSolver(n, { nu, dt, forcing: null }).solve(w0, [1]);
  const r = ((1 - 0.5 * dt * lambda) / (1 + 0.5 * dt * lambda)) ** 100;
  assertClose(w, w0.map((v) => v * r), { rtol: 0, atol: 1e-12 }, 'discrete decay');
  // CN's own error: per step (lambda dt)^3 / 12, so lambda^3 dt^2 T / 12 relative at T = 1
  const bound = ((lambda ** 3 * dt ** 2) / 12) * 1.2;
  assertClose(w, w0.map((v) => v * Math.exp(-lambda)), { rtol: bound, atol: 1e-14 }, 'analytic decay e^{-8 pi^2 nu t}');
});

test('Navier–Stokes: the forced steady state f / (nu |k|^2) stays put; matches an independent numpy CN-AB2 run', () => {
  const n = 32;
  const nu = 1e-3;
  const f = fnoForcing(n);
  const steady = f.map((v) => v / (nu * 8 * Math.PI * Math.PI));
  const [w] = new NavierStokes2dSolver(n, { nu, dt: 0.01 }).solve(steady, [2]);
  assertClose(w, steady, { rtol: 0, atol: 1e-10 }, 'steady state');
  const ns = fx.navierStokes as { n: number; nu: number; dt: number; T: number; w0: number[]; wT: number[] };
  const [wT] = new NavierStokes2dSolver(ns.n, { nu: ns.nu, dt: ns.dt }).solve(ns.w0, [ns.T]);
  assertClose(wT, ns.wT, { rtol: 0, atol: 1e-11 }, 'numpy CN-AB2');
});

test('Navier–Stokes: the GRF initial vorticity is deterministic, zero-mean and band-limited to kMax', () => {
  const a = navierStokesInitialVorticity(32, 11, { kMax: 10 });
  assert.deepEqual(Array.from(a), Array.from(navierStokesInitialVorticity(32, 11, { kMax: 10 })));
  assert.ok(Math.abs(a.reduce((s, v) => s + v, 0)) < 1e-10);
  assert.throws(() => new NavierStokes2dSolver(16, { dt: 0 }), /dt must be positive/);
});

test('KdV: a soliton travels at its speed c with its shape', () => {
  const L = 128;
  const c = 1.2;
  const solver = new KdVSolver(256, L, 0.01);
  const x = solver.grid.x;
  const u0 = Float64Array.from(x, (v) => kdvSoliton(v, 0, c, 40, L));
  const [u] = solver.solve(u0, [20]);
  assertClose(u, Float64Array.from(x, (v) => kdvSoliton(v, 20, c, 40, L)), { rtol: 0, atol: 1e-5 }, 'u(20)');
  const peak = x[u.indexOf(Math.max(...u))];
  assert.ok(Math.abs(peak - (40 + 20 * c)) <= 0.5, `peak at ${peak}, expected ${40 + 20 * c}`);
});

test('heat trajectories solve u_t = nu u_xx exactly', () => {
  const s = randomSines(new Rng(3));
  const x = periodicGrid(64);
  const nu = 0.05;
  const h = 1e-5;
  const [um, u, up] = [0.7 - h, 0.7, 0.7 + h].map((t) => heatTrajectory(s, nu, x, [t]));
  const uxx = spectralDerivative(u, 2);
  assertClose(up.map((v, j) => (v - um[j]) / (2 * h)), uxx.map((v) => nu * v), { rtol: 0, atol: 1e-8 }, 'u_t - nu u_xx');
});
