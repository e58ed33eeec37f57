import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose, readFixture } from '../helpers.js';
import * as ref from '../../lib/pde/reference/index.js';
import { spectralDerivative2d, periodicGrid } from '../../lib/pde/numerics/index.js';

const fx = readFixture('pde_reference.json');

test('Burgers: Cole–Hopf/Gauss–Hermite matches adaptive scipy quadrature of the same integrals', () => {
  const { points, u } = fx.burgersColeHopf as { points: [number, number][]; u: number[] };
  const got = points.map(([t, x]) => ref.burgersColeHopf(t, x));
  assertClose(got, u, { rtol: 0, atol: 1e-12 }, 'u(t, x)');
});

test('Burgers: the Fourier ETDRK4 solver converges to the Cole–Hopf reference (independent methods)', () => {
  const t = [0.25, 0.5, 0.99];
  const x = ref.linspace(-1, 1, 65);
  const exact = ref.burgers({ t, x });
  const e512 = ref.relativeL2(ref.burgersSpectral({ t, x, n: 512, dt: 1e-3 }).fields.u, exact.fields.u);
  const e1024 = ref.relativeL2(ref.burgersSpectral({ t, x, n: 1024, dt: 5e-4 }).fields.u, exact.fields.u);
  assert.ok(e1024 < 1e-7, `n = 1024: relative L2 ${e1024}`);
  assert.ok(e1024 < e512 / 50, `spectral convergence: ${e512} -> ${e1024}`);
  // boundary values stay zero, initial data is -sin(pi x)
  const full = ref.burgers({ t: [0, 0.5], x: [-1, -0.5, 1] });
  assertClose(full.fields.u, [0, 1, 0, 0, exact.fields.u[0] * 0 + ref.burgersColeHopf(0.5, -0.5), 0], { atol: 1e-12 }, 'boundary and IC');
});

test('Allen–Cahn 1-D: ETDRK4 matches scipy DOP853 on the same n = 256 semi-discretisation', () => {
  const a = fx.allenCahn1d as { n: number; t: number[]; x: number[]; u: number[][] };
  const got = ref.allenCahn({ t: a.t, x: a.x, n: a.n, dt: 1e-3 });
  assertClose(got.fields.u, a.u.flat(), { rtol: 0, atol: 1e-9 }, 'u');
});

test('Allen–Cahn 1-D converges under grid refinement', () => {
  const t = [0.5, 1];
  const fine = ref.allenCahn({ t, n: 2048 });
  const e256 = ref.relativeL2(ref.allenCahn({ t, n: 256 }).fields.u, fine.fields.u);
  const e512 = ref.relativeL2(ref.allenCahn({ t, n: 512 }).fields.u, fine.fields.u);
  assert.ok(e512 < 5e-6 && e512 < e256 / 3, `errors vs n = 2048: n=256 ${e256}, n=512 ${e512}`);
});

test('Schrödinger: ETDRK4 agrees with numpy split-step and conserves mass and energy', () => {
  const s = fx.schrodinger as { n: number; t: number[]; x: number[]; u: number[][]; v: number[][] };
  const got = ref.schrodinger({ t: s.t, x: s.x, n: s.n, dt: 1e-4 });
  assertClose(got.fields.u, s.u.flat(), { rtol: 0, atol: 1e-7 }, 'Re h');
  assertClose(got.fields.v, s.v.flat(), { rtol: 0, atol: 1e-7 }, 'Im h');
  const grid = periodicGrid(256, -5, 10);
  const full = ref.schrodinger({ t: [0, 0.8, Math.PI / 2], x: grid, n: 256, dt: 2e-4 });
  const inv = [0, 1, 2].map((p) => ref.nlsInvariants(full.fields.u.subarray(p * 256, (p + 1) * 256), full.fields.v.subarray(p * 256, (p + 1) * 256)));
  assert.ok(Math.abs(inv[0].mass - 8) < 1e-3, `mass of 2 sech x on [-5, 5): ${inv[0].mass}`);
  for (const p of [1, 2]) {
    assert.ok(Math.abs(inv[p].mass / inv[0].mass - 1) < 1e-10, `mass drift ${inv[p].mass / inv[0].mass - 1}`);
    assert.ok(Math.abs(inv[p].hamiltonian / inv[0].hamiltonian - 1) < 1e-6, `energy drift ${inv[p].hamiltonian / inv[0].hamiltonian - 1}`);
  }
});

test('TENG 2-D Allen–Cahn and Burgers: ETDRK4 matches numpy integrating-factor RK4 (n = 64)', () => {
  for (const [name, solve] of [['tengAllenCahn2d', ref.tengAllenCahn2d], ['tengBurgers2d', ref.tengBurgers2d]] as const) {
    const f = fx[name] as { n: number; T: number; stride: number; u: number[] };
    const sol = solve({ t: [f.T], n: f.n, dt: 0.005 });
    const all = sol.values(0);
    const sub: number[] = [];
    for (let i = 0; i < f.n; i += f.stride) for (let j = 0; j < f.n; j += f.stride) sub.push(all[i * f.n + j]);
    assertClose(sub, f.u, { rtol: 0, atol: 1e-10 }, name);
  }
});

test('TENG 2-D heat is the exact Fourier evolution; evaluation on other grids is exact', () => {
  const sol = ref.tengHeat2d({ t: [0, 1] });
  const x = [0.3, 2.0];
  const y = [1.0, 4.5];
  const u0 = sol.values(0, x, y);
  assertClose(u0, x.flatMap((a) => y.map((b) => ref.tengInitialCondition(a, b))), { atol: 1e-15 }, 'u0 off-grid');
  // u_t = 0.1 Laplacian(u) checked by spectral derivatives at t = 1 vs the time derivative of the modes
  const n = sol.grid.n;
  const u1 = sol.values(1);
  const lap = spectralDerivative2d(u1, n, n, [2, 0]).map((v, p) => v + spectralDerivative2d(u1, n, n, [0, 2])[p]);
  const dt = 1e-5;
  const up = ref.tengHeat2d({ t: [1 + dt] }).values(0);
  const um = ref.tengHeat2d({ t: [1 - dt] }).values(0);
  const ut = up.map((v, p) => (v - um[p]) / (2 * dt));
  assertClose(ut, lap.map((v) => 0.1 * v), { atol: 1e-9 }, 'u_t = D Laplacian u');
  const shifted = sol.uniform(1, 16, [0.1, 0.2]);
  const direct = sol.points(1, [0.1 + (2 * Math.PI * 3) / 16], [0.2 + (2 * Math.PI * 5) / 16]);
  assert.ok(Math.abs(shifted[3 * 16 + 5] - direct[0]) < 1e-15, 'shifted uniform grid');
});

test('TENG 1-D heat solves u_t = 0.1 u_xx', () => {
  const h = 1e-4;
  for (const [t, x] of [[0.3, 1.1], [0.9, 4.0]]) {
    const ut = (ref.tengHeat1dExact(t + h, x) - ref.tengHeat1dExact(t - h, x)) / (2 * h);
    const uxx = (ref.tengHeat1dExact(t, x + h) - 2 * ref.tengHeat1dExact(t, x) + ref.tengHeat1dExact(t, x - h)) / (h * h);
    assert.ok(Math.abs(ut - 0.1 * uxx) < 1e-6, `residual ${ut - 0.1 * uxx}`);
  }
});

/** Central finite differences of a pointwise function, to check analytic solutions satisfy their PDEs. */
function d(f: (...a: number[]) => number, args: number[], i: number, order: 1 | 2, h = 1e-4): number {
  const p = [...args];
  const m = [...args];
  p[i] += h;
  m[i] -= h;
  return order === 1 ? (f(...p) - f(...m)) / (2 * h) : (f(...p) - 2 * f(...args) + f(...m)) / (h * h);
}

test('analytic solutions satisfy their PDEs (finite-difference residuals)', () => {
  const pts = [[0.2, 0.3, 0.7], [0.6, 0.8, 0.1]];
  for (const [t, x, y] of pts) {
    const h1 = (tt: number, xx: number) => ref.heat1dExact(tt, xx, { modes: [{ k: 1, a: 1 }, { k: 3, a: 0.5 }] });
    assert.ok(Math.abs(d(h1, [t, x], 0, 1) - 0.4 * d(h1, [t, x], 1, 2)) < 1e-5, 'heat 1-D');
    const h2 = (tt: number, xx: number, yy: number) => ref.heat2dExact(tt, xx, yy);
    assert.ok(Math.abs(d(h2, [t, x, y], 0, 1) - 0.1 * (d(h2, [t, x, y], 1, 2) + d(h2, [t, x, y], 2, 2))) < 1e-5, 'heat 2-D');
    const pu = (xx: number, yy: number) => ref.poisson2dExact(xx, yy, { k: [1, 2] }).u;
    assert.ok(Math.abs(-(d(pu, [x, y], 0, 2) + d(pu, [x, y], 1, 2)) - ref.poisson2dExact(x, y, { k: [1, 2] }).f) < 1e-4, 'Poisson');
    const hu = (xx: number, yy: number) => ref.helmholtz2dExact(xx, yy).u;
    assert.ok(Math.abs(d(hu, [x, y], 0, 2) + d(hu, [x, y], 1, 2) + hu(x, y) - ref.helmholtz2dExact(x, y).q) < 1e-3, 'Helmholtz');
    const w = (tt: number, xx: number) => ref.waveExact(tt, xx);
    assert.ok(Math.abs(d(w, [t, x], 0, 2) - 4 * d(w, [t, x], 1, 2)) < 1e-3, 'wave');
  }
  // wave: zero at the ends and u(x, 0) = phi
  assert.ok(Math.abs(ref.waveExact(0.37, 0)) < 1e-14 && Math.abs(ref.waveExact(0.37, 1)) < 1e-14);
  assert.ok(Math.abs(ref.waveExact(0, 0.3) - (Math.sin(0.3 * Math.PI) + 0.5 * Math.sin(1.2 * Math.PI))) < 1e-14);
  const c = ref.convection({ t: [0, 0.5], x: [1] });
  assertClose(c.fields.u, [Math.sin(1), Math.sin(1 - 15)], { atol: 1e-14 }, 'convection');
});

test('Kovasznay and Beltrami flows satisfy incompressible Navier–Stokes', () => {
  const re = 40;
  for (const [x, y] of [[0.1, 0.2], [0.7, 1.3]]) {
    const f = (k: 'u' | 'v' | 'p') => (xx: number, yy: number) => ref.kovasznayExact(xx, yy, { re })[k];
    const s = ref.kovasznayExact(x, y, { re });
    const div = d(f('u'), [x, y], 0, 1) + d(f('v'), [x, y], 1, 1);
    const mx = s.u * d(f('u'), [x, y], 0, 1) + s.v * d(f('u'), [x, y], 1, 1) + d(f('p'), [x, y], 0, 1) - (d(f('u'), [x, y], 0, 2) + d(f('u'), [x, y], 1, 2)) / re;
    const my = s.u * d(f('v'), [x, y], 0, 1) + s.v * d(f('v'), [x, y], 1, 1) + d(f('p'), [x, y], 1, 1) - (d(f('v'), [x, y], 0, 2) + d(f('v'), [x, y], 1, 2)) / re;
    assert.ok(Math.abs(div) < 1e-7 && Math.abs(mx) < 1e-5 && Math.abs(my) < 1e-5, `Kovasznay residuals ${div}, ${mx}, ${my}`);
  }
  for (const args of [[0.3, 0.1, -0.4, 0.6], [0.9, -0.7, 0.2, -0.1]]) {
    const f = (k: 'u' | 'v' | 'w' | 'p') => (t: number, x: number, y: number, z: number) => ref.beltramiExact(t, x, y, z)[k];
    const s = ref.beltramiExact(args[0], args[1], args[2], args[3]);
    const vel = [s.u, s.v, s.w];
    const div = d(f('u'), args, 1, 1) + d(f('v'), args, 2, 1) + d(f('w'), args, 3, 1);
    assert.ok(Math.abs(div) < 1e-7, `Beltrami divergence ${div}`);
    (['u', 'v', 'w'] as const).forEach((k, i) => {
      const g = f(k);
      const adv = vel[0] * d(g, args, 1, 1) + vel[1] * d(g, args, 2, 1) + vel[2] * d(g, args, 3, 1);
      const lap = d(g, args, 1, 2) + d(g, args, 2, 2) + d(g, args, 3, 2);
      const r = d(g, args, 0, 1) + adv + d(f('p'), args, i + 1, 1) - lap;
      assert.ok(Math.abs(r) < 1e-4, `Beltrami momentum ${k}: ${r}`);
    });
  }
});

test('grid solutions have consistent shapes and metadata; relativeL2 validates input', () => {
  const s = ref.beltrami({ t: [0, 1], x: [0, 0.5], y: [0], z: [0, 1, 2] });
  assert.deepEqual(s.shape, [2, 2, 1, 3]);
  assert.equal(s.fields.p.length, 12);
  assert.deepEqual(s.axes, ['t', 'x', 'y', 'z']);
  assert.ok(s.meta.seconds >= 0 && s.meta.method.includes('Ethier'));
  const pts = ref.gridPoints(s);
  assert.equal(pts.length, 12 * 4);
  assert.deepEqual(Array.from(pts.subarray(4 * 5, 4 * 6)), [0, 0.5, 0, 2]); // entry 5 = (t0, x1, y0, z2)
  assert.equal(s.fields.u[5], ref.beltramiExact(0, 0.5, 0, 2).u);
  assert.throws(() => ref.relativeL2([1, 2], [1]), /prediction has 2 values, reference has 1/);
  assert.throws(() => ref.relativeL2([1], [0]), /identically zero/);
  assert.throws(() => ref.burgers({ t: [0.5, 0.2] }), /non-decreasing/);
  assert.throws(() => ref.allenCahn({ eps: -1 }), /eps must be positive/);
});
