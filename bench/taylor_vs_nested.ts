/**
 * Input derivatives for PDE residuals: Taylor mode vs nested reverse mode, and the full
 * Burgers PINN step, against PyTorch on the same machine in the same run.
 *
 * Problem: 2-32-32-32-1 tanh MLP, 2000 collocation points (t, x).
 *   uxx        u_xx at every point (forward only)
 *   loss+grad  mean (u_t + u u_x - (0.01/pi) u_xx)^2 and its gradient to all parameters
 *   adam step  loss+grad and one Adam update
 *
 *   npx tsc -b && node dist/bench/taylor_vs_nested.js [--backend wasm|cpu] [--repeats 20] [--json]
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tf, nn, ad, useBackend } from '../lib/index.js';
import { repoRoot } from '../tests/helpers.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const repeats = Number(option('repeats', '20'));
const backend = await useBackend(option('backend', 'wasm'));

async function medianMs(fn: () => void): Promise<number> {
  for (let i = 0; i < 3; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const net = nn.mlp({ sizes: [2, 32, 32, 32, 1], activation: 'tanh', seed: 0 });
const rng = new (await import('../lib/index.js')).Rng(1);
const points = tf.tensor2d(Array.from({ length: 2000 }, () => [rng.uniform(), 2 * rng.uniform() - 1]));
const nu = 0.01 / Math.PI;

function burgersLoss(method: 'taylor' | 'nested'): tf.Scalar {
  const r = ad.inputDerivatives(net, points, { first: [0, 1], second: [[1, 1]] }, { method });
  return tf.mean(tf.square(tf.sub(tf.add(r.d(0), tf.mul(r.u, r.d(1))), tf.mul(nu, r.d2(1, 1)))));
}

const optimizer = tf.train.adam(1e-3);
const results: Record<string, number> = {};
for (const method of ['taylor', 'nested'] as const) {
  results[`uxx_ms_${method}`] = await medianMs(() => tf.tidy(() => {
    ad.inputDerivatives(net, points, { second: [[1, 1]] }, { method }).d2(1, 1).dataSync();
  }));
  results[`loss_grad_ms_${method}`] = await medianMs(() => tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => burgersLoss(method), net.variables);
    value.dataSync();
    tf.dispose(grads);
  }));
  results[`adam_step_ms_${method}`] = await medianMs(() => {
    const loss = optimizer.minimize(() => burgersLoss(method), true, net.variables);
    loss?.dataSync();
    loss?.dispose();
  });
}

const torch = spawnSync('/work/main/.venv-ref/bin/python', [join(repoRoot(), 'bench', 'burgers_torch.py'), String(repeats)], { encoding: 'utf8' });
const reference = torch.status === 0 ? JSON.parse(torch.stdout.trim().split('\n').pop()!) : null;

if (args.includes('--json')) {
  console.log(JSON.stringify({ backend, optilab: results, torch: reference }));
} else {
  const best = (key: string) => (reference ? Math.min(reference[`${key}_1t`], reference[`${key}_2t`]) : NaN);
  const row = (label: string, ms: number, torchMs: number) =>
    console.log(`${label.padEnd(34)} ${ms.toFixed(2).padStart(8)} ms   torch ${torchMs.toFixed(2).padStart(7)} ms   ratio ${(ms / torchMs).toFixed(2)}`);
  console.log(`Burgers PINN, 2-32-32-32-1 tanh, 2000 points, backend ${backend}, median of ${repeats}`);
  row('u_xx, Taylor mode', results.uxx_ms_taylor, best('uxx_ms'));
  row('u_xx, nested reverse mode', results.uxx_ms_nested, best('uxx_ms'));
  row('loss + parameter gradient, Taylor', results.loss_grad_ms_taylor, best('adam_step_ms'));
  row('loss + parameter gradient, nested', results.loss_grad_ms_nested, best('adam_step_ms'));
  row('Adam step, Taylor', results.adam_step_ms_taylor, best('adam_step_ms'));
  row('Adam step, nested', results.adam_step_ms_nested, best('adam_step_ms'));
  if (reference) console.log(`torch ${reference.torch}: ${JSON.stringify(reference)}`);
  else console.log(`PyTorch reference unavailable: ${torch.stderr}`);
}
