/**
 * The benchmark harness runs one benchmark and emits the JSON keys the speed table is
 * built from. Times are never asserted: only that they are positive numbers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../helpers.js';
import { findTorchPython } from '../../bench/python.js';

const run = (args: string[]) => spawnSync(process.execPath, [join(repoRoot(), 'dist', 'bench', 'run.js'), ...args], { encoding: 'utf8', timeout: 120_000 });

test('npm run bench -- --only pinn-burgers --json emits pinn_burgers_ms_per_step', () => {
  const torch = findTorchPython() !== undefined;
  const r = run(['--only', 'pinn-burgers', '--json', '--rounds', '1', '--sample-ms', '1', ...(torch ? [] : ['--no-torch'])]);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
  assert.ok(out.pinn_burgers_ms_per_step > 0, `pinn_burgers_ms_per_step: ${out.pinn_burgers_ms_per_step}`);
  assert.equal(out.benchmarks.length, 1);
  const b = out.benchmarks[0];
  assert.equal(b.name, 'pinn-burgers');
  assert.equal(b.keys.pinn_burgers_ms_per_step, out.pinn_burgers_ms_per_step);
  if (torch) {
    assert.ok(b.keys.torch_1_thread_ms_per_step > 0 && b.keys.torch_2_threads_ms_per_step > 0, JSON.stringify(b.keys));
    // one round: the ratio is that round's optilab time over its best torch time
    const best = Math.min(b.keys.torch_1_thread_ms_per_step, b.keys.torch_2_threads_ms_per_step);
    assert.ok(Math.abs(b.keys.ratio - out.pinn_burgers_ms_per_step / best) < 1e-9 * b.keys.ratio);
  }
});

test('bench names an unknown benchmark and lists the known ones', () => {
  const r = run(['--only', 'pinn-burger']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /--only names 'pinn-burger', not a benchmark; benchmarks: pinn-burgers, pinn-burgers-lbfgs, adamw-1m, mlp-digits, fno-1d, kernel/);
});
