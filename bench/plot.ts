/**
 * Costs of plotting, measured on this machine (not a test):
 *   npx tsc -b && node dist/bench/plot.js
 * - import time of lib/plot (vega is not loaded until a chart renders),
 * - SVG rendering of a 2000-point line chart (first render, which loads vega, and later ones),
 * - PNG rasterisation with @resvg/resvg-js (optional), to decide whether PNG is worth emitting by default,
 * - a live chart in a 2000-step loop (what the loop pays per push).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setDisplaySink } from '../lib/display/index.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Milliseconds to import `module` in a fresh node process (median of `runs`). */
function importTime(module: string, runs = 5): number {
  const url = new URL(module, import.meta.url).href;
  const script = `const t = performance.now(); await import(${JSON.stringify(url)}); console.log(performance.now() - t);`;
  return median(Array.from({ length: runs }, () => Number(execFileSync(process.execPath, ['--input-type=module', '-e', script]).toString())));
}

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const out = await fn();
  return [performance.now() - t, out];
}

const rows: [string, string][] = [];
const ms = (x: number) => `${x.toFixed(1)} ms`;

rows.push(['import lib/plot (fresh process, median of 5)', ms(importTime('../lib/plot/index.js'))]);
rows.push(['import lib/progress + lib/claim (fresh process)', ms(importTime('../lib/claim/index.js'))]);
rows.push(['import vega + vega-lite (fresh process)', ms(importTime('./vega-only.js'))]);

const plot = await import('../lib/plot/index.js');
const steps = Array.from({ length: 2000 }, (_, i) => i);
const chart = plot.line({ step: steps, loss: steps.map((s) => Math.exp(-s / 400) * (1 + 0.1 * Math.sin(s / 7))) }, { logY: true, title: 'loss' });
const [cold, svg] = await time(() => chart.toSVG());
rows.push(['SVG of a 2000-point line chart, first render (loads vega)', ms(cold)]);
const warm: number[] = [];
for (let i = 0; i < 5; i++) warm.push((await time(() => chart.toSVG()))[0]);
rows.push(['SVG of a 2000-point line chart, later renders (median of 5)', ms(median(warm))]);
rows.push(['SVG size', `${(svg.length / 1024).toFixed(1)} KiB`]);
rows.push(['Vega-Lite spec size (JSON)', `${(JSON.stringify(chart.spec).length / 1024).toFixed(1)} KiB`]);

if (await plot.pngAvailable()) {
  await plot.svgToPng(svg);
  const png: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 5; i++) {
    const [t, out] = await time(() => plot.svgToPng(svg, 2));
    png.push(t);
    bytes = out.length;
  }
  rows.push(['PNG (2x) of that SVG with resvg (median of 5)', ms(median(png))]);
  rows.push(['PNG size (base64 in the notebook is 4/3 of it)', `${(bytes / 1024).toFixed(1)} KiB`]);
} else rows.push(['PNG', '@resvg/resvg-js not installed']);

// A live chart in a synchronous 2000-step loop with a notebook sink that only counts,
// against the same loop without the chart.
function trainingLoop(onStep: (step: number) => void): number {
  const t = performance.now();
  for (let step = 0; step < 2000; step++) {
    const until = performance.now() + 0.5; // half a millisecond of "training" per step
    while (performance.now() < until);
    onStep(step);
  }
  return performance.now() - t;
}
let published = 0;
setDisplaySink({ publish: () => void published++, clearOutput() {}, track() {} });
const live = plot.live({ throttleMs: 250 });
const bare = trainingLoop(() => {});
const withChart = trainingLoop((step) => live.push({ step, loss: 1 / (step + 1) }));
rows.push(['2000-step loop of 0.5 ms steps, without a chart', ms(bare)]);
rows.push(['the same loop with a live chart (throttle 250 ms)', `${ms(withChart)} (${published} in-loop updates)`]);
const specTimes: number[] = [];
for (let i = 0; i < 5; i++) specTimes.push((await time(async () => live.chart().specBundle()))[0]);
rows.push(['one in-loop update of a 2000-point live chart (spec only)', ms(median(specTimes))]);
const [closeMs] = await time(() => live.close());
rows.push(['live chart: close() (final render with SVG)', ms(closeMs)]);
setDisplaySink(null);
const quiet = plot.live();
const t1 = performance.now();
for (let step = 0; step < 2000; step++) quiet.push({ step, loss: 1 / (step + 1) });
rows.push(['live chart outside a notebook: 2000 pushes', ms(performance.now() - t1)]);

const width = Math.max(...rows.map((r) => r[0].length));
console.log(`plot costs (${fileURLToPath(import.meta.url)}, node ${process.version})`);
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
