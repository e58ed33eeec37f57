/**
 * Multi-seed experiments: run a training function once per seed (and per
 * method), collect its per-step records, and summarise them across seeds:
 * mean, median, standard deviation, standard error, min and max per step and
 * method (what `plot.band` draws), and final-value tables.
 *
 *   const runs = await runSeeds([0, 1, 2], (seed, log) => {
 *     for (let step = 0; step < 100; step++) log({ step, loss: train(seed, step) });
 *   }, { method: 'adam' });
 *   plot.band(summarize(runs), { y: 'loss' })
 */
import { checkSeed } from './random.js';
import { checkNumbers, describeValue } from '../backend/args.js';

/** One logged step of one run: method, seed, step and the metrics. */
export type RunRecord = { method: string; seed: number; step: number } & Record<string, number | string>;

/** Records a step's metrics; `step` defaults to the count of earlier calls. */
export type Logger = (metrics: Record<string, number | string>) => void;

/** A training function: logs through `log`, or returns its records (or both). */
export type SeedFn = (seed: number, log: Logger) => void | Record<string, number | string>[] | Promise<void | Record<string, number | string>[]>;

export interface RunOptions {
  /** The method name stored in every record (default 'run'). */
  method?: string;
  /** Called after each run, e.g. to tick a progress bar. */
  onRun?: (info: { method: string; seed: number; records: number }) => void;
}

function seedList(seeds: number | readonly number[]): number[] {
  if (typeof seeds === 'number') {
    if (!Number.isSafeInteger(seeds) || seeds <= 0) throw new RangeError(`runSeeds: seeds must be a positive count or a list of integer seeds, got ${seeds}`);
    return Array.from({ length: seeds }, (_, i) => i);
  }
  if (!Array.isArray(seeds) || seeds.length === 0) throw new TypeError('runSeeds: seeds must be a positive count or a non-empty list of integer seeds');
  seeds.forEach((s, i) => checkSeed(s, `runSeeds: seeds[${i}]`));
  return [...seeds];
}

/** A record with method, seed and step first (a step in the metrics wins over the count; method and seed do not change). */
function record(method: string, seed: number, step: number, metrics: Record<string, number | string>): RunRecord {
  return Object.assign({ method, seed, step }, metrics, { method, seed }) as RunRecord;
}

/**
 * Runs `fn(seed, log)` for each seed (a list, or a count n meaning 0..n-1), one
 * after another, and returns every logged record tagged with method and seed.
 */
export async function runSeeds(seeds: number | readonly number[], fn: SeedFn, options: RunOptions = {}): Promise<RunRecord[]> {
  if (typeof fn !== 'function') throw new TypeError('runSeeds: fn must be a function (seed, log) => ...');
  const method = options.method ?? 'run';
  const out: RunRecord[] = [];
  for (const seed of seedList(seeds)) {
    const logged: RunRecord[] = [];
    const log: Logger = (metrics) => {
      if (typeof metrics !== 'object' || metrics === null) throw new TypeError('runSeeds: log(metrics) needs an object such as {step, loss}');
      logged.push(record(method, seed, logged.length, metrics));
    };
    const returned = await fn(seed, log);
    if (Array.isArray(returned)) returned.forEach((m, i) => logged.push(record(method, seed, i, m)));
    out.push(...logged);
    options.onRun?.({ method, seed, records: logged.length });
  }
  return out;
}

/**
 * Runs every method over the same seeds: `compare({adam: fn, sgd: fn}, 3)`.
 * Records carry the method name, so `summarize` groups by it.
 */
export async function compare(
  methods: Record<string, SeedFn>,
  seeds: number | readonly number[],
  options: Omit<RunOptions, 'method'> = {},
): Promise<RunRecord[]> {
  const names = Object.keys(methods ?? {});
  if (names.length === 0) throw new TypeError('compare: methods must be an object of named functions, e.g. {adam: fn, sgd: fn}');
  const out: RunRecord[] = [];
  for (const name of names) out.push(...(await runSeeds(seeds, methods[name], { ...options, method: name })));
  return out;
}

/** Statistics of one group of values. */
export interface Stats {
  mean: number;
  median: number;
  /** Sample standard deviation (n - 1 in the denominator); 0 for a single value. */
  std: number;
  /** Standard error of the mean, std / sqrt(n). */
  sem: number;
  min: number;
  max: number;
  n: number;
}

/** Mean, median, sample std, standard error, min, max and count of `values` (a NaN among them propagates). */
export function stats(values: readonly number[]): Stats {
  checkNumbers('stats', 'values', values);
  const n = values.length;
  if (n === 0) throw new RangeError('stats: no values');
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  const std = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  const sorted = [...values].sort((a, b) => a - b);
  const median = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return { mean, median, std, sem: std / Math.sqrt(n), min: sorted[0], max: sorted[n - 1], n };
}

export interface SummaryOptions {
  /** The metric to summarise (default 'loss'). */
  y?: string;
  /** The step field (default 'step'). */
  x?: string;
  /** Grouping fields (default ['method'] when the records have it). */
  by?: string[];
}

/** A summary row: group fields, the step, and the statistics across seeds. */
export type SummaryRow = Record<string, number | string> & Stats;

function groupKey(row: Record<string, unknown>, fields: readonly string[]): string {
  return JSON.stringify(fields.map((f) => row[f]));
}

function defaultBy(records: readonly object[]): string[] {
  return records.length > 0 && 'method' in records[0] ? ['method'] : [];
}

function requireNumber(v: unknown, field: string, what: string): number {
  if (typeof v !== 'number') throw new TypeError(`${what}: field '${field}' must hold numbers, found ${JSON.stringify(v)}`);
  return v;
}

/**
 * Per-step statistics across seeds, one row per group and step, in first-seen
 * group order and increasing step: `{method, step, mean, median, std, sem, min, max, n}`.
 */
export function summarize(records: readonly object[], options: SummaryOptions = {}): SummaryRow[] {
  if (!Array.isArray(records)) throw new TypeError(`summarize: records must be an array (e.g. from runSeeds), got ${describeValue(records)}`);
  const y = options.y ?? 'loss';
  const x = options.x ?? 'step';
  const by = options.by ?? defaultBy(records);
  if (!Array.isArray(records)) throw new TypeError('summarize: records must be an array (e.g. from runSeeds)');
  const groups = new Map<string, { keys: Record<string, unknown>; steps: Map<number, number[]> }>();
  for (const r of records as readonly Record<string, unknown>[]) {
    if (!(y in r)) continue; // a record logging other metrics at this step
    const k = groupKey(r, by);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { keys: Object.fromEntries(by.map((f) => [f, r[f]])), steps: new Map() }));
    const step = requireNumber(r[x], x, 'summarize');
    const list = g.steps.get(step) ?? [];
    list.push(requireNumber(r[y], y, 'summarize'));
    g.steps.set(step, list);
  }
  if (records.length > 0 && groups.size === 0) throw new TypeError(`summarize: no record has the field '${y}' (pass {y: '<metric>'})`);
  const out: SummaryRow[] = [];
  for (const { keys, steps } of groups.values()) {
    for (const step of [...steps.keys()].sort((a, b) => a - b)) {
      out.push({ ...(keys as Record<string, string | number>), [x]: step, ...stats(steps.get(step)!) } as SummaryRow);
    }
  }
  return out;
}

export interface FinalOptions {
  y?: string;
  x?: string;
  by?: string[];
  /** The seed field (default 'seed'). */
  seed?: string;
}

/** The final value of each run summarised per group: `{method, ...stats, values}` (values in seed order). */
export type FinalRow = Record<string, number | string | number[]> & Stats & { values: number[] };

/**
 * Final values: for each group and seed, the metric at that run's last step;
 * then statistics across seeds. The table to quote in a claim.
 */
export function finals(records: readonly object[], options: FinalOptions = {}): FinalRow[] {
  if (!Array.isArray(records)) throw new TypeError(`finals: records must be an array (e.g. from runSeeds), got ${describeValue(records)}`);
  const y = options.y ?? 'loss';
  const x = options.x ?? 'step';
  const seedField = options.seed ?? 'seed';
  const by = options.by ?? defaultBy(records);
  const last = new Map<string, { keys: Record<string, unknown>; perSeed: Map<unknown, { step: number; value: number }> }>();
  for (const r of records as readonly Record<string, unknown>[]) {
    if (!(y in r)) continue;
    const k = groupKey(r, by);
    let g = last.get(k);
    if (!g) last.set(k, (g = { keys: Object.fromEntries(by.map((f) => [f, r[f]])), perSeed: new Map() }));
    const step = requireNumber(r[x], x, 'finals');
    const prev = g.perSeed.get(r[seedField]);
    if (!prev || step >= prev.step) g.perSeed.set(r[seedField], { step, value: requireNumber(r[y], y, 'finals') });
  }
  if (records.length > 0 && last.size === 0) throw new TypeError(`finals: no record has the field '${y}' (pass {y: '<metric>'})`);
  return [...last.values()].map(({ keys, perSeed }) => {
    const values = [...perSeed.values()].map((v) => v.value);
    return { ...(keys as Record<string, string | number>), ...stats(values), values } as FinalRow;
  });
}
