/**
 * The optimizers torch lacks, against their official implementations ported
 * into tests/fixtures/gen_optim.py (each port cites its source) or against
 * optax (LARS, LAMB, AMSGrad's optax convention): 20 steps on Rosenbrock and on
 * the least-squares problem, several variants each.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, optim } from '../../lib/index.js';
import { readFixture } from '../helpers.js';
import { type GoldenCase, caseLabel, replay } from './golden.js';

const fixture = readFixture<{ cases: GoldenCase[] }>('optim_papers.json');

for (const c of fixture.cases) test(`official code: ${caseLabel(c)}`, () => replay(c));

test('official code: the fixture covers every paper optimizer', () => {
  const names = new Set(fixture.cases.map((c) => c.optimizer));
  for (const n of ['adabelief', 'adabound', 'laprop', 'diffgrad', 'adan', 'fadam', 'adamp', 'sgdp', 'novograd', 'sgdw', 'adafactor', 'amsgrad', 'lars', 'lamb']) {
    assert.ok(names.has(n), `no reference fixture for ${n}`);
  }
});

test('Adafactor: update clipping scales large updates down, never small ones up (the kozistr regression)', () => {
  const w = tf.variable(tf.fill([4, 3], 1));
  const opt = optim.adafactor();
  const grad = (g: number) => opt.applyGradients({ [w.name]: tf.fill([4, 3], g) });
  const before = () => Array.from(w.dataSync());
  for (let i = 0; i < 5; i++) grad(10);
  const p0 = before();
  grad(1e-3); // a gradient 1e4 times smaller than the second-moment history
  const p1 = before();
  const rmsStep = Math.sqrt(p0.reduce((s, x, i) => s + (x - p1[i]) ** 2, 0) / p0.length);
  const rmsW = Math.sqrt(p0.reduce((s, x) => s + x * x, 0) / p0.length);
  const rho = Math.min(1e-2, 1 / Math.sqrt(6));
  // with correct clipping the relative update is about rho * 1e-3 / 10 * sqrt(1/(1-beta2_t)); inverted clipping gives rho
  assert.ok(rmsStep / (rmsW * rho) < 0.05, `relative update ${rmsStep / (rmsW * rho)} (1 means clipped up to the threshold)`);
  opt.dispose();
  w.dispose();
});

test('Adafactor keeps factored second moments: rows + columns floats for a matrix', () => {
  const w = tf.variable(tf.ones([64, 32]));
  const b = tf.variable(tf.ones([32]));
  const factored = optim.adafactor();
  const full = optim.adam();
  const loss = () => tf.add(tf.sum(tf.square(w)), tf.sum(b)) as tf.Scalar;
  factored.step(loss, [w, b]);
  full.step(loss, [w, b]);
  assert.equal((factored as optim.TransformOptimizer).stateSize(), 64 + 32 + 32);
  assert.equal((full as optim.TransformOptimizer).stateSize(), 2 * (64 * 32 + 32));
  [factored, full].forEach((o) => o.dispose());
  tf.dispose([w, b]);
});

test("amsgrad({variant: 'torch'}) is torch's Adam(amsgrad=True)", () => {
  const x = tf.variable(tf.tensor1d([1, -2, 3]));
  const y = tf.variable(tf.tensor1d([1, -2, 3]));
  const f = (v: tf.Variable) => () => tf.sum(tf.mul(tf.square(v), tf.tensor1d([1, 10, 100]))) as tf.Scalar;
  const a = optim.amsgrad({ lr: 0.1 });
  const b = optim.adam({ lr: 0.1, amsgrad: true });
  for (let i = 0; i < 20; i++) {
    a.step(f(x), [x]);
    b.step(f(y), [y]);
  }
  const xs = Array.from(x.dataSync());
  Array.from(y.dataSync()).forEach((v, i) => assert.ok(Math.abs(v - xs[i]) <= 1e-6 * Math.max(1, Math.abs(v)), `${i}: ${xs[i]} vs ${v}`));
  [a, b].forEach((o) => o.dispose());
  tf.dispose([x, y]);
});
