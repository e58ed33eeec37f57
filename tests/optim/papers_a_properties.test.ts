/**
 * The defining property of each method, tested directly: Grams' update has the
 * sign of the current gradient; cautious masks zero disagreeing components and
 * rescale; Lion's step is sign-valued with magnitude lr and keeps ||x||_inf <=
 * 1/wd; Lookahead's slow weights move by alpha every k steps; Schedule-Free
 * evaluates at the weighted average of z; MARS corrects with the previous
 * gradient; AdEMAMix's warm-up schedules; SPAM's spike clipping, reset and
 * warm-up; Stable-SPAM's AdaClip threshold, AdaGN norm and moment reset;
 * Ranger21's components; spike injection.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, optim } from '../../lib/index.js';
import { assertClose } from '../helpers.js';

const values = (t: tf.Tensor) => Array.from(t.dataSync());

/** Applies `grads` (arrays) one by one to a fresh variable at x0 and returns the parameter after each step. */
function trajectory(opt: optim.OptilabOptimizer, x0: number[], grads: number[][]): number[][] {
  const x = tf.variable(tf.tensor1d(x0));
  const out: number[][] = [];
  for (const g of grads) {
    const gt = tf.tensor1d(g);
    opt.applyGradients({ [x.name]: gt });
    gt.dispose();
    out.push(values(x));
  }
  x.dispose();
  opt.dispose();
  return out;
}

/** Gradients of fixed seeded values whose signs change between steps. */
function noisyGrads(steps: number, dim: number, seed = 1): number[][] {
  let s = seed;
  const uniform = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  return Array.from({ length: steps }, () => Array.from({ length: dim }, () => uniform() * 2 - 1));
}

test('Grams: every component of every update has the sign of the current gradient (Adam does not)', () => {
  const grads = noisyGrads(15, 40);
  const x0 = Array(40).fill(0.3);
  const check = (traj: number[][]) => {
    let prev = x0;
    let violations = 0;
    traj.forEach((x, t) => {
      x.forEach((v, i) => {
        const d = v - prev[i];
        if (grads[t][i] !== 0 && Math.sign(d) !== -Math.sign(grads[t][i])) violations++;
      });
      prev = x;
    });
    return violations;
  };
  assert.equal(check(trajectory(optim.grams({ lr: 0.01 }), x0, grads)), 0);
  assert.ok(check(trajectory(optim.adam({ lr: 0.01 }), x0, grads)) > 10, 'the gradient sequence should make Adam move against some gradients');
});

test('cautious: components whose sign disagrees with the input are zeroed, the rest rescaled (mean, count, none)', () => {
  // an inner transformation with a fixed direction, to see the mask alone
  const d = [1, -2, 3, -4, 5];
  const fixed: optim.GradientTransformation = { init: () => ({}), update: (u, state) => ({ updates: optim.tree.map((x) => tf.tensor1d(d), u), state }) };
  const g = tf.tensor1d([1, 1, 1, 1, -1]); // agrees with d at 0 and 2 only
  const run = (normalize: 'mean' | 'count' | 'none') => values(optim.runUpdate(optim.cautious(fixed, { normalize }), g, {}).updates as tf.Tensor);
  assertClose(run('mean'), [1 / 0.4, 0, 3 / 0.4, 0, 0], { rtol: 1e-6 });
  assertClose(run('count'), [5 / 3, 0, 5, 0, 0], { rtol: 1e-6 });
  assertClose(run('none'), [1, 0, 3, 0, 0], { rtol: 1e-6 });
  g.dispose();
});

test('adamw({cautious: true}): where the momentum opposes the new gradient nothing moves; elsewhere 1/mean(mask) times AdamW', () => {
  const grads = [[1, 1, 1, 1], [-0.1, 0.1, -0.1, 0.1]];
  const x0 = [0, 0, 0, 0];
  const c = trajectory(optim.adamw({ lr: 0.1, weightDecay: 0, cautious: true }), x0, grads);
  const p = trajectory(optim.adamw({ lr: 0.1, weightDecay: 0 }), x0, grads);
  const dc = c[1].map((v, i) => v - c[0][i]);
  const dp = p[1].map((v, i) => v - p[0][i]);
  assert.equal(dc[0], 0);
  assert.equal(dc[2], 0);
  assertClose([dc[1], dc[3]], [2 * dp[1], 2 * dp[3]], { rtol: 1e-5 });
});

test('cautiousOptimizer: any optimizer; no component moves along the gradient', () => {
  const grads = noisyGrads(12, 30, 7);
  const traj = trajectory(optim.cautiousOptimizer(optim.sgd({ lr: 0.05, momentum: 0.9 })), Array(30).fill(0), grads);
  let prev = Array(30).fill(0);
  traj.forEach((x, t) => {
    x.forEach((v, i) => assert.ok((v - prev[i]) * grads[t][i] <= 0, `step ${t + 1}, component ${i} moved along the gradient`));
    prev = x;
  });
});

test('Lion: the update is sign-valued with magnitude lr; with weight decay p <- p (1 - lr wd) - lr sign', () => {
  const grads = noisyGrads(10, 25, 3);
  const lr = 0.0625;
  let prev = Array(25).fill(0.5);
  for (const x of trajectory(optim.lion({ lr }), prev, grads)) {
    x.forEach((v, i) => assert.ok(Math.abs(Math.abs(v - prev[i]) - lr) < 1e-7, `|step| = ${Math.abs(v - prev[i])}`));
    prev = x;
  }
  prev = Array(25).fill(0.5);
  for (const x of trajectory(optim.lion({ lr, weightDecay: 2 }), prev, grads)) {
    x.forEach((v, i) => assert.ok(Math.abs(Math.abs(v - prev[i] * (1 - lr * 2)) - lr) < 1e-6));
    prev = x;
  }
  // Lion-K with K = ||.||_2: the step has norm lr per tensor
  prev = Array(25).fill(0.5);
  for (const x of trajectory(optim.lion({ lr, kappa: 'l2' }), prev, grads)) {
    assert.ok(Math.abs(Math.hypot(...x.map((v, i) => v - prev[i])) - lr) < 1e-6);
    prev = x;
  }
});

test('Lion with weight decay wd solves the box-constrained problem ||x||_inf <= 1/wd', () => {
  // f(x) = 0.5 ||x - c||^2 with c outside the box [-2, 2]^4 in two coordinates
  const c = tf.tensor1d([5, -0.5, 1, -7]);
  const x = tf.variable(tf.tensor1d([8, 8, -8, 0]));
  const f = () => tf.tidy(() => tf.mul(0.5, tf.sum(tf.square(tf.sub(x, c)))) as tf.Scalar);
  const wd = 0.5;
  const lr = optim.schedules.cosineDecay({ initValue: 0.05, decaySteps: 1500, alpha: 0.01 });
  const opt = optim.lion({ lr, weightDecay: wd });
  // float32 rounding puts the fixed point x = x (1 - lr wd) + lr a few ulps off 1/wd
  const bound = (1 / wd) * (1 + 1e-5);
  let entered = -1;
  for (let i = 0; i < 1500; i++) {
    opt.step(f, [x]);
    const inf = Math.max(...values(x).map(Math.abs));
    if (entered < 0 && inf <= bound) entered = i;
    if (entered >= 0) assert.ok(inf <= bound, `left the box at step ${i + 1}: ${inf}`);
  }
  assert.ok(entered > 0, 'never entered the box');
  assertClose(values(x), [2, -0.5, 1, -2], { atol: 2e-3 }); // the projection of c onto the box
  opt.dispose();
  tf.dispose([c, x]);
});

test('Lookahead: every k steps the slow weights move by alpha toward the fast ones; the evaluation point is the slow weights', () => {
  // inner SGD on f = x^2/2: the fast weights shrink by (1 - lr) per step
  const x = tf.variable(tf.scalar(1));
  const opt = optim.lookahead(optim.sgd({ lr: 0.1 }), { k: 3, alpha: 0.5 });
  let fast = 1;
  let slow = 1;
  for (let t = 1; t <= 9; t++) {
    opt.step(() => tf.mul(0.5, tf.square(x)) as tf.Scalar, [x]);
    fast *= 0.9;
    if (t % 3 === 0) {
      slow += 0.5 * (fast - slow);
      fast = slow;
    }
    assertClose(x.dataSync()[0], fast, { rtol: 1e-6 }, `fast weights at step ${t}`);
    assertClose(opt.withEvalParams(() => x.dataSync()[0]), slow, { rtol: 1e-6 }, `slow weights at step ${t}`);
  }
  opt.dispose();
  x.dispose();
});

test('Schedule-Free: the evaluation point x is the lr_max^2-weighted average of the z iterates and y = b x + (1-b) z', () => {
  for (const [name, opt] of [
    ['uniform weights', optim.scheduleFreeSgd({ lr: 0.2, momentum: 0.8, weightLrPower: 0 })],
    ['warm-up weights', optim.scheduleFreeAdamw({ lr: 0.1, warmupSteps: 4 })],
  ] as Array<[string, optim.TransformOptimizer]>) {
    const x = tf.variable(tf.tensor1d([2, -1, 0.5]));
    const f = () => tf.tidy(() => tf.sum(tf.mul(tf.tensor1d([1, 3, 0.5]), tf.square(tf.sub(x, 0.3)))) as tf.Scalar);
    const zs: number[][] = [];
    const ws: number[] = [];
    let lrMax = -1;
    for (let k = 0; k < 10; k++) {
      opt.step(f, [x]);
      const state = opt.transformState as { z: Record<string, tf.Tensor> };
      zs.push(values(state.z[x.name]));
      const lrK = name === 'uniform weights' ? 0.2 : 0.1 * Math.min(1, (k + 1) / 4);
      lrMax = Math.max(lrMax, lrK);
      ws.push(name === 'uniform weights' ? 1 : lrMax ** 2);
      const W = ws.reduce((a, b) => a + b, 0);
      const avg = [0, 1, 2].map((i) => zs.reduce((s, z, j) => s + ws[j] * z[i], 0) / W);
      const atEval = opt.withEvalParams(() => values(x));
      assertClose(atEval, avg, { rtol: 1e-5, atol: 1e-6 }, `${name}: evaluation point after step ${k + 1}`);
      const b = name === 'uniform weights' ? 0.8 : 0.9;
      assertClose(values(x), avg.map((a, i) => b * a + (1 - b) * zs[k][i]), { rtol: 1e-5, atol: 1e-6 }, `${name}: y after step ${k + 1}`);
    }
    opt.dispose();
    x.dispose();
  }
});

test('MARS: the corrected gradient c = g + gamma b1/(1-b1) (g - g_prev) uses the previous gradient, or extra.previousGrads', () => {
  const b1 = 0.9, gamma = 0.5;
  const coef = (gamma * b1) / (1 - b1);
  const tx = optim.scaleByMars({ b1, gamma, optimize1d: true });
  const p = tf.tensor1d([0, 0, 0]);
  const g1 = tf.tensor1d([0.1, -0.2, 0.05]);
  const g2 = tf.tensor1d([-0.05, 0.1, 0.02]);
  const h = tf.tensor1d([0.01, 0.01, 0.01]);
  let state = optim.initState(tx, p);
  let r = optim.runUpdate(tx, g1, state, p);
  tf.dispose(r.updates);
  state = r.state;
  // g_prev = 0 at the first step: c = (1 + coef) g, then clipped to norm 1
  const c1 = [0.1, -0.2, 0.05].map((g) => (1 + coef) * g);
  const n1 = Math.hypot(...c1);
  assert.ok(n1 > 1, 'the first corrected gradient should be clipped');
  const m1 = c1.map((c) => ((1 - b1) * c) / n1);
  assertClose(values(state.mu as tf.Tensor), m1, { rtol: 1e-5 });
  const c2 = [-0.05, 0.1, 0.02].map((g, i) => g + coef * (g - [0.1, -0.2, 0.05][i]));
  const norm = Math.hypot(...c2);
  const c2c = norm > 1 ? c2.map((c) => c / norm) : c2;
  const saved = optim.initState(tx, p); // for the exact variant below
  r = optim.runUpdate(tx, g2, state, p);
  assertClose(values(r.state.mu as tf.Tensor), m1.map((m, i) => b1 * m + (1 - b1) * c2c[i]), { rtol: 1e-5 });
  tf.dispose(r.updates);
  optim.disposeState(r.state);
  // exact MARS: the gradient at the previous parameters on this batch replaces g_prev
  const r0 = optim.runUpdate(tx, g2, saved, p, { previousGrads: h });
  const c = [-0.05, 0.1, 0.02].map((g, i) => g + coef * (g - 0.01));
  const n = Math.hypot(...c);
  assertClose(values(r0.state.mu as tf.Tensor), c.map((v) => ((1 - b1) * v) / Math.max(1, n)), { rtol: 1e-5 });
  tf.dispose(r0.updates);
  optim.disposeState(r0.state);
  tf.dispose([p, g1, g2, h]);
});

test('AdEMAMix: alpha warms up linearly, beta3 along the half-life, and the slow EMA uses beta3(t)', () => {
  const [b1, b3, T, alpha] = [0.9, 0.9999, 100, 5];
  assert.equal(optim.alphaAt(0, alpha, T), 0);
  assert.equal(optim.alphaAt(50, alpha, T), 2.5);
  assert.equal(optim.alphaAt(100, alpha, T), alpha);
  assert.equal(optim.alphaAt(3, alpha), alpha);
  const halfLife = (b: number) => Math.log(0.5) / Math.log(b + 1e-8) - 1; // the official f, with its 1e-8
  assertClose(optim.beta3At(0, b3, b1, T), b1, { rtol: 1e-6 });
  assert.equal(optim.beta3At(T, b3, b1, T), b3);
  for (const t of [10, 40, 70]) {
    // (f is inverted without the 1e-8, hence the looser tolerance)
    assertClose(halfLife(optim.beta3At(t, b3, b1, T)), halfLife(b1) + (t / T) * (halfLife(b3) - halfLife(b1)), { rtol: 1e-4 });
  }
  const tx = optim.scaleByAdemamix({ b1, b3, alpha, alphaWarmup: T, beta3Warmup: T });
  const p = tf.tensor1d([0]);
  let state = optim.initState(tx, p);
  let slow = 0;
  for (const [t, g] of [[1, 1], [2, -0.5], [3, 2]]) {
    const gt = tf.tensor1d([g]);
    const r = optim.runUpdate(tx, gt, state, p);
    state = r.state;
    const beta3 = optim.beta3At(t, b3, b1, T);
    slow = beta3 * slow + (1 - beta3) * g;
    assertClose(values(state.slow as tf.Tensor), [slow], { rtol: 1e-5 });
    tf.dispose([gt, r.updates]);
  }
  optim.disposeState(state);
  p.dispose();
});

test('SPAM: spikes are clipped to sign(g) sqrt(theta v) before entering the moments (not a no-op)', () => {
  const tx = optim.scaleBySpam({ threshold: 5000, resetInterval: 0, gradAccuSteps: 2 });
  const p = tf.tensor1d([0, 0]);
  let state = optim.initState(tx, p);
  for (const g of [[1, -1], [1000, -1]]) {
    const gt = tf.tensor1d(g);
    const r = optim.runUpdate(tx, gt, state, p);
    state = r.state;
    tf.dispose([gt, r.updates]);
  }
  const v1 = 0.001;
  const clipped = Math.sqrt(5000 * v1); // 2.24: the 1000 is clipped, the -1 is not
  assertClose(values(state.nu as tf.Tensor), [0.999 * v1 + 0.001 * clipped ** 2, 0.999 * v1 + 0.001], { rtol: 1e-4 });
  assertClose(values(state.mu as tf.Tensor), [0.9 * 0.1 + 0.1 * clipped, 0.9 * -0.1 + 0.1 * -1], { rtol: 1e-5 });
  optim.disposeState(state);
  p.dispose();
});

test('SPAM: moments reset every resetInterval steps, followed by the cosine warm-up of the step size', () => {
  const lr = 0.1;
  const interval = 4;
  const opt = optim.spam({ lr, resetInterval: interval, warmupSteps: 3, gradAccuSteps: 100 });
  const grads = [[1], [2], [0.5], [3], [1]];
  const traj = trajectory(opt, [0], grads);
  // step 4 is a reset: m = (1-b1) g, v = (1-b2) g^2, bias corrections at t = 4, warm-up factor 0.01
  const [b1, b2, eps] = [0.9, 0.999, 1e-6];
  const m = (1 - b1) * 3;
  const v = (1 - b2) * 9;
  const expected = -lr * optim.spamWarmupFactor(0, 3) * (Math.sqrt(1 - b2 ** 4) / (1 - b1 ** 4)) * (m / (Math.sqrt(v) + eps));
  assertClose(traj[3][0] - traj[2][0], expected, { rtol: 1e-4 });
  assertClose(optim.spamWarmupFactor(0, 3), 0.01, { rtol: 1e-12 });
  assert.equal(optim.spamWarmupFactor(3, 3), 1);
});

test('Stable-SPAM: the AdaClip threshold is the bias-corrected EMA of max|g|; entries above it are scaled to it', () => {
  const g3 = 0.9;
  let ema = 0;
  let stats: { maxEma: tf.Tensor; normEma: tf.Tensor; normSqEma: tf.Tensor } = { maxEma: tf.scalar(0), normEma: tf.scalar(0), normSqEma: tf.scalar(0) };
  const maxima = [1, 2, 50, 1];
  maxima.forEach((M, i) => {
    const k = i + 1;
    const g = tf.tensor1d([M, -0.5 * M, 0.25, M / 3]);
    const r = optim.stableSpamGradient(g, stats, k, { g1: 0.7, g2: 0.9, g3, eps: 1e-8 });
    ema = g3 * ema + (1 - g3) * M;
    assertClose(r.maxEma.dataSync()[0], ema, { rtol: 1e-5 });
    // AdaGN: ||g|| after normalisation is the bias-corrected EMA ratio of the clipped norms
    tf.dispose([stats.maxEma, stats.normEma, stats.normSqEma]);
    stats = { maxEma: r.maxEma, normEma: r.normEma, normSqEma: r.normSqEma };
    const mHat = r.normEma.dataSync()[0] / (1 - 0.7 ** k);
    const vHat = r.normSqEma.dataSync()[0] / (1 - 0.9 ** k);
    assertClose(tf.norm(r.g).dataSync()[0], mHat / (Math.sqrt(vHat) + 1e-8), { rtol: 1e-4 });
    tf.dispose([g, r.g]);
  });
  // the spike at step 3 (50 against a threshold ~ 15): the clipped vector has max entry equal to the threshold
  const threshold = (0.9 * (0.9 * 0.1 + 0.1 * 2) + 0.1 * 50) / (1 - 0.9 ** 3);
  const g = tf.tensor1d([50, -25, 0.25, 50 / 3]);
  const noStats = { maxEma: tf.scalar((0.9 * 0.1 + 0.1 * 2)), normEma: tf.scalar(0), normSqEma: tf.scalar(0) };
  const r = optim.stableSpamGradient(g, noStats, 3, { g1: 0.7, g2: 0.9, g3, eps: 1e-8 });
  const clippedNorm = Math.hypot(threshold, 25 * threshold / 50, 0.25, 50 / 3);
  // after AdaGN the direction is that of the clipped vector
  const dir = values(r.g).map((v) => v / Math.hypot(...values(r.g)));
  assertClose(dir, [threshold, -25 * threshold / 50, 0.25, 50 / 3].map((v) => v / clippedNorm), { rtol: 1e-4 });
  tf.dispose([g, r.g, r.maxEma, r.normEma, r.normSqEma, noStats.maxEma, noStats.normEma, noStats.normSqEma]);
  tf.dispose([stats.maxEma, stats.normEma, stats.normSqEma]);
});

test("Stable-SPAM: a reset zeroes the moments (after the step for 'official', before it for 'immediate') and restarts k", () => {
  for (const reset of ['official', 'immediate'] as const) {
    const tx = optim.scaleByStableSpam({ resetInterval: 3, reset });
    const p = tf.tensor1d([0, 0]);
    let state = optim.initState(tx, p);
    for (let t = 1; t <= 3; t++) {
      const g = tf.tensor1d([t, -1]);
      const r = optim.runUpdate(tx, g, state, p);
      state = r.state;
      tf.dispose([g, r.updates]);
    }
    assert.equal(state.k, 1);
    const mu = values(state.mu as tf.Tensor);
    if (reset === 'official') assert.deepEqual(mu, [0, 0]);
    else assert.ok(mu.every((m) => m !== 0), `immediate reset keeps this step's moment, got ${mu}`);
    optim.disposeState(state);
    p.dispose();
  }
});

test('Ranger21 components: centralization, normalization, positive-negative momentum parity, warm-up and warm-down', () => {
  const g = tf.tensor2d([[1, 2, 3], [4, 8, 0]]); // TF.js layout [in, out]: channels are columns
  const gc = values(optim.runUpdate(optim.centralizeGradient(), g, {}).updates as tf.Tensor);
  assertClose(gc, [-1.5, -3, 1.5, 1.5, 3, -1.5], { rtol: 1e-6 });
  const gcTorch = values(optim.runUpdate(optim.centralizeGradient({ channelAxis: 0 }), g, {}).updates as tf.Tensor);
  assertClose(gcTorch, [-1, 0, 1, 0, 4, -4], { rtol: 1e-6 });
  const gn = values(optim.runUpdate(optim.normalizeGradient(), g, {}).updates as tf.Tensor);
  const mean = gn.reduce((a, b) => a + b, 0) / gn.length;
  assertClose(Math.sqrt(gn.reduce((s, v) => s + (v - mean) ** 2, 0) / (gn.length - 1)), 1, { rtol: 1e-6 });
  g.dispose();
  // schedule: 100 steps, warm-up 22 (ceil(2/(1-0.999)) = 2000 is over 45 % of the run), warm-down from step 72
  const o = { lr: 1, numIterations: 100, warmup: true, numWarmupIterations: optim.ranger21WarmupIterations(100, 0.999), b2: 0.999, warmdown: true, warmdownStartPct: 0.72, warmdownMinLr: 0.01 };
  assert.equal(o.numWarmupIterations, 22);
  assertClose(optim.ranger21Lr(11, o), 0.5, { rtol: 1e-12 });
  assert.equal(optim.ranger21Lr(50, o), 1);
  assertClose(optim.ranger21Lr(72, o), 1 - 0.99 / 29, { rtol: 1e-12 });
  assertClose(optim.ranger21Lr(100, o), 0.01, { rtol: 1e-9 });
  // PNM: odd steps update m_A, even steps m_B
  const tx = optim.scaleByRanger21({ lr: () => 0.1, weightDecay: 0, normLoss: 0 });
  const p = tf.tensor1d([0, 0]);
  let state = optim.initState(tx, p);
  const seen: Array<[number[], number[]]> = [];
  for (const gv of [[1, 1], [2, 2], [3, 3]]) {
    const gt = tf.tensor1d(gv);
    const r = optim.runUpdate(tx, gt, state, p);
    state = r.state;
    seen.push([values(state.momA as tf.Tensor), values(state.momB as tf.Tensor)]);
    tf.dispose([gt, r.updates]);
  }
  const b = 0.81; // b1^2
  assertClose(seen[0][0], [(1 - b) * 1, (1 - b) * 1], { rtol: 1e-6 });
  assert.deepEqual(seen[0][1], [0, 0]);
  assertClose(seen[1][1], [(1 - b) * 2, (1 - b) * 2], { rtol: 1e-6 });
  assertClose(seen[2][0], [b * (1 - b) + (1 - b) * 3, b * (1 - b) + (1 - b) * 3], { rtol: 1e-6 });
  optim.disposeState(state);
  p.dispose();
});

test('injectSpikes: the same steps and components for a seed; the chosen share of components multiplied by scale', () => {
  assert.equal(optim.isSpikeStep({ every: 10 }, 10), true);
  assert.equal(optim.isSpikeStep({ every: 10 }, 15), false);
  assert.equal(optim.isSpikeStep({ every: 10, start: 5 }, 15), true);
  assert.equal(optim.isSpikeStep({ steps: [3, 7] }, 7), true);
  const hits = Array.from({ length: 2000 }, (_, i) => optim.isSpikeStep({ probability: 0.1, seed: 4 }, i + 1)).filter(Boolean).length;
  assert.ok(hits > 150 && hits < 250, `${hits} spike steps of 2000 at probability 0.1`);
  const spike = (seed: number) => {
    const tx = optim.injectSpikes({ steps: [2], scale: 100, fraction: 0.25, seed });
    const g = tf.ones([400]);
    let state = optim.initState(tx, g);
    const out: number[][] = [];
    for (let t = 0; t < 3; t++) {
      const r = optim.runUpdate(tx, g, state, g);
      state = r.state;
      out.push(values(r.updates as tf.Tensor));
      tf.dispose(r.updates as tf.Tensor);
    }
    g.dispose();
    return out;
  };
  const a = spike(1);
  assert.ok(a[0].every((v) => v === 1) && a[2].every((v) => v === 1));
  assert.ok(a[1].every((v) => v === 1 || v === 100));
  const share = a[1].filter((v) => v === 100).length / 400;
  assert.ok(share > 0.18 && share < 0.32, `spiked share ${share}`);
  assert.deepEqual(spike(1)[1], a[1]);
  assert.notDeepEqual(spike(2)[1], a[1]);
  assert.throws(() => optim.injectSpikes({ every: 10, steps: [1] }), /injectSpikes: give exactly one of steps, every or probability/);
});
