/**
 * multiloss combiners against ports of their reference code (tests/fixtures/gen_multiloss.py:
 * conflictfree for ConFIG, PCGrad, IMTL-G and M-ConFIG; TorchJD for MGDA and UPGrad;
 * PINNacle for MultiAdam), and ConFIG's defining properties on random and adversarial sets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, multiloss, Rng } from '../../lib/index.js';
import { readFixture, assertClose } from '../helpers.js';

interface Case { name: string; G: number[][]; config: number[]; config_double?: number[]; pcgrad: number[]; imtlg?: number[]; mgda_fw: number[]; mgda_exact: number[]; mgda_exact_converged: boolean; upgrad: number[] }
const fx = readFixture<{ cases: Case[]; mconfig: { losses: number; grads: number[][]; out: number[][] }; multiadam: { lr: number; betas: [number, number]; eps: number; grads: number[][][]; out: number[][] } }>('multiloss.json');

const run = (f: (G: tf.Tensor2D) => tf.Tensor1D, rows: number[][]) => tf.tidy(() => Array.from(f(tf.tensor2d(rows)).dataSync()));
/** Relative to the largest entry of the reference: float32 results of float64 references. */
function assertVecClose(actual: number[], expected: number[], rtol: number, label: string) {
  const scale = Math.max(...expected.map(Math.abs));
  assertClose(actual, expected, { rtol: 0, atol: rtol * scale }, label);
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * b[i]; return s; };
const norm = (a: ArrayLike<number>) => Math.sqrt(dot(a, a));

for (const c of fx.cases) {
  test(`ConFIG matches conflictfree's ConFIG_update: ${c.name}`, () => {
    // single-precision inputs, float64 arithmetic inside: agreement to ~1e-6 of the largest entry
    const tol = c.name === 'scales3' || c.name === 'nearParallel3' ? 2e-5 : 2e-6;
    assertVecClose(run((G) => multiloss.config(G), c.G), c.config, tol, c.name);
    if (c.config_double) assertVecClose(run((G) => multiloss.config(G), c.G), c.config_double, tol, `${c.name} (two-loss closed form)`);
  });

  test(`ConFIG's defining properties: ${c.name}`, () => {
    const g = run((G) => multiloss.config(G), c.G);
    const cosines = c.G.map((gi) => dot(gi, g) / (norm(gi) * norm(g)));
    for (const cs of cosines) {
      assert.ok(cs > 0, `${c.name}: cosine ${cs} must be positive (conflict-free)`);
      assertClose(cs, cosines[0], { rtol: 1e-4, atol: 1e-6 }, `${c.name}: equal cosines`);
    }
    // |g| = sum_i g_i . g/|g|
    const projections = c.G.reduce((s, gi) => s + dot(gi, g) / norm(g), 0);
    assertClose(norm(g), projections, { rtol: 1e-5, atol: 0 }, `${c.name}: length = sum of projections`);
    for (const gi of c.G) assert.ok(dot(gi, g) >= 0, `${c.name}: g_i . g >= 0`);
  });

  test(`PCGrad matches ConFIG's PCGradOperator: ${c.name}`, () => {
    assertVecClose(run((G) => multiloss.pcgrad(G), c.G), c.pcgrad, 2e-6, c.name);
  });

  if (c.imtlg) {
    test(`IMTL-G matches ConFIG's IMTLGOperator: ${c.name}`, () => {
      const tol = c.name === 'scales3' || c.name === 'nearParallel3' ? 1e-4 : 1e-5;
      assertVecClose(run((G) => multiloss.imtlg(G), c.G), c.imtlg!, tol, c.name);
    });
  }

  test(`MGDA matches TorchJD's Frank-Wolfe and the exact min-norm point: ${c.name}`, () => {
    assertVecClose(run((G) => multiloss.mgda(G), c.G), c.mgda_fw, 2e-5, `${c.name} frank-wolfe`);
    const exact = run((G) => multiloss.mgda(G, { method: 'exact' }), c.G);
    // SLSQP stops at its own tolerance; compare the norms (the objective) tightly and the vectors loosely
    assert.ok(norm(exact) <= norm(c.mgda_exact) * (1 + 1e-6) + 1e-9, `${c.name}: exact min-norm ${norm(exact)} vs SLSQP ${norm(c.mgda_exact)}`);
    if (c.mgda_exact_converged) assertVecClose(exact, c.mgda_exact, 1e-3, `${c.name} exact`);
    // optimality of the min-norm point x of the convex hull: g_i . x >= |x|^2 for every i
    // (checked on the float64 weights: rounding x to float32 can cost more than the margin)
    const a = multiloss.mgda.weights(tf.tensor2d(c.G), { method: 'exact' });
    const x = c.G[0].map((_, k) => c.G.reduce((s, gi, i) => s + a[i] * gi[k], 0));
    const x2 = dot(x, x);
    for (const gi of c.G) assert.ok(dot(gi, x) >= x2 * (1 - 1e-9), `${c.name}: KKT g_i . x >= |x|^2`);
  });

  test(`UPGrad matches TorchJD's weighting (QP by bounded least squares): ${c.name}`, () => {
    assertVecClose(run((G) => multiloss.upgrad(G), c.G), c.upgrad, 2e-5, c.name);
    // without the regularisation (a positive definite Gram matrix) the UPGrad direction conflicts with no row
    const g = run((G) => multiloss.upgrad(G, { regEps: 0, normEps: 0 }), c.G);
    for (const gi of c.G) assert.ok(dot(gi, g) >= -1e-6 * norm(gi) * norm(g), `${c.name}: UPGrad conflicts with a row`);
  });
}

test('UPGrad with many losses (16 to 40, as in instance-wise risk minimisation): each projection meets the KKT conditions and the direction conflicts with no row', () => {
  const rng = new Rng(11);
  for (const m of [16, 24, 40]) {
    const n = 200;
    const scales = Array.from({ length: m }, () => 10 ** (2 * rng.uniform() - 1));
    // correlated rows with conflicts: a shared direction plus noise of either sign
    const common = rng.normalArray(n);
    const rows = Array.from({ length: m }, (_, i) => Array.from(rng.normalArray(n), (x, k) => Math.fround(scales[i] * (x + (i % 3 === 0 ? -0.5 : 1) * common[k]))));
    const w = multiloss.upgrad.weights(tf.tensor2d(rows), { regEps: 0, normEps: 0 });
    const g = new Float64Array(n);
    rows.forEach((r, i) => r.forEach((x, k) => { g[k] += w[i] * x; }));
    for (const r of rows) assert.ok(dot(r, g) >= -1e-9 * norm(r) * norm(g), `m = ${m}: UPGrad conflicts with a row`);
    // each row's projection v (weights) solves min v^T K v, v >= e_i / m: v >= u, K v >= 0, complementary slackness
    const K = rows.map((a) => rows.map((b) => dot(a, b)));
    const total = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      const u = new Float64Array(m);
      u[i] = 1 / m;
      const single = multiloss.upgrad.weights(tf.tensor2d(rows), { regEps: 0, normEps: 0, pref: u });
      const Kv = K.map((row) => dot(row, single));
      const kScale = Math.max(...K.map((row, j) => row[j]));
      single.forEach((v, j) => {
        assert.ok(v >= u[j] - 1e-12, `m = ${m}, row ${i}: v_${j} = ${v} below its bound ${u[j]}`);
        assert.ok(Kv[j] >= -1e-9 * kScale / m, `m = ${m}, row ${i}: multiplier (K v)_${j} = ${Kv[j]} negative`);
        assert.ok(Math.abs((v - u[j]) * Kv[j]) <= 1e-9 * kScale / m, `m = ${m}, row ${i}: complementary slackness fails at ${j}`);
      });
      single.forEach((v, j) => { total[j] += v; });
    }
    // the default preference (1/m each) sums the m single-row projections
    assertClose(w, Array.from(total), { rtol: 1e-6, atol: 1e-12 }, `m = ${m}: sum of projections`);
  }
});

test('ConFIG properties on 200 random gradient sets of 2 to 6 losses', () => {
  const rng = new Rng(7);
  for (let trial = 0; trial < 200; trial++) {
    const m = 2 + (trial % 5);
    const n = m + 1 + rng.int(30);
    const scales = Array.from({ length: m }, () => 10 ** (4 * rng.uniform() - 2));
    const rows = Array.from({ length: m }, (_, i) => Array.from(rng.normalArray(n), (x) => Math.fround(x * scales[i])));
    const w = multiloss.config.weights(tf.tensor2d(rows));
    const g = new Float64Array(n);
    rows.forEach((r, i) => r.forEach((x, k) => { g[k] += w[i] * x; }));
    const cos = rows.map((r) => dot(r, g) / (norm(r) * norm(g)));
    for (const cs of cos) {
      assert.ok(cs > 0, `trial ${trial}: cosine ${cs}`);
      assertClose(cs, cos[0], { rtol: 1e-3, atol: 1e-6 }, `trial ${trial} cosines`);
    }
    assertClose(norm(g), rows.reduce((s, r) => s + dot(r, g) / norm(g), 0), { rtol: 1e-6, atol: 0 }, `trial ${trial} length`);
  }
});

test('M-ConFIG reproduces PseudoMomentumOperator step by step (round-robin losses)', () => {
  const op = multiloss.mconfig({ losses: fx.mconfig.losses });
  fx.mconfig.grads.forEach((g, step) => {
    const idx = op.lossIndex(step);
    assert.equal(idx, step % fx.mconfig.losses);
    const out = tf.tidy(() => Array.from(op.update(idx, tf.tensor1d(g)).dataSync()));
    const expected = fx.mconfig.out[step];
    if (expected.every((x) => x === 0)) assert.ok(out.every((x) => x === 0), `step ${step}: zeros until every loss was seen`);
    else assertVecClose(out, expected, 1e-5, `step ${step}`);
  });
});

test('MultiAdam reproduces PINNacle sadam updates, and is invariant to scaling one group', () => {
  const { lr, betas, eps, grads, out } = fx.multiadam;
  const opt = multiloss.multiAdam({ lr, betas, eps });
  grads.forEach((g, step) => {
    const delta = tf.tidy(() => Array.from(opt.update(tf.tensor2d(g)).dataSync()));
    assertVecClose(delta, out[step], 1e-5, `step ${step}`);
  });
  const a = multiloss.multiAdam();
  const b = multiloss.multiAdam();
  for (const g of grads) {
    const da = a.updateHost(Float64Array.from(g.flat()), 2);
    const db = b.updateHost(Float64Array.from([...g[0].map((x) => x * 1e4), ...g[1]]), 2);
    assertClose(db, da, { rtol: 1e-6, atol: 1e-12 }, 'scaled group');
  }
});

test('learning-rate annealing follows Wang et al. (max |g_ref| / mean |g_i|, moving average 0.9)', () => {
  const agg = multiloss.lra();
  const rows = [[1, -4, 2], [0.5, 0.5, -1], [0.1, 0, 0.2]];
  const expected = [1, 1, 1].map((w, i) => (i === 0 ? 1 : 0.1 * w + 0.9 * (4 / (rows[i].reduce((s, x) => s + Math.abs(x), 0) / 3))));
  const out = tf.tidy(() => Array.from(agg.combine(tf.tensor2d(rows)).dataSync()));
  assertClose(agg.state.weights!, expected, { rtol: 1e-12 }, 'weights');
  assertClose(out, [0, 1, 2].map((k) => rows.reduce((s, r, i) => s + expected[i] * r[k], 0)), { rtol: 1e-6 }, 'direction');
});

test('GradNorm moves weight towards the loss that trains slower; NTK weights balance the traces', () => {
  const gn = multiloss.gradNorm({ alpha: 1, lr: 0.1 });
  const rows = [[1, 0], [0, 1]];
  tf.tidy(() => gn.combine(tf.tensor2d(rows), { losses: [1, 1] }));
  tf.tidy(() => gn.combine(tf.tensor2d(rows), { losses: [0.1, 1] })); // loss 0 fell tenfold, loss 1 did not
  const [w0, w1] = gn.state.weights!;
  assert.ok(w1 > w0, `the slower loss gets more weight: ${w0}, ${w1}`);
  assertClose(w0 + w1, 2, { rtol: 1e-12 }, 'weights sum to the number of losses');
  const ntk = multiloss.ntkWeights({ momentum: 0 });
  tf.tidy(() => ntk.combine(tf.tensor2d(rows), { ntkTraces: [100, 1] }));
  assertClose(ntk.state.weights!, [101 / 100, 101], { rtol: 1e-12 }, 'NTK weights');
});

test('combiners validate G and their options with clear errors', () => {
  assert.throws(() => multiloss.config(tf.tensor1d([1, 2]) as unknown as tf.Tensor2D), /multiloss\.config: G must be a 2-D tensor \[losses, parameters\], got rank 1/);
  assert.throws(() => multiloss.pcgrad(tf.tensor2d([[1, NaN], [0, 1]])), /multiloss\.pcgrad: G holds NaN in row 0 \(the gradient of loss 0\) at column 1/);
  assert.throws(() => multiloss.config([[1, 2]] as unknown as tf.Tensor2D), /G must be a tf\.Tensor2D/);
  assert.throws(() => multiloss.config(tf.tensor2d([[1, 2], [3, 4]]), { weights: [1] }), /weights must have one entry per loss \(2\), got 1/);
  assert.throws(() => multiloss.mgda(tf.tensor2d([[1, 2]]), { method: 'qp' as 'exact' }), /method must be 'frank-wolfe' or 'exact'/);
  assert.throws(() => multiloss.upgrad(tf.tensor2d([[1, 2]]), { tolerance: 1 } as object), /unknown option 'tolerance'/);
  assert.throws(() => multiloss.multiAdam({ betas: [0.9, 1] }), /betas\[1\] must be a number in \[0, 1\)/);
  assert.throws(() => multiloss.aggregator('famo' as 'sum'), /unknown method "famo"/);
  assert.throws(() => multiloss.gradNorm().combine(tf.tensor2d([[1, 2]])), /needs context\.losses/);
});

test('zero gradients and a single loss are handled', () => {
  // a zero row is ignored by ConFIG (unit vector 0), as conflictfree's nan_to_num does
  const w = multiloss.config.weights(tf.tensor2d([[0, 0, 0], [1, 2, 2]]));
  assertClose(w, [0, 1], { rtol: 1e-12, atol: 1e-12 }, 'zero row');
  assertClose(multiloss.config.weights(tf.tensor2d([[3, 4]])), [1], { rtol: 1e-12 }, 'one loss: the gradient itself');
  assertClose(multiloss.upgrad.weights(tf.tensor2d([[3, 4]])), [1], { rtol: 1e-3 }, 'one loss UPGrad');
});

test('no tensors leak', () => {
  const G = tf.tensor2d([[1, 2, 3], [-1, 0, 2]]);
  const before = tf.memory().numTensors;
  for (const name of multiloss.AGGREGATOR_NAMES) {
    const agg = multiloss.aggregator(name);
    const out = agg.combine(G, { losses: [1, 2], ntkTraces: [1, 2] });
    out.dispose();
  }
  assert.equal(tf.memory().numTensors, before);
  G.dispose();
});
