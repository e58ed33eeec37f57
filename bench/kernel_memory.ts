/**
 * Kernel memory over many cells that create tensors and keep few of them: TF.js's tensor
 * count and bytes, and the kernel process's resident memory (RSS), every 50 cells, with
 * the executor freeing unreachable tensors (the default) and without (OPTILAB_TENSOR_GC=off),
 * in the same run.
 *
 *   npx tsc -b && node dist/bench/kernel_memory.js [--cells 500]
 *
 * Not a test: RSS depends on the machine, its load and V8's heuristics.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KernelClient } from '../kernel/client/index.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CELLS = arg('--cells', 500);
const EVERY = 50;

/** The cells, in turn: a displayed result, a re-assigned global, an object of tensors, printed numbers. */
export function memoryCell(i: number): string {
  switch (i % 4) {
    case 0:
      return `tf.matMul(tf.randomNormal([256, 256]), tf.randomNormal([256, 256])).mean()`;
    case 1:
      return `const w = tf.randomNormal([256, 256]);`;
    case 2:
      return `const stats = { m: tf.mean(w), v: tf.moments(w).variance };`;
    default:
      return `console.log(tf.square(w).sum().dataSync()[0].toFixed(1))`;
  }
}

function rssMb(pid: number): number {
  const kb = Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)?.[1]);
  return kb / 1024;
}

interface Sample {
  cells: number;
  tensors: number;
  mb: number;
  rss: number;
}

async function sample(k: KernelClient, cells: number): Promise<Sample> {
  const r = await k.execute('const mem = tf.memory(); [mem.numTensors, mem.numBytes]', { timeoutMs: 60_000 });
  const [tensors, bytes] = JSON.parse(r.iopub.find((m) => m.header.msg_type === 'execute_result')!.content.data['text/plain']);
  return { cells, tensors, mb: bytes / 2 ** 20, rss: rssMb(k.process.pid!) };
}

async function run(collect: boolean): Promise<{ samples: Sample[]; afterCollect: Sample }> {
  const cwd = mkdtempSync(join(tmpdir(), 'optilab-membench-'));
  const k = await KernelClient.start({ cwd, env: { ...process.env, OPTILAB_TENSOR_GC: collect ? 'on' : 'off' } });
  try {
    const samples = [await sample(k, 0)];
    for (let i = 0; i < CELLS; i++) {
      const r = await k.execute(memoryCell(i), { timeoutMs: 60_000 });
      if (r.reply.content.status !== 'ok') throw new Error(`cell ${i}: ${r.reply.content.evalue}`);
      if ((i + 1) % EVERY === 0) samples.push(await sample(k, i + 1));
    }
    await k.execute('await (globalThis as any)[Symbol.for("optilab.collectTensors")]()', { timeoutMs: 60_000 });
    return { samples, afterCollect: await sample(k, CELLS) };
  } finally {
    await k.shutdown();
    rmSync(cwd, { recursive: true, force: true });
  }
}

const fmt = (s: Sample) => `${s.tensors} | ${s.mb.toFixed(1)} | ${s.rss.toFixed(0)}`;

async function main(): Promise<void> {
  const off = await run(false);
  const on = await run(true);
  console.log(`| cells | without: tensors | MB | RSS MB | with: tensors | MB | RSS MB |`);
  console.log(`|---:|---:|---:|---:|---:|---:|---:|`);
  for (let i = 0; i < off.samples.length; i++) console.log(`| ${off.samples[i].cells} | ${fmt(off.samples[i])} | ${fmt(on.samples[i])} |`);
  console.log(`| ${CELLS}, then a forced collection | ${fmt(off.afterCollect)} | ${fmt(on.afterCollect)} |`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
