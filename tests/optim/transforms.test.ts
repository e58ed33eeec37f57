/**
 * The functional core (chain, masked, multiSteps, clipping, runUpdate) against
 * optax 0.2 (fixture optim_schedules.json), plus properties optax does not pin.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, optim } from '../../lib/index.js';
import { readFixture, assertClose } from '../helpers.js';
import { problemData } from './problems.js';

interface Fixture {
  grads: Record<string, number[] | number[][] | number[][][][]>;
  params: Record<string, number[] | number[][] | number[][][][]>;
  cases: Array<{ transform: string; args: number[]; updates: Record<string, number[]> }>;
  runs: Array<{ name: string; trajectory: Array<Record<string, number[]>> }>;
}

const fx = readFixture<{ transforms: Fixture }>('optim_schedules.json').transforms;
const toTree = (o: Fixture['grads']) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, tf.tensor(v as number[])]));

for (const c of fx.cases) {
  test(`${c.transform}(${c.args.join(', ')}) matches optax`, () => {
    const make = (optim as unknown as Record<string, (...a: number[]) => optim.GradientTransformation>)[c.transform];
    const tx = make(...c.args);
    const g = toTree(fx.grads);
    const p = toTree(fx.params);
    const state = optim.initState(tx, p);
    const { updates } = optim.runUpdate(tx, g, state, p);
    for (const [k, want] of Object.entries(c.updates)) {
      assertClose((updates as Record<string, tf.Tensor>)[k].dataSync(), want, { rtol: 1e-5, atol: 1e-7 }, `${c.transform} ${k}`);
    }
    tf.dispose([...Object.values(g), ...Object.values(p), ...optim.tree.leaves(updates)]);
    optim.disposeState(state);
  });
}

/** Runs a transformation on the least-squares problem through the functional API (no adapter). */
function lsqRun(tx: optim.GradientTransformation, steps: number): Array<Record<string, number[]>> {
  const d = problemData().lsq;
  const X = tf.tensor2d(d.x);
  const Y = tf.tensor2d(d.y);
  let params: Record<string, tf.Tensor> = { w: tf.tensor2d(d.init.w), b: tf.tensor1d(d.init.b) };
  let state = optim.initState(tx, params);
  const loss = (w: tf.Tensor, b: tf.Tensor) => tf.mean(tf.square(tf.sub(tf.add(tf.matMul(X, w as tf.Tensor2D), b), Y))) as tf.Scalar;
  const out: Array<Record<string, number[]>> = [];
  for (let i = 0; i < steps; i++) {
    const [gw, gb] = tf.grads(loss)([params.w, params.b]);
    const r = optim.runUpdate(tx, { w: gw, b: gb }, state, params);
    state = r.state;
    const next = optim.applyUpdates(params, r.updates);
    tf.dispose([gw, gb, ...Object.values(params), ...optim.tree.leaves(r.updates)]);
    params = next;
    out.push({ w: Array.from(params.w.dataSync()), b: Array.from(params.b.dataSync()) });
  }
  tf.dispose([X, Y, ...Object.values(params)]);
  optim.disposeState(state);
  return out;
}

const RUNS: Record<string, () => optim.GradientTransformation> = {
  'masked decay': () =>
    optim.chain(optim.scaleByAdam(), optim.addDecayedWeights(0.5, { w: false, b: true }), optim.scaleByLearningRate(0.05)),
  multiSteps: () => optim.multiSteps(optim.chain(optim.trace({ decay: 0.9 }), optim.scaleByLearningRate(0.1)), 3),
  'scheduled adam': () =>
    optim.chain(optim.scaleByAdam(), optim.scaleByLearningRate(optim.schedules.warmupCosineDecay({ initValue: 0, peakValue: 0.1, warmupSteps: 3, decaySteps: 12 }))),
};

for (const run of fx.runs) {
  test(`${run.name} matches optax on least squares`, () => {
    const got = lsqRun(RUNS[run.name](), run.trajectory.length);
    run.trajectory.forEach((want, i) => {
      for (const k of ['w', 'b']) assertClose(got[i][k], want[k], { rtol: 1e-4, atol: 1e-6 }, `${run.name} step ${i + 1} ${k}`);
    });
  });
}

test('masked accepts a predicate on parameter and path', () => {
  const tx = optim.addDecayedWeights(1, (p) => p.rank > 1);
  const p = { w: tf.ones([2, 2]), b: tf.ones([2]) };
  const g = { w: tf.zeros([2, 2]), b: tf.zeros([2]) };
  const s = optim.initState(tx, p);
  const { updates } = optim.runUpdate(tx, g, s, p);
  const u = updates as Record<string, tf.Tensor>;
  assert.deepEqual(Array.from(u.w.dataSync()), [1, 1, 1, 1]);
  assert.deepEqual(Array.from(u.b.dataSync()), [0, 0]);
});

test('chain passes the raw gradient and the loss value on to every link', () => {
  const seen: Array<[number, number | undefined]> = [];
  const spy: optim.GradientTransformation = {
    init: () => ({}),
    update: (u, state, _p, extra) => {
      seen.push([(optim.tree.leaves(extra!.grads!)[0].dataSync()[0]), extra?.value?.dataSync()[0]]);
      return { updates: u, state };
    },
  };
  const tx = optim.chain(optim.scale(10), spy);
  const g = [tf.scalar(2)];
  const s = optim.initState(tx, g);
  optim.runUpdate(tx, g, s, g, { value: tf.scalar(7) });
  assert.deepEqual(seen, [[2, 7]]);
});

test('applyIfFinite skips non-finite updates, keeps the inner state, and gives up after maxConsecutiveErrors', () => {
  const tx = optim.applyIfFinite(optim.chain(optim.trace({ decay: 0.5 }), optim.scaleByLearningRate(1)), 1);
  const p = [tf.scalar(0)];
  let s = optim.initState(tx, p);
  const step = (x: number) => {
    const r = optim.runUpdate(tx, [tf.scalar(x)], s, p);
    s = r.state;
    return optim.tree.leaves(r.updates)[0].dataSync()[0];
  };
  assert.equal(step(1), -1);
  assert.equal(step(NaN), 0);
  assert.equal(s.notFiniteCount, 1);
  assert.equal(step(1), -1.5); // momentum 0.5*1 + 1, untouched by the skipped step
  step(Infinity);
  assert.ok(Number.isNaN(step(NaN))); // second consecutive error > 1: applied
  assert.equal(s.totalNotFinite, 3);
});

test('zeroNans replaces NaN by zero', () => {
  const tx = optim.zeroNans();
  const u = optim.runUpdate(tx, [tf.tensor1d([1, NaN, -2])], optim.initState(tx, [tf.zeros([3])])).updates;
  assert.deepEqual(Array.from(optim.tree.leaves(u)[0].dataSync()), [1, 0, -2]);
});

test('trees: nested records and arrays keep their structure', () => {
  const p = { layer1: { w: tf.ones([2]), b: tf.zeros([1]) }, extra: [tf.ones([3])] };
  const tx = optim.chain(optim.scaleByAdam(), optim.scaleByLearningRate(0.1));
  const { updates, state } = optim.runUpdate(tx, optim.tree.map((x) => tf.onesLike(x), p), optim.initState(tx, p), p);
  const u = updates as unknown as { layer1: { w: tf.Tensor; b: tf.Tensor }; extra: tf.Tensor[] };
  assertClose(u.layer1.w.dataSync(), [-0.1, -0.1], { rtol: 1e-5 });
  assert.deepEqual(u.extra[0].shape, [3]);
  assert.throws(() => optim.runUpdate(tx, { layer1: { w: tf.ones([2]) }, extra: [tf.ones([3])] }, state, p), /structures differ at 'layer1\/b'/);
});

test('runUpdate neither leaks nor frees what the caller owns', () => {
  const tx = optim.chain(optim.clipByGlobalNorm(1), optim.trace({ decay: 0.9, nesterov: true }), optim.addDecayedWeights(0.1), optim.scaleByLearningRate(0.01));
  let p: Record<string, tf.Tensor> = { w: tf.randomNormal([5, 3]), b: tf.zeros([3]) };
  let s = optim.initState(tx, p);
  const before = tf.memory().numTensors;
  for (let i = 0; i < 50; i++) {
    const g = optim.tree.map((x) => tf.onesLike(x), p);
    const r = optim.runUpdate(tx, g, s, p);
    s = r.state;
    const next = optim.applyUpdates(p, r.updates);
    tf.dispose([...optim.tree.leaves(g), ...optim.tree.leaves(r.updates), ...Object.values(p)]);
    p = next;
  }
  assert.equal(tf.memory().numTensors, before);
  assert.ok(Number.isFinite(p.w.dataSync()[0]));
});
