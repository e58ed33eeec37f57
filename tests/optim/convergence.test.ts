/**
 * Convergence: every optimizer solves an ill-conditioned quadratic; the
 * adaptive ones and L-BFGS also reach the minimum of Rosenbrock's function.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, optim } from '../../lib/index.js';
import { OPTIMIZERS, create } from './catalog.js';
import { rosenbrockLoss } from './problems.js';

// f(x) = 0.5 sum_i l_i (x_i - c_i)^2 with curvatures 1..10 (condition number 10)
const DIM = 10;
const curv = tf.keep(tf.linspace(1, 10, DIM));
const target = tf.keep(tf.fill([DIM], 0.5));

function quadratic(x: tf.Variable): () => tf.Scalar {
  return () => tf.tidy(() => tf.mul(0.5, tf.sum(tf.mul(curv, tf.square(tf.sub(x, target))))) as tf.Scalar);
}

// steps and (where the default needs it) a different learning rate per optimizer
const QUADRATIC_STEPS = 300;
const schedules = optim.schedules;
const QUADRATIC_OVERRIDES: Record<string, Record<string, unknown>> = {
  adadelta: { lr: 1, eps: 1e-2 },
  adafactor: { lr: 0.05 },
  lars: { lr: 0.5, trustCoefficient: 0.05, momentum: 0.9 },
  sgdw: { lr: 0.05, momentum: 0.9, weightDecay: 0 },
  lbfgs: { lr: 1, maxIter: 5, lineSearchFn: 'strong_wolfe' },
  // the trust ratio normalises the step length to lr * ||x||, so LAMB settles only with a decaying lr
  lamb: { lr: schedules.cosineDecay({ initValue: 0.05, decaySteps: QUADRATIC_STEPS }) },
};
// Adan's heavy momentum (b1 = 0.98) needs more steps
const STEPS: Record<string, number> = { lbfgs: 10, adan: 600 };

for (const name of Object.keys(OPTIMIZERS)) {
  test(`${name} solves an ill-conditioned quadratic (loss / 1e4)`, () => {
    const x = tf.variable(tf.fill([DIM], 2));
    const f = quadratic(x);
    const opt = create(name, QUADRATIC_OVERRIDES[name]);
    const f0 = tf.tidy(() => f().dataSync()[0]);
    const steps = STEPS[name] ?? QUADRATIC_STEPS;
    for (let i = 0; i < steps; i++) opt.step(f, [x]);
    const fT = tf.tidy(() => f().dataSync()[0]);
    assert.ok(fT < 1e-4 * f0, `${name}: loss ${f0} -> ${fT} after ${steps} steps`);
    opt.dispose();
    x.dispose();
  });
}

// Rosenbrock from (-1.5, 2): the curved valley defeats plain SGD at 1000 steps but
// not the adaptive methods with a moderate step size, nor L-BFGS.
const ROSENBROCK: Record<string, Record<string, unknown>> = {
  adam: { lr: 0.02 },
  adamw: { lr: 0.02, weightDecay: 0 },
  nadam: { lr: 0.02 },
  amsgrad: { lr: 0.02 },
  // rectified AdaBelief takes plain momentum steps for its first iterations, which overshoot this valley
  adabelief: { lr: 0.02, eps: 1e-8, rectify: false },
  adan: { lr: 0.02 },
  lbfgs: { lr: 1, maxIter: 20, lineSearchFn: 'strong_wolfe' },
};

for (const [name, cfg] of Object.entries(ROSENBROCK)) {
  test(`${name} reaches the minimum of Rosenbrock's function`, () => {
    const xy = tf.variable(tf.tensor1d([-1.5, 2]));
    const f = rosenbrockLoss(xy);
    const opt = create(name, cfg);
    const steps = name === 'lbfgs' ? 10 : 2500;
    for (let i = 0; i < steps; i++) opt.step(f, [xy]);
    const [x, y] = Array.from(xy.dataSync());
    assert.ok(Math.hypot(x - 1, y - 1) < 0.05, `${name}: ended at (${x}, ${y})`);
    opt.dispose();
    xy.dispose();
  });
}
