/**
 * Golden trajectories of the second batch of paper optimizers against their
 * official code (or the paper's algorithm where none exists) ported into
 * tests/fixtures/gen_optim_papers_b.py: 20 steps on Rosenbrock's function and the
 * least-squares problem, several variants each. Where the fixture records an
 * evaluation point (iterate averages, XGrad's trained weights), it is compared
 * through `withEvalParams` too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { optim } from '../../lib/index.js';
import { readFixture } from '../helpers.js';
import { type GoldenCase, assertNear, caseLabel, decodeConfig } from './golden.js';
import { makeProblem, snapshot } from './problems.js';

type Checkpoint = GoldenCase['trajectory'][number] & { eval?: Record<string, number[]>; evalSpread?: Record<string, number[]> };
const fixture = readFixture<{ cases: Array<GoldenCase & { trajectory: Checkpoint[] }> }>('optim_papers_b.json');

function replay(c: GoldenCase & { trajectory: Checkpoint[] }): void {
  const label = caseLabel(c);
  const factory = (optim as unknown as Record<string, (cfg: unknown) => optim.TransformOptimizer>)[c.optimizer];
  const opt = factory(decodeConfig(c.config));
  const prob = makeProblem(c.problem);
  const vars = Object.values(prob.params);
  try {
    let k = 0;
    const last = c.trajectory[c.trajectory.length - 1].step;
    for (let step = 1; step <= last; step++) {
      opt.step(prob.loss, vars);
      const cp = c.trajectory[k];
      if (cp.step !== step) continue;
      const got = snapshot(prob);
      for (const name of Object.keys(cp.params)) assertNear(got[name], cp.params[name], cp.spread[name], `${label}: ${name} after step ${step}`);
      if (cp.eval) {
        const ev = opt.withEvalParams(() => snapshot(prob));
        for (const name of Object.keys(cp.eval)) assertNear(ev[name], cp.eval[name], cp.evalSpread![name], `${label}: evaluation ${name} after step ${step}`);
      }
      k++;
    }
  } finally {
    opt.dispose();
    prob.dispose();
  }
}

for (const c of fixture.cases) test(`reference: ${caseLabel(c)}`, () => replay(c));

test('reference fixture covers every optimizer of this batch', () => {
  const names = new Set(fixture.cases.map((c) => c.optimizer));
  for (const n of ['dog', 'ldog', 'dowg', 'adog', 'udog', 'momo', 'momoAdam', 'polyakMomentum', 'polyakSgd', 'sania', 'gravity', 'xgrad', 'optimisticAmsgrad', 'complexMomentum', 'adaptiveBraking', 'adamCm']) {
    assert.ok(names.has(n), `no reference for ${n}`);
  }
});
