/**
 * Lion, Grams, AdEMAMix, MARS, SPAM, Stable-SPAM, Lookahead, the cautious
 * wrapper, Ranger21 and Schedule-Free as optimizers: state save/restore,
 * getConfig/fromConfig (wrappers through their inner optimizer), LayersModel.fit,
 * no tensor leaks, convergence on a quadratic and on Rosenbrock, and
 * hyper-parameter errors that name the argument.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, optim } from '../../lib/index.js';
import { makeProblem, snapshot } from './problems.js';

type Make = () => optim.TransformOptimizer;

const OPTIMIZERS: Record<string, Make> = {
  lion: () => optim.lion({ lr: 0.01, weightDecay: 0.1 }),
  'lion cautious': () => optim.lion({ lr: 0.01, cautious: true }),
  'lion l2': () => optim.lion({ lr: 0.01, kappa: 'l2' }),
  grams: () => optim.grams({ lr: 0.05, weightDecay: 0.01 }),
  'adamw cautious': () => optim.adamw({ lr: 0.05, cautious: true }),
  'nadam cautious': () => optim.nadam({ lr: 0.05, cautious: true }),
  ademamix: () => optim.ademamix({ lr: 0.05, alphaWarmup: 20, beta3Warmup: 20, cautious: true }),
  mars: () => optim.mars({ lr: 0.05 }),
  'mars lion': () => optim.mars({ lr: 0.01, marsType: 'lion', optimize1d: true }),
  spam: () => optim.spam({ lr: 0.05, resetInterval: 5, warmupSteps: 2, gradAccuSteps: 2 }),
  stableSpam: () => optim.stableSpam({ lr: 0.05, resetInterval: 5, totalSteps: 60 }),
  lookahead: () => optim.lookahead(optim.adam({ lr: 0.05 }), { k: 3 }),
  cautiousOptimizer: () => optim.cautiousOptimizer(optim.adabelief({ lr: 0.05 })),
  ranger21: () => optim.ranger21({ lr: 0.05, numIterations: 60 }),
  scheduleFreeSgd: () => optim.scheduleFreeSgd({ lr: 0.05 }),
  scheduleFreeAdamw: () => optim.scheduleFreeAdamw({ lr: 0.05, warmupSteps: 3 }),
};

function cloneProblem(from: ReturnType<typeof makeProblem>) {
  const p = makeProblem('lsq');
  for (const [k, v] of Object.entries(from.params)) p.params[k].assign(v);
  return p;
}

for (const [name, make] of Object.entries(OPTIMIZERS)) {
  test(`${name}: getWeights/setWeights restore the state exactly`, async () => {
    const a = makeProblem('lsq');
    const opt = make();
    for (let i = 0; i < 7; i++) opt.step(a.loss, Object.values(a.params));
    const saved = await opt.getWeights();
    const b = cloneProblem(a);
    const fresh = make();
    await fresh.setWeights(saved);
    for (let i = 0; i < 7; i++) {
      opt.step(a.loss, Object.values(a.params));
      fresh.step(b.loss, Object.values(b.params));
    }
    assert.deepEqual(snapshot(b), snapshot(a));
    tf.dispose(saved.map((w) => w.tensor));
    [opt, fresh].forEach((o) => o.dispose());
    [a, b].forEach((p) => p.dispose());
  });

  test(`${name}: fromConfig(getConfig()) rebuilds it`, () => {
    const opt = make();
    const cls = opt.constructor as unknown as { className: string; fromConfig: (c: unknown, cfg: unknown) => optim.OptilabOptimizer };
    assert.ok(tf.serialization.SerializationMap.getMap().classNameMap[cls.className], `${cls.className} not registered`);
    const copy = cls.fromConfig(cls, JSON.parse(JSON.stringify(opt.getConfig())));
    const a = makeProblem('lsq');
    const b = cloneProblem(a);
    for (let i = 0; i < 6; i++) {
      opt.step(a.loss, Object.values(a.params));
      copy.step(b.loss, Object.values(b.params));
    }
    assert.deepEqual(snapshot(b), snapshot(a));
    [opt, copy].forEach((o) => o.dispose());
    [a, b].forEach((p) => p.dispose());
  });

  test(`${name}: trains a LayersModel with compile/fit; no tensors leak over 60 steps`, async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 8, inputShape: [3], activation: 'tanh' }), tf.layers.dense({ units: 1 })] });
    model.compile({ optimizer: make(), loss: 'meanSquaredError' });
    const x = tf.tensor2d([[0, 1, 2], [1, 0, -1], [2, 1, 0], [-1, 2, 1], [0.5, -0.5, 1], [1, 1, 1]]);
    const y = tf.tensor2d([[1], [0], [2], [1], [0.5], [1.5]]);
    const h = await model.fit(x, y, { epochs: 30, batchSize: 6, verbose: 0 });
    const losses = h.history.loss as number[];
    assert.ok(losses.every(Number.isFinite) && losses[losses.length - 1] < losses[0], `${name}: ${losses[0]} -> ${losses[losses.length - 1]}`);
    model.optimizer.dispose();
    model.dispose();
    tf.dispose([x, y]);

    const p = makeProblem('lsq');
    const opt = make();
    const vars = Object.values(p.params);
    opt.step(p.loss, vars);
    opt.step(p.loss, vars);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 60; i++) opt.step(p.loss, vars);
    if (opt.transform.evalParams) opt.withEvalParams(() => p.loss().dispose());
    assert.equal(tf.memory().numTensors, before);
    opt.dispose();
    p.dispose();
  });
}

// f(x) = 0.5 sum_i l_i (x_i - 0.5)^2, curvatures 1..10, from x = 2
const QUADRATIC: Record<string, Make> = {
  lion: () => optim.lion({ lr: optim.schedules.cosineDecay({ initValue: 0.02, decaySteps: 400 }) }),
  grams: () => optim.grams({ lr: 0.05 }),
  'adamw cautious': () => optim.adamw({ lr: 0.05, weightDecay: 0, cautious: true }),
  ademamix: () => optim.ademamix({ lr: 0.02, betas: [0.9, 0.999, 0.99] }),
  mars: () => optim.mars({ lr: 0.05, optimize1d: true }),
  spam: () => optim.spam({ lr: 0.05 }),
  stableSpam: () => optim.stableSpam({ lr: 0.05 }),
  lookahead: () => optim.lookahead(optim.sgd({ lr: 0.05, momentum: 0.9 })),
  ranger21: () => optim.ranger21({ lr: 0.05, numIterations: 400, weightDecay: 0, normLoss: 0 }),
  scheduleFreeSgd: () => optim.scheduleFreeSgd({ lr: 0.05 }),
  scheduleFreeAdamw: () => optim.scheduleFreeAdamw({ lr: 0.05 }),
};

for (const [name, make] of Object.entries(QUADRATIC)) {
  test(`${name} solves an ill-conditioned quadratic (loss / 1e4 at its evaluation point)`, () => {
    const curv = tf.linspace(1, 10, 10);
    const x = tf.variable(tf.fill([10], 2));
    const f = () => tf.tidy(() => tf.mul(0.5, tf.sum(tf.mul(curv, tf.square(tf.sub(x, 0.5))))) as tf.Scalar);
    const opt = make();
    const f0 = tf.tidy(() => f().dataSync()[0]);
    for (let i = 0; i < 400; i++) opt.step(f, [x]);
    const fT = opt.withEvalParams(() => tf.tidy(() => f().dataSync()[0]));
    assert.ok(fT < 1e-4 * f0, `${name}: ${f0} -> ${fT}`);
    opt.dispose();
    tf.dispose([x, curv]);
  });
}

const ROSENBROCK: Record<string, Make> = {
  grams: () => optim.grams({ lr: 0.02 }),
  'adamw cautious': () => optim.adamw({ lr: 0.02, weightDecay: 0, cautious: true }),
  ademamix: () => optim.ademamix({ lr: 0.02, betas: [0.9, 0.999, 0.999] }),
  mars: () => optim.mars({ lr: 0.02, optimize1d: true }),
  stableSpam: () => optim.stableSpam({ lr: 0.02 }),
  // (Schedule-Free is left out: its evaluation point averages every iterate with equal
  // weight, so along Rosenbrock's curved valley it trails the iterates for many thousand steps)
};

for (const [name, make] of Object.entries(ROSENBROCK)) {
  test(`${name} reaches the minimum of Rosenbrock's function`, () => {
    const p = makeProblem('rosenbrock');
    const opt = make();
    for (let i = 0; i < 2500; i++) opt.step(p.loss, [p.params.xy]);
    const [x, y] = opt.withEvalParams(() => Array.from(p.params.xy.dataSync()));
    assert.ok(Math.hypot(x - 1, y - 1) < 0.05, `${name}: ended at (${x}, ${y})`);
    opt.dispose();
    p.dispose();
  });
}

test('hyper-parameter errors name the optimizer, the argument and the accepted range', () => {
  const cases: Array<[() => unknown, string]> = [
    [() => optim.lion({ betas: [0.9, 1] }), 'lion: betas[1] must be in [0, 1), got 1'],
    [() => optim.lion({ kappa: 'l1' as never }), "lion: kappa must be one of 'sign', 'l2', 'linear', got 'l1'"],
    [() => optim.grams({ eps: -1 }), 'grams: eps must be in [0, inf), got -1'],
    [() => optim.ademamix({ betas: [0.9, 0.999] as never }), 'ademamix: betas must be an array of 3 numbers in [0, 1), got [0.9, 0.999]'],
    [() => optim.ademamix({ alphaWarmup: 0 }), 'ademamix: alphaWarmup must be an integer in [1, inf), got 0'],
    [() => optim.mars({ marsType: 'shampoo' as never }), "mars: marsType must be one of 'adamw', 'lion', got 'shampoo'"],
    [() => optim.mars({ lr: 0 }), 'mars: lr must be positive at the first step (lr1d is applied as the factor lr1d / lr), got 0'],
    [() => optim.spam({ resetInterval: 2.5 }), 'spam: resetInterval must be an integer in [0, inf), got 2.5'],
    [() => optim.stableSpam({ gamma1: 1 }), 'stableSpam: gamma1 must be in [0, 1), got 1'],
    [() => optim.stableSpam({ reset: 'never' as never }), "stableSpam: reset must be one of 'official', 'immediate', got 'never'"],
    [() => optim.lookahead(optim.adam(), { k: 0 }), 'lookahead: k must be an integer in [1, inf), got 0'],
    [() => optim.lookahead(optim.adam(), { alpha: 1.5 }), 'lookahead: alpha must be in [0, 1], got 1.5'],
    [() => optim.cautiousOptimizer(optim.adam(), { normalize: 'max' as never }), "cautiousOptimizer: normalize must be one of 'mean', 'count', 'none', got 'max'"],
    [() => optim.ranger21({} as never), 'ranger21: numIterations (the total number of steps) is required; it sets the warm-up and warm-down'],
    [() => optim.ranger21({ numIterations: 100, lookaheadK: 0 }), 'ranger21: lookaheadK must be an integer in [1, inf), got 0'],
    [() => optim.scheduleFreeSgd({ momentum: 0 }), 'scheduleFreeSgd: momentum must be in (0, 1), got 0'],
    [() => optim.scheduleFreeAdamw({ warmupSteps: -1 }), 'scheduleFreeAdamw: warmupSteps must be an integer in [0, inf), got -1'],
    [() => optim.scheduleFreeAdamw({ weight_decay: 0.1 } as never), "scheduleFreeAdamw: unknown option 'weight_decay'; accepted: lr, weightDecay, warmupSteps, r, weightLrPower, nonFinite, betas, eps, decayAtZ"],
    [() => optim.injectSpikes({ every: 0 }), 'injectSpikes: every must be an integer in [1, inf), got 0'],
    [() => optim.injectSpikes({ steps: [3], fraction: 2 }), 'injectSpikes: fraction must be in [0, 1], got 2'],
  ];
  for (const [f, message] of cases) assert.throws(f, { message });
});
