import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, generative as g } from '../../lib/index.js';
import { assertClose, readFixture } from '../helpers.js';

const fx = readFixture('generative.json');

function permutations(n: number): number[][] {
  if (n === 1) return [[0]];
  const out: number[][] = [];
  for (const p of permutations(n - 1)) for (let i = 0; i < n; i++) out.push([...p.slice(0, i), n - 1, ...p.slice(i)]);
  return out;
}

test('linear assignment is optimal: brute force over all permutations for n <= 7', () => {
  const r = new g.Rng(11);
  for (let n = 1; n <= 7; n++) {
    for (let trial = 0; trial < 4; trial++) {
      const cost = Array.from({ length: n * n }, () => Math.round(r.uniform() * 20) / 2); // ties included
      const perm = g.linearAssignment(cost, n);
      assert.deepEqual([...perm].sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i));
      const total = (p: ArrayLike<number>) => Array.from(p).reduce((s, j, i) => s + cost[i * n + j], 0);
      const best = Math.min(...permutations(n).map(total));
      assertClose(total(perm), best, { atol: 1e-12 }, `n=${n}`);
    }
  }
});

test('linear assignment matches scipy linear_sum_assignment cost', () => {
  for (const c of fx.assignment) {
    const n = c.cost.length;
    const perm = g.linearAssignment(c.cost.flat(), n);
    const total = Array.from(perm).reduce((s: number, j: number, i: number) => s + c.cost[i][j], 0);
    assertClose(total, c.total, { rtol: 1e-12 });
  }
  assert.throws(() => g.linearAssignment([1, 2, 3], 2), /expected 2x2/);
});

test('log-domain Sinkhorn matches a plain float64 Sinkhorn reference and approaches the LP optimum', () => {
  const X = g.toMatrix(fx.sinkhorn.x);
  const Y = g.toMatrix(fx.sinkhorn.y);
  const cost = g.sqDistMatrix(X, Y);
  for (const run of fx.sinkhorn.runs) {
    const { plan } = g.sinkhorn(cost, 6, 8, { reg: run.reg, maxIters: 50000, tol: 1e-14 });
    assertClose(plan, run.plan.flat(), { atol: 1e-9, rtol: 1e-6 }, `plan reg=${run.reg}`);
  }
  const { plan } = g.sinkhorn(cost, 6, 8, { reg: 0.005, maxIters: 50000, tol: 1e-12 });
  const c = plan.reduce((s: number, p: number, k: number) => s + p * cost[k], 0);
  assertClose(c, fx.sinkhorn.lp_cost, { rtol: 5e-3 });
  assert.throws(() => g.sinkhorn(cost, 6, 8, { reg: 0 }), /reg must be positive/);
});

test('OT coupling lowers the pairing cost below the independent coupling', () => {
  const x0 = g.standardNormal(2).sample(128, 1);
  const x1 = g.eightGaussians().sample(128, 2);
  const cost = (p: { x0: tf.Tensor2D; x1: tf.Tensor2D }) => tf.tidy(() => tf.sum(tf.square(tf.sub(p.x0, p.x1))).dataSync()[0] / 128);
  const ind = g.couple(x0, x1, 'independent');
  const ot = g.couple(x0, x1, 'ot');
  const sk = g.couple(x0, x1, { kind: 'sinkhorn', reg: 0.01 }, 3);
  const [ci, co, cs] = [cost(ind), cost(ot), cost(sk)];
  assert.ok(co < 0.5 * ci, `ot ${co} vs independent ${ci}`);
  assert.ok(cs < 1.1 * co + 1e-6 && cs < 0.6 * ci, `sinkhorn ${cs}`);
  // 'ot' is a permutation of x1
  const sortRows = (t: tf.Tensor2D) => (t.arraySync() as number[][]).map((r) => r.join(',')).sort();
  assert.deepEqual(sortRows(ot.x1), sortRows(x1));
  assert.throws(() => g.couple(x0, x1, 'nearest' as any), /unknown kind 'nearest'/);
  tf.dispose([x0, x1, ind.x0, ind.x1, ot.x0, ot.x1, sk.x0, sk.x1]);
});
