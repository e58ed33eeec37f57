/**
 * The benchmark harness behind `npm run bench`: a benchmark times one step of
 * optilab and the same step of PyTorch (a committed script in bench/torch/, served
 * by bench/torch/serve.py) in the same run, interleaved round by round so that the
 * machine's load falls on both alike, and reports medians and the ratio
 * optilab / best torch (lower is better; the best of 1 and 2 intra-op threads), taken
 * round by round and then the median, so that load drifting between rounds cancels.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from '../tests/helpers.js';

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** One line of a benchmark's result. */
export interface Row {
  /** What was timed, e.g. 'Adam step'. */
  label: string;
  unit: 'ms';
  optilab: number;
  /** The reference's times by configuration (e.g. {'1 thread': 9.7, '2 threads': 6.3}); empty without one. */
  reference: Record<string, number>;
  /** The reference's name, e.g. 'torch 2.13.0+cpu' or 'ipykernel 6.17.0'. */
  referenceName: string | null;
  /** optilab / the best reference time (for step benchmarks the median over rounds of each round's ratio), null without a reference. */
  ratio: number | null;
}

export interface BenchmarkResult {
  name: string;
  title: string;
  rows: Row[];
  /** Extra JSON fields (e.g. `pinn_burgers_ms_per_step`). */
  keys: Record<string, number | string | null>;
  notes: string[];
}

export interface Context {
  /** A Python that imports torch, or undefined (then torch columns stay empty). */
  python: string | undefined;
  rounds: number;
  /** Target milliseconds of one sample (steps per sample are chosen to fill it). */
  sampleMs: number;
  log: (line: string) => void;
}

export interface Benchmark {
  name: string;
  title: string;
  run(ctx: Context): Promise<BenchmarkResult>;
}

/** A torch step server (bench/torch/serve.py) for one benchmark script. */
class TorchServer {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterator<string>;
  private stderr = '';
  version = '';

  constructor(python: string, script: string, args: string[]) {
    this.proc = spawn(python, [join(repoRoot(), 'bench', 'torch', script), ...args], { stdio: 'pipe' });
    this.proc.stderr.on('data', (d) => { this.stderr += String(d); });
    this.lines = createInterface({ input: this.proc.stdout })[Symbol.asyncIterator]();
  }

  private async next(): Promise<Record<string, unknown>> {
    const r = await this.lines.next();
    if (r.done) throw new Error(`torch benchmark process ended: ${this.stderr.trim().split('\n').slice(-5).join('\n')}`);
    return JSON.parse(r.value);
  }

  async ready(): Promise<void> {
    const hello = await this.next();
    this.version = String(hello.torch);
  }

  /** Milliseconds per step over `steps` steps at `threads` intra-op threads. */
  async time(threads: number, steps: number): Promise<number> {
    this.proc.stdin.write(JSON.stringify({ threads, steps }) + '\n');
    return Number((await this.next()).ms);
  }

  close(): void {
    this.proc.stdin.end();
  }
}

/** Milliseconds per step of `step` over `steps` calls (each call waits for its result). */
function timeSteps(step: () => void, steps: number): number {
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) step();
  return (performance.now() - t0) / steps;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 250));

const stepsFor = (msPerStep: number, target: number) => Math.max(1, Math.min(1000, Math.round(target / Math.max(msPerStep, 1e-3))));

export interface StepBenchmarkSpec {
  name: string;
  title: string;
  /** What one step is, e.g. 'Adam step'. */
  label: string;
  /** The JSON key of optilab's milliseconds per step, e.g. 'pinn_burgers_ms_per_step'. */
  key: string;
  /** The torch script in bench/torch/ and its arguments. */
  torch: { script: string; args?: string[] };
  /** Warm-up steps on each side before timing (default 3). */
  warmup?: number;
  /** Builds optilab's problem; returns one step (which must wait for its result) and a clean-up. */
  setup(): Promise<{ step: () => void; dispose: () => void; notes?: () => string[] }>;
}

/**
 * A benchmark of one training step against torch at 1 and 2 threads: after a warm-up,
 * each round takes one sample of optilab, one of torch at 1 thread and one at 2
 * threads; the medians over the rounds are reported.
 */
export function stepBenchmark(spec: StepBenchmarkSpec): Benchmark {
  return {
    name: spec.name,
    title: spec.title,
    async run(ctx) {
      const ours = await spec.setup();
      const torch = ctx.python ? new TorchServer(ctx.python, spec.torch.script, spec.torch.args ?? []) : null;
      const warmup = spec.warmup ?? 3;
      const samples: Record<string, number[]> = { optilab: [], '1 thread': [], '2 threads': [] };
      try {
        await torch?.ready();
        const ourSteps = stepsFor(timeSteps(ours.step, warmup), ctx.sampleMs);
        const torchPer: number[] = [];
        if (torch) for (const threads of [1, 2]) torchPer.push(stepsFor(await torch.time(threads, warmup), ctx.sampleMs));
        for (let r = 0; r < ctx.rounds; r++) {
          // let torch's worker threads go idle (they spin a while after a parallel region)
          if (torch) await settle();
          samples.optilab.push(timeSteps(ours.step, ourSteps));
          if (torch) {
            samples['1 thread'].push(await torch.time(1, torchPer[0]));
            samples['2 threads'].push(await torch.time(2, torchPer[1]));
          }
        }
      } finally {
        torch?.close();
      }
      const notes = ours.notes?.() ?? [];
      ours.dispose();
      const optilab = median(samples.optilab);
      const reference: Record<string, number> = torch ? { '1 thread': median(samples['1 thread']), '2 threads': median(samples['2 threads']) } : {};
      // the ratio of each round (its samples are seconds apart, so they saw the same load), then the median
      const ratio = torch ? median(samples.optilab.map((o, r) => o / Math.min(samples['1 thread'][r], samples['2 threads'][r]))) : null;
      return {
        name: spec.name,
        title: spec.title,
        rows: [{ label: spec.label, unit: 'ms', optilab, reference, referenceName: torch ? `torch ${torch.version}` : null, ratio }],
        keys: {
          [spec.key]: optilab,
          torch_1_thread_ms_per_step: reference['1 thread'] ?? null,
          torch_2_threads_ms_per_step: reference['2 threads'] ?? null,
          ratio,
        },
        notes,
      };
    },
  };
}
