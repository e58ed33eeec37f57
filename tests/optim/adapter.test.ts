/**
 * The tf.Optimizer adapter: state save/restore, serialization, LayersModel.fit,
 * non-finite gradients, memory, the fused Adam path, evaluation points, and the
 * closure API.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, optim } from '../../lib/index.js';
import { assertNoTensorLeaks, assertTrainsLayersModel, makeProblem, snapshot } from './problems.js';
import { OPTIMIZERS, create } from './catalog.js';

const NAMES = Object.keys(OPTIMIZERS);

/** Copies the values of `from` into a fresh least-squares problem instance. */
function cloneProblem(from: ReturnType<typeof makeProblem>, maximize = false) {
  const p = makeProblem('lsq', maximize);
  for (const [k, v] of Object.entries(from.params)) p.params[k].assign(v);
  return p;
}

for (const name of NAMES) {
  test(`${name}: getWeights/setWeights restore the state exactly (fresh and used optimizers)`, async () => {
    const a = makeProblem('lsq');
    const opt = create(name);
    for (let i = 0; i < 4; i++) opt.step(a.loss, Object.values(a.params));
    const saved = await opt.getWeights();
    const b = cloneProblem(a);
    const c = cloneProblem(a);
    const fresh = create(name);
    await fresh.setWeights(saved); // applied at its first update
    const used = create(name);
    used.step(c.loss, Object.values(c.params)); // builds a state, then overwritten
    for (const [k, v] of Object.entries(a.params)) c.params[k].assign(v);
    await used.setWeights(saved);
    assert.equal(fresh.iterations, opt.iterations);
    for (let i = 0; i < 4; i++) {
      opt.step(a.loss, Object.values(a.params));
      fresh.step(b.loss, Object.values(b.params));
      used.step(c.loss, Object.values(c.params));
    }
    assert.deepEqual(snapshot(b), snapshot(a), 'fresh optimizer after setWeights');
    assert.deepEqual(snapshot(c), snapshot(a), 'used optimizer after setWeights');
    tf.dispose(saved.map((w) => w.tensor));
    [opt, fresh, used].forEach((o) => o.dispose());
    [a, b, c].forEach((p) => p.dispose());
  });

  test(`${name}: trains a LayersModel with compile/fit`, async () => {
    await assertTrainsLayersModel(name, create(name));
  });

  test(`${name}: no tensors leak over 60 steps`, () => {
    assertNoTensorLeaks(create(name), 60);
  });
}

test('every optimizer class is registered and rebuilt by fromConfig (schedules included)', () => {
  for (const name of NAMES) {
    const lr = optim.schedules.cosineDecay({ initValue: 0.05, decaySteps: 10 });
    const overrides = name === 'adafactor' || name === 'lbfgs' ? {} : { lr };
    const opt = create(name, overrides);
    const cls = opt.constructor as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable> & { className: string };
    assert.ok(tf.serialization.SerializationMap.getMap().classNameMap[cls.className], `${name}: ${cls.className} not registered`);
    const config = JSON.parse(JSON.stringify(opt.getConfig()));
    const copy = (cls as unknown as { fromConfig: (c: unknown, cfg: unknown) => optim.OptilabOptimizer }).fromConfig(cls, config);
    const a = makeProblem('lsq');
    const b = cloneProblem(a);
    for (let i = 0; i < 3; i++) {
      opt.step(a.loss, Object.values(a.params));
      copy.step(b.loss, Object.values(b.params));
    }
    assert.deepEqual(snapshot(b), snapshot(a), `${name}: fromConfig(getConfig()) trains differently`);
    opt.dispose();
    copy.dispose();
    a.dispose();
    b.dispose();
  }
});

test('a NaN gradient raises an error naming the variable and leaves parameters untouched', () => {
  for (const name of ['sgd', 'adamw', 'adabelief']) {
    const p = makeProblem('lsq');
    const opt = create(name);
    const w = p.params.w;
    const before = snapshot(p);
    const grads = { [w.name]: tf.fill(w.shape, NaN), [p.params.b.name]: tf.zerosLike(p.params.b) };
    assert.throws(() => opt.applyGradients(grads), (e: Error) => {
      assert.ok(e instanceof optim.NonFiniteGradientError, `${name}: ${e}`);
      assert.match(e.message, new RegExp(`${name}: the gradient of '${w.name}' holds NaN or Infinity at step 1`));
      return true;
    });
    assert.deepEqual(snapshot(p), before);
    tf.dispose(Object.values(grads));
    opt.dispose();
    p.dispose();
  }
});

test("nonFinite: 'skip' skips the step and counts it; the state is unchanged", () => {
  for (const name of ['sgd', 'adamw']) {
    const p = makeProblem('lsq');
    const ref = cloneProblem(p);
    const opt = create(name, { nonFinite: 'skip' });
    const plain = create(name);
    opt.step(p.loss, Object.values(p.params));
    plain.step(ref.loss, Object.values(ref.params));
    const bad = { [p.params.w.name]: tf.fill(p.params.w.shape, Infinity), [p.params.b.name]: tf.zerosLike(p.params.b) };
    opt.applyGradients(bad);
    assert.equal(opt.skippedSteps, 1);
    assert.equal(opt.iterations, 1);
    opt.step(p.loss, Object.values(p.params));
    plain.step(ref.loss, Object.values(ref.params));
    assert.deepEqual(snapshot(p), snapshot(ref), `${name}: a skipped step changed the trajectory`);
    tf.dispose(Object.values(bad));
    [opt, plain].forEach((o) => o.dispose());
    [p, ref].forEach((x) => x.dispose());
  }
});

test('the fused Adam/AdamW step equals the composite chain', () => {
  const variants: Array<[string, Record<string, unknown>]> = [
    ['adamw', {}],
    ['adamw', { amsgrad: true, weightDecay: 0.1 }],
    ['adam', { weightDecay: 0.1, maximize: true }],
    ['adam', { betas: [0.5, 0.9], eps: 1e-3, amsgrad: true }],
  ];
  for (const [name, cfg] of variants) {
    const fused = create(name, { lr: 0.05, ...cfg }) as optim.TransformOptimizer;
    assert.equal(typeof fused.transform.fusedApply, 'function');
    const tx = fused.transform;
    const composite = optim.fromTransform({ init: tx.init, update: tx.update });
    const a = makeProblem('lsq', cfg.maximize === true);
    const b = cloneProblem(a, cfg.maximize === true);
    for (let i = 0; i < 10; i++) {
      fused.step(a.loss, Object.values(a.params));
      composite.step(b.loss, Object.values(b.params));
    }
    const sa = snapshot(a);
    const sb = snapshot(b);
    for (const k of Object.keys(sa)) {
      sa[k].forEach((x, i) => assert.ok(Math.abs(x - sb[k][i]) <= 1e-6 * Math.max(1, Math.abs(x)), `${name} ${JSON.stringify(cfg)} ${k}[${i}]: fused ${x}, composite ${sb[k][i]}`));
    }
    [fused, composite].forEach((o) => o.dispose());
    [a, b].forEach((x) => x.dispose());
  }
});

test('minimize passes the loss to the transformation (extra.value)', () => {
  const seen: number[] = [];
  const spy: optim.GradientTransformation = {
    init: () => ({}),
    update: (u, state, _p, extra) => {
      seen.push(extra!.value!.dataSync()[0]);
      return { updates: u, state };
    },
  };
  const opt = optim.fromTransform(optim.chain(spy, optim.scaleByLearningRate(0.1)));
  const x = tf.variable(tf.scalar(3));
  const loss = opt.step(() => tf.square(x) as tf.Scalar, [x]);
  assert.equal(loss, 9);
  assert.deepEqual(seen, [9]);
  assert.ok(Math.abs(x.dataSync()[0] - 2.4) < 1e-6);
  opt.dispose();
  x.dispose();
});

test('withEvalParams evaluates at the transformation evaluation point and restores the training point', () => {
  // a toy averaging transformation: the evaluation point is the running mean of the iterates
  interface AvgState { count: number; avg: optim.TensorTree }
  const averaging: optim.GradientTransformation<AvgState> = {
    init: (p) => ({ count: 0, avg: optim.tree.map((x) => tf.clone(x), p) }),
    update: (u, s, p) => {
      const k = s.count + 1;
      const next = optim.tree.map((a, x, d) => tf.add(a, tf.div(tf.sub(tf.add(x, d), a), k + 1)), s.avg, p!, u);
      return { updates: u, state: { count: k, avg: next } };
    },
    evalParams: (s) => s.avg,
  };
  const opt = optim.fromTransform(optim.chain(optim.scaleByLearningRate(1), averaging));
  const x = tf.variable(tf.scalar(0));
  for (let i = 0; i < 3; i++) opt.step(() => tf.mul(x, -1) as tf.Scalar, [x]); // x: 1, 2, 3
  assert.equal(x.dataSync()[0], 3);
  const atEval = opt.withEvalParams(() => x.dataSync()[0]);
  assert.equal(atEval, (0 + 1 + 2 + 3) / 4);
  assert.equal(x.dataSync()[0], 3);
  opt.dispose();
  x.dispose();
});

test('currentLr follows the schedule; iterations count updates', () => {
  const opt = optim.adamw({ lr: optim.schedules.linear({ initValue: 1, endValue: 0, transitionSteps: 4 }) });
  const x = tf.variable(tf.scalar(1));
  const lrs: number[] = [];
  for (let i = 0; i < 5; i++) {
    lrs.push(opt.currentLr());
    opt.step(() => tf.square(x) as tf.Scalar, [x]);
  }
  assert.deepEqual(lrs, [1, 0.75, 0.5, 0.25, 0]);
  assert.equal(opt.iterations, 5);
  opt.dispose();
  x.dispose();
});

test('a gradient for a variable the state was not built for is refused; reset() starts afresh', () => {
  const opt = optim.adam();
  const x = tf.variable(tf.scalar(1));
  const y = tf.variable(tf.scalar(1));
  opt.step(() => tf.square(x) as tf.Scalar, [x]);
  assert.throws(() => opt.step(() => tf.square(y) as tf.Scalar, [y]), /adam: got a gradient for '.*', but the optimizer state was built for/);
  opt.reset();
  opt.step(() => tf.square(y) as tf.Scalar, [y]);
  assert.equal(opt.iterations, 1);
  opt.dispose();
  tf.dispose([x, y]);
});

test('the transformation of an optimizer composes into new chains', () => {
  const opt = optim.adamw({ lr: 0.1 });
  const clipped = optim.fromTransform(optim.chain(optim.clipByGlobalNorm(1e-3), opt.transform), { lr: 0.1 });
  const x = tf.variable(tf.tensor1d([3, 4]));
  clipped.step(() => tf.sum(tf.square(x)) as tf.Scalar, [x]);
  // Adam's first step has magnitude lr whatever the gradient scale
  assertAbsClose(Array.from(x.dataSync()), [3 - 0.1 - 0.1 * 0.01 * 3, 4 - 0.1 - 0.1 * 0.01 * 4], 1e-5);
  clipped.dispose();
  x.dispose();
});

function assertAbsClose(a: number[], b: number[], tol: number) {
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= tol, `[${i}] ${v} vs ${b[i]}`));
}

test('L-BFGS: closure API, minimize, no applyGradients; an Adam -> L-BFGS switch converges on Rosenbrock', () => {
  const p = makeProblem('rosenbrock');
  const vars = Object.values(p.params);
  const adam = optim.adam({ lr: 0.02 });
  for (let i = 0; i < 50; i++) adam.step(p.loss, vars);
  const lbfgs = optim.lbfgs({ lr: 1, maxIter: 50, historySize: 20, lineSearchFn: 'strong_wolfe' });
  assert.throws(() => lbfgs.applyGradients({}), /lbfgs: L-BFGS re-evaluates the loss/);
  let loss = Infinity;
  for (let i = 0; i < 5; i++) loss = lbfgs.step(p.loss, vars);
  const [x, y] = Array.from(p.params.xy.dataSync());
  assert.ok(Math.abs(x - 1) < 1e-3 && Math.abs(y - 1) < 2e-3, `L-BFGS ended at (${x}, ${y}), loss ${loss}`);
  assert.ok(lbfgs.functionEvaluations > 10);
  const cost = lbfgs.minimize(p.loss, true, vars);
  assert.ok(cost instanceof tf.Tensor);
  cost!.dispose();
  [adam, lbfgs].forEach((o) => o.dispose());
  p.dispose();
});
