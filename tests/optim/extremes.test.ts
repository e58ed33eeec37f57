/**
 * Optimizers on extreme gradients: all zero, all 1e-30 (squares underflow in float32),
 * all 1e30 (squares overflow), mixed signs and magnitudes from 1e-20 to 1e20, on
 * parameters of several shapes (a scalar included). Where torch.optim has the method,
 * its float32 result (tests/fixtures/gen_extremes.py) is the reference: values agree and
 * nothing is NaN or infinite where torch's are finite. Every other optimizer must stay
 * finite on these gradients, except where its own reference formula overflows (listed
 * below with the reason).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, optim } from '../../lib/index.js';
import { readFixture } from '../helpers.js';
import { OPTIMIZERS } from './catalog.js';
import { OPTIMIZERS_B } from './papers_b_catalog.js';

type Case = 'zero' | 'tiny' | 'huge' | 'mixed';
const CASES: Case[] = ['zero', 'tiny', 'huge', 'mixed'];

/** The same gradients as gen_extremes.py: entry i at step s is gradient(case, i + s). */
function gradient(c: Case, i: number): number {
  if (c === 'zero') return 0;
  if (c === 'tiny') return 1e-30;
  if (c === 'huge') return 1e30;
  return (i % 2 ? -1 : 1) * 10 ** (((i * 7) % 41) - 20);
}

const decode = (v: number | string) => (typeof v === 'number' ? v : Number(v));

/** Three steps from x0[i] = 0.5 + 0.1 i; `withLoss` drives the optimizers that need the loss through minimize. */
function run(make: () => optim.OptilabOptimizer, c: Case, shape: number[], withLoss = false): number[] {
  const size = shape.reduce((a, b) => a * b, 1);
  const x = tf.variable(tf.tensor(Array.from({ length: size }, (_, i) => 0.5 + 0.1 * i), shape));
  const opt = make();
  try {
    for (let s = 0; s < 3; s++) {
      const g = tf.tensor(Array.from({ length: size }, (_, i) => gradient(c, i + s)), shape);
      // The loss sum(g x) + 1 has gradient g and a positive value (Polyak-type steps use it).
      if (withLoss) opt.minimize(() => tf.add(tf.sum(tf.mul(g, x)), 1) as tf.Scalar);
      else opt.applyGradients({ [x.name]: g });
      g.dispose();
    }
    return Array.from(x.dataSync());
  } finally {
    x.dispose();
    opt.dispose();
  }
}

const factory = (name: string, config: Record<string, unknown>) => () => (optim as unknown as Record<string, (c: unknown) => optim.OptilabOptimizer>)[name]({ ...config });

test('torch.optim methods: the same values as torch on extreme gradients, finite where torch is', () => {
  const fixture = readFixture('optim_extremes.json');
  for (const k of fixture.cases) {
    const got = run(factory(k.optimizer, k.config), k.case, k.shape);
    const want = (k.params as (number | string)[]).map(decode);
    const label = `${k.optimizer} ${k.case} [${k.shape}]`;
    want.forEach((w, i) => {
      if (Number.isFinite(w)) assert.ok(Number.isFinite(got[i]), `${label}: entry ${i} is ${got[i]}, torch ${w}`);
      assert.ok(Math.abs(got[i] - w) <= 1e-4 * Math.abs(w) + 1e-5 || Object.is(got[i], w), `${label}: entry ${i} is ${got[i]}, torch ${w}`);
    });
  }
});

/** Optimizers whose reference formula itself overflows on 1e30 gradients (float32), with the reason. */
const OVERFLOWS_ON_HUGE: Record<string, string> = {
  adafactor: 'the factored second moment is inf / inf (optax.adafactor gives NaN too)',
  stableSpam: "AdaGN's norm EMA ratio is inf / inf (torch.norm overflows the same way)",
};

const LOSS_NEEDED = new Set(['momo', 'momoAdam', 'polyakSgd', 'polyakMomentum', 'sania']);
const PAPERS_A: Record<string, Record<string, unknown>> = {
  lion: { lr: 1e-3 },
  grams: { lr: 1e-3 },
  ademamix: { lr: 1e-3 },
  mars: { lr: 1e-3 },
  spam: { lr: 1e-3 },
  stableSpam: { lr: 1e-3 },
  scheduleFreeAdamw: { lr: 1e-3 },
  scheduleFreeSgd: { lr: 1e-3 },
  ranger21: { lr: 1e-3, numIterations: 100 },
};

test('every optimizer stays finite on zero, tiny, huge and mixed gradients for scalar to 3-d parameters', () => {
  const all = { ...OPTIMIZERS, ...OPTIMIZERS_B, ...PAPERS_A };
  const failures: string[] = [];
  for (const [name, config] of Object.entries(all)) {
    if (name === 'lbfgs') continue; // a line search on a linear loss: its own tests cover it
    for (const c of CASES) {
      if (c === 'huge' && name in OVERFLOWS_ON_HUGE) continue;
      for (const shape of [[], [1], [3, 4], [2, 3, 2]]) {
        const x = run(factory(name, config), c, shape, LOSS_NEEDED.has(name));
        if (!x.every(Number.isFinite)) failures.push(`${name} ${c} [${shape}]: ${x.slice(0, 3).join(', ')}`);
      }
    }
  }
  assert.deepEqual(failures, []);
});

test('a zero gradient leaves the parameters where they are (no weight decay configured)', () => {
  for (const name of ['adam', 'fadam', 'adabelief', 'lamb', 'lars', 'novograd', 'lion', 'ademamix', 'adan']) {
    const x = run(factory(name, { lr: 0.05, ...(name === 'fadam' || name === 'lars' || name === 'lamb' ? { weightDecay: 0 } : {}) }), 'zero', [3, 4]);
    x.forEach((v, i) => assert.ok(Math.abs(v - (0.5 + 0.1 * i)) < 1e-6, `${name}: entry ${i} moved to ${v}`));
  }
});

test('FAdam on a zero or underflowing gradient: weight decay acts, nothing is 0/0', () => {
  // Before the fix eps_t = min(RMS(g), 1) eps was 0 there, and the update 0/0.
  const x = run(factory('fadam', { lr: 0.01 }), 'zero', [3, 4]);
  assert.ok(x.every(Number.isFinite), String(x));
  assert.ok(x.every((v, i) => v < 0.5 + 0.1 * i), 'the decoupled weight decay shrank every entry');
});

test('Ranger21 with all-zero gradients: the stable weight decay (1 - wd lr / vn, vn = 0) is skipped, not a division by zero', () => {
  const x = run(factory('ranger21', { lr: 1e-3, numIterations: 100 }), 'zero', [3, 4]);
  assert.ok(x.every(Number.isFinite), String(x));
});

test('Adaptive Braking brakes large aligned gradients: its cosine does not overflow at norms of 1e10', () => {
  // Step 1: v = g (no velocity yet, cos 0). Step 2, same g: cos = 1, so g is reversed (1 - 2 cos = -1) and v = 0.9 g - g.
  const x = tf.variable(tf.zeros([4]));
  const opt = optim.adaptiveBraking({ lr: 0.05 });
  for (let s = 0; s < 2; s++) opt.applyGradients({ [x.name]: tf.fill([4], 5e9) });
  const got = x.dataSync()[0];
  const want = -0.05 * 5e9 - 0.05 * (0.9 - 1) * 5e9;
  assert.ok(Math.abs(got - want) <= 1e-4 * Math.abs(want), `x = ${got}, expected ${want} (a cosine that overflowed to 0 gives ${-0.05 * 5e9 - 0.05 * 1.9 * 5e9})`);
  x.dispose();
  opt.dispose();
});
