/**
 * Every PDE of the zoo trains to a stated relative L2 error in a test-sized run (seed 0,
 * short budgets). Each bound was set from a first measurement with margin (the measured
 * value is in the comment); the README's zoo table lists the measurements.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pde } from '../../lib/index.js';

interface Case { problem: () => pde.PdeProblem; options: pde.TrainOptions; bound: number; measured: number; skip?: string }

const CASES: Record<string, Case> = {
  burgers: { problem: pde.zoo.burgers, options: { hard: true, hidden: [20, 20, 20], points: 500, adam: { steps: 500, lr: 5e-3 }, lbfgs: { steps: 100 } }, measured: 0.362, bound: 0.6 },
  'heat-1d': { problem: pde.zoo.heat1d, options: { hidden: [16, 16], points: 300, adam: { steps: 300, lr: 5e-3 }, lbfgs: { steps: 100 } }, measured: 0.0122, bound: 0.03 },
  'heat-2d': { problem: pde.zoo.heat2d, options: { hidden: [20, 20], points: 500, adam: { steps: 300, lr: 5e-3 }, lbfgs: { steps: 100 } }, measured: 0.0725, bound: 0.15 },
  'poisson-2d': { problem: pde.zoo.poisson2d, options: { hidden: [16, 16], points: 300, adam: { steps: 300, lr: 5e-3 }, lbfgs: { steps: 100 } }, measured: 0.127, bound: 0.25 },
  'helmholtz-2d': { problem: pde.zoo.helmholtz2d, options: { hard: true, hidden: [24, 24], points: 400, adam: { steps: 300, lr: 5e-3 }, lbfgs: { steps: 80 } }, measured: 0.0684, bound: 0.15 },
  kovasznay: { problem: pde.zoo.kovasznay, options: { hidden: [24, 24], points: 300, adam: { steps: 300, lr: 5e-3 }, lbfgs: { steps: 300 } }, measured: 0.191, bound: 0.35 },
  convection: { problem: () => pde.zoo.convection({ beta: 5 }), options: { hidden: [32, 32], points: 500, adam: { steps: 1000, lr: 5e-3 }, lbfgs: { steps: 100 } }, measured: 0.125, bound: 0.25 },
  'allen-cahn': { problem: pde.zoo.allenCahn, options: { hidden: [32, 32], points: 1000, adam: { steps: 800, lr: 5e-3 }, lbfgs: { steps: 100 } }, measured: 0.597, bound: 0.8 },
  // Schrödinger is not trainable to a meaningful error in a test-sized budget, also not with 30-40 s
  // budgets (1.13-1.15 for (u, v) after 22-40 s with and without a periodic embedding; |h| reaches
  // 0.38 but the phase is wrong; 1.09 with sin activations); skipped rather than given a bound that
  // could not fail. The wave equation with tanh stays at 0.636-0.714 after 29-70 s; sin activations
  // bring it to 0.48.
  schrodinger: { problem: pde.zoo.schrodinger, options: { hidden: [32, 32], points: 500, adam: { steps: 200, lr: 5e-3 }, lbfgs: { steps: 300 } }, measured: 1.13, bound: 0.5, skip: 'no meaningful error in a test-sized run ((u, v) 1.13-1.15 after 22-40 s: the phase of h is wrong)' },
  'wave-1d': { problem: pde.zoo.wave1d, options: { activation: 'sin', hidden: [32, 32, 32], points: 800, adam: { steps: 500, lr: 5e-3 }, lbfgs: { steps: 200 } }, measured: 0.4815, bound: 0.7 },
  // Their exact transforms (hard: true) do not help at this size either (seed 0: Schrödinger 1.15 after
  // 35.3 s with a periodic embedding; wave 1.67 after 34.5 s); kept, skipped, so that the measurement can be rerun.
  'schrodinger (exact transform)': { problem: pde.zoo.schrodinger, options: { hard: true, periodic: { period: [null, 10] }, hidden: [32, 32], points: 500, adam: { steps: 300, lr: 5e-3 }, lbfgs: { steps: 300 } }, measured: 1.15, bound: 0.5, skip: 'no meaningful error in a test-sized run (1.15 after 35 s)' },
  'wave-1d (exact transform)': { problem: pde.zoo.wave1d, options: { hard: true, hidden: [32, 32, 32], points: 800, adam: { steps: 500, lr: 5e-3 }, lbfgs: { steps: 200 } }, measured: 1.67, bound: 0.5, skip: 'no meaningful error in a test-sized run (1.67 after 35 s)' },
  beltrami: { problem: pde.zoo.beltrami, options: { hidden: [32, 32], points: 300, adam: { steps: 200, lr: 5e-3 }, lbfgs: { steps: 60 } }, measured: 0.167, bound: 0.3 },
};

for (const [name, c] of Object.entries(CASES)) {
  test(`${name} trains to relative L2 < ${c.bound} in a test-sized run`, c.skip ? { skip: c.skip } : {}, () => {
    const problem = c.problem();
    const run = pde.train(problem, { seed: 0, progress: false, live: false, errorEvery: 0, ...c.options });
    const error = run.error;
    run.dispose();
    assert.equal(run.diverged, null);
    assert.ok(error < c.bound, `${name}: relative L2 ${error} (bound ${c.bound}; first measured ${c.measured}) in ${run.seconds.toFixed(1)} s`);
  });
}
