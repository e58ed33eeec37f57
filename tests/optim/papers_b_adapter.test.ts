/**
 * The second paper batch through the tf.Optimizer adapter: state save/restore,
 * getConfig/fromConfig, LayersModel.fit, tensor leaks, and hyper-parameter
 * validation messages.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, optim } from '../../lib/index.js';
import { assertNoTensorLeaks, assertTrainsLayersModel, makeProblem, snapshot } from './problems.js';
import { OPTIMIZERS_B, createB } from './papers_b_catalog.js';

const NAMES = Object.keys(OPTIMIZERS_B);

function cloneProblem(from: ReturnType<typeof makeProblem>) {
  const p = makeProblem('lsq');
  for (const [k, v] of Object.entries(from.params)) p.params[k].assign(v);
  return p;
}

for (const name of NAMES) {
  test(`${name}: getWeights/setWeights restore the state exactly; fromConfig rebuilds it`, async () => {
    const a = makeProblem('lsq');
    const opt = createB(name);
    for (let i = 0; i < 4; i++) opt.step(a.loss, Object.values(a.params));
    const saved = await opt.getWeights();
    const b = cloneProblem(a);
    const fresh = createB(name);
    await fresh.setWeights(saved);
    for (let i = 0; i < 4; i++) {
      opt.step(a.loss, Object.values(a.params));
      fresh.step(b.loss, Object.values(b.params));
    }
    assert.deepEqual(snapshot(b), snapshot(a), `${name}: restored optimizer follows another trajectory`);
    tf.dispose(saved.map((w) => w.tensor));
    const cls = opt.constructor as unknown as { className: string; fromConfig: (c: unknown, cfg: unknown) => optim.TransformOptimizer };
    assert.ok(tf.serialization.SerializationMap.getMap().classNameMap[cls.className], `${name}: ${cls.className} not registered`);
    const copy = cls.fromConfig(cls, JSON.parse(JSON.stringify(createB(name).getConfig())));
    const c = makeProblem('lsq');
    const d = makeProblem('lsq');
    const ref = createB(name);
    for (let i = 0; i < 3; i++) {
      copy.step(c.loss, Object.values(c.params));
      ref.step(d.loss, Object.values(d.params));
    }
    assert.deepEqual(snapshot(c), snapshot(d), `${name}: fromConfig(getConfig()) trains differently`);
    [opt, fresh, copy, ref].forEach((o) => o.dispose());
    [a, b, c, d].forEach((p) => p.dispose());
  });

  test(`${name}: trains a LayersModel with compile/fit (the loss reaches the optimizer)`, async () => {
    await assertTrainsLayersModel(name, createB(name));
  });

  test(`${name}: no tensors leak over 40 steps`, () => {
    assertNoTensorLeaks(createB(name), 40, { evalParams: true });
  });
}

test('validation messages name the optimizer, the argument and the accepted range', () => {
  const cases: Array<[() => unknown, string]> = [
    [() => optim.dog({ repsRel: 0 }), 'dog: repsRel must be in (0, inf), got 0'],
    [() => optim.dog({ averaging: 8 as never }), 'dog: averaging must be an object {gamma} (gamma >= 0, default 8), got 8'],
    [() => optim.dog({ averaging: { gamma: -1 } }), 'dog: averaging.gamma must be in [0, inf), got -1'],
    [() => optim.dowg({ eps: 0 }), 'dowg: eps must be in (0, inf), got 0'],
    [() => optim.adog({ alphaConst: -1 }), 'adog: alphaConst must be in (0, inf), got -1'],
    [() => optim.udog({ repsRel: 0 }), 'udog: repsRel must be in (0, inf), got 0'],
    [() => optim.momo({ beta: 1 }), 'momo: beta must be in [0, 1), got 1'],
    [() => optim.momoAdam({ betas: [0.9, 1] }), 'momoAdam: betas[1] must be in [0, 1), got 1'],
    [() => optim.polyakMomentum({ c: 0 }), 'polyakMomentum: c must be in (0, inf), got 0'],
    [() => optim.polyakSgd({ variant: 'sps++' as never }), "polyakSgd: variant must be one of 'sps', 'sps+', got 'sps++'"],
    [() => optim.sania({ preconditioner: 'hutchinson' as never }), "sania: preconditioner must be one of 'adam', 'adagrad', got 'hutchinson'"],
    [() => optim.gravity({ initialVelocity: 'ones' as never }), "gravity: initialVelocity must be one of 'random', 'zeros', got 'ones'"],
    [() => optim.xgrad({ base: 'lion' as never }), "xgrad: base must be one of 'sgdm', 'adam', 'adamw', got 'lion'"],
    [() => optim.xgrad({ base: 'adam', weightDecay: 0.1 }), "xgrad: base 'adam' has no weight decay (the official Adam.py ignores it); use base 'adamw', got weightDecay 0.1"],
    [() => optim.xgrad({ base: 'sgdm', betas: [0.9, 0.99] }), "xgrad: betas and eps apply to base 'adam'/'adamw', not 'sgdm'"],
    [() => optim.optimisticAmsgrad({ window: 0 }), 'optimisticAmsgrad: window must be an integer in [1, inf), got 0'],
    [() => optim.complexMomentum({} as never), 'complexMomentum: lr is required (a number >= 0 or a schedule)'],
    [() => optim.complexMomentum({ lr: 0.1, beta: { magnitude: 1.1, phase: 0 } }), 'complexMomentum: |beta| must be < 1, got 1.1'],
    [() => optim.complexMomentum({ lr: 0.1, beta: 0.9 as never }), 'complexMomentum: beta must be {re, im} or {magnitude, phase}, got 0.9'],
    [() => optim.adaptiveBraking({ lr: 0.1, rho: -1 }), 'adaptiveBraking: rho must be in [0, 10], got -1'],
    [() => optim.adamCm({ topC: 0 }), 'adamCm: topC must be an integer in [1, inf), got 0'],
    [() => optim.adamCm({ decay: 1 }), 'adamCm: decay must be in [0, 1), got 1'],
  ];
  for (const [f, msg] of cases) assert.throws(f, { message: msg });
  // U-DoG has no learning rate at all
  assert.throws(() => optim.udog({ lr: 1 } as never), /^RangeError: udog: unknown option 'lr'; accepted: repsRel/);
});
