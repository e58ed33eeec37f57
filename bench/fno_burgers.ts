/**
 * FNO on 1-D Burgers (the `burgers1d` data set: 1000 training and 200 test
 * samples at 128 points, nu = 0.1, T = 1): the relative L2 test error, the model
 * size and the training time on this machine, the same network trained by
 * PyTorch on the same arrays with the same protocol (per-step time ratio and its
 * test error), and resolution transfer: a model trained at 64 points evaluated
 * at 32, 64, 128 and 256 points without retraining.
 *
 *   npx tsc -b && node dist/bench/fno_burgers.js [--epochs 100] [--no-torch] [--no-transfer] [--json]
 *
 * Protocol (neuraloperator's fourier_1d.py at width 32): modes 16, width 32,
 * 4 Fourier layers, projection 128, GELU; Adam lr 1e-3, weight decay 1e-4,
 * cosine decay to 0 over the run (the original uses 500 epochs with a step
 * schedule), batch 20, relative L2 loss.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf, operators, seed, backendName } from '../lib/index.js';
import { repoRoot } from '../tests/helpers.js';
import { findTorchPython } from './python.js';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const EPOCHS = option('epochs', 100);
const CONFIG = { modes: 16, width: 32, layers: 4, projectionWidth: 128 };

function train(x: tf.Tensor, y: tf.Tensor, xt: tf.Tensor, yt: tf.Tensor, label: string) {
  seed(0);
  const model = operators.fno1d({ ...CONFIG, seed: 0 });
  const run = operators.fit(model, { x, y, epochs: EPOCHS, batchSize: 20, test: { x: xt, y: yt }, evalEvery: Math.max(1, Math.floor(EPOCHS / 10)), seed: 1, progress: label });
  return { model, run };
}

function torchRun(x: tf.Tensor, y: tf.Tensor, xt: tf.Tensor, yt: tf.Tensor) {
  const python = findTorchPython();
  if (!python) return null;
  const dir = mkdtempSync(join(tmpdir(), 'fno-burgers-'));
  try {
    const write = (name: string, t: tf.Tensor) => writeFileSync(join(dir, name), Buffer.from((t.dataSync() as Float32Array).buffer));
    write('x_train.f32', x);
    write('y_train.f32', y);
    write('x_test.f32', xt);
    write('y_test.f32', yt);
    writeFileSync(join(dir, 'shape.json'), JSON.stringify({ train: x.shape[0], test: xt.shape[0], n: x.shape[1] }));
    const script = join(repoRoot(), 'bench', 'torch', 'fno_burgers.py');
    const r = spawnSync(python, [script, '--data', dir, '--epochs', String(EPOCHS), '--threads', '1'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`torch run failed (${python}): ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as { test_error: number; params: number; seconds: number; ms_per_step: number; steps: number; torch: string };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  await tf.ready();
  const train128 = await operators.loadDataset('burgers1d', { split: 'train' });
  const test128 = await operators.loadDataset('burgers1d', { split: 'test' });
  const { x, y } = train128;
  const [xt, yt] = [test128.x, test128.y];

  const main128 = train(x, y, xt, yt, 'FNO at 128 points');
  const result: Record<string, unknown> = {
    backend: backendName(),
    epochs: EPOCHS,
    config: CONFIG,
    train: x.shape[0],
    test: xt.shape[0],
    params: main128.model.paramCount,
    testError: main128.run.testError,
    seconds: main128.run.seconds,
    msPerStep: (1000 * main128.run.seconds) / main128.run.steps,
    history: main128.run.history,
  };

  if (!flag('no-transfer')) {
    const [x64, y64, xt64, yt64] = [x, y, xt, yt].map((t) => operators.resample(t, [64]));
    const low = train(x64, y64, xt64, yt64, 'FNO at 64 points');
    result.transfer = {
      trainedAt: 64,
      seconds: low.run.seconds,
      rows: operators.resolutionTransfer(low.model, { x: xt, y: yt, resolutions: [32, 64, 128, 256] }),
      // the model trained at 128 points, for comparison at the same resolutions
      rows128: operators.resolutionTransfer(main128.model, { x: xt, y: yt, resolutions: [32, 64, 128, 256] }),
    };
  }
  if (!flag('no-torch')) result.torch = torchRun(x, y, xt, yt);

  if (flag('json')) {
    console.log(JSON.stringify(result));
    return;
  }
  const f = (v: number, d = 4) => v.toFixed(d);
  console.log(`FNO1d on burgers1d (${result.train} train / ${result.test} test, 128 points), ${EPOCHS} epochs, ${backendName()} backend`);
  console.log(`  parameters ${result.params}, test relative L2 ${f(main128.run.testError)}, training ${f(main128.run.seconds, 1)} s (${f(result.msPerStep as number, 1)} ms/step)`);
  const t = result.torch as ReturnType<typeof torchRun>;
  if (t) console.log(`  torch ${t.torch} (1 thread): parameters ${t.params}, test relative L2 ${f(t.test_error)}, training ${f(t.seconds, 1)} s (${f(t.ms_per_step, 1)} ms/step); time ratio optilab / torch ${f(main128.run.seconds / t.seconds, 2)}`);
  const tr = result.transfer as { rows: operators.TransferRow[]; rows128: operators.TransferRow[]; seconds: number } | undefined;
  if (tr) {
    console.log(`  resolution transfer (trained at 64 points in ${f(tr.seconds, 1)} s | trained at 128):`);
    tr.rows.forEach((r, i) => console.log(`    ${r.resolution} points: ${f(r.relativeL2)} | ${f(tr.rows128[i].relativeL2)}`));
  }
}

await main();
