/**
 * Hyper-parameter sweeps: grids and seeded random search, one run per
 * configuration and seed, and per-configuration statistics across seeds, ready
 * for `plot.heatmap(rows, {x: 'lr', y: 'weightDecay', color: 'mean'})`.
 *
 *   const configs = experiments.grid({ lr: experiments.logspace(1e-4, 1e-1, 4), weightDecay: [0, 1e-4, 1e-3] });
 *   const rows = await experiments.sweep(configs, (c, seed) => ({ testError: run(c, seed) }), { seeds: 2 });
 *   const cells = experiments.aggregate(rows, { by: ['lr', 'weightDecay'], y: 'testError' });
 *   experiments.best(cells, 'mean')          // the configuration with the lowest mean
 *
 *   const trials = experiments.sampleConfigs({ lr: experiments.logUniform(1e-4, 1), warmup: experiments.uniform(0, 0.3) }, 8, 0);
 */
import { progress } from '../progress/index.js';
import { rng } from '../data/random.js';
import { stats, type Stats } from '../data/seeds.js';

type Value = number | string | boolean;
type Config = Record<string, Value>;

/** Rounds to `digits` significant digits (grid labels stay readable). */
function round(v: number, digits = 3): number {
  return Number(v.toPrecision(digits));
}

/** `n` values from `lo` to `hi` (both included), evenly spaced in log scale, to 3 significant digits. */
export function logspace(lo: number, hi: number, n: number): number[] {
  if (!(lo > 0 && hi > 0 && Number.isFinite(lo) && Number.isFinite(hi))) throw new RangeError(`logspace: lo and hi must be positive and finite, got ${lo}, ${hi}`);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`logspace: n must be a positive integer, got ${String(n)}`);
  if (n === 1) return [round(lo)];
  const a = Math.log(lo), b = Math.log(hi);
  return Array.from({ length: n }, (_, i) => round(Math.exp(a + ((b - a) * i) / (n - 1))));
}

/** Every combination of the axes' values, the first axis varying slowest. */
export function grid<A extends Record<string, readonly Value[]>>(axes: A): Array<{ [K in keyof A]: A[K][number] }> {
  const names = Object.keys(axes ?? {});
  if (names.length === 0) throw new TypeError('grid: give at least one axis, e.g. {lr: [1e-3, 1e-2]}');
  for (const k of names) {
    if (!Array.isArray(axes[k]) || axes[k].length === 0) throw new TypeError(`grid: axis '${k}' must be a non-empty array of values`);
  }
  let out: Config[] = [{}];
  for (const k of names) out = out.flatMap((c) => axes[k].map((v) => ({ ...c, [k]: v })));
  return out as Array<{ [K in keyof A]: A[K][number] }>;
}

/** A distribution to sample a hyper-parameter from. */
export type Distribution = (u: () => number) => Value;

/** Log-uniform on [lo, hi] (3 significant digits). */
export function logUniform(lo: number, hi: number): Distribution {
  if (!(lo > 0 && hi >= lo)) throw new RangeError(`logUniform: needs 0 < lo <= hi, got ${lo}, ${hi}`);
  return (u) => round(Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * u()));
}

/** Uniform on [lo, hi] (3 significant digits). */
export function uniform(lo: number, hi: number): Distribution {
  if (!(hi >= lo)) throw new RangeError(`uniform: needs lo <= hi, got ${lo}, ${hi}`);
  return (u) => round(lo + (hi - lo) * u());
}

/** One of the given values, equally likely. */
export function choice<T extends Value>(values: readonly T[]): Distribution {
  if (!Array.isArray(values) || values.length === 0) throw new TypeError('choice: give a non-empty array of values');
  return (u) => values[Math.min(values.length - 1, Math.floor(u() * values.length))];
}

/** `n` configurations drawn independently from the distributions (random search), seeded. */
export function sampleConfigs(space: Record<string, Distribution>, n: number, seed = 0): Config[] {
  const names = Object.keys(space ?? {});
  if (names.length === 0) throw new TypeError('sampleConfigs: give at least one distribution, e.g. {lr: experiments.logUniform(1e-4, 1)}');
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`sampleConfigs: n must be a positive integer, got ${String(n)}`);
  const r = rng(seed, 'sample-configs');
  const u = () => r.uniform();
  return Array.from({ length: n }, () => Object.fromEntries(names.map((k) => [k, space[k](u)])));
}

export interface SweepOptions {
  /** Seeds per configuration: a count n (seeds 0..n-1) or a list (default [0]). */
  seeds?: number | readonly number[];
  /** Label of the progress bar (default 'sweep'); false hides it. */
  progress?: string | false;
}

/** One run of a sweep: its configuration, its seed and the metrics it returned. */
export type SweepRow<C, M = Record<string, number>> = C & { seed: number } & M;

/**
 * Runs `run(config, seed)` for every configuration and seed, in order, and returns
 * one row per run: the configuration, the seed and the metrics it returned.
 */
export async function sweep<C extends object, M extends Record<string, number>>(
  configs: readonly C[],
  run: (config: C, seed: number) => M | Promise<M>,
  options: SweepOptions = {},
): Promise<Array<SweepRow<C, M>>> {
  if (!Array.isArray(configs) || configs.length === 0) throw new TypeError('sweep: configs must be a non-empty array (e.g. experiments.grid({...}))');
  if (typeof run !== 'function') throw new TypeError('sweep: run must be a function (config, seed) => metrics');
  const s = options.seeds ?? [0];
  const seeds = typeof s === 'number' ? Array.from({ length: s }, (_, i) => i) : [...s];
  if (seeds.length === 0 || !seeds.every((x) => Number.isInteger(x))) throw new TypeError('sweep: seeds must be a positive count or a list of integer seeds');
  const bar = options.progress === false ? undefined : progress(configs.length * seeds.length, { label: options.progress ?? 'sweep', unit: 'run' });
  const rows: Array<SweepRow<C, M>> = [];
  try {
    for (const c of configs) {
      for (const seed of seeds) {
        const metrics = await run(c, seed);
        if (metrics === null || typeof metrics !== 'object') throw new TypeError('sweep: run must return an object of metrics, e.g. {loss: 0.1}');
        rows.push({ ...c, seed, ...metrics } as SweepRow<C, M>);
        bar?.tick();
      }
    }
    bar?.done();
  } finally {
    bar?.stop();
  }
  return rows;
}

export interface AggregateOptions<K extends string = string> {
  /** The configuration fields that identify a cell. */
  by: readonly K[];
  /** The metric to summarise. */
  y: string;
}

/** A cell: its configuration fields, the statistics of the metric across seeds, and the values. */
export type AggregateRow<R = Record<string, Value>, K extends keyof R = keyof R> = Pick<R, K> & Stats & { values: number[] };

/** Statistics of metric `y` across the seeds of each configuration (rows in first-seen order). */
export function aggregate<R extends object, K extends keyof R & string>(rows: readonly R[], options: AggregateOptions<K>): Array<AggregateRow<R, K>> {
  const { by, y } = options ?? ({} as AggregateOptions<K>);
  if (!Array.isArray(by) || by.length === 0) throw new TypeError("aggregate: by must list the configuration fields, e.g. ['lr', 'weightDecay']");
  if (typeof y !== 'string') throw new TypeError("aggregate: y must name the metric, e.g. 'testError'");
  const groups = new Map<string, { keys: Record<string, unknown>; values: number[] }>();
  for (const row of rows) {
    const r = row as Record<string, unknown>;
    if (!(y in r)) throw new TypeError(`aggregate: a row has no field '${y}'`);
    const v = r[y];
    if (typeof v !== 'number') throw new TypeError(`aggregate: field '${y}' must hold numbers, found ${JSON.stringify(v)}`);
    const key = JSON.stringify(by.map((f) => r[f]));
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { keys: Object.fromEntries(by.map((f) => [f, r[f]])), values: [] }));
    g.values.push(v);
  }
  return [...groups.values()].map(({ keys, values }) => ({ ...keys, ...stats(values), values }) as unknown as AggregateRow<R, K>);
}

/** The row with the smallest (default) or largest value of `field`; NaN values never win. */
export function best<R extends object>(rows: readonly R[], field: string, mode: 'min' | 'max' = 'min'): R {
  if (!Array.isArray(rows) || rows.length === 0) throw new TypeError('best: rows must be a non-empty array');
  let out: R | undefined;
  let outValue = NaN;
  for (const r of rows) {
    const v = (r as Record<string, unknown>)[field];
    if (typeof v !== 'number') throw new TypeError(`best: field '${field}' must hold numbers, found ${JSON.stringify(v)}`);
    if (Number.isNaN(v)) continue;
    if (out === undefined || (mode === 'min' ? v < outValue : v > outValue)) {
      out = r;
      outValue = v;
    }
  }
  return out ?? rows[0];
}

export interface TuneOptions {
  /** Learning rates to try first, increasing and evenly spaced in log scale (at least two). */
  grid: readonly number[];
  /** Extra points allowed beyond the grid's ends, together (default 3). */
  maxExtensions?: number;
  /** 'min' (default) or 'max' of the objective. */
  mode?: 'min' | 'max';
}

export interface TuneResult {
  /** The best learning rate found. */
  lr: number;
  /** Its objective value. */
  value: number;
  /** Every learning rate tried with its value, increasing. */
  tried: Array<{ lr: number; value: number }>;
  /** True when the best value is still at an end of the points tried (the search ran out of extensions). */
  atEdge: boolean;
}

/**
 * Learning-rate search that keeps the optimum inside the grid: evaluates the grid,
 * and while the best value sits at an end, tries one more point beyond it (same log
 * spacing), up to `maxExtensions` extra points. A non-finite value (a diverged run)
 * counts as the worst.
 *
 *   const t = await experiments.tuneLearningRate((lr) => finalLoss(lr), { grid: experiments.logspace(1e-4, 1e-2, 3) });
 *   t.lr; t.atEdge
 */
export async function tuneLearningRate(objective: (lr: number) => number | Promise<number>, options: TuneOptions): Promise<TuneResult> {
  const { grid, maxExtensions = 3, mode = 'min' } = options ?? ({} as TuneOptions);
  if (typeof objective !== 'function') throw new TypeError('tuneLearningRate: objective must be a function lr => value');
  if (!Array.isArray(grid) || grid.length < 2 || !grid.every((v, i) => v > 0 && Number.isFinite(v) && (i === 0 || v > grid[i - 1]))) {
    throw new RangeError(`tuneLearningRate: grid must hold at least two increasing positive learning rates, got ${JSON.stringify(grid)}`);
  }
  if (!Number.isInteger(maxExtensions) || maxExtensions < 0) throw new RangeError(`tuneLearningRate: maxExtensions must be an integer >= 0, got ${String(maxExtensions)}`);
  // the grid's mean log spacing (robust to grids rounded for display)
  const ratio = (grid[grid.length - 1] / grid[0]) ** (1 / (grid.length - 1));
  // 3 significant digits, or 2 when that is within 0.5 % (0.0099931 -> 0.01, not 0.00999)
  const next = (v: number) => {
    const two = Number(v.toPrecision(2));
    return Math.abs(two / v - 1) < 0.005 ? two : round(v);
  };
  const score = (v: number) => (Number.isNaN(v) ? Infinity : mode === 'min' ? v : -v);
  const tried: Array<{ lr: number; value: number }> = [];
  for (const lr of grid) tried.push({ lr, value: await objective(lr) });
  const bestIndex = () => tried.reduce((b, r, i) => (score(r.value) < score(tried[b].value) ? i : b), 0);
  for (let extra = 0; extra < maxExtensions; extra++) {
    const b = bestIndex();
    if (b !== 0 && b !== tried.length - 1) break;
    if (b === 0) {
      const lr = next(tried[0].lr / ratio);
      tried.unshift({ lr, value: await objective(lr) });
    } else {
      const lr = next(tried[tried.length - 1].lr * ratio);
      tried.push({ lr, value: await objective(lr) });
    }
  }
  const b = bestIndex();
  return { lr: tried[b].lr, value: tried[b].value, tried, atEdge: b === 0 || b === tried.length - 1 };
}

export interface Separability {
  /** Share of the grid's variance left after fitting value[i][j] = mean + row_i + col_j (0: fully separable). */
  interactionShare: number;
  /** Row effects row_i and column effects col_j of that fit. */
  rowEffects: number[];
  colEffects: number[];
  /** Column of the smallest value in each row. */
  argminPerRow: number[];
}

/**
 * How separable a two-parameter sweep is (e.g. log test loss over learning rate x
 * weight decay): the two-way additive fit without interaction, and the share of
 * the variance it leaves. An axis-aligned valley gives a small share; a diagonal
 * valley (the best weight decay moving with the learning rate) a large one.
 */
export function separability(grid: readonly (readonly number[])[]): Separability {
  if (!Array.isArray(grid) || grid.length < 2 || !Array.isArray(grid[0]) || grid[0].length < 2) {
    throw new RangeError('separability: values must be a grid of at least 2 x 2 numbers');
  }
  const values = grid as number[][];
  const n = values.length, m = values[0].length;
  values.forEach((row, i) => {
    if (row.length !== m) throw new RangeError(`separability: row ${i} has ${row.length} values, row 0 has ${m}`);
    row.forEach((v, j) => {
      if (!Number.isFinite(v)) throw new RangeError(`separability: values[${i}][${j}] is ${v}; cap diverged runs at a finite value first`);
    });
  });
  let total = 0;
  for (const row of values) for (const v of row) total += v;
  const mean = total / (n * m);
  const rowEffects = values.map((row) => row.reduce((a, v) => a + v, 0) / m - mean);
  const colEffects = Array.from({ length: m }, (_, j) => values.reduce((a, row) => a + row[j], 0) / n - mean);
  let ssTotal = 0, ssResidual = 0;
  values.forEach((row, i) => row.forEach((v, j) => {
    ssTotal += (v - mean) ** 2;
    ssResidual += (v - mean - rowEffects[i] - colEffects[j]) ** 2;
  }));
  const argminPerRow = values.map((row) => row.reduce((b, v, j) => (v < row[b] ? j : b), 0));
  return { interactionShare: ssTotal === 0 ? 0 : ssResidual / ssTotal, rowEffects, colEffects, argminPerRow };
}
