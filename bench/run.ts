/**
 * `npm run bench [-- --only NAME[,NAME...]] [--json] [--rounds N] [--sample-ms MS] [--no-torch]`
 *
 * Runs the speed benchmarks, each against PyTorch (or ipykernel) on the same machine in
 * the same run, samples interleaved, and prints optilab's median time, the reference's
 * and the ratio optilab / best reference (lower is better). --json prints one JSON object
 * instead of the table. A Python with torch is found or made (bench/python.ts); --no-torch
 * times optilab alone.
 *
 * Benchmarks: pinn-burgers, pinn-burgers-lbfgs, adamw-1m, mlp-digits, fno-1d, kernel.
 */
import { cpus, loadavg } from 'node:os';
import { tf, backendName } from '../lib/index.js';
import { type Benchmark, type BenchmarkResult } from './harness.js';
import { ensureTorchPython } from './python.js';
import { pinnBurgers, pinnBurgersLbfgs } from './pinn_burgers.js';
import { adamw1m } from './adamw_1m.js';
import { mlpDigits } from './mlp_digits.js';
import { fno1d } from './fno_1d.js';
import { kernelLatency } from './kernel_latency.js';

const BENCHMARKS: Benchmark[] = [pinnBurgers, pinnBurgersLbfgs, adamw1m, mlpDigits, fno1d, kernelLatency];

function parseArgs(argv: string[]) {
  const known = ['--only', '--json', '--rounds', '--sample-ms', '--no-torch', '--help'];
  const value = (name: string) => {
    const i = argv.indexOf(name);
    if (i < 0) return undefined;
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`bench: ${name} needs a value`);
    return v;
  };
  for (const a of argv) if (a.startsWith('--') && !known.includes(a)) throw new Error(`bench: unknown option ${a}; accepted: ${known.join(', ')}`);
  const names = BENCHMARKS.map((b) => b.name);
  const only = value('--only')?.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of only ?? []) if (!names.includes(n)) throw new Error(`bench: --only names '${n}', not a benchmark; benchmarks: ${names.join(', ')}`);
  const positive = (name: string, dflt: number) => {
    const v = value(name);
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`bench: ${name} must be a positive number, got '${v}'`);
    return n;
  };
  return { only, json: argv.includes('--json'), noTorch: argv.includes('--no-torch'), help: argv.includes('--help'), rounds: Math.round(positive('--rounds', 7)), sampleMs: positive('--sample-ms', 150) };
}

const fmt = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

function table(results: BenchmarkResult[]): string {
  const lines = ['| benchmark | step | optilab (ms) | reference | 1 thread (ms) | 2 threads (ms) | ratio |', '|---|---|---:|---|---:|---:|---:|'];
  for (const r of results) {
    for (const row of r.rows) {
      const ref = row.reference;
      const cols = 'ipykernel' in ref ? [fmt(ref.ipykernel), '—'] : [fmt(ref['1 thread']), fmt(ref['2 threads'])];
      lines.push(`| ${r.name} | ${row.label} | ${fmt(row.optilab)} | ${row.referenceName ?? 'not found'} | ${cols.join(' | ')} | ${row.ratio === null ? '—' : row.ratio.toFixed(2)} |`);
    }
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    console.log(`npm run bench [-- --only NAME[,NAME...]] [--json] [--rounds N] [--sample-ms MS] [--no-torch]\nbenchmarks: ${BENCHMARKS.map((b) => `\n  ${b.name.padEnd(20)} ${b.title}`).join('')}`);
    return;
  }
  await tf.ready();
  const log = (line: string) => process.stderr.write(line + '\n');
  const selected = BENCHMARKS.filter((b) => !args.only || args.only.includes(b.name));
  const needsTorch = !args.noTorch && selected.some((b) => b.name !== 'kernel');
  const python = needsTorch ? ensureTorchPython(log) : undefined;
  if (needsTorch && !python) log('PyTorch not available: the torch columns stay empty');
  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version, backend: backendName(), loadBefore: loadavg()[0] };
  const results: BenchmarkResult[] = [];
  for (const b of selected) {
    log(`${b.name}: ${b.title}`);
    const r = await b.run({ python, rounds: args.rounds, sampleMs: args.sampleMs, log });
    results.push(r);
    if (!args.json) {
      for (const row of r.rows) log(`  ${row.label}: optilab ${fmt(row.optilab)} ms, ${Object.entries(row.reference).map(([k, v]) => `${row.referenceName} ${k} ${fmt(v)} ms`).join(', ') || 'no reference'}, ratio ${row.ratio === null ? '—' : row.ratio.toFixed(2)}`);
      for (const n of r.notes) log(`  ${n}`);
    }
  }
  const loadAfter = loadavg()[0];
  if (args.json) {
    const flat: Record<string, unknown> = {};
    for (const r of results) for (const [k, v] of Object.entries(r.keys)) if (k.endsWith('_ms_per_step') && !k.startsWith('torch_')) flat[k] = v;
    console.log(JSON.stringify({ machine: { ...machine, loadAfter }, rounds: args.rounds, ...flat, benchmarks: results }));
    return;
  }
  console.log(`\n${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, optilab backend ${machine.backend}; load average ${machine.loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after; medians of ${args.rounds} interleaved rounds\n`);
  console.log(table(results));
  const notes = results.flatMap((r) => r.notes.map((n) => `- ${r.name}: ${n}`));
  if (notes.length) console.log('\n' + notes.join('\n'));
  console.log('\nratio = optilab / best reference (the faster of torch at 1 and 2 threads), per round, median over rounds; below 1 optilab is faster.');
}

await main();
