/** Hyper-parameter validation: errors name the optimizer, the argument, the accepted range and the value. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { optim } from '../../lib/index.js';
import { OPTIMIZERS, create } from './catalog.js';

test('the example of the design notes', () => {
  assert.throws(() => optim.adamw({ betas: [0.9, 1.2] }), { message: 'adamw: betas[1] must be in [0, 1), got 1.2' });
});

test('specific messages', () => {
  const cases: Array<[() => unknown, string]> = [
    [() => optim.sgd({ lr: -0.1 }), 'sgd: lr must be in [0, inf), got -0.1'],
    [() => optim.sgd({ momentum: 1 }), 'sgd: momentum must be in [0, 1), got 1'],
    [() => optim.sgd({ nesterov: true }), 'sgd: nesterov requires momentum > 0 and dampening = 0, got momentum 0, dampening 0'],
    [() => optim.adam({ eps: NaN }), 'adam: eps must be in [0, inf), got NaN'],
    [() => optim.adam({ betas: [0.9] as never }), 'adam: betas must be an array of 2 numbers in [0, 1), got [0.9]'],
    [() => optim.adam({ amsgrad: 'yes' as never }), "adam: amsgrad must be true or false, got 'yes'"],
    [() => optim.adam({ weight_decay: 0.1 } as never), "adam: unknown option 'weight_decay'; accepted: lr, betas, eps, weightDecay, weightDecayMask, decoupledWeightDecay, maximize, cautious, nonFinite, amsgrad"],
    [() => optim.adam({ nonFinite: 'warn' as never }), "adam: nonFinite must be one of 'error', 'skip', 'ignore', got 'warn'"],
    [() => optim.adagrad({ lrDecay: -1 }), 'adagrad: lrDecay must be in [0, inf), got -1'],
    [() => optim.rmsprop({ alpha: 1.5 }), 'rmsprop: alpha must be in [0, 1), got 1.5'],
    [() => optim.adadelta({ rho: 2 }), 'adadelta: rho must be in [0, 1], got 2'],
    [() => optim.lbfgs({ maxIter: 0 }), 'lbfgs: maxIter must be an integer in [1, inf), got 0'],
    [() => optim.lbfgs({ historySize: 2.5 }), 'lbfgs: historySize must be an integer in [1, inf), got 2.5'],
    [() => optim.lbfgs({ lineSearchFn: 'armijo' as never }), "lbfgs: lineSearchFn must be one of 'none', 'strong_wolfe', 'strongWolfe', got 'armijo'"],
    [() => optim.adan({ betas: [0.98, 0.92] as never }), 'adan: betas must be an array of 3 numbers in [0, 1), got [0.98, 0.92]'],
    [() => optim.adabound({ gamma: 1 }), 'adabound: gamma must be in (0, 1), got 1'],
    [() => optim.adabound({ lr: 0 }), 'adabound: lr at step 0 must be > 0 (the final rate scales with lr / lr_0), got 0'],
    [() => optim.adafactor({ decayRate: 0 }), 'adafactor: decayRate must be in (0, 1], got 0'],
    [() => optim.adafactor({ clipThreshold: 0 }), 'adafactor: clipThreshold must be in (0, inf), got 0'],
    [() => optim.fadam({ clip: 0 }), 'fadam: clip must be in (0, inf), got 0'],
    [() => optim.lars({} as never), "lars: lr is required (optax's lars has no default)"],
    [() => optim.lamb({} as never), "lamb: lr is required (optax's lamb has no default)"],
    [() => optim.sgdp({ momentum: 0.9 } as never), 'sgdp: lr is required (the official SGDP has no default)'],
    [() => optim.adamp({ wdRatio: 2 }), 'adamp: wdRatio must be in [0, 1], got 2'],
    [() => optim.adamp({ channelAxis: 1 as never }), "adamp: channelAxis must be one of '0', '-1', got '1'"],
    [() => optim.laprop({ weightDecay: 1.5 }), 'laprop: weightDecay must be in [0, 1], got 1.5'],
    [() => optim.amsgrad({ variant: 'keras' as never }), "amsgrad: variant must be one of 'torch', 'optax', 'paper', got 'keras'"],
    [() => optim.clipByGlobalNorm(0), 'clipByGlobalNorm: maxNorm must be in (0, inf), got 0'],
    [() => optim.multiSteps(optim.identity(), 0), 'multiSteps: everyK must be an integer in [1, inf), got 0'],
    [() => optim.chain(optim.identity(), {} as never), 'chain: argument 1 is not a gradient transformation (an object with init and update)'],
  ];
  for (const [f, message] of cases) assert.throws(f, { message });
});

test('every optimizer refuses a negative learning rate and unknown options', () => {
  for (const name of Object.keys(OPTIMIZERS)) {
    if (name !== 'adafactor') assert.throws(() => create(name, { lr: -1 }), new RegExp(`^\\w+Error: ${name}: lr must be in \\[0, inf\\), got -1`), name);
    assert.throws(() => create(name, { learningRate: 0.1 }), new RegExp(`${name}: unknown option 'learningRate'`), name);
  }
});

test('every beta-like argument is checked against [0, 1)', () => {
  const betas: Record<string, string> = {
    adam: 'betas', adamw: 'betas', adamax: 'betas', nadam: 'betas', radam: 'betas', amsgrad: 'betas', adabelief: 'betas',
    adabound: 'betas', laprop: 'betas', diffgrad: 'betas', fadam: 'betas', lamb: 'betas', novograd: 'betas', adamp: 'betas',
  };
  for (const [name, key] of Object.entries(betas)) {
    assert.throws(() => create(name, { [key]: [0.9, -0.1] }), new RegExp(`${name}: ${key}\\[1\\] must be in \\[0, 1\\), got -0.1`), name);
  }
});
