/**
 * Benchmark `fno-1d`: one training step of a 4-layer 1-D FNO (16 modes, width 32,
 * projection 128) on a batch of 20 inputs at 128 points: relative L2 loss, backward,
 * one Adam step (lr 1e-3, weight decay 1e-4), against bench/torch/fno_1d.py (the same
 * network as bench/fno_burgers.ts trains).
 */
import { tf, operators, optim } from '../lib/index.js';
import { stepBenchmark } from './harness.js';

export const fno1d = stepBenchmark({
  name: 'fno-1d',
  title: 'FNO 1-D (4 layers, 16 modes, width 32), one Adam step on a batch of 20 at 128 points',
  label: 'training step',
  key: 'fno_1d_ms_per_step',
  torch: { script: 'fno_1d.py' },
  async setup() {
    const model = operators.fno1d({ modes: 16, width: 32, layers: 4, projectionWidth: 128, seed: 0 });
    const a = tf.randomNormal([20, 128], 0, 1, 'float32', 1);
    const y = tf.randomNormal([20, 128], 0, 1, 'float32', 2);
    const opt = optim.adam({ lr: 1e-3, weightDecay: 1e-4 });
    return {
      step: () => { opt.step(() => operators.relativeL2Loss(model.apply(a), y), model.variables); },
      dispose: () => { opt.dispose(); model.dispose(); tf.dispose([a, y]); },
    };
  },
});
