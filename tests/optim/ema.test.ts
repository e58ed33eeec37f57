import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, optim } from '../../lib/index.js';
import { assertClose, readFixture } from '../helpers.js';

const fx = readFixture('optim_ema.json');

test('ParameterEma matches torch AveragedModel with an EMA average along an SGD run', () => {
  for (const c of fx.cases) {
    const w = tf.variable(tf.tensor2d(fx.w0, [3, 2]));
    const b = tf.variable(tf.tensor1d(fx.b0));
    const x = tf.tensor2d(fx.x, [16, 3]);
    const y = tf.tensor2d(fx.y, [16, 2]);
    const ema = new optim.ParameterEma([w, b], { decay: c.decay });
    const opt = optim.sgd({ lr: fx.lr });
    c.steps.forEach((want: { w: number[]; b: number[] }, step: number) => {
      opt.step(() => tf.mean(tf.square(tf.sub(tf.add(tf.matMul(x, w), b), y))) as tf.Scalar, [w, b]);
      ema.update();
      assertClose(Array.from(ema.average[0].dataSync()), want.w, { rtol: 1e-5, atol: 1e-6 }, `decay ${c.decay}, step ${step}, w`);
      assertClose(Array.from(ema.average[1].dataSync()), want.b, { rtol: 1e-5, atol: 1e-6 }, `decay ${c.decay}, step ${step}, b`);
    });
    const target = [tf.variable(tf.zeros([3, 2])), tf.variable(tf.zeros([2]))];
    ema.copyTo(target);
    assert.deepEqual(Array.from(target[1].dataSync()), Array.from(ema.average[1].dataSync()));
    assert.throws(() => ema.copyTo([target[1], target[0]]), /copyTo: target has shapes/);
    tf.dispose([w, b, x, y, ...target]);
    ema.dispose();
    opt.dispose();
  }
  assert.throws(() => new optim.ParameterEma([], {}), /no parameters/);
  assert.throws(() => new optim.ParameterEma([tf.variable(tf.scalar(1))], { decay: 1 }), /decay must be in \[0, 1\)/);
});
