/**
 * Chart builders: line, scatter, heatmap, histogram and the seed-band chart.
 * Each takes plain data (records, columns, arrays, tensors, arquero tables) and
 * options naming fields, and returns a `Chart`.
 */
import { summarize, stats, type SummaryRow } from '../data/seeds.js';
import { isTensorLike } from '../display/tensor.js';
import { Chart } from './chart.js';
import {
  channel, compact, compactRow, fieldNames, inferType, requireField, toRecords, INDEX, VALUE,
  type Column, type PlotData, type Row,
} from './data.js';
import { enc, facetSpec, LOG_SCALE, setAxisTitle, setScale, type VegaLiteSpec } from './spec.js';

/** Options every builder accepts. */
export interface ChartOptions {
  title?: string;
  /** Plot width and height in pixels (per panel when faceted). */
  width?: number;
  height?: number;
  xTitle?: string;
  yTitle?: string;
  logX?: boolean;
  logY?: boolean;
  /** Small multiples: one panel per value of this field (e.g. 'seed', 'method', 'run'). */
  facet?: string;
  /** Panels per row when faceting. */
  columns?: number;
}

/** Applies the common options and wraps the spec in a Chart. */
function finish(spec: VegaLiteSpec, rows: Row[], opts: ChartOptions, description: string): Chart {
  if (opts.logX) setScale(spec, 'x', LOG_SCALE);
  if (opts.logY) setScale(spec, 'y', LOG_SCALE);
  if (opts.xTitle !== undefined) setAxisTitle(spec, 'x', opts.xTitle);
  if (opts.yTitle !== undefined) setAxisTitle(spec, 'y', opts.yTitle);
  if (opts.width !== undefined) spec.width = opts.width;
  if (opts.height !== undefined) spec.height = opts.height;
  if (opts.title !== undefined) spec.title = opts.title;
  if (opts.facet !== undefined) {
    requireField(rows, opts.facet, 'facet');
    spec = facetSpec(spec, opts.facet, inferType(rows, opts.facet, true), opts.columns);
    description += `, faceted by ${opts.facet}`;
  }
  return new Chart(spec, description);
}

function pick(rows: Row[], candidates: string[]): string | undefined {
  const names = fieldNames(rows);
  return candidates.find((c) => names.includes(c));
}

function numericFields(rows: Row[], exclude: (string | undefined)[]): string[] {
  return fieldNames(rows).filter((f) => !exclude.includes(f) && rows.some((r) => typeof r[f] === 'number'));
}

const SERIES = 'series';

/** Long format: one row per (row, y field), with the field's name under 'series' and its value under 'value'. */
function fold(rows: Row[], fields: string[]): Row[] {
  const out: Row[] = [];
  for (const row of rows) {
    const rest: Row = { ...row };
    for (const f of fields) delete rest[f];
    for (const f of fields) if (row[f] !== undefined) out.push({ ...rest, [SERIES]: f, [VALUE]: row[f] });
  }
  return out;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 || word.endsWith('s') ? '' : 's'}`;
}

function distinctCount(rows: Row[], field: string | undefined): number {
  return field === undefined ? 1 : new Set(rows.map((r) => r[field])).size;
}

export interface LineOptions extends ChartOptions {
  /** The x field (default 'x', 'step' or the index), or its values. */
  x?: string | Column;
  /** The y field, several fields (one series each), or its values. Default 'y' or 'value', else every numeric field. */
  y?: string | string[] | Column;
  /** The field that separates series by colour (e.g. 'method'), or its values. */
  color?: string | Column;
  /** A second grouping drawn as dash patterns (e.g. 'split' for train/test). */
  strokeDash?: string;
  /** A grouping drawn as separate lines of the same colour (default 'seed' when the records have one). */
  detail?: string;
  /** The field that orders the points along each line (default: sorted by x); e.g. 't' for a path in the plane. */
  order?: string;
  /** Draw a point at each datum. */
  point?: boolean;
  /** Vega-Lite's line interpolation ('linear', 'step', 'monotone', ...). */
  interpolate?: string;
  /** Column names for 2-D array or tensor data. */
  columns2d?: string[];
}

/**
 * Line chart: `plot.line(records, {x: 'step', y: 'loss', color: 'method', logY: true})`,
 * `plot.line(lossArray)`, `plot.line({step, train, test})` (one series per column).
 */
export function line(data: PlotData, opts: LineOptions = {}): Chart {
  const what = 'plot.line';
  let rows = toRecords(data, what, opts.columns2d);
  const x = channel(rows, opts.x, 'x', what) ?? pick(rows, ['x', 'step', 'epoch', 'iteration', INDEX]);
  if (x === undefined) throw new TypeError(`${what}: pass {x: '<field>'}; fields: ${fieldNames(rows).join(', ')}`);
  let color = channel(rows, opts.color, 'color', what);
  let strokeDash = opts.strokeDash && requireField(rows, opts.strokeDash, what);
  // Per-seed records (runSeeds output) get one line per seed; otherwise a method's seeds would zigzag as one line.
  const autoDetail = opts.detail === undefined && fieldNames(rows).includes('seed') && ![opts.color, opts.strokeDash, opts.facet].includes('seed');
  const detail = autoDetail ? 'seed' : opts.detail && requireField(rows, opts.detail, what);
  let y: string;
  let ys: string[];
  if (Array.isArray(opts.y) && opts.y.every((f) => typeof f === 'string')) ys = opts.y as string[];
  else if (opts.y !== undefined) ys = [channel(rows, opts.y as string | Column, 'y', what)!];
  else {
    const single = pick(rows, ['y', VALUE]);
    ys = single ? [single] : numericFields(rows, [x, color, strokeDash, detail, opts.facet, 'seed']);
    if (ys.length === 0) throw new TypeError(`${what}: no numeric field to plot; pass {y: '<field>'}`);
  }
  ys.forEach((f) => requireField(rows, f, what));
  if (ys.length > 1) {
    rows = fold(rows, ys);
    y = VALUE;
    if (color === undefined) color = SERIES;
    else strokeDash ??= SERIES;
  } else y = ys[0];

  const encoding: VegaLiteSpec = {
    x: enc(x, inferType(rows, x)),
    y: enc(y, 'quantitative', { title: ys.length > 1 ? opts.yTitle ?? VALUE : y }),
  };
  if (color !== undefined) {
    // Folded series keep the order the y fields were given in.
    encoding.color = enc(color, inferType(rows, color, true), color === SERIES ? { title: null, sort: ys } : {});
  }
  if (strokeDash) encoding.strokeDash = enc(strokeDash, 'nominal');
  if (detail) encoding.detail = enc(detail, 'nominal');
  if (opts.order !== undefined) encoding.order = enc(requireField(rows, opts.order, what), 'quantitative');
  const mark: VegaLiteSpec = { type: 'line' };
  if (opts.point) mark.point = true;
  if (opts.interpolate) mark.interpolate = opts.interpolate;
  const n = distinctCount(rows, color) * (strokeDash ? distinctCount(rows, strokeDash) : 1);
  const groups = color !== undefined ? `, ${plural(n, 'series')}${color === SERIES ? '' : ` by ${color}`}` : '';
  return finish(
    { data: { values: rows }, mark, encoding }, rows, opts,
    `line of ${ys.join(', ')} vs ${x}${groups}, ${plural(rows.length, 'point')}`,
  );
}

export interface ScatterOptions extends ChartOptions {
  x?: string | Column;
  y?: string | Column;
  /** Colour by a field (nominal or quantitative, inferred) or by given values (e.g. labels). */
  color?: string | Column;
  size?: string | Column;
  shape?: string | Column;
  /** Point opacity (default 0.7). */
  opacity?: number;
  /** Column names for 2-D array or tensor data (default x, y). */
  columns2d?: string[];
}

/** Scatter plot: `plot.scatter(points, {x: 'x', y: 'y', color: 'label'})`, `plot.scatter(xTensor2d, {color: labels})`. */
export function scatter(data: PlotData, opts: ScatterOptions = {}): Chart {
  const what = 'plot.scatter';
  const rows = toRecords(data, what, opts.columns2d);
  const x = channel(rows, opts.x, 'x', what) ?? pick(rows, ['x', INDEX]);
  const y = channel(rows, opts.y, 'y', what) ?? pick(rows, ['y', VALUE]);
  if (x === undefined || y === undefined) {
    throw new TypeError(`${what}: pass {x: '<field>', y: '<field>'}; fields: ${fieldNames(rows).join(', ')}`);
  }
  const encoding: VegaLiteSpec = { x: enc(x, inferType(rows, x)), y: enc(y, inferType(rows, y)) };
  const extra: string[] = [];
  for (const ch of ['color', 'size', 'shape'] as const) {
    const f = channel(rows, opts[ch], ch, what);
    if (f !== undefined) {
      encoding[ch] = enc(f, ch === 'size' ? 'quantitative' : inferType(rows, f, true));
      extra.push(`${ch} by ${f}`);
    }
  }
  // No per-point ARIA labels: they would triple the SVG of a dense scatter.
  const mark = { type: 'point', filled: true, opacity: opts.opacity ?? 0.7, tooltip: true, aria: false };
  return finish(
    { data: { values: rows }, mark, encoding }, rows, opts,
    `scatter of ${y} vs ${x}${extra.length ? ', ' + extra.join(', ') : ''}, ${plural(rows.length, 'point')}`,
  );
}

export interface HeatmapOptions extends ChartOptions {
  /**
   * For a 2-D field: the x extent [x0, x1] covered by the columns (default [0, columns]).
   * For records: the x field.
   */
  x?: [number, number] | string;
  /** For a 2-D field: the y extent [y0, y1] covered by the rows (default [0, rows]). For records: the y field. */
  y?: [number, number] | string;
  /** For records: the value field (default 'value'). */
  color?: string;
  /** Title of the colour legend (default 'value'). */
  colorTitle?: string;
  /** A Vega colour scheme (default 'viridis', or 'blueorange' when diverging). */
  scheme?: string;
  /** Diverging colours centred on 0 (true) or on the given value, with a symmetric range: for error fields. */
  diverging?: boolean | number;
  /** Fixed colour domain [lo, hi]. */
  domain?: [number, number];
  /** For records: print each cell's value. */
  text?: boolean;
}

function is2d(data: unknown): boolean {
  if (isTensorLike(data)) return data.shape.length === 2;
  return Array.isArray(data) && data.length > 0 && (Array.isArray(data[0]) || ArrayBuffer.isView(data[0]));
}

function extent(e: unknown, n: number, name: string): [number, number] {
  if (e === undefined) return [0, n];
  if (!Array.isArray(e) || e.length !== 2 || !e.every((v) => typeof v === 'number' && Number.isFinite(v)) || e[0] === e[1]) {
    throw new TypeError(`plot.heatmap: ${name} must be an extent [lo, hi] of two different finite numbers, got ${JSON.stringify(e)}`);
  }
  return e as [number, number];
}

/** The colour scale: a scheme, or a diverging scheme with a domain symmetric around its centre. */
function colorScale(values: number[], opts: HeatmapOptions): Record<string, unknown> {
  if (opts.diverging !== undefined && opts.diverging !== false) {
    const center = opts.diverging === true ? 0 : opts.diverging;
    let m = 0;
    for (const v of values) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v - center));
    if (m === 0) m = 1;
    return { scheme: opts.scheme ?? 'blueorange', domain: opts.domain ?? [center - m, center + m], domainMid: center };
  }
  return { scheme: opts.scheme ?? 'viridis', ...(opts.domain ? { domain: opts.domain } : {}) };
}

/**
 * Heatmap of a 2-D field: `values[i][j]` is the value at row i (y, increasing
 * upward from y0) and column j (x, from x0), as matplotlib's
 * `imshow(values, origin='lower', extent=[x0, x1, y0, y1])`:
 * `plot.heatmap(u, {x: [-1, 1], y: [0, 1], xTitle: 'x', yTitle: 't'})`, and
 * `{diverging: true}` for error fields. With records, a categorical heatmap:
 * `plot.heatmap(grid, {x: 'lr', y: 'beta', color: 'loss', text: true})`.
 */
export function heatmap(data: PlotData, opts: HeatmapOptions = {}): Chart {
  return is2d(data) ? fieldHeatmap(data, opts) : recordHeatmap(data, opts);
}

function fieldHeatmap(data: PlotData, opts: HeatmapOptions): Chart {
  const what = 'plot.heatmap';
  let ny: number, nx: number, at: (i: number, j: number) => number;
  if (isTensorLike(data)) {
    [ny, nx] = data.shape;
    const v = data.dataSync() as ArrayLike<number>;
    at = (i, j) => v[i * nx + j];
  } else {
    const rowsIn = data as unknown as readonly ArrayLike<number>[];
    ny = rowsIn.length;
    nx = rowsIn[0].length;
    rowsIn.forEach((r, i) => {
      if (r.length !== nx) throw new TypeError(`${what}: row ${i} has ${r.length} values but row 0 has ${nx}`);
    });
    at = (i, j) => rowsIn[i][j];
  }
  const [x0, x1] = extent(opts.x, nx, 'x');
  const [y0, y1] = extent(opts.y, ny, 'y');
  const dx = (x1 - x0) / nx, dy = (y1 - y0) / ny;
  const rows: Row[] = [];
  const values: number[] = [];
  for (let i = 0; i < ny; i++) {
    for (let j = 0; j < nx; j++) {
      const v = at(i, j);
      if (typeof v !== 'number') throw new TypeError(`${what}: values[${i}][${j}] is not a number`);
      values.push(v);
      rows.push({ x: compact(x0 + (j + 0.5) * dx), y: compact(y0 + (i + 0.5) * dy), [VALUE]: compact(v) });
    }
  }
  const title = opts.colorTitle ?? VALUE;
  // Cell edges from the centres. Each cell reaches a quarter cell into its right and
  // upper neighbours, which are drawn after it (row-major order) and cover the
  // overlap: no anti-aliased hairlines between cells; the plot edge clips the rest.
  const spec: VegaLiteSpec = {
    data: { values: rows },
    transform: [
      { calculate: `datum.x - ${dx / 2}`, as: 'x_lo' },
      { calculate: `datum.x + ${dx * 0.75}`, as: 'x_hi' },
      { calculate: `datum.y - ${dy / 2}`, as: 'y_lo' },
      { calculate: `datum.y + ${dy * 0.75}`, as: 'y_hi' },
    ],
    mark: { type: 'rect', clip: true, aria: false },
    encoding: {
      x: enc('x_lo', 'quantitative', { title: opts.xTitle ?? 'x', scale: { domain: [Math.min(x0, x1), Math.max(x0, x1)], nice: false, zero: false } }),
      x2: { field: 'x_hi' },
      y: enc('y_lo', 'quantitative', { title: opts.yTitle ?? 'y', scale: { domain: [Math.min(y0, y1), Math.max(y0, y1)], nice: false, zero: false } }),
      y2: { field: 'y_hi' },
      color: enc(VALUE, 'quantitative', { title, scale: colorScale(values, opts) }),
      tooltip: [enc('x', 'quantitative'), enc('y', 'quantitative'), enc(VALUE, 'quantitative', { title })],
    },
  };
  if (opts.width === undefined) spec.width = 320;
  if (opts.height === undefined) spec.height = 260;
  return finish(spec, rows, opts, `heatmap of a ${ny}×${nx} field over x [${x0}, ${x1}], y [${y0}, ${y1}]`);
}

function recordHeatmap(data: PlotData, opts: HeatmapOptions): Chart {
  const what = 'plot.heatmap';
  const rows = toRecords(data, what);
  if (typeof opts.x !== 'string' || typeof opts.y !== 'string') {
    throw new TypeError(`${what}: for records pass field names {x: '<field>', y: '<field>', color: '<field>'}; for a field pass a 2-D array or tensor`);
  }
  const x = requireField(rows, opts.x, what);
  const y = requireField(rows, opts.y, what);
  const color = requireField(rows, opts.color ?? VALUE, what);
  const values = rows.map((r) => r[color]).filter((v): v is number => typeof v === 'number');
  const cells: VegaLiteSpec = {
    mark: { type: 'rect', tooltip: true, aria: false },
    encoding: {
      x: enc(x, 'ordinal', { axis: { labelAngle: 0 } }),
      y: enc(y, 'ordinal', { sort: 'descending' }),
      color: enc(color, 'quantitative', { title: opts.colorTitle ?? color, scale: colorScale(values, opts) }),
    },
  };
  // Cells big enough for a printed value: fixed steps per category unless a size is given.
  const size = { width: { step: 48 }, height: { step: 28 } };
  let spec: VegaLiteSpec = { data: { values: rows }, ...cells, ...size };
  if (opts.text) {
    const { mean } = values.length ? stats(values) : { mean: 0 };
    spec = {
      data: { values: rows },
      ...size,
      encoding: { x: cells.encoding.x, y: cells.encoding.y },
      layer: [
        { mark: cells.mark, encoding: { color: cells.encoding.color } },
        {
          mark: { type: 'text', fontSize: 10 },
          encoding: {
            text: enc(color, 'quantitative', { format: '.3g' }),
            // Light text on dark cells: viridis is dark at low values.
            color: { condition: { test: `datum[${JSON.stringify(color)}] < ${mean}`, value: 'white' }, value: 'black' },
          },
        },
      ],
    };
  }
  return finish(spec, rows, opts, `heatmap of ${color} over ${x} × ${y}, ${plural(rows.length, 'cell')}`);
}

export interface HistogramOptions extends ChartOptions {
  /** The field to bin (default 'value' for arrays and tensors). */
  field?: string;
  /** The largest number of bins (default 30). */
  bins?: number;
  /** Overlay one histogram per value of this field. */
  color?: string;
  /** Normalise each histogram to a density (area 1), to compare groups of different sizes. */
  density?: boolean;
}

/** Histogram: `plot.histogram(samples)`, `plot.histogram(records, {field: 'x', color: 'model', density: true})`. */
export function histogram(data: PlotData, opts: HistogramOptions = {}): Chart {
  const what = 'plot.histogram';
  const rows = toRecords(data, what);
  const field = requireField(rows, opts.field ?? pick(rows, [VALUE, 'x']) ?? '', what);
  const color = opts.color && requireField(rows, opts.color, what);
  const bins = opts.bins ?? 30;
  if (!Number.isInteger(bins) || bins < 1) throw new TypeError(`${what}: bins must be a positive integer, got ${bins}`);
  const groupby = color ? [color] : [];
  const xTitle = opts.xTitle ?? field;
  let spec: VegaLiteSpec;
  if (opts.density) {
    spec = {
      data: { values: rows },
      transform: [
        { bin: { maxbins: bins }, field, as: ['bin_lo', 'bin_hi'] },
        { aggregate: [{ op: 'count', as: 'count' }], groupby: ['bin_lo', 'bin_hi', ...groupby] },
        { joinaggregate: [{ op: 'sum', field: 'count', as: 'total' }], groupby },
        { calculate: 'datum.count / datum.total / (datum.bin_hi - datum.bin_lo)', as: 'density' },
      ],
      mark: { type: 'bar', opacity: color ? 0.5 : 1, binSpacing: 0 },
      encoding: {
        x: enc('bin_lo', 'quantitative', { title: xTitle, bin: { binned: true } }),
        x2: { field: 'bin_hi' },
        y: enc('density', 'quantitative', { stack: null }),
      },
    };
  } else {
    spec = {
      data: { values: rows },
      mark: { type: 'bar', opacity: color ? 0.5 : 1, binSpacing: 0 },
      encoding: {
        x: enc(field, 'quantitative', { bin: { maxbins: bins }, title: xTitle }),
        y: { aggregate: 'count', type: 'quantitative', title: 'count', ...(color ? { stack: null } : {}) },
      },
    };
  }
  if (color) spec.encoding.color = enc(color, inferType(rows, color, true));
  const { xTitle: _, ...rest } = opts;
  return finish(spec, rows, rest, `histogram of ${field}${color ? ` by ${color}` : ''}, ${plural(rows.length, 'value')}`);
}

export interface BandOptions extends ChartOptions {
  /** The step field (default 'step'). */
  x?: string;
  /** The metric (default 'loss'; for summaries, the summarised metric's name used as axis title). */
  y?: string;
  /** The method field: one colour per method (default 'method' when present). */
  color?: string;
  /** The seed field of per-seed records (default 'seed'). */
  seed?: string;
  /** What the band spans: 'minmax' (default), 'std' (mean ± sample std) or 'sem' (mean ± standard error). */
  band?: 'minmax' | 'std' | 'sem';
  /** The line: 'mean' (default) or 'median'. */
  center?: 'mean' | 'median';
  /** Also draw each seed's run as a thin line. */
  showSeeds?: boolean;
  /** Band opacity (default 0.2). */
  opacity?: number;
}

const PART = '__part';

function isSummary(rows: Row[]): boolean {
  const f = fieldNames(rows);
  return ['mean', 'min', 'max', 'std', 'n'].every((k) => f.includes(k));
}

/**
 * The optimizer-comparison chart: one colour per method, a line at the mean (or
 * median) across seeds and a band over min-max (or ± std / standard error).
 * Takes per-seed records (`runSeeds` output: method, seed, step, metric) or the
 * rows of `summarize`. With `logY`, a band edge at or below zero is drawn at the
 * smallest value observed at that step instead (a log axis cannot show it).
 *   plot.band(runs, {y: 'loss', logY: true, band: 'std'})
 */
export function band(data: PlotData, opts: BandOptions = {}): Chart {
  const what = 'plot.band';
  const input = toRecords(data, what);
  const x = opts.x ?? 'step';
  const y = opts.y ?? 'loss';
  const summaryInput = isSummary(input);
  const color = opts.color ?? (fieldNames(input).includes('method') ? 'method' : undefined);
  if (color !== undefined) requireField(input, color, what);
  requireField(input, x, what);
  const seedField = opts.seed ?? 'seed';
  if (!summaryInput) requireField(input, y, what);
  if (opts.showSeeds && summaryInput) throw new TypeError(`${what}: showSeeds needs per-seed records, not summaries`);
  const kind = opts.band ?? 'minmax';
  if (!['minmax', 'std', 'sem'].includes(kind)) throw new TypeError(`${what}: band must be 'minmax', 'std' or 'sem', got '${kind}'`);
  const center = opts.center ?? 'mean';
  if (center !== 'mean' && center !== 'median') throw new TypeError(`${what}: center must be 'mean' or 'median', got '${center}'`);
  if (center === 'median' && summaryInput && !fieldNames(input).includes('median')) {
    throw new TypeError(`${what}: center 'median' needs summaries with a median field`);
  }

  // Statistics per method and, when faceted, per panel.
  const by = [color, opts.facet].filter((f, i, all): f is string => f !== undefined && all.indexOf(f) === i);
  const summary: Row[] = summaryInput ? input : (summarize(input, { x, y, by }) as SummaryRow[]);
  const rows: Row[] = summary.map((s) => {
    const c = s[center] as number, mean = s.mean as number, spread = s[kind === 'sem' ? 'sem' : 'std'] as number;
    let lo = kind === 'minmax' ? (s.min as number) : mean - spread;
    const hi = kind === 'minmax' ? (s.max as number) : mean + spread;
    if (opts.logY && lo <= 0) lo = s.min as number;
    return compactRow({ ...s, center: c, lo, hi, [PART]: 'summary' });
  });
  if (opts.showSeeds) {
    requireField(input, seedField, what);
    for (const r of input) rows.push({ [x]: r[x], [y]: r[y], [seedField]: r[seedField], ...(color ? { [color]: r[color] } : {}), [PART]: 'seed' });
  }

  const yTitle = opts.yTitle ?? y;
  const onlySummary = { filter: `datum.${PART} === 'summary'` };
  // Both layers carry the same legend definition (Vega-Lite merges them; a `legend: null`
  // in one layer would remove the chart's legend): solid line symbols, not the pale band.
  const legend = { symbolType: 'stroke', symbolOpacity: 1, symbolStrokeWidth: 2 };
  const colorDef = color !== undefined ? enc(color, inferType(rows, color, true), { legend }) : undefined;
  const colorEnc = colorDef ? { color: colorDef } : {};
  const bandLabel = { minmax: 'min–max', std: '± std', sem: '± s.e.m.' }[kind];
  const layers: VegaLiteSpec[] = [
    {
      transform: [onlySummary],
      mark: { type: 'area', fillOpacity: opts.opacity ?? 0.2 },
      encoding: {
        x: enc(x, 'quantitative'),
        y: enc('lo', 'quantitative', { title: yTitle }),
        y2: { field: 'hi' },
        ...colorEnc,
      },
    },
    {
      transform: [onlySummary],
      mark: { type: 'line', strokeWidth: 2 },
      encoding: {
        x: enc(x, 'quantitative'),
        y: enc('center', 'quantitative', { title: yTitle }),
        ...(colorDef ? { color: { ...colorDef, legend: { symbolType: 'stroke', symbolStrokeWidth: 2 } } } : {}),
        tooltip: [
          ...(color ? [enc(color, 'nominal')] : []),
          enc(x, 'quantitative'),
          enc('mean', 'quantitative', { format: '.4g' }),
          enc('std', 'quantitative', { format: '.4g' }),
          enc('min', 'quantitative', { format: '.4g' }),
          enc('max', 'quantitative', { format: '.4g' }),
          enc('n', 'quantitative'),
        ],
      },
    },
  ];
  if (opts.showSeeds) {
    layers.unshift({
      transform: [{ filter: `datum.${PART} === 'seed'` }],
      mark: { type: 'line', strokeWidth: 1, opacity: 0.35 },
      encoding: { x: enc(x, 'quantitative'), y: enc(y, 'quantitative', { title: yTitle }), detail: enc(seedField, 'nominal'), ...colorEnc },
    });
  }
  const methods = distinctCount(summary, color);
  const seeds = summary.reduce((m, s) => Math.max(m, s.n as number), 0);
  return finish(
    { data: { values: rows }, layer: layers },
    rows,
    { ...opts, yTitle: undefined },
    `band of ${y} vs ${x}: ${center} and ${bandLabel} over ${plural(seeds, 'seed')}, ${plural(methods, 'method')}${color && methods > 1 ? ` by ${color}` : ''}`,
  );
}
