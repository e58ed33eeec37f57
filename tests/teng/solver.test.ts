/**
 * TENG time stepping, initial-condition fitting and the baselines on small problems.
 * The 1-D heat checks compare with the exact solution and with the error of the time
 * scheme alone (each Fourier mode a_k e^{-0.1 k^2 t} advanced by the scheme's
 * amplification factor), so they say whether the projections add error of their own.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, linalg, teng, Rng } from '../../lib/index.js';
import { assertClose } from '../helpers.js';

const TWO_PI = 2 * Math.PI;

/** Relative L2 error at T of the exact 1-D heat modes advanced by the scheme alone. */
function schemeError(scheme: 'euler' | 'heun', dt: number, steps: number): number {
  // u0 = sin x + 0.5 cos 3x + 0.2 sin(2x + 1): modes k = 1, 3, 2 with L2 weights a^2 / 2
  const modes = [[1, 1], [3, 0.5], [2, 0.2]];
  let num = 0;
  let den = 0;
  for (const [k, a] of modes) {
    const z = -0.1 * k * k * dt;
    const factor = scheme === 'euler' ? 1 + z : 1 + z + (z * z) / 2;
    const exact = a * Math.exp(z * steps);
    num += (a * factor ** steps - exact) ** 2;
    den += exact ** 2;
  }
  return Math.sqrt(num / den);
}

function heat1dRun(scheme: 'euler' | 'heun', dt: number, steps: number) {
  const problem = teng.heat1d();
  const { net } = teng.initialNetwork(problem);
  const grid = teng.periodicGrid(1, 512);
  const solver = teng.solver(net, problem.equation, grid, { scheme, dt, iterations: 2, extraFirstStage: 0, lstsq: { method: 'normal', damping: 1e-12 } });
  let last!: teng.StepReport;
  for (let s = 0; s < steps; s++) last = solver.step();
  const fine = teng.periodicGrid(1, 2048);
  const error = teng.relativeL2(net.evaluate(fine.points), problem.reference([solver.t]).onGrid(0, 2048));
  return { error, last };
}

test('TENG-Heun on 1-D heat: error at t = 0.1 below 2.1e-6, within 2% of Heun\'s own time error (2.03e-6)', () => {
  const { error, last } = heat1dRun('heun', 0.02, 5);
  const scheme = schemeError('heun', 0.02, 5);
  assert.ok(error < 2.1e-6, `relative L2 error ${error.toExponential(3)} at t = 0.1`);
  assert.ok(Math.abs(error - scheme) <= 0.02 * scheme, `TENG-Heun ${error.toExponential(4)} vs the scheme alone ${scheme.toExponential(4)}`);
  for (const l of last.losses) assert.ok(l < 1e-14, `stage loss ${l.toExponential(2)}`);
});

test('TENG-Euler converges at first order and TENG-Heun at second order in dt', () => {
  const T = 0.2;
  for (const [scheme, order] of [['euler', 1], ['heun', 2]] as const) {
    const coarse = heat1dRun(scheme, 0.04, Math.round(T / 0.04)).error;
    const fine = heat1dRun(scheme, 0.02, Math.round(T / 0.02)).error;
    const observed = Math.log2(coarse / fine);
    assert.ok(Math.abs(observed - order) < 0.15, `${scheme}: errors ${coarse.toExponential(3)} -> ${fine.toExponential(3)}, observed order ${observed.toFixed(3)}`);
  }
});

test('naturalGradientFit: random parameter subsets of the requested sizes cut a TENG-Euler step loss a millionfold', () => {
  const problem = teng.heat1d();
  const { net } = teng.initialNetwork(problem);
  const grid = teng.periodicGrid(1, 1024);
  const tr = net.trace(grid.points, problem.equation.request());
  const lu = problem.equation.apply(tr);
  const target = Float64Array.from(tr.u, (u, i) => u + 0.01 * lu[i]);
  const report = teng.naturalGradientFit(net, grid, target, { iterations: 8, subset: { first: 300, rest: 200 }, rng: new Rng(3) });
  assert.equal(report.losses.length, 9);
  assert.ok(report.ranks[0] <= 300 && report.ranks.slice(1).every((r) => r <= 200), `ranks ${report.ranks}`);
  assert.ok(report.losses[8] < 1e-6 * report.losses[0], `losses ${report.losses.map((l) => l.toExponential(2))}`);
});

test('fitInitialCondition takes a random network to the 1-D heat initial condition to better than 1e-8', () => {
  const problem = teng.heat1d();
  const net = teng.Float64Mlp.periodicSinusoidal(1, [16, 16], { period: TWO_PI }, { seed: 0 });
  const grid = teng.periodicGrid(1, 384);
  teng.fitInitialCondition(net, grid, problem.initial(grid.points), { maxIterations: 60, polish: 20 });
  const fine = teng.periodicGrid(1, 2048);
  const error = teng.relativeL2(net.evaluate(fine.points), problem.initial(fine.points));
  assert.ok(error < 1e-8, `initial-condition error ${error.toExponential(3)}`);
});

test('the shipped initial states reproduce their recorded fit errors', () => {
  for (const problem of [teng.heat1d(), teng.heat2d()]) {
    const { net, state } = teng.initialNetwork(problem);
    const fine = teng.periodicGrid(problem.dims, state.evaluationGrid);
    const error = teng.relativeL2(net.evaluate(fine.points), problem.initial(fine.points));
    assertClose(error, state.relativeL2, { rtol: 1e-6, atol: 0 }, `${problem.name} fit error`);
  }
});

test('periodicGrid rows follow the references’ grid order', () => {
  const problem = teng.heat2d();
  const grid = teng.periodicGrid(2, 16);
  const u0 = problem.initial(grid.points);
  assertClose(problem.reference([0]).onGrid(0, 16), u0, { rtol: 1e-12, atol: 1e-14 }, '2-D u0 on the grid');
  assert.throws(() => teng.periodicGrid(2, 1), /m must be an integer >= 2/);
});

test('OBTI steps lower the step loss with Adam', () => {
  const problem = teng.heat1d();
  const { net } = teng.initialNetwork(problem);
  const grid = teng.periodicGrid(1, 256);
  const solver = teng.obti(net, problem.equation, grid, { dt: 0.01, iterations: 20, lr: 1e-4 });
  const report = solver.step();
  const losses = report.stages[0].losses;
  assert.ok(losses[losses.length - 1] < losses[0], `OBTI losses ${losses[0].toExponential(2)} -> ${losses[losses.length - 1].toExponential(2)}`);
  assert.equal(solver.t, 0.01);
  assert.throws(() => teng.obti(net, problem.equation, grid, { dt: 0.01, iterations: 0 }), /iterations/);
});

test('ENGD PINN: its gradient matches finite differences of the loss, and ENGD steps lower the loss', () => {
  for (const problem of [teng.heat1d(), teng.burgers2d()]) {
    const pinn = teng.pinnEngd(problem, { T: 0.5, hidden: [6], collocation: 20, initialGrid: 6, seed: 1 });
    const P = pinn.net.paramCount;
    const base = pinn.net.params.slice();
    const v = new Rng(4).normalArray(P);
    const h = 1e-6;
    pinn.net.setParams(base.map((p, i) => p + h * v[i]));
    const plus = pinn.loss().total;
    pinn.net.setParams(base.map((p, i) => p - h * v[i]));
    const minus = pinn.loss().total;
    pinn.net.setParams(base);
    const directional = pinn.gradient().grad.reduce((s, g, i) => s + g * v[i], 0);
    assertClose(directional, (plus - minus) / (2 * h), { rtol: 1e-5, atol: 1e-9 }, `${problem.name} directional derivative`);
    const before = pinn.loss().total;
    const after = pinn.train({ iterations: 3 });
    assert.ok(after < before, `${problem.name} ENGD: ${before} -> ${after}`);
  }
});

test('ENGD PINN with its default solve cuts the 1-D heat loss a thousandfold in 10 steps', () => {
  // Too little damping of the normal equations loses the Gauss–Newton step (then ENGD stalls).
  const pinn = teng.pinnEngd(teng.heat1d(), { T: 1, hidden: [16, 16], collocation: 300, initialGrid: 128, seed: 1 });
  const before = pinn.loss().total;
  const after = pinn.train({ iterations: 10 });
  assert.ok(after < 1e-3 * before, `ENGD loss ${before.toExponential(2)} -> ${after.toExponential(2)}`);
  assert.throws(() => pinn.train({ iterations: 1.5 }), /iterations/);
});

test('pinnProblem: the TENG problem as a pde.zoo spec whose residual vanishes on the exact 1-D heat solution', () => {
  const spec = teng.pinnProblem(teng.heat1d(), 0.5);
  assert.deepEqual(spec.inputs, ['t', 'x']);
  const ref = spec.reference();
  assert.equal(ref.fields.u.length, 11 * 128);
  // u = e^{-0.1 t} sin x: u_t - 0.1 u_xx = 0
  const f = (t: number, x: number) => Math.exp(-0.1 * t) * Math.sin(x);
  const pts = [[0.1, 1.0], [0.4, 2.5]];
  const fields = {
    u: tf.tensor2d(pts.map(([t, x]) => [f(t, x)])),
    u_t: tf.tensor2d(pts.map(([t, x]) => [-0.1 * f(t, x)])),
    u_xx: tf.tensor2d(pts.map(([t, x]) => [-f(t, x)])),
  } as Record<string, tf.Tensor2D>;
  const r = spec.pde.residual(fields) as tf.Tensor;
  assertClose(r.dataSync(), [0, 0], { rtol: 0, atol: 1e-7 }, 'residual');
  // a reference already computed is reused at its own times
  const given = teng.heat1d().reference([0, 0.25, 0.5]);
  const reused = teng.pinnProblem(teng.heat1d(), 0.5, { reference: given, m: 64 }).reference();
  assert.equal(reused.fields.u.length, 3 * 64);
  assertClose(Array.from(reused.fields.u).slice(128), given.onGrid(2, 64), { rtol: 0, atol: 0 }, 'reused reference at t = 0.5');
  assert.throws(() => teng.pinnProblem(teng.heat1d(), 0.5, { reference: given, times: [0] }), /times or reference/);
});

test('TENG solver options are checked', () => {
  const problem = teng.heat2d();
  const net = teng.network({ inputDim: 2, hidden: [4], seed: 0 });
  const grid = teng.periodicGrid(2, 8);
  assert.throws(() => teng.solver(net, problem.equation, grid, { dt: 0 }), /dt must be/);
  assert.throws(() => teng.solver(net, problem.equation, grid, { dt: 0.1, scheme: 'rk4' as never }), /scheme/);
  assert.throws(() => teng.solver(net, teng.heat(1, 0.1), grid, { dt: 0.1 }), /must agree/);
  assert.throws(() => teng.solver(net, problem.equation, grid, { dt: 0.1, iterations: -1 }), /iterations/);
  void linalg;
});
