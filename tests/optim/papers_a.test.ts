/**
 * Golden trajectories of Lion (and C-Lion, Lion-K), Grams, the cautious
 * Adam family, AdEMAMix, MARS (approximate and exact), SPAM, Stable-SPAM,
 * Lookahead, Ranger21 and Schedule-Free SGD/AdamW against ports of their
 * official code in tests/fixtures/gen_optim_papers_a.py: parameters, returned
 * losses and (Lookahead, Schedule-Free) evaluation points over 20-24 steps,
 * including runs through injected gradient spikes, momentum resets and
 * stochastic batches.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, optim } from '../../lib/index.js';
import { readFixture } from '../helpers.js';
import { assertNear, decodeConfig } from './golden.js';
import { makeProblem, problemData, snapshot, type Problem } from './problems.js';

interface Checkpoint {
  step: number;
  params: Record<string, number[]>;
  spread: Record<string, number[]>;
  loss: number;
  lossSpread: number;
  eval?: Record<string, number[]>;
  evalSpread?: Record<string, number[]>;
}

interface CaseA {
  optimizer: string;
  problem: 'rosenbrock' | 'lsq' | 'lsqBatches';
  config: Record<string, any>;
  spikes?: { steps: number[]; scale: number };
  exact?: boolean;
  trajectory: Checkpoint[];
}

const fixture = readFixture<{ cases: CaseA[]; batchRows: number[][]; ranger21OfficialCheck: { singleTensorIdentical: boolean } }>('optim_papers_a.json');

/** The least-squares problem on two rows per step (rows cycle as in the fixture). */
function batchedLsq(): Problem & { lossAt(step: number): () => tf.Scalar } {
  const base = makeProblem('lsq');
  const d = problemData().lsq;
  const { w, b } = base.params;
  const lossAt = (step: number) => {
    const rows = fixture.batchRows[(step - 1) % fixture.batchRows.length];
    return () =>
      tf.tidy(() => {
        const X = tf.tensor2d(rows.map((r) => d.x[r]));
        const Y = tf.tensor2d(rows.map((r) => d.y[r]));
        return tf.mean(tf.square(tf.sub(tf.add(tf.matMul(X, w), b), Y))) as tf.Scalar;
      });
  };
  return { ...base, lossAt };
}

function build(c: CaseA): optim.OptilabOptimizer {
  const cfg = decodeConfig(c.config);
  let opt: optim.OptilabOptimizer;
  if (c.optimizer === 'cAdamwCOptim') {
    // C-Optim's C-AdamW: the efficient Adam form with the cautious mask, decoupled decay
    const [b1, b2] = (cfg.betas as number[] | undefined) ?? [0.9, 0.999];
    opt = optim.fromTransform(
      optim.chain(
        optim.cautious(optim.scaleByAdamEfficient({ b1, b2, eps: 1e-6 })),
        optim.addDecayedWeights((cfg.weightDecay as number | undefined) ?? 0),
        optim.scaleByLearningRate(cfg.lr as number),
      ),
    );
  } else if (c.optimizer === 'lookahead') {
    const inner = cfg.inner as { optimizer: string; config: Record<string, unknown> };
    const innerOpt = (optim as unknown as Record<string, (x: unknown) => optim.OptilabOptimizer>)[inner.optimizer](inner.config);
    opt = optim.lookahead(innerOpt, { k: cfg.k as number | undefined, alpha: cfg.alpha as number | undefined });
    innerOpt.dispose();
  } else {
    opt = (optim as unknown as Record<string, (x: unknown) => optim.OptilabOptimizer>)[c.optimizer](cfg);
  }
  if (c.spikes === undefined) return opt;
  const t = opt as optim.TransformOptimizer;
  return optim.fromTransform(optim.chain(optim.injectSpikes({ steps: c.spikes.steps, scale: c.spikes.scale }), t.transform));
}

function label(c: CaseA): string {
  const extra = [c.spikes ? `spikes at ${c.spikes.steps}` : '', c.exact ? 'exact' : ''].filter(Boolean).join(', ');
  return `${c.optimizer} ${JSON.stringify(c.config)} on ${c.problem}${extra ? ` (${extra})` : ''}`;
}

function replay(c: CaseA): void {
  const name = label(c);
  const opt = build(c) as optim.TransformOptimizer;
  const prob = c.problem === 'lsqBatches' ? batchedLsq() : { ...makeProblem(c.problem), lossAt: undefined };
  const vars = Object.values(prob.params);
  let previous: tf.Tensor[] | undefined;
  try {
    const last = c.trajectory[c.trajectory.length - 1].step;
    let k = 0;
    for (let step = 1; step <= last; step++) {
      const loss = prob.lossAt ? prob.lossAt(step) : prob.loss;
      let value: number;
      if (c.exact) {
        const r = optim.marsStep(opt, loss, vars, previous);
        value = r.loss;
        previous = r.previous;
      } else value = opt.step(loss, vars);
      const cp = c.trajectory[k];
      if (cp.step !== step) continue;
      const got = snapshot(prob);
      for (const p of Object.keys(cp.params)) assertNear(got[p], cp.params[p], cp.spread[p], `${name}: ${p} after step ${step}`);
      assertNear([value], [cp.loss], [cp.lossSpread], `${name}: loss returned by step ${step}`);
      if (cp.eval) {
        const atEval = opt.withEvalParams(() => snapshot(prob));
        for (const p of Object.keys(cp.eval)) assertNear(atEval[p], cp.eval[p], cp.evalSpread![p], `${name}: evaluation point ${p} after step ${step}`);
      }
      k++;
    }
  } finally {
    if (previous) tf.dispose(previous);
    opt.dispose();
    prob.dispose();
  }
}

for (const c of fixture.cases) test(`official code: ${label(c)}`, () => replay(c));

test('official code: the fixture covers every optimizer of this set', () => {
  const names = new Set(fixture.cases.map((c) => c.optimizer));
  for (const n of ['lion', 'grams', 'cAdamwCOptim', 'adamw', 'adam', 'ademamix', 'mars', 'spam', 'stableSpam', 'lookahead', 'ranger21', 'scheduleFreeSgd', 'scheduleFreeAdamw']) {
    assert.ok(names.has(n), `no reference fixture for ${n}`);
  }
  assert.ok(fixture.cases.some((c) => c.exact), 'no exact-MARS case');
  assert.ok(fixture.cases.some((c) => c.spikes), 'no case through a gradient spike');
  assert.ok(fixture.cases.some((c) => c.trajectory.some((cp) => cp.eval)), 'no evaluation-point case');
  // Ranger21: the per-parameter decay (the library) and the official last-parameter-only decay agree on one tensor
  assert.equal(fixture.ranger21OfficialCheck.singleTensorIdentical, true);
});
