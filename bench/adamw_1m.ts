/**
 * Benchmark `adamw-1m`: one AdamW update over 1M parameters (10 tensors of
 * 100k) with optilab, against torch.optim.AdamW(foreach=True) on the same
 * machine in the same run, torch at 1 and 2 threads.
 *
 *   npx tsc -b && node dist/bench/adamw_1m.js [--json] [--repeats 7] [--inner 50]
 *
 * The torch side is bench/torch/adamw_1m.py, run with $OPTILAB_PYTHON, else the
 * first of .venv-bench/bin/python, /work/main/.venv-ref/bin/python, python3 that
 * imports torch. Reports the median time per update and the ratio optilab /
 * best torch (lower is better). The composite (unfused) chain is timed too, for
 * reference.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tf, optim, backendName } from '../lib/index.js';
import { findTorchPython } from './python.js';

// compiled to dist/bench/adamw_1m.js: the repository is two levels up
const repoRoot = () => fileURLToPath(new URL('../..', import.meta.url));

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const TENSORS = 10;
const SIZE = 100_000;
const REPEATS = option('repeats', 7);
const INNER = option('inner', 50);
const WARMUP = 20;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median ms per AdamW update through `tf.Optimizer.applyGradients`. */
function timeOptilab(make: () => optim.OptilabOptimizer): { ms: number; samples: number[] } {
  const vars = Array.from({ length: TENSORS }, (_, i) => tf.variable(tf.randomNormal([SIZE], 0, 1, 'float32', i), true, `adamw_1m/w${i}_${Math.random()}`));
  const grads: tf.NamedTensorMap = {};
  vars.forEach((v, i) => (grads[v.name] = tf.randomNormal([SIZE], 0, 1, 'float32', 100 + i)));
  const opt = make();
  for (let i = 0; i < WARMUP; i++) opt.applyGradients(grads);
  const samples: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const t0 = performance.now();
    for (let i = 0; i < INNER; i++) opt.applyGradients(grads);
    // reading one value waits for any pending work
    vars[0].dataSync();
    samples.push((performance.now() - t0) / INNER);
  }
  opt.dispose();
  tf.dispose([...vars, ...Object.values(grads)]);
  return { ms: median(samples), samples };
}

function timeTorch(python: string, threads: number): { ms: number; samples: number[]; version: string } {
  const script = join(repoRoot(), 'bench', 'torch', 'adamw_1m.py');
  const r = spawnSync(python, [script, '--threads', String(threads), '--repeats', String(REPEATS), '--inner', String(INNER)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`torch benchmark failed (${python}): ${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
  const version = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).stdout.trim();
  return { ms: out.ms_per_update, samples: out.samples, version };
}

const fused = timeOptilab(() => optim.adamw());
const composite = timeOptilab(() => {
  const t = optim.adamw().transform;
  return optim.fromTransform({ init: t.init, update: t.update });
});
const python = findTorchPython();
const torch1 = python ? timeTorch(python, 1) : undefined;
const torch2 = python ? timeTorch(python, 2) : undefined;
const best = torch1 && torch2 ? Math.min(torch1.ms, torch2.ms) : undefined;
const result = {
  benchmark: 'adamw-1m',
  backend: backendName(),
  parameters: TENSORS * SIZE,
  optilab_ms_per_update: fused.ms,
  optilab_unfused_ms_per_update: composite.ms,
  torch_version: torch1?.version ?? null,
  torch_1_thread_ms_per_update: torch1?.ms ?? null,
  torch_2_threads_ms_per_update: torch2?.ms ?? null,
  ratio: best === undefined ? null : fused.ms / best,
};

if (flag('json')) console.log(JSON.stringify(result));
else {
  const f = (x: number | null) => (x === null ? 'n/a' : `${x.toFixed(3)} ms`);
  console.log(`adamw-1m: one AdamW update over ${result.parameters.toLocaleString('en')} parameters (${TENSORS} x ${SIZE.toLocaleString('en')})`);
  console.log(`  optilab (${result.backend}, fused)   ${f(result.optilab_ms_per_update)}`);
  console.log(`  optilab (${result.backend}, unfused) ${f(result.optilab_unfused_ms_per_update)}`);
  console.log(`  torch ${result.torch_version ?? '(not found)'} foreach, 1 thread   ${f(result.torch_1_thread_ms_per_update)}`);
  console.log(`  torch ${result.torch_version ?? '(not found)'} foreach, 2 threads  ${f(result.torch_2_threads_ms_per_update)}`);
  console.log(`  ratio optilab / best torch: ${result.ratio === null ? 'n/a (torch not found: set OPTILAB_PYTHON)' : result.ratio.toFixed(2)}`);
}
