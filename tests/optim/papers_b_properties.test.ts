/**
 * The defining property of each optimizer of the second paper batch, tested
 * directly, plus convergence on quadratics (f* = 0 known, as the Polyak-type
 * methods need) and Rosenbrock's function.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, optim, games } from '../../lib/index.js';
import { OPTIMIZERS_B, createB } from './papers_b_catalog.js';
import { rosenbrockLoss } from './problems.js';

const vals = (t: tf.Tensor) => Array.from(t.dataSync());
const close = (a: number, b: number, rtol = 1e-4, atol = 1e-6) => Math.abs(a - b) <= atol + rtol * Math.abs(b);

/** f(x) = sum_i lam_i (x_i - c_i)^2, minimum 0 at c. */
function quadratic(lam: number[], c: number[], scale = 1) {
  const L = tf.keep(tf.tensor1d(lam.map((l) => l * scale)));
  const C = tf.keep(tf.tensor1d(c));
  const x = tf.variable(tf.zeros([lam.length]));
  const f = () => tf.tidy(() => tf.sum(tf.mul(L, tf.square(tf.sub(x, C)))) as tf.Scalar);
  return { x, f, dispose: () => tf.dispose([L, C, x]) };
}

for (const name of Object.keys(OPTIMIZERS_B)) {
  test(`${name}: reduces a quadratic with known minimum 0 by 100x within 1000 steps`, () => {
    // Gravity's step peaks at |g| = 1 / max|g| and vanishes for large gradients, so it gets gradients below 1
    const q = quadratic([1, 2, 5, 10], [1, -2, 0.5, 3], name === 'gravity' ? 0.01 : 1);
    const opt = createB(name);
    const f0 = q.f().dataSync()[0];
    let f = f0;
    for (let i = 0; i < 1000 && f > 1e-2 * f0; i++) f = opt.step(q.f, [q.x]);
    assert.ok(f <= 1e-2 * f0, `${name}: loss ${f} after 1000 steps from ${f0}`);
    opt.dispose();
    q.dispose();
  });
}

test('Polyak-type and parameter-free methods solve Rosenbrock from (-1.5, 2) to 1e-6 in 3000 steps', () => {
  for (const name of ['momo', 'momoAdam', 'polyakSgd', 'polyakMomentum', 'sania', 'adog']) {
    const xy = tf.variable(tf.tensor1d([-1.5, 2]));
    const f = rosenbrockLoss(xy);
    const opt = createB(name);
    let v = Infinity;
    for (let i = 0; i < 3000 && v > 1e-6; i++) v = opt.step(f, [xy]);
    assert.ok(v <= 1e-6, `${name}: Rosenbrock ${v} at ${vals(xy)}`);
    opt.dispose();
    xy.dispose();
  }
});

test("DoG's step size is max distance from the start over the root of the summed squared gradient norms", () => {
  const q = quadratic([1, 3], [2, -1]);
  const w = tf.variable(tf.tensor1d([0.5]));
  const f = () => tf.tidy(() => tf.add(q.f(), tf.sum(tf.square(tf.sub(w, 4)))) as tf.Scalar);
  const opt = optim.dog({ repsRel: 1e-3 });
  const x0 = [...vals(q.x), ...vals(w)];
  let rbar = 1e-3 * (1 + Math.hypot(...x0));
  let G = 1e-8;
  for (let t = 0; t < 15; t++) {
    const before = [...vals(q.x), ...vals(w)];
    const { grads, value } = tf.variableGrads(f, [q.x, w]);
    const g = [...vals(grads[q.x.name]), ...vals(grads[w.name])];
    rbar = Math.max(rbar, Math.hypot(...before.map((b, i) => b - x0[i])));
    G += g.reduce((s, x) => s + x * x, 0);
    const eta = rbar / Math.sqrt(G);
    opt.applyGradients(grads, { value });
    tf.dispose([value, ...Object.values(grads)]);
    const after = [...vals(q.x), ...vals(w)];
    after.forEach((a, i) => assert.ok(close(before[i] - a, eta * g[i], 1e-3, 1e-7), `step ${t}, entry ${i}: moved ${before[i] - a}, expected ${eta * g[i]}`));
  }
  opt.dispose();
  q.dispose();
  w.dispose();
});

test("L-DoG keeps one step size per tensor; DoG's averaging exposes the polynomial-decay average", () => {
  const a = tf.variable(tf.tensor1d([1, 1]));
  const b = tf.variable(tf.tensor1d([100]));
  const f = () => tf.tidy(() => tf.add(tf.sum(tf.square(a)), tf.sum(tf.square(tf.sub(b, 90)))) as tf.Scalar);
  const opt = optim.ldog({ repsRel: 1e-2 });
  opt.step(f, [a, b]);
  // first steps: r_eps / |g| per tensor, so each tensor moves by repsRel (1 + ||x0_tensor||)
  assert.ok(close(Math.hypot(...vals(a).map((v) => 1 - v)), 1e-2 * (1 + Math.SQRT2), 1e-3));
  assert.ok(close(Math.abs(100 - vals(b)[0]), 1e-2 * 101, 1e-3));
  opt.dispose();
  const avg = optim.dog({ averaging: { gamma: 0 } });
  const seen: number[][] = [];
  for (let i = 0; i < 5; i++) {
    avg.step(f, [a, b]);
    seen.push([...vals(a), ...vals(b)]);
  }
  const mean = seen[0].map((_, j) => seen.reduce((s, r) => s + r[j], 0) / seen.length);
  const ev = avg.withEvalParams(() => [...vals(a), ...vals(b)]);
  ev.forEach((v, j) => assert.ok(close(v, mean[j], 1e-5), `uniform average entry ${j}: ${v} vs ${mean[j]}`));
  assert.deepEqual([...vals(a), ...vals(b)], seen[4], 'withEvalParams restores the trained weights');
  avg.dispose();
  tf.dispose([a, b]);
});

test("MoMo's step is the learning rate capped by the model's Polyak step, and it uses the loss", () => {
  // f = 0.5 ||x||^2: at the first step the model step is f / ||g||^2 = 1/2, so x1 = x0 / 2 when lr >= 1/2
  const run = (lr: number, value?: number) => {
    const x = tf.variable(tf.tensor1d([2, -4]));
    const opt = optim.momo({ lr });
    const { grads, value: v } = tf.variableGrads(() => tf.mul(0.5, tf.sum(tf.square(x))) as tf.Scalar, [x]);
    const passed = value === undefined ? v : tf.scalar(value);
    opt.applyGradients(grads, { value: passed });
    const out = vals(x);
    tf.dispose([x, v, passed, ...Object.values(grads)]);
    opt.dispose();
    return out;
  };
  assert.deepEqual(run(10).map((v) => +v.toFixed(5)), [1, -2], 'Polyak-capped step');
  assert.deepEqual(run(0.1).map((v) => +v.toFixed(5)), [1.8, -3.6], 'plain lr step when lr is below the Polyak step');
  const lower = run(10, 2.5); // f passed as 2.5 instead of 10: tau = 2.5 / 20
  assert.deepEqual(lower.map((v) => +v.toFixed(5)), [1.75, -3.5], 'the step follows the loss value it is given');
  const x = tf.variable(tf.tensor1d([1]));
  const opt = optim.momo();
  assert.throws(() => opt.applyGradients({ [x.name]: tf.tensor1d([1]) }), /momo: this optimizer needs the loss value/);
  opt.dispose();
  x.dispose();
});

test('MoMo-Adam takes the Polyak step in the Adam metric when the lr cap is large', () => {
  const x = tf.variable(tf.tensor1d([2, -4]));
  const opt = optim.momoAdam({ lr: 100 });
  opt.step(() => tf.mul(0.5, tf.sum(tf.square(x))) as tf.Scalar, [x]);
  // step 1: d = 0.1 g, D = |g| + eps, f_bar = 0.1 f, gamma = 0.1 <g, x>, h = 0.1 f; tau = h / sum(d^2 / D) = 0.1 f / (0.01 sum |g|) = 10 f / sum|g|
  const f = 10;
  const tau = (10 * f) / 6;
  const expect = [2 - (tau * 0.1 * 2) / 2, -4 - (tau * 0.1 * -4) / 4];
  vals(x).forEach((v, i) => assert.ok(close(v, expect[i], 1e-4), `entry ${i}: ${v} vs ${expect[i]}`));
  opt.dispose();
  x.dispose();
});

test('Polyak momentum (ALR-SMAG) reaches 1e-8 on an ill-conditioned quadratic for every beta in {0, 0.5, 0.9}', () => {
  for (const beta of [0, 0.5, 0.9]) {
    const lam = Array.from({ length: 10 }, (_, i) => 100 ** (i / 9));
    const q = quadratic(lam, lam.map(() => 1));
    const opt = optim.polyakMomentum({ beta, lr: Infinity });
    let f = Infinity;
    for (let i = 0; i < 1500 && f > 1e-8; i++) f = opt.step(q.f, [q.x]);
    assert.ok(f <= 1e-8, `beta ${beta}: ${f}`);
    opt.dispose();
    q.dispose();
  }
});

test('SANIA is invariant to rescaling the features; Adam is not', () => {
  // logistic loss on fixed data; scaling column j by s_j and the weight by 1/s_j leaves the model unchanged
  const X = [[1, 2, -1], [0.5, -1, 2], [-2, 0.3, 1], [1.5, 1, 0.2], [-0.7, -2, -1]];
  const y = [1, 0, 1, 1, 0];
  const s = [1e-3, 1, 1e3];
  const run = (make: () => optim.TransformOptimizer, scaled: boolean) => {
    const Xs = tf.tensor2d(scaled ? X.map((r) => r.map((v, j) => v * s[j])) : X);
    const Y = tf.tensor1d(y);
    const w = tf.variable(tf.tensor1d(scaled ? [0.3 / s[0], -0.2 / s[1], 0.1 / s[2]] : [0.3, -0.2, 0.1]));
    const f = () =>
      tf.tidy(() => {
        const z = tf.squeeze(tf.matMul(Xs, tf.reshape(w, [3, 1])), [1]);
        return tf.mean(tf.sub(tf.softplus(z), tf.mul(Y, z))) as tf.Scalar;
      });
    const opt = make();
    const losses = Array.from({ length: 15 }, () => opt.step(f, [w]));
    opt.dispose();
    tf.dispose([Xs, Y, w]);
    return losses;
  };
  const sania = () => optim.sania({ eps: 1e-30 });
  const a = run(sania, false);
  const b = run(sania, true);
  a.forEach((v, i) => assert.ok(close(b[i], v, 1e-3), `SANIA step ${i}: ${b[i]} vs ${v}`));
  const adam = () => optim.adam({ lr: 0.1 });
  const c = run(adam, false);
  const d = run(adam, true);
  assert.ok(Math.abs(c[14] - d[14]) > 1e-2, `Adam should depend on the scaling: ${c[14]} vs ${d[14]}`);
});

test('Complex momentum converges on a bilinear game where gradient descent-ascent and positive momentum diverge', () => {
  const final = (make: () => optim.TransformOptimizer) => {
    const g = games.bilinear({ dim: 10, seed: 3 });
    const d0 = g.distanceToEquilibrium();
    const r = games.play(g, [make(), make()], { steps: 600, order: 'simultaneous' });
    const d = r.diverged ? Infinity : g.distanceToEquilibrium() / d0;
    g.dispose();
    return d;
  };
  const complex = final(() => optim.complexMomentum({ lr: 0.03 }));
  const gda = final(() => optim.sgd({ lr: 0.03 }));
  const positive = final(() => optim.sgd({ lr: 0.03, momentum: 0.9 }));
  assert.ok(complex < 0.1, `complex momentum: distance ratio ${complex}`);
  assert.ok(gda > 1, `GDA: distance ratio ${gda}`);
  assert.ok(positive > 1, `positive momentum: distance ratio ${positive}`);
});

test('complex momentum with a real beta is heavy-ball momentum', () => {
  const a = quadratic([1, 4], [1, 1]);
  const b = quadratic([1, 4], [1, 1]);
  const cm = optim.complexMomentum({ lr: 0.05, beta: { re: 0.7, im: 0 } });
  const hb = optim.sgd({ lr: 0.05, momentum: 0.7 });
  for (let i = 0; i < 10; i++) {
    cm.step(a.f, [a.x]);
    hb.step(b.f, [b.x]);
  }
  vals(a.x).forEach((v, i) => assert.ok(close(v, vals(b.x)[i], 1e-5)));
  [cm, hb].forEach((o) => o.dispose());
  [a, b].forEach((q) => q.dispose());
});

test("Optimistic AMSGrad: the variables are the AMSGrad half-step plus the extrapolation with the guessed gradient", () => {
  const q = quadratic([1, 3], [1, -1]);
  const lr = 0.1;
  const opt = optim.optimisticAmsgrad({ lr, predictor: 'last' });
  let theta = [0, 0];
  let v = [0, 0];
  let vhat = [0, 0];
  let half = vals(q.x);
  for (let t = 0; t < 8; t++) {
    const { grads, value } = tf.variableGrads(q.f, [q.x]);
    const g = vals(grads[q.x.name]);
    opt.applyGradients(grads, { value });
    tf.dispose([value, ...Object.values(grads)]);
    theta = theta.map((m, i) => 0.9 * m + 0.1 * g[i]);
    v = v.map((s, i) => 0.999 * s + 0.001 * g[i] * g[i]);
    vhat = vhat.map((s, i) => Math.max(s, v[i]));
    const den = vhat.map((s) => Math.sqrt(s) + 1e-8);
    half = half.map((h, i) => h - (lr * theta[i]) / den[i]);
    const next = half.map((h, i) => h - (lr * (0.9 * theta[i] + 0.1 * g[i])) / den[i]);
    vals(q.x).forEach((x, i) => assert.ok(close(x, next[i], 1e-4, 1e-6), `step ${t} entry ${i}: ${x} vs ${next[i]}`));
  }
  opt.dispose();
  q.dispose();
});

test('RNA predicts the limit of a linearly converging gradient sequence', () => {
  // g_k = r^k v: the extrapolated limit is 0
  const seq = [0, 1, 2, 3].map((k) => tf.tensor1d([0.5 ** k * 3, 0.5 ** k * -1]));
  const c = optim.rnaCoefficients(seq, 1e-10)!;
  const guess = [0, 1].map((j) => c.reduce((s, ci, i) => s + ci * vals(seq[i + 1])[j], 0));
  guess.forEach((v) => assert.ok(Math.abs(v) < 1e-3, `guess ${guess}`));
  tf.dispose(seq);
});

test('Adaptive Braking scales the gradient by 1 - rho cos(g, v): x3 when opposed, -1 when aligned, 1 when orthogonal (rho = 2)', () => {
  const cases: Array<[number[], number]> = [
    [[-1, 0], 3],
    [[1, 0], -1],
    [[0, 1], 1],
  ];
  for (const [g2, factor] of cases) {
    const x = tf.variable(tf.zeros([2]));
    const opt = optim.adaptiveBraking({ lr: 1, momentum: 0.5, rho: 2 });
    opt.applyGradients({ [x.name]: tf.tensor1d([2, 0]) }); // v1 = g1 (no velocity yet: cos = 0)
    const x1 = vals(x);
    assert.deepEqual(x1, [-2, 0]);
    opt.applyGradients({ [x.name]: tf.tensor1d(g2) });
    const v2 = vals(x).map((xi, i) => x1[i] - xi);
    const expect = [0.5 * 2 + factor * g2[0], factor * g2[1]];
    v2.forEach((vi, i) => assert.ok(close(vi, expect[i]), `g2 ${g2}: velocity ${v2} vs ${expect}`));
    opt.dispose();
    x.dispose();
  }
});

test('XGrad takes each gradient at the predicted weights w - s lr Delta and trains w', () => {
  const x = tf.variable(tf.tensor1d([1, -2]));
  const seen: number[][] = [];
  const f = () => {
    seen.push(vals(x));
    return tf.tidy(() => tf.mul(0.5, tf.sum(tf.square(x))) as tf.Scalar);
  };
  const lr = 0.1;
  const opt = optim.xgrad({ base: 'sgdm', lr, momentum: 0.9, predictionSteps: 2 });
  let w = [1, -2];
  let buf = [0, 0];
  for (let t = 0; t < 5; t++) {
    const point = seen.length === 0 ? w : w.map((wi, i) => wi - 2 * lr * buf[i]);
    opt.step(f, [x]);
    seen[t].forEach((v, i) => assert.ok(close(v, point[i], 1e-5), `step ${t}: gradient taken at ${seen[t]}, expected ${point}`));
    const g = point; // gradient of 0.5 ||x||^2 at the predicted point
    buf = buf.map((b, i) => 0.9 * b + g[i]);
    w = w.map((wi, i) => wi - lr * buf[i]);
    const trained = opt.withEvalParams(() => vals(x));
    trained.forEach((v, i) => assert.ok(close(v, w[i], 1e-5), `trained weights ${trained} vs ${w}`));
  }
  opt.dispose();
  x.dispose();
});

test('gradientsAt with the identity shift is the inner optimizer', () => {
  const a = quadratic([1, 2], [1, 1]);
  const b = quadratic([1, 2], [1, 1]);
  const inner = optim.chain(optim.scaleByAdam(), optim.scaleByLearningRate(0.1));
  const shifted = optim.fromTransform(optim.gradientsAt(inner, (_s, w) => w));
  const plain = optim.adam({ lr: 0.1 });
  for (let i = 0; i < 10; i++) {
    shifted.step(a.f, [a.x]);
    plain.step(b.f, [b.x]);
  }
  vals(a.x).forEach((v, i) => assert.ok(close(v, vals(b.x)[i], 1e-5)));
  [shifted, plain].forEach((o) => o.dispose());
  [a, b].forEach((q) => q.dispose());
});

test('Adam+CM: the buffer fills, then the lowest-priority momentum is replaced only by a larger gradient norm', () => {
  const x = tf.variable(tf.zeros([2]));
  const opt = optim.adamCm({ topC: 2, decay: 0.5, lr: 0.01 });
  const step = (g: number[]) => opt.applyGradients({ [x.name]: tf.tensor1d(g) });
  const state = () => opt.transformState as optim.AdamCMState;
  step([1, 0]); // slot 0: the raw gradient, priority 1 -> decayed 0.5
  assert.deepEqual(vals(x), [0, 0], 'the first step only fills the buffer');
  assert.equal(state().size, 1);
  step([0, 3]); // slot 1: the momentum, priority 3 -> 1.5; slot 0 -> 0.25
  assert.equal(state().size, 2);
  assert.deepEqual(state().priorities, [0.25, 1.5]);
  step([0.1, 0]); // norm 0.1 < 0.25: nothing replaced
  assert.deepEqual(state().priorities, [0.125, 0.75]);
  step([2, 0]); // norm 2 > 0.125: replaces slot 0
  assert.deepEqual(state().priorities, [1, 0.375]);
  const mu = vals((state().mu as Record<string, tf.Tensor>)[x.name]);
  vals((state().buffer[0] as Record<string, tf.Tensor>)[x.name]).forEach((v, i) => assert.ok(close(v, mu[i]), 'the stored entry is the current momentum'));
  opt.dispose();
  x.dispose();
});

test('Gravity starts its velocity at N(0, (alpha / lr)^2) from the seed', () => {
  const x = tf.variable(tf.zeros([4000]));
  const opt = optim.gravity({ lr: 0.1, alpha: 0.01, seed: 7 });
  opt.applyGradients({ [x.name]: tf.zeros([4000]) }); // zero gradient: the step is the decayed initial velocity
  const v0 = vals(x).map((v) => -v / (0.1 * 0.5)); // beta_hat = 1/2 at t = 0
  const mean = v0.reduce((s, v) => s + v, 0) / v0.length;
  const std = Math.sqrt(v0.reduce((s, v) => s + (v - mean) ** 2, 0) / v0.length);
  assert.ok(Math.abs(std - 0.1) < 0.005 && Math.abs(mean) < 0.005, `std ${std}, mean ${mean}`);
  const again = optim.gravity({ lr: 0.1, alpha: 0.01, seed: 7 });
  const y = tf.variable(tf.zeros([4000]));
  again.applyGradients({ [y.name]: tf.zeros([4000]) });
  assert.deepEqual(vals(y), vals(x), 'same seed, same velocity');
  [opt, again].forEach((o) => o.dispose());
  tf.dispose([x, y]);
});

test('A-DoG: alpha = max(1, alphaConst * sum(r_bar) / r_bar), growing by alphaConst per step once r_bar settles', () => {
  const q = quadratic([1, 2], [3, -3]);
  const opt = optim.adog();
  const trace: Array<{ alpha: number; rbar: number; sum: number }> = [];
  for (let i = 0; i < 300; i++) {
    opt.step(q.f, [q.x]);
    const s = opt.transformState as optim.ADogState;
    trace.push({ alpha: s.alpha.dataSync()[0], rbar: s.rbar.dataSync()[0], sum: s.rbarSum.dataSync()[0] });
  }
  for (const t of trace) assert.ok(close(t.alpha, Math.max(1, (0.5 * t.sum) / t.rbar), 1e-4), `alpha ${t.alpha}`);
  const tail = trace.slice(-20);
  assert.ok(tail.every((t) => t.rbar === tail[0].rbar), 'the distance estimate has settled');
  for (let i = 1; i < tail.length; i++) assert.ok(close(tail[i].alpha - tail[i - 1].alpha, 0.5, 1e-3), `alpha increment ${tail[i].alpha - tail[i - 1].alpha}`);
  assert.ok(q.f().dataSync()[0] < 1e-6, 'and the quadratic is solved');
  opt.dispose();
  q.dispose();
});


test('U-DoG: gradients alternate between the extrapolated and the averaged point; alpha = sum(r_bar) / r_bar; the output is the weighted average', () => {
  const q = quadratic([1, 4], [2, -1]);
  const opt = optim.udog();
  const sum = (t: tf.Tensor) => t.dataSync()[0];
  const leaf = (t: optim.TensorTree) => optim.tree.leaves(t)[0];
  const mix = (v: optim.TensorTree, omega: number, s: optim.UDogState) =>
    tf.tidy(() => vals(tf.div(tf.add(tf.mul(leaf(v), omega), leaf(s.weightedSum)), omega + sum(s.weight))));
  for (let i = 0; i < 200; i++) {
    opt.step(q.f, [q.x]);
    const s = opt.transformState as optim.UDogState;
    const x = vals(q.x);
    const omega = sum(s.alpha) * sum(s.rbar);
    assert.equal(s.count, i + 1);
    assert.ok(close(sum(s.alpha), sum(s.rbarSum) / sum(s.rbar), 1e-5), `alpha ${sum(s.alpha)}`);
    if (s.count % 2 === 1) {
      // after m_t: the next gradient is taken at x_bar_{t+1} = (omega x_{t+1} + S) / (omega + W), which is also the output
      mix(s.x, omega, s).forEach((v, j) => assert.ok(close(x[j], v, 1e-4, 1e-6), `step ${i}: average ${x}`));
      opt.withEvalParams(() => vals(q.x)).forEach((v, j) => assert.equal(v, x[j]));
    } else {
      // after g_t: the next gradient is taken at (omega y_{t+1} + S) / (omega + W); the output is S / W
      mix(s.y, omega, s).forEach((v, j) => assert.ok(close(x[j], v, 1e-4, 1e-6), `step ${i}: extrapolation ${x}`));
      const avg = tf.tidy(() => vals(tf.div(leaf(s.weightedSum), s.weight)));
      opt.withEvalParams(() => vals(q.x)).forEach((v, j) => assert.ok(close(v, avg[j], 1e-6, 1e-7)));
    }
  }
  // the first gradient step moves the extrapolated point by r_eps, as DoG's first step
  const first = optim.udog({ repsRel: 1e-2 });
  const y = tf.variable(tf.tensor1d([3, 4]));
  first.step(() => tf.tidy(() => tf.sum(tf.square(tf.sub(y, tf.tensor1d([1, 7])))) as tf.Scalar), [y]);
  const moved = Math.hypot(vals(y)[0] - 3, vals(y)[1] - 4);
  assert.ok(close(moved, 1e-2 * (1 + 5), 1e-5), `first step ${moved}`);
  assert.ok(opt.withEvalParams(() => q.f().dataSync()[0]) < 1e-6, 'and the quadratic is solved at the averaged point');
  [opt, first].forEach((o) => o.dispose());
  y.dispose();
  q.dispose();
});
