/**
 * Live charts for training loops: points go in with `push`, and the chart in the
 * notebook is replaced in place (one display id, `update_display_data`), at most
 * once per `throttleMs`. While the loop runs only the Vega-Lite spec is sent
 * (JupyterLab draws it; building it takes microseconds); `close()` sends the
 * final chart with its SVG so static viewers get the picture too.
 * Outside a notebook nothing is rendered: `push` only stores the point.
 *
 *   const live = plot.live({ y: ['train', 'test'], logY: true, title: 'loss' });
 *   for (let step = 0; step < 2000; step++) live.push({ step, train: l1, test: l2 });
 *   await live.close();
 */
import { display, hasRichDisplay, newDisplayId, publishBundle } from '../display/index.js';
import type { Chart } from './chart.js';
import { line, type ChartOptions } from './builders.js';

export interface LiveOptions extends ChartOptions {
  /** The x field of pushed records (default 'step'; missing values count pushes). */
  x?: string;
  /** The metric field(s) to draw (default: every numeric field but x). */
  y?: string | string[];
  /** Least time between two re-renders in milliseconds (default 300). */
  throttleMs?: number;
}

type Point = { x: number; value: number; series: string };

export class LiveChart {
  private readonly points: Point[] = [];
  private readonly options: LiveOptions;
  private readonly throttleMs: number;
  private readonly displayId = newDisplayId();
  private readonly rich = hasRichDisplay();
  private shown = false;
  private lastRender = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private dirty = false;
  private closed: Promise<void> | undefined;
  /** How many times the chart was published (for tests and diagnostics). */
  renders = 0;

  constructor(options: LiveOptions = {}) {
    const throttle = options.throttleMs ?? 300;
    if (!Number.isFinite(throttle) || throttle < 0) throw new TypeError(`plot.live: throttleMs must be a non-negative number, got ${throttle}`);
    this.options = options;
    this.throttleMs = throttle;
  }

  /**
   * Appends a record's metrics (`{step, loss, acc}`); `series` names the run they
   * belong to (e.g. the method), drawn in its own colour.
   */
  push(record: Record<string, number>, series?: string): void {
    if (this.closed) throw new Error('plot.live: push after close()');
    if (typeof record !== 'object' || record === null) throw new TypeError('plot.live: push(record) needs an object such as {step, loss}');
    const xField = this.options.x ?? 'step';
    const x = record[xField] ?? this.points.length;
    const ys = this.options.y === undefined
      ? Object.keys(record).filter((k) => k !== xField && typeof record[k] === 'number')
      : Array.isArray(this.options.y) ? this.options.y : [this.options.y];
    for (const field of ys) {
      const value = record[field];
      if (typeof value !== 'number') continue; // a metric logged only every few steps
      const name = series === undefined ? field : ys.length > 1 ? `${series} ${field}` : series;
      this.points.push({ x, value, series: name });
    }
    if (!this.rich) return;
    this.dirty = true;
    const wait = this.lastRender + this.throttleMs - Date.now();
    if (wait <= 0) this.render();
    else this.timer ??= unrefTimer(() => this.render(), wait);
  }

  /** The chart of everything pushed so far. */
  chart(): Chart {
    const { x: _x, y: _y, throttleMs: _t, xTitle, yTitle, ...common } = this.options;
    const names = new Set(this.points.map((p) => p.series));
    const yFields = this.options.y;
    // Records keyed by the user's field names, so the chart's text summary reads "loss vs step".
    const xName = this.options.x ?? 'step';
    const single = typeof yFields === 'string' ? yFields : names.size === 1 ? [...names][0] : 'value';
    const yName = single === xName || single === 'series' ? 'value' : single;
    const rows = this.points.map((p) => ({ [xName]: p.x, [yName]: p.value, series: p.series }));
    return line(rows, {
      ...common,
      x: xName,
      y: yName,
      ...(names.size > 1 ? { color: 'series' } : {}),
      xTitle: xTitle ?? xName,
      yTitle: yTitle ?? yName,
    });
  }

  /** Publishes the spec now (no SVG): the in-loop update. */
  private render(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.dirty || this.points.length === 0) return;
    this.dirty = false;
    this.lastRender = Date.now();
    publishBundle(this.chart().specBundle(), { displayId: this.displayId, update: this.shown });
    this.shown = true;
    this.renders++;
  }

  /** Sends the final chart, with its SVG. Safe to call more than once. */
  close(): Promise<void> {
    this.closed ??= this.finish();
    return this.closed;
  }

  /** Alias of `close()`. */
  done(): Promise<void> {
    return this.close();
  }

  private async finish(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.rich || this.points.length === 0) return;
    this.renders++;
    await display(this.chart(), { displayId: this.displayId, update: this.shown });
    this.shown = true;
  }
}

function unrefTimer(fn: () => void, ms: number): ReturnType<typeof setTimeout> {
  const t = setTimeout(fn, ms);
  t.unref?.();
  return t;
}

/** A live chart handle for training loops (see `LiveChart`). */
export function live(options: LiveOptions = {}): LiveChart {
  return new LiveChart(options);
}
