import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose } from '../helpers.js';
import {
  rk4Step, integrateRK4, ETDRK4, integrateETDRK4, CrankNicolsonIMEX, CrankNicolsonSparse, diffusionOperator2d, interiorOf,
} from '../../lib/pde/numerics/index.js';

/** Logistic-type v' = -v + v^2 with exact solution v = 1 / (1 + (1/v0 - 1) e^t). */
const exactLogistic = (v0: number, t: number) => 1 / (1 + (1 / v0 - 1) * Math.exp(t));

function order(errs: number[]): number[] {
  return errs.slice(1).map((e, i) => Math.log2(errs[i] / e));
}

test('RK4 is fourth order and integrateRK4 lands exactly on the output times', () => {
  const f = (_t: number, y: Float64Array, dy: Float64Array) => {
    dy[0] = -y[0] + y[0] * y[0];
  };
  const errs = [0.2, 0.1, 0.05].map((h) => {
    const y = new Float64Array([0.5]);
    for (let s = 0; s < Math.round(1 / h); s++) rk4Step(f, s * h, y, h);
    return Math.abs(y[0] - exactLogistic(0.5, 1));
  });
  for (const p of order(errs)) assert.ok(p > 3.8 && p < 4.3, `RK4 order ${p}`);
  const out = integrateRK4(f, [0.5], 0, [0.3, 0.37, 1], 0.01);
  assertClose(out.map((y) => y[0]), [0.3, 0.37, 1].map((t) => exactLogistic(0.5, t)), { atol: 1e-10 }, 'outputs');
});

test('ETDRK4 is exact for linear problems (also complex L) and fourth order for stiff semilinear ones', () => {
  // v' = L v + c: exact v(t) = e^{Lt} v0 + c (e^{Lt} - 1)/L, with stiff and complex L
  const L = { re: new Float64Array([-1000, -1, 0.5, 0]), im: new Float64Array([0, 3, -2, 7]) };
  const c = [1, 2, -1, 0.5];
  const N = (_vr: Float64Array, _vi: Float64Array, or: Float64Array, oi: Float64Array) => {
    or.set(c);
    oi.fill(0);
  };
  const v = { re: new Float64Array([1, 1, 1, 1]), im: new Float64Array(4) };
  const stepper = new ETDRK4(L, 0.1, N);
  for (let s = 0; s < 10; s++) stepper.step(v.re, v.im);
  for (let j = 0; j < 4; j++) {
    // complex arithmetic for e^{L} and (e^{L} - 1)/L at t = 1
    const er = Math.exp(L.re[j]) * Math.cos(L.im[j]);
    const ei = Math.exp(L.re[j]) * Math.sin(L.im[j]);
    const d = L.re[j] ** 2 + L.im[j] ** 2;
    const [qr, qi] = d === 0 ? [1, 0] : [((er - 1) * L.re[j] + ei * L.im[j]) / d, (ei * L.re[j] - (er - 1) * L.im[j]) / d];
    assert.ok(Math.abs(v.re[j] - (er + c[j] * qr)) < 1e-12, `mode ${j} re: ${v.re[j]} vs ${er + c[j] * qr}`);
    assert.ok(Math.abs(v.im[j] - (ei + c[j] * qi)) < 1e-12, `mode ${j} im`);
  }
  // logistic split as L = -1, N = v^2: fourth-order convergence
  const errs = [0.5, 0.25, 0.125].map((h) => {
    const w = { re: new Float64Array([0.5]), im: new Float64Array(1) };
    let got = 0;
    integrateETDRK4({ re: new Float64Array([-1]) }, (vr, _vi, or, oi) => {
      or[0] = vr[0] * vr[0];
      oi[0] = 0;
    }, w, [2], h, (_p, vr) => (got = vr[0]));
    return Math.abs(got - exactLogistic(0.5, 2));
  });
  for (const p of order(errs)) assert.ok(p > 3.7 && p < 4.5, `ETDRK4 order ${p} (errors ${errs})`);
});

test('Crank–Nicolson IMEX: AB2 is second order, the Euler variant first order', () => {
  const run = (scheme: 'ab2' | 'euler', h: number) => {
    const v = { re: new Float64Array([0.5]), im: new Float64Array(1) };
    const s = new CrankNicolsonIMEX(new Float64Array([-1]), h, (vr, _vi, or, oi) => {
      or[0] = vr[0] * vr[0];
      oi[0] = 0;
    }, { scheme });
    for (let k = 0; k < Math.round(1 / h); k++) s.step(v.re, v.im);
    return Math.abs(v.re[0] - exactLogistic(0.5, 1));
  };
  const ab2 = order([0.04, 0.02, 0.01].map((h) => run('ab2', h)));
  const eul = order([0.04, 0.02, 0.01].map((h) => run('euler', h)));
  for (const p of ab2) assert.ok(p > 1.8 && p < 2.3, `AB2 order ${p}`);
  for (const p of eul) assert.ok(p > 0.85 && p < 1.2, `Euler order ${p}`);
  assert.throws(() => new CrankNicolsonIMEX(new Float64Array(1), 0.1, () => {}, { scheme: 'rk3' as never }), /scheme must be/);
});

test('sparse Crank–Nicolson heat: exact on the discrete sine mode, second order in dt', () => {
  // sin(pi x) sin(pi y) is an eigenvector of the 5-point operator with eigenvalue lambda_h,
  // so CN multiplies it by r = (1 - dt lambda_h / 2) / (1 + dt lambda_h / 2) per step
  const n = 17;
  const h = 1 / (n - 1);
  const lambda = 2 * (4 / (h * h)) * Math.sin((Math.PI * h) / 2) ** 2;
  const A = diffusionOperator2d({ nx: n, ny: n });
  const full = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) full[i * n + j] = Math.sin(Math.PI * i * h) * Math.sin(Math.PI * j * h);
  const u0 = interiorOf(full, n, n);
  const T = 0.1;
  const errs = [0.02, 0.01, 0.005].map((dt) => {
    const u = Float64Array.from(u0);
    const cn = new CrankNicolsonSparse(A, dt);
    const steps = Math.round(T / dt);
    for (let s = 0; s < steps; s++) cn.step(u);
    const r = (1 - (dt * lambda) / 2) / (1 + (dt * lambda) / 2);
    assertClose(u, u0.map((v) => v * r ** steps), { rtol: 1e-12, atol: 1e-14 }, `discrete CN, dt = ${dt}`);
    return Math.max(...u.map((v, p) => Math.abs(v - u0[p] * Math.exp(-lambda * T))));
  });
  for (const p of order(errs)) assert.ok(p > 1.9 && p < 2.1, `CN order in time ${p} (errors ${errs})`);
});
