/**
 * The optimizers torch lacks, against their official implementations ported
 * into tests/fixtures/gen_optim.py (each port cites its source) or against
 * optax (LARS, LAMB, AMSGrad's optax convention): 20 steps on Rosenbrock and on
 * the least-squares problem, several variants each.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
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
