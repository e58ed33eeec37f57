/**
 * Replays a reference trajectory recorded by tests/fixtures/gen_optim.py and
 * compares the parameters at each checkpoint.
 *
 * float32 on both sides, but the reference and TF.js round differently (lerp
 * against a weighted sum, fused multiply-adds), so a few 1e-6 relative
 * accumulate. Where a trajectory is chaotic (an adaptive step near a zero
 * gradient, a line search near the minimum) even the reference's own float32
 * and float64 runs part; the fixture records that spread and the tolerance grows
 * by SPREAD_FACTOR times it, so early, well-conditioned checkpoints stay strict.
 */
import { optim } from '../../lib/index.js';
import { makeProblem, snapshot } from './problems.js';

export interface GoldenCase {
  optimizer: string;
  problem: 'rosenbrock' | 'lsq';
  config: Record<string, unknown>;
  trajectory: Array<{ step: number; params: Record<string, number[]>; spread: Record<string, number[]>; loss?: number; lossSpread?: number }>;
}

export const RTOL = 2e-4;
export const ATOL = 2e-5;
export const SPREAD_FACTOR = 10;

export function assertNear(got: number[], want: number[], spread: number[], label: string): void {
  got.forEach((g, i) => {
    const tol = ATOL + RTOL * Math.abs(want[i]) + SPREAD_FACTOR * spread[i];
    if (!(Math.abs(g - want[i]) <= tol)) {
      throw new Error(`${label}[${i}]: got ${g}, expected ${want[i]} (tolerance ${tol.toExponential(2)}, float32 spread ${spread[i].toExponential(2)})`);
    }
  });
}

/** Fixture configs carry schedules as {scheduleSpec}; the factories take schedule functions. */
export function decodeConfig(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    const spec = v !== null && typeof v === 'object' && 'scheduleSpec' in v ? (v as { scheduleSpec: optim.ScheduleSpec }).scheduleSpec : undefined;
    out[k] = spec ? optim.schedules.scheduleFromSpec(spec) : v;
  }
  return out;
}

export function caseLabel(c: GoldenCase): string {
  return `${c.optimizer} ${JSON.stringify(c.config)} on ${c.problem}`;
}

export function replay(c: GoldenCase): void {
  const label = caseLabel(c);
  const factory = (optim as unknown as Record<string, (cfg: unknown) => optim.OptilabOptimizer>)[c.optimizer];
  const opt = factory(decodeConfig(c.config));
  const prob = makeProblem(c.problem, c.config.maximize === true);
  const vars = Object.values(prob.params);
  try {
    const last = c.trajectory[c.trajectory.length - 1].step;
    let k = 0;
    for (let step = 1; step <= last; step++) {
      const loss = opt.step(prob.loss, vars);
      const cp = c.trajectory[k];
      if (cp.step !== step) continue;
      const got = snapshot(prob);
      for (const name of Object.keys(cp.params)) assertNear(got[name], cp.params[name], cp.spread[name], `${label}: ${name} after step ${step}`);
      if (cp.loss !== undefined) assertNear([loss], [cp.loss], [cp.lossSpread ?? 0], `${label}: loss returned by step ${step}`);
      k++;
    }
  } finally {
    opt.dispose();
    prob.dispose();
  }
}
