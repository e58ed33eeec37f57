/** The PINN trainer: non-finite stops naming the term, validation, hard constraints, every multi-loss method, no leaks. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, pde } from '../../lib/index.js';
import { assertClose } from '../helpers.js';

const { geometry, zoo } = pde;
const quiet = { progress: false, live: false, errorEvery: 0 } as const;

/** A small 1-D problem: u'' = -pi^2 sin(pi x) on [0, 1], u = 0 at both ends. */
function poisson1d(overrides: Partial<pde.PdeSpec> = {}) {
  return pde.definePde({
    name: 'poisson-1d',
    title: "u'' = -pi^2 sin(pi x)",
    domain: geometry.interval(0, 1),
    outputs: ['u'],
    pde: { derivatives: ['u_xx'], residual: (f) => tf.add(f.u_xx, tf.mul(Math.PI ** 2, tf.sin(tf.mul(Math.PI, f.x)))) },
    conditions: [{ name: 'bc', kind: 'dirichlet', value: 0, points: 2 }],
    reference: () => {
      const x = Float64Array.from({ length: 51 }, (_, i) => i / 50);
      return { points: x, fields: { u: x.map((v) => Math.sin(Math.PI * v)) } };
    },
    hints: { hidden: [16], points: 64, adamSteps: 10, lr: 1e-2 },
    ...overrides,
  });
}

test('a non-finite residual stops training with a message naming the step and the term', () => {
  const p = poisson1d({ pde: { derivatives: ['u_xx'], residual: (f) => tf.sqrt(tf.sub(f.u, 1e6)) } });
  const r = pde.train(p, { ...quiet, seed: 0, adam: { steps: 5 } });
  assert.ok(r.diverged, 'diverged');
  assert.equal(r.diverged!.term, 'pde');
  assert.equal(r.diverged!.step, 0);
  assert.match(r.diverged!.message, /became NaN at step 0 in term 'pde'/);
  assert.ok(Number.isNaN(r.error));
  r.dispose();
});

test('an overflowing condition is named, with every combiner path too', () => {
  const p = poisson1d({ conditions: [{ name: 'bc', kind: 'dirichlet', value: 1e30, points: 2 }] });
  for (const method of ['adam', 'config', 'mconfig', 'multiadam'] as const) {
    const r = pde.train(p, { ...quiet, seed: 0, adam: { steps: 3 }, method });
    assert.ok(r.diverged, `${method}: diverged`);
    assert.equal(r.diverged!.term, 'bc', `${method}: names the term`);
    r.dispose();
  }
});

test('bad options and problems get clear errors', () => {
  const p = poisson1d();
  assert.throws(() => pde.train(p, { lr: 1 } as object), /unknown option 'lr'/);
  assert.throws(() => pde.train(p, { ...quiet, weights: { ic: 2 } }), /weights names 'ic', not a term \(terms: pde, bc\)/);
  assert.throws(() => pde.train(p, { ...quiet, method: 'famo' as 'adam' }), /method must be 'adam', 'mconfig', 'multiadam'/);
  assert.throws(() => pde.train(p, { ...quiet, hard: true }), /defines no exact output transform/);
  assert.throws(() => poisson1d({ pde: { derivatives: ['u_yy'], residual: (f) => f.u } }), /'u_yy' differentiates with respect to 'y', which is not an input/);
  assert.throws(() => poisson1d({ conditions: [{ kind: 'initial', value: 0 }] }), /needs the domain's initial/);
  const missing = poisson1d({ pde: { derivatives: ['u_x'], residual: (f) => f.u_xx } });
  assert.throws(() => pde.train(missing, { ...quiet, adam: { steps: 1 } }), /field 'u_xx' is not available; available: u, x, u_x/);
});

test("Burgers' exact transform satisfies the initial and boundary values for any network", () => {
  const p = zoo.burgers();
  const r = pde.train(p, { ...quiet, seed: 1, hard: true, hidden: [8], points: 50, adam: { steps: 2 }, lbfgs: false });
  const pts = Float64Array.from([0, -0.5, 0, 0.3, 0.4, -1, 0.7, 1]);
  const u = r.predict(pts).u;
  assertClose(u[0], -Math.sin(-0.5 * Math.PI), { rtol: 1e-5, atol: 1e-6 }, 'u(0, -0.5)');
  assertClose(u[1], -Math.sin(0.3 * Math.PI), { rtol: 1e-5, atol: 1e-6 }, 'u(0, 0.3)');
  assertClose([u[2], u[3]], [0, 0], { atol: 1e-6 }, 'u(t, +-1)');
  assert.deepEqual(r.history.map((h) => Object.keys(h).filter((k) => k.startsWith('loss_'))).at(-1), ['loss_pde'], 'ic and bc terms dropped');
  r.dispose();
});

test("the wave and Schrödinger exact transforms satisfy their initial (and boundary) values for any network", () => {
  const wave = pde.train(zoo.wave1d(), { ...quiet, seed: 1, hard: true, hidden: [8], points: 50, adam: { steps: 2 }, lbfgs: false });
  const h = 1e-3;
  const xs = [0.1, 0.37, 0.8];
  // (t, x) rows: t = 0 and t = h at each x, then both ends at t = 0.6
  const u = wave.predict(Float64Array.from([...xs.flatMap((x) => [0, x, h, x]), 0.6, 0, 0.6, 1])).u;
  xs.forEach((x, i) => {
    assertClose(u[2 * i], Math.sin(Math.PI * x) + 0.5 * Math.sin(4 * Math.PI * x), { rtol: 1e-5, atol: 1e-6 }, `u(0, ${x})`);
    // u_t(0, x) = 0: the forward difference is O(h), not O(1)
    assert.ok(Math.abs(u[2 * i + 1] - u[2 * i]) / h < 1e-2, `u_t(0, ${x}) ~ ${(u[2 * i + 1] - u[2 * i]) / h}`);
  });
  assertClose([u[6], u[7]], [0, 0], { atol: 1e-6 }, 'u(t, 0) and u(t, 1)');
  assert.deepEqual(Object.keys(wave.history.at(-1)!).filter((k) => k.startsWith('loss_')), ['loss_pde'], 'ic, ic_t and bc dropped');
  wave.dispose();
  const nls = pde.train(zoo.schrodinger(), { ...quiet, seed: 1, hard: true, hidden: [8], points: 50, adam: { steps: 2 }, lbfgs: false });
  const f = nls.predict(Float64Array.from([0, -1.5, 0, 0.4, 0, 3]));
  assertClose(f.u, [-1.5, 0.4, 3].map((x) => 2 / Math.cosh(x)), { rtol: 1e-5, atol: 1e-6 }, 'Re h(0, x)');
  assertClose(f.v, [0, 0, 0], { atol: 1e-6 }, 'Im h(0, x)');
  nls.dispose();
});

test('every multi-loss method trains a few steps without leaking tensors, and lowers the loss', () => {
  const p = poisson1d();
  p.reference();
  const methods = ['adam', 'sum', 'config', 'pcgrad', 'imtlg', 'mgda', 'upgrad', 'lra', 'gradnorm', 'ntk', 'mconfig', 'multiadam'] as const;
  for (const method of methods) {
    const before = tf.memory().numTensors;
    const r = pde.train(p, { ...quiet, seed: 2, adam: { steps: 40, lr: 1e-2 }, method, logEvery: 10, ntkEvery: 10, resampleEvery: 5 });
    assert.equal(r.diverged, null, method);
    const first = r.history[0].loss;
    const last = r.history.at(-1)!.loss;
    assert.ok(last < first, `${method}: loss ${first} -> ${last}`);
    r.dispose();
    assert.equal(tf.memory().numTensors, before, `${method}: tensors leaked`);
  }
});

test('R3 and RAD adaptive points and L-BFGS run and log', () => {
  const p = zoo.convection({ beta: 1 });
  const r = pde.train(p, { ...quiet, seed: 3, hidden: [8], points: 64, adam: { steps: 10 }, adaptive: { method: 'r3' }, lbfgs: { steps: 20, chunk: 10 }, logEvery: 5 });
  assert.equal(r.diverged, null);
  assert.ok(r.history.some((h) => h.phase === 'lbfgs'));
  assert.ok(Number.isFinite(r.error));
  r.dispose();
  const r2 = pde.train(p, { ...quiet, seed: 3, hidden: [8], points: 64, adam: { steps: 10 }, adaptive: { method: 'rad', every: 5 } });
  assert.equal(r2.diverged, null);
  r2.dispose();
});

test('the same seed gives the same run', () => {
  const p = poisson1d();
  const a = pde.train(p, { ...quiet, seed: 5, adam: { steps: 20 }, sampling: 'lhs' });
  const b = pde.train(p, { ...quiet, seed: 5, adam: { steps: 20 }, sampling: 'lhs' });
  assert.deepEqual(a.history.map((h) => h.loss), b.history.map((h) => h.loss));
  a.dispose();
  b.dispose();
});

test('a run keeps its final points, and its residual at them matches the logged residual loss', () => {
  const p = poisson1d();
  const r = pde.train(p, { ...quiet, seed: 2, points: { pde: 64, bc: 2 }, adam: { steps: 10 }, lbfgs: { steps: 5, chunk: 5 } });
  assert.deepEqual(Object.keys(r.points).sort(), ['bc', 'pde']);
  assert.equal(r.points.pde.length, 64);
  assert.ok(Array.from(r.points.bc).every((x) => x === 0 || x === 1));
  // the L-BFGS log is taken at the final parameters: the mean square residual at the final points is loss_pde
  const res = r.residual(r.points.pde);
  assert.equal(res.length, 64);
  const meanSquare = res.reduce((a, v) => a + v * v, 0) / res.length;
  assertClose(meanSquare, r.history[r.history.length - 1].loss_pde as number, { rtol: 1e-3, atol: 1e-6 }, 'mean square residual');
  r.dispose();
});

test('plotSolution: prediction and reference share one colour scale, the error has its own', () => {
  const r = pde.train(zoo.heat1d(), { ...quiet, seed: 1, hidden: [4], points: 16, adam: { steps: 1 } });
  const spec = r.plotSolution().spec;
  assert.equal(spec.resolve.scale.color, 'independent');
  const [pred, ref, err] = spec.hconcat;
  assert.deepEqual(pred.encoding.color.scale.domain, ref.encoding.color.scale.domain);
  assert.equal(err.encoding.color.scale.domain, undefined);
  r.dispose();
});
