/**
 * Kernel latency: time from starting the kernel process to the result of its first
 * trivial cell, and the round trip of a trivial cell once warm; optilab against
 * ipykernel (Debian's python3-ipykernel) on the same machine in the same run.
 *
 *   npx tsc -b && node dist/bench/kernel_latency.js [--starts 5] [--cells 200]
 *   npm run bench -- --only kernel        (fewer starts and cells)
 *
 * Not a test: numbers depend on the machine and its load.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KernelClient } from '../kernel/client/index.js';
import { pathToFileURL } from 'node:url';
import { cliPath } from '../kernel/paths.js';
import { type Benchmark, type Row, median } from './harness.js';

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

async function roundTrips(k: Kernel, cwd: string, cells: number): Promise<number[]> {
  const client = await KernelClient.start({ argv: k.argv, cwd });
  // Warm up, then let background start-up work (the type checker's tiers) finish.
  for (let i = 0; i < 20; i++) await client.execute(k.trivial(i));
  await new Promise((r) => setTimeout(r, 5000));
  const times: number[] = [];
  for (let i = 0; i < cells; i++) {
    const t0 = performance.now();
    await client.execute(k.trivial(1000 + i), { timeoutMs: 60_000 });
    times.push(performance.now() - t0);
  }
  await client.shutdown();
  return times;
}

export interface KernelLatency {
  name: string;
  /** Process start to the first result of a trivial cell, one per start (ms). */
  starts: number[];
  /** Process start to the first result of a cell using tf (optilab only, ms). */
  library: number[];
  /** Warm round trips of a trivial cell (ms). */
  roundTrips: number[];
}

/** Times optilab's kernel and ipykernel (when /usr/bin/python3 has it), one after the other. */
export async function measureKernels(starts: number, cells: number, log: (line: string) => void = (l) => process.stderr.write(l + '\n')): Promise<KernelLatency[]> {
  const kernels: Kernel[] = [
    { name: 'optilab', argv: [process.execPath, cliPath, 'kernel', '--connection-file', '{connection_file}'], trivial: (i) => `${i} + 1`, library: 'tf.scalar(2).dataSync()[0]' },
  ];
  if (spawnSync('/usr/bin/python3', ['-c', 'import ipykernel']).status === 0) {
    kernels.push({ name: 'ipykernel', argv: ['/usr/bin/python3', '-m', 'ipykernel_launcher', '-f', '{connection_file}'], trivial: (i) => `${i} + 1` });
  } else {
    log('ipykernel is not installed for /usr/bin/python3 (apt-get install python3-ipykernel): measuring optilab only');
  }
  const cwd = mkdtempSync(join(tmpdir(), 'optilab-bench-'));
  const out: KernelLatency[] = [];
  try {
    for (const k of kernels) {
      const times: number[] = [];
      for (let i = 0; i < starts; i++) times.push(await firstResult(k, cwd, k.trivial(i)));
      const lib: number[] = [];
      if (k.library) for (let i = 0; i < starts; i++) lib.push(await firstResult(k, cwd, k.library));
      out.push({ name: k.name, starts: times, library: lib, roundTrips: await roundTrips(k, cwd, cells) });
      log(`${k.name} done`);
    }
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
  return out;
}

/** The `kernel` benchmark of `npm run bench`: start-up and warm round trip against ipykernel. */
export const kernelLatency: Benchmark = {
  name: 'kernel',
  title: 'Jupyter kernel: process start to first result, and warm cell round trip, against ipykernel',
  async run(ctx) {
    const starts = Math.max(3, ctx.rounds);
    const cells = 50;
    const [ours, ipy] = await measureKernels(starts, cells, ctx.log);
    const row = (label: string, pick: (k: KernelLatency) => number[]): Row => {
      const optilab = median(pick(ours));
      const reference: Record<string, number> = ipy ? { ipykernel: median(pick(ipy)) } : {};
      return { label, unit: 'ms', optilab, reference, referenceName: ipy ? 'ipykernel' : null, ratio: ipy ? optilab / reference.ipykernel! : null };
    };
    const rows = [row('start to first result of `i + 1`', (k) => k.starts), row('warm round trip of `i + 1`', (k) => k.roundTrips)];
    return {
      name: 'kernel',
      title: this.title,
      rows,
      keys: {
        kernel_start_ms: rows[0].optilab,
        kernel_round_trip_ms: rows[1].optilab,
        ipykernel_start_ms: rows[0].reference.ipykernel ?? null,
        ipykernel_round_trip_ms: rows[1].reference.ipykernel ?? null,
        kernel_start_with_tf_ms: median(ours.library),
      },
      notes: [`optilab: start to the first result of a cell using tf: ${median(ours.library).toFixed(0)} ms (median of ${starts})`],
    };
  },
};

async function main(): Promise<void> {
  const results = await measureKernels(STARTS, CELLS);
  console.log(`Kernel latency (${STARTS} starts, ${CELLS} warm cells each; ms)\n`);
  console.log('| kernel | process start to first result of `i + 1`: median (min–max) | start to first result of a cell using tf | warm round trip of `i + 1`: median | p90 |');
  console.log('|---|---:|---:|---:|---:|');
  for (const r of results) {
    console.log(`| ${r.name} | ${median(r.starts).toFixed(0)} (${Math.min(...r.starts).toFixed(0)}–${Math.max(...r.starts).toFixed(0)}) | ${r.library.length ? median(r.library).toFixed(0) : 'n/a'} | ${median(r.roundTrips).toFixed(1)} | ${quantile(r.roundTrips, 0.9).toFixed(1)} |`);
  }
}

// run directly (node dist/bench/kernel_latency.js): the full table; imported by the harness: nothing
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
