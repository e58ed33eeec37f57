/**
 * Benchmark `adamw-1m`: one AdamW update over 1M parameters (10 tensors of 100k,
 * lr 1e-3, weight decay 1e-2) through `tf.Optimizer.applyGradients` (optilab's fused
 * wasm kernel), against torch.optim.AdamW(foreach=True) in bench/torch/adamw_1m.py.
 */
import { tf, optim } from '../lib/index.js';
import { stepBenchmark } from './harness.js';

const TENSORS = 10;
const SIZE = 100_000;

export const adamw1m = stepBenchmark({
  name: 'adamw-1m',
  title: `AdamW, one update over ${(TENSORS * SIZE).toLocaleString('en')} parameters (${TENSORS} x ${SIZE.toLocaleString('en')})`,
  label: 'update',
  key: 'adamw_1m_ms_per_step',
  torch: { script: 'adamw_1m.py' },
  warmup: 20,
  async setup() {
    const vars = Array.from({ length: TENSORS }, (_, i) => tf.variable(tf.randomNormal([SIZE], 0, 1, 'float32', i), true, `adamw_1m/w${i}_${Math.random()}`));
    const grads: tf.NamedTensorMap = {};
    vars.forEach((v, i) => (grads[v.name] = tf.randomNormal([SIZE], 0, 1, 'float32', 100 + i)));
    const opt = optim.adamw({ lr: 1e-3, weightDecay: 1e-2 });
    return {
      step: () => {
        opt.applyGradients(grads);
        // reading one value waits for any pending work
        vars[0].dataSync();
      },
      dispose: () => { opt.dispose(); tf.dispose([...vars, ...Object.values(grads)]); },
    };
  },
});
