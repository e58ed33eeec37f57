/**
 * Kernel latency: time from starting the kernel process to the result of its first
 * trivial cell, and the round trip of a trivial cell once warm; optilab against
 * ipykernel (Debian's python3-ipykernel) on the same machine in the same run.
 *
 *   npx tsc -b && node dist/bench/kernel_latency.js [--starts 5] [--cells 200]
 *
 * Not a test: numbers depend on the machine and its load.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KernelClient } from '../kernel/client/index.js';
import { cliPath } from '../kernel/paths.js';

interface Kernel {
  name: string;
  argv: string[];
  /** A trivial cell, made distinct by `i` so that no kernel can answer from a cache. */
  trivial: (i: number) => string;
  /** A first cell that uses the preloaded library. */
  library?: string;
}

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const STARTS = arg('--starts', 5);
const CELLS = arg('--cells', 200);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

async function firstResult(k: Kernel, cwd: string, code: string): Promise<number> {
  const t0 = performance.now();
  const client = await KernelClient.start({ argv: k.argv, cwd });
  const r = await client.execute(code, { timeoutMs: 60_000 });
  const elapsed = performance.now() - t0;
  if (r.reply.content.status !== 'ok') throw new Error(`${k.name}: ${code} failed: ${r.reply.content.evalue}`);
  await client.shutdown();
  return elapsed;
}

async function roundTrips(k: Kernel, cwd: string): Promise<number[]> {
  const client = await KernelClient.start({ argv: k.argv, cwd });
  // Warm up, then let background start-up work (the type checker's tiers) finish.
  for (let i = 0; i < 20; i++) await client.execute(k.trivial(i));
  await new Promise((r) => setTimeout(r, 5000));
  const times: number[] = [];
  for (let i = 0; i < CELLS; i++) {
    const t0 = performance.now();
    await client.execute(k.trivial(1000 + i), { timeoutMs: 60_000 });
    times.push(performance.now() - t0);
  }
  await client.shutdown();
  return times;
}

async function main(): Promise<void> {
  const kernels: Kernel[] = [
    { name: 'optilab', argv: [process.execPath, cliPath, 'kernel', '--connection-file', '{connection_file}'], trivial: (i) => `${i} + 1`, library: 'tf.scalar(2).dataSync()[0]' },
  ];
  if (spawnSync('/usr/bin/python3', ['-c', 'import ipykernel']).status === 0) {
    kernels.push({ name: 'ipykernel', argv: ['/usr/bin/python3', '-m', 'ipykernel_launcher', '-f', '{connection_file}'], trivial: (i) => `${i} + 1` });
  } else {
    process.stderr.write('ipykernel is not installed for /usr/bin/python3 (apt-get install python3-ipykernel): measuring optilab only\n');
  }
  const cwd = mkdtempSync(join(tmpdir(), 'optilab-bench-'));
  const rows: string[] = [];
  try {
    for (const k of kernels) {
      const starts: number[] = [];
      for (let i = 0; i < STARTS; i++) starts.push(await firstResult(k, cwd, k.trivial(i)));
      const lib: number[] = [];
      if (k.library) for (let i = 0; i < STARTS; i++) lib.push(await firstResult(k, cwd, k.library));
      const rt = await roundTrips(k, cwd);
      rows.push(
        `| ${k.name} | ${median(starts).toFixed(0)} (${Math.min(...starts).toFixed(0)}–${Math.max(...starts).toFixed(0)}) | ${lib.length ? median(lib).toFixed(0) : 'n/a'} | ${median(rt).toFixed(1)} | ${quantile(rt, 0.9).toFixed(1)} |`,
      );
      process.stderr.write(`${k.name} done\n`);
    }
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
  console.log(`Kernel latency (${STARTS} starts, ${CELLS} warm cells each; ms)\n`);
  console.log('| kernel | process start to first result of `i + 1`: median (min–max) | start to first result of a cell using tf | warm round trip of `i + 1`: median | p90 |');
  console.log('|---|---:|---:|---:|---:|');
  for (const r of rows) console.log(r);
}

await main();
