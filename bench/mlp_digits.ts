/**
 * Benchmark `mlp-digits`: one training step of a 64-128-128-10 ReLU MLP on a batch of
 * 128 digits-shaped inputs (64 features, 10 classes): forward, softmax cross-entropy,
 * backward and one Adam step (lr 1e-3), against bench/torch/mlp_digits.py.
 */
import { tf, nn, optim, Rng } from '../lib/index.js';
import { stepBenchmark } from './harness.js';

export const mlpDigits = stepBenchmark({
  name: 'mlp-digits',
  title: 'MLP 64-128-128-10 (ReLU), one Adam step on a batch of 128, softmax cross-entropy',
  label: 'training step',
  key: 'mlp_digits_ms_per_step',
  torch: { script: 'mlp_digits.py' },
  async setup() {
    const net = nn.mlp({ sizes: [64, 128, 128, 10], activation: 'relu', seed: 0 });
    const rng = new Rng(2);
    const x = tf.tensor2d(Float32Array.from({ length: 128 * 64 }, () => 16 * rng.uniform()), [128, 64]);
    const y = tf.tensor1d(Int32Array.from({ length: 128 }, () => Math.floor(10 * rng.uniform())), 'int32');
    const opt = optim.adam({ lr: 1e-3 });
    return {
      step: () => {
        const loss = opt.minimize(() => nn.crossEntropy(net.apply(x), y), true, net.variables);
        loss!.dataSync();
        loss!.dispose();
      },
      dispose: () => { opt.dispose(); net.dispose(); tf.dispose([x, y]); },
    };
  },
});
