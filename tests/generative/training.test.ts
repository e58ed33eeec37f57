import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, generative as g } from '../../lib/index.js';

const data = g.eightGaussians();
const truth = data.sample(1000, 99);
const x0 = g.standardNormal(2).sample(1000, 97);
const floor = g.energyDistance(data.sample(1000, 98), truth);
const sourceDistance = g.energyDistance(x0, truth);

function evaluate(net: g.TimeMlp, steps: number) {
  const r = g.odeSolve(g.velocityOf(net.apply), x0, g.linearPath().grid(steps), { method: 'euler', record: true });
  const out = { ed: g.energyDistance(r.x, truth), straightness: g.straightness(r), coverage: g.modeCoverage(r.x, data).coverage };
  r.x.dispose();
  r.trajectory!.forEach((t) => t.dispose());
  return out;
}

// one independent-coupling flow-matching model shared by the tests below (400 steps, batch 256)
const rf1 = new g.TimeMlp({ dim: 2, hidden: [64, 64], seed: 1 });
const fit1 = g.fitFlowMatching(rf1, { data, steps: 400, batchSize: 256, lr: 3e-3, seed: 2 });

test('flow matching on 8 Gaussians: energy distance falls from the source level to below 0.06 (floor ~0.012), all modes covered', () => {
  const untrained = new g.TimeMlp({ dim: 2, hidden: [64, 64], seed: 1 });
  const before = evaluate(untrained, 16);
  const after = evaluate(rf1, 16);
  untrained.dispose();
  assert.ok(before.ed > 0.3, `untrained ${before.ed}`);
  assert.ok(after.ed < 0.06, `energy distance ${after.ed} (source ${sourceDistance}, floor ${floor})`);
  assert.equal(after.coverage, 1);
  const first = fit1.losses.slice(0, 20).reduce((a, b) => a + b) / 20;
  const last = fit1.losses.slice(-50).reduce((a, b) => a + b) / 50;
  assert.ok(last < 0.75 * first, `loss ${first} -> ${last}`);
});

test('reflow straightens the flow: straightness drops by >4x and one Euler step gets close to the data', () => {
  const src = g.standardNormal(2).sample(2000, 5);
  const pairs = g.reflowPairs(g.velocityOf(rf1.apply), src, { steps: 20 });
  const rf2 = rf1.clone();
  g.fitFlowMatching(rf2, { pairs, steps: 300, batchSize: 256, lr: 1e-3, seed: 3 });
  const s1 = evaluate(rf1, 16);
  const s2 = evaluate(rf2, 16);
  const one1 = evaluate(rf1, 1);
  const one2 = evaluate(rf2, 1);
  assert.ok(s2.straightness < 0.25 * s1.straightness, `straightness 1-RF ${s1.straightness}, 2-RF ${s2.straightness}`);
  assert.ok(one2.ed < 0.25 * one1.ed, `one-step energy distance 1-RF ${one1.ed}, 2-RF ${one2.ed}`);
  // transport cost does not increase (Liu et al., Theorem 3.5), up to the 2-RF's fitting error
  const cost = (net: g.TimeMlp) => {
    const r = g.odeSolve(g.velocityOf(net.apply), x0, g.linearPath().grid(32), { method: 'rk4' });
    const c = g.transportCost(x0, r.x);
    r.x.dispose();
    return c;
  };
  const [c1, c2] = [cost(rf1), cost(rf2)];
  assert.ok(c2 < 1.02 * c1, `transport cost 1-RF ${c1}, 2-RF ${c2}`);
  rf2.dispose();
  tf.dispose([src, pairs.x0, pairs.x1]);
});

test('minibatch OT coupling gives straighter paths than the independent coupling', () => {
  const ot = new g.TimeMlp({ dim: 2, hidden: [64, 64], seed: 1 });
  g.fitFlowMatching(ot, { data, steps: 250, batchSize: 128, lr: 3e-3, seed: 2, coupling: 'ot' });
  const a = evaluate(rf1, 16);
  const b = evaluate(ot, 16);
  assert.ok(b.straightness < 0.25 * a.straightness, `straightness independent ${a.straightness}, OT ${b.straightness}`);
  ot.dispose();
});

test('the time-conditioned MLP: shapes, labels with a null class, clone, bad input refused', () => {
  const net = new g.TimeMlp({ dim: 3, hidden: [8], classes: 4, time: { kind: 'fourier', size: 6 }, seed: 3 });
  const x = tf.ones([5, 3]) as tf.Tensor2D;
  const t = tf.fill([5], 0.3) as tf.Tensor1D;
  const yc = net.apply(x, t, [0, 1, 2, 3, -1]);
  const yu = net.apply(x, t, null);
  assert.deepEqual(yc.shape, [5, 3]);
  // the last sample is unconditional in both calls
  assert.deepEqual(Array.from(yc.dataSync().slice(12)), Array.from(yu.dataSync().slice(12)));
  const copy = net.clone();
  assert.deepEqual(copy.apply(x, t, [0, 1, 2, 3, -1]).dataSync(), yc.dataSync());
  assert.throws(() => net.apply(x, t, [0, 1, 2, 9, -1]), /labels\[3\] = 9/);
  assert.throws(() => new g.TimeMlp({ dim: 2, time: { size: 5 } }), /time.size must be an even integer/);
  const d = g.dropLabels([1, 2, 3, 1, 2, 3, 1, 2], 0.5, 1);
  assert.ok(Array.from(d).some((v) => v === -1) && Array.from(d).some((v) => v !== -1));
  tf.dispose([x, t, yc, yu]);
  net.dispose();
  copy.dispose();
});

test('train takes any one-element loss tensor and refuses others by name', () => {
  const v = tf.variable(tf.scalar(3));
  const { losses } = g.train([v], () => tf.reshape(tf.square(v), [1]), { steps: 2, lr: 0.1 });
  assert.equal(losses[0], 9);
  assert.ok(v.dataSync()[0] < 3);
  assert.throws(() => g.train([v], () => tf.stack([v, v]), { steps: 1 }), /the loss must be a scalar tensor, got shape \[2\] at step 0/);
  v.dispose();
});

test('TimeMlp.apply takes plain tf.Tensor inputs and checks their ranks', () => {
  const net = new g.TimeMlp({ dim: 2, hidden: [4], seed: 0 });
  const x: tf.Tensor = tf.ones([3, 2]);
  const y = net.apply(x, tf.fill([3], 0.5));
  assert.deepEqual(y.shape, [3, 2]);
  assert.throws(() => net.apply(tf.ones([3, 2, 1]), tf.fill([3], 0.5)), /x must be a 2-D tensor \[points, 2\], got shape \[3,2,1\]/);
  assert.throws(() => net.apply(x, tf.fill([3, 1], 0.5)), /t must be a 1-D tensor/);
  tf.dispose([x, y]);
  net.dispose();
});

test('training stops with a clear message on a non-finite loss', () => {
  const v = tf.variable(tf.scalar(1));
  assert.throws(() => g.train([v], () => tf.div(tf.scalar(1), tf.sub(v, v)) as tf.Scalar, { steps: 3 }), /loss became (Infinity|NaN) at step 0/);
  assert.equal(v.dataSync()[0], 1, 'a non-finite loss must leave the parameters unchanged');
  v.dispose();
});

test('EDM training (preconditioning + log-normal sigmas) learns 8 Gaussians: Heun with 18 levels reaches energy distance < 0.1', () => {
  const net = new g.TimeMlp({ dim: 2, hidden: [64, 64], seed: 1, time: { kind: 'fourier', scale: 1 } });
  const r = new g.Rng(5);
  const { losses } = g.train(
    net.params,
    () => {
      const y = data.sample(256, r.fork());
      const l = g.edmLoss(net.apply, y, { seed: r.fork() });
      y.dispose();
      return l;
    },
    { steps: 400, lr: 3e-3 },
  );
  const x = g.priorSample(g.edmPath(), 1000, 2, 3);
  const out = g.edmSampler(g.edmDenoiser(net.apply), x, g.karrasSigmas(18));
  const ed = g.energyDistance(out.x, truth);
  assert.equal(out.nfe, 35);
  assert.ok(ed < 0.1, `energy distance ${ed} (source ${sourceDistance})`);
  assert.ok(losses.slice(-50).reduce((a, b) => a + b) / 50 < 0.6 * (losses.slice(0, 20).reduce((a, b) => a + b) / 20));
  tf.dispose([x, out.x]);
  net.dispose();
});
