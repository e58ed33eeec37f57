/**
 * Vega-Lite charts for notebooks and scripts, in the spirit of Altair.
 *
 *   plot.line(records, { x: 'step', y: 'loss', color: 'method', logY: true })
 *   plot.band(runs, { y: 'loss', band: 'std' })          // mean ± std across seeds
 *   plot.heatmap(u, { x: [-1, 1], y: [0, 1], diverging: true })
 *   plot.layer(a, b); plot.hconcat(a, b); plot.vconcat(a, b); plot.vegalite(spec)
 *   const live = plot.live({ logY: true }); live.push({ step, loss }); await live.close();
 *
 * A chart displays as `application/vnd.vegalite.v5+json` (JupyterLab draws it),
 * `image/svg+xml` rendered in this process (nbconvert, GitHub) and `text/plain`.
 * vega and vega-lite load on first render, not on import.
 */
export { Chart, renderOptions } from './chart.js';
export { line, scatter, heatmap, histogram, band } from './builders.js';
export type { ChartOptions, LineOptions, ScatterOptions, HeatmapOptions, HistogramOptions, BandOptions } from './builders.js';
export { layer, hconcat, vconcat, facet, vegalite } from './compose.js';
export { live, LiveChart } from './live.js';
export type { LiveOptions } from './live.js';
export { compileSpec, renderSvg, svgToPng, pngAvailable } from './render.js';
export type { PlotData, Row, Column } from './data.js';
export type { VegaLiteSpec } from './spec.js';
