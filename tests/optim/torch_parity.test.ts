/**
 * Trajectories of every torch.optim optimizer against torch 2.13 (fixture
 * tests/fixtures/optim_torch.json from gen_optim.py): 60 steps on Rosenbrock and
 * on a least-squares problem, several hyper-parameter variants each; L-BFGS 8
 * steps with and without the strong-Wolfe line search.
 */
import { test } from 'node:test';
import { tf, optim } from '../../lib/index.js';
import { readFixture } from '../helpers.js';
import { makeProblem, snapshot } from './problems.js';

interface Case {
  optimizer: string;
  problem: 'rosenbrock' | 'lsq';
  config: Record<string, unknown>;
  trajectory: Array<{ step: number; params: Record<string, number[]>; spread: Record<string, number[]>; loss?: number; lossSpread?: number }>;
}

const fixture = readFixture<{ cases: Case[] }>('optim_torch.json');

// float32 on both sides, but torch and TF.js round differently (lerp against a
// weighted sum, fused multiply-adds), so a few 1e-6 relative accumulate. Where a
// trajectory is chaotic (an adaptive step near a zero gradient, a line search near
// the minimum) even torch's own float32 and float64 runs part; the fixture records
// that spread and the tolerance grows by SPREAD_FACTOR times it.
const RTOL = 2e-4;
const ATOL = 2e-5;
const SPREAD_FACTOR = 10;

function assertNear(got: number[], want: number[], spread: number[], label: string): void {
  got.forEach((g, i) => {
    const tol = ATOL + RTOL * Math.abs(want[i]) + SPREAD_FACTOR * spread[i];
    if (!(Math.abs(g - want[i]) <= tol)) {
      throw new Error(`${label}[${i}]: got ${g}, expected ${want[i]} (tolerance ${tol.toExponential(2)}, float32 spread ${spread[i].toExponential(2)})`);
    }
  });
}

for (const c of fixture.cases) {
  const label = `${c.optimizer} ${JSON.stringify(c.config)} on ${c.problem}`;
  test(`torch parity: ${label}`, () => {
    const factory = (optim as unknown as Record<string, (cfg: unknown) => optim.OptilabOptimizer>)[c.optimizer];
    const opt = factory(c.config);
    const prob = makeProblem(c.problem, c.config.maximize === true);
    const vars = Object.values(prob.params);
    try {
      const last = c.trajectory[c.trajectory.length - 1].step;
      let k = 0;
      for (let step = 1; step <= last; step++) {
        const loss = opt.step(prob.loss, vars);
        const cp = c.trajectory[k];
        if (cp.step === step) {
          const got = snapshot(prob);
          for (const name of Object.keys(cp.params)) {
            assertNear(got[name], cp.params[name], cp.spread[name], `${label}: ${name} after step ${step}`);
          }
          if (cp.loss !== undefined) assertNear([loss], [cp.loss], [cp.lossSpread ?? 0], `${label}: loss returned by step ${step}`);
          k++;
        }
      }
    } finally {
      opt.dispose();
      prob.dispose();
    }
  });
}

test('torch parity: fixture covers every torch.optim optimizer', () => {
  const names = new Set(fixture.cases.map((c) => c.optimizer));
  for (const n of ['sgd', 'adam', 'adamw', 'adagrad', 'rmsprop', 'adamax', 'nadam', 'radam', 'adadelta', 'lbfgs']) {
    if (!names.has(n)) throw new Error(`no torch fixture for ${n}`);
  }
  void tf;
});
