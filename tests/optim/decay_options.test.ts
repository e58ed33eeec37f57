/** AdamW's paper-form decay (weightDecayScale: 'schedule') and Adafactor's fixed beta2 with the folded bias correction. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, optim } from '../../lib/index.js';
import { assertClose } from '../helpers.js';

test("adamw weightDecayScale 'schedule': decay eta_t * wd, independent of the base learning rate", () => {
  // Same trajectory as torch-form AdamW with weightDecay = wd / lr at a constant learning rate.
  const run = (opt: optim.OptilabOptimizer) => {
    const w = tf.variable(tf.tensor1d([1, -2, 3]));
    for (let i = 0; i < 5; i++) opt.step(() => tf.sum(tf.square(tf.sub(w, tf.tensor1d([0.5, 0.5, 0.5])))) as tf.Scalar, [w]);
    const out = Array.from(w.dataSync());
    w.dispose();
    opt.dispose();
    return out;
  };
  assertClose(run(optim.adamw({ lr: 0.01, weightDecay: 0.1, weightDecayScale: 'schedule' })), run(optim.adamw({ lr: 0.01, weightDecay: 10 })), { rtol: 1e-6 });
  // With a zero gradient only the decay acts: p_t = p_0 * prod (1 - (lr_t / lr_0) * wd).
  const lr = optim.schedules.linear({ initValue: 0.01, endValue: 0.005, transitionSteps: 4 });
  const opt = optim.adamw({ lr, weightDecay: 0.2, weightDecayScale: 'schedule' });
  const w = tf.variable(tf.scalar(1));
  let expected = 1;
  for (let t = 0; t < 4; t++) {
    opt.step(() => tf.mul(w, 0) as tf.Scalar, [w]);
    expected *= 1 - (lr(t) / 0.01) * 0.2;
  }
  assertClose(w.dataSync()[0], expected, { rtol: 1e-6 });
  // the base learning rate does not change the decay
  const other = optim.adamw({ lr: 0.5, weightDecay: 0.2, weightDecayScale: 'schedule' });
  const v = tf.variable(tf.scalar(1));
  other.step(() => tf.mul(v, 0) as tf.Scalar, [v]);
  assertClose(v.dataSync()[0], 0.8, { rtol: 1e-6 });
  assert.throws(() => optim.adamw({ weightDecayScale: 'epoch' as 'lr' }), /adamw: weightDecayScale must be one of/);
  const rebuilt = (optim.AdamW as unknown as { fromConfig: (c: unknown, cfg: unknown) => optim.OptilabOptimizer }).fromConfig(optim.AdamW, JSON.parse(JSON.stringify(other.getConfig())));
  assert.equal(rebuilt.config.weightDecayScale, 'schedule');
  rebuilt.dispose();
  tf.dispose([w, v]);
  opt.dispose();
  other.dispose();
});

test('adafactor beta2: the decay folds in Adam\'s bias correction, so the second moment is the bias-corrected average', () => {
  const b2 = 0.9, lr = 0.1;
  const grads = [[0.5, -1, 2], [1.5, 0.2, -0.3], [-0.7, 0.9, 1.1]];
  const opt = optim.adafactor({ lr, beta2: b2, multiplyByParameterScale: false, clipThreshold: Infinity, eps1: 0 });
  const w = tf.variable(tf.tensor1d([0, 0, 0]));
  let expected = [0, 0, 0];
  grads.forEach((g, k) => {
    const gt = tf.tensor1d(g);
    opt.step(() => tf.sum(tf.mul(gt, w)) as tf.Scalar, [w]);
    gt.dispose();
    const t = k + 1;
    expected = expected.map((p, i) => {
      // v_hat_t = sum_s b2^(t-s) (1 - b2) g_s^2 / (1 - b2^t)
      let v = 0;
      for (let s = 1; s <= t; s++) v += b2 ** (t - s) * (1 - b2) * grads[s - 1][i] ** 2;
      return p - (lr * g[i]) / Math.sqrt(v / (1 - b2 ** t));
    });
    assertClose(w.dataSync(), expected, { rtol: 1e-5 }, `step ${t}`);
  });
  assert.throws(() => optim.adafactor({ beta2: 0.9, decayRate: 0.8 }), /give decayRate .* or beta2 .* not both/);
  assert.throws(() => optim.adafactor({ beta2: 1 }), /beta2/);
  w.dispose();
  opt.dispose();
});
