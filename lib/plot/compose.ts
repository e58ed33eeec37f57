/** Composition: layering, side-by-side and stacked charts, faceting, and raw specs. */
import { Chart } from './chart.js';
import { inner, kindOf, type VegaLiteSpec } from './spec.js';

function checkCharts(charts: unknown[], what: string): Chart[] {
  if (charts.length === 0) throw new TypeError(`${what}: pass at least one chart`);
  charts.forEach((c, i) => {
    if (!(c instanceof Chart)) throw new TypeError(`${what}: argument ${i} is not a Chart (build one with plot.line, plot.scatter, ... or plot.vegalite)`);
  });
  return charts as Chart[];
}

function describe(charts: Chart[], joiner: string): string {
  return charts.map((c) => c.description).join(joiner);
}

/**
 * Draws charts on shared axes: `plot.layer(plot.line(fit), plot.scatter(data))`.
 * The first chart's title and the largest width and height apply.
 */
export function layer(...charts: Chart[]): Chart {
  checkCharts(charts, 'plot.layer');
  const out: VegaLiteSpec = { layer: [] };
  for (const [i, c] of charts.entries()) {
    const { title, width, height, ...rest } = inner(c.spec);
    const k = kindOf(rest);
    if (k !== 'unit' && k !== 'layer') {
      throw new TypeError(`plot.layer: chart ${i} is a ${k} chart; only single or layered charts can be layered (facet the layered chart instead)`);
    }
    if (title !== undefined) out.title ??= title;
    if (width !== undefined) out.width = Math.max(out.width ?? 0, width);
    if (height !== undefined) out.height = Math.max(out.height ?? 0, height);
    out.layer.push(rest);
  }
  return new Chart(out, `layer of ${describe(charts, ' + ')}`);
}

/** Charts side by side. */
export function hconcat(...charts: Chart[]): Chart {
  checkCharts(charts, 'plot.hconcat');
  return new Chart({ hconcat: charts.map((c) => inner(c.spec)) }, `${describe(charts, ' | ')}`);
}

/** Charts stacked vertically. */
export function vconcat(...charts: Chart[]): Chart {
  checkCharts(charts, 'plot.vconcat');
  return new Chart({ vconcat: charts.map((c) => inner(c.spec)) }, `${describe(charts, ' / ')}`);
}

/** Small multiples of a chart by a field: `plot.facet(plot.line(runs, {...}), 'seed', {columns: 3})`. */
export function facet(chart: Chart, field: string, options: { columns?: number; type?: 'nominal' | 'ordinal' | 'quantitative' } = {}): Chart {
  checkCharts([chart], 'plot.facet');
  return chart.facet(field, options);
}

/**
 * Wraps any Vega-Lite spec (inline data recommended: `data: {values: [...]}`).
 * `$schema` is set to Vega-Lite 5, the version JupyterLab renders.
 */
export function vegalite(spec: VegaLiteSpec, description?: string): Chart {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw new TypeError('plot.vegalite: spec must be a Vega-Lite spec object');
  }
  const mark = typeof spec.mark === 'string' ? spec.mark : spec.mark?.type;
  return new Chart(structuredClone(spec), description ?? `Vega-Lite ${mark ? `${mark} ` : ''}${kindOf(spec)} spec`);
}
