/**
 * Trajectories of every torch.optim optimizer against torch 2.13 (fixture
 * tests/fixtures/optim_torch.json from gen_optim.py): 60 steps on Rosenbrock and
 * on a least-squares problem, several hyper-parameter variants each; L-BFGS up
 * to 8 steps with and without the strong-Wolfe line search.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFixture } from '../helpers.js';
import { type GoldenCase, caseLabel, replay } from './golden.js';

const fixture = readFixture<{ cases: GoldenCase[] }>('optim_torch.json');

for (const c of fixture.cases) test(`torch parity: ${caseLabel(c)}`, () => replay(c));

test('torch parity: the fixture covers every torch.optim optimizer', () => {
  const names = new Set(fixture.cases.map((c) => c.optimizer));
  for (const n of ['sgd', 'adam', 'adamw', 'adagrad', 'rmsprop', 'adamax', 'nadam', 'radam', 'adadelta', 'lbfgs']) {
    assert.ok(names.has(n), `no torch fixture for ${n}`);
  }
});
