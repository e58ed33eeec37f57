/**
 * Progress bars for long loops, in the notebook and in the terminal.
 *
 *   for (const batch of progress(batches, { label: 'epoch 1' })) { ... }
 *   for (const step of progress(2000)) { ... }           // 0..1999
 *   const bar = progress(1000, { label: 'train' });
 *   bar.tick(); bar.postfix({ loss }); bar.done();
 *
 * In a notebook the bar is one output updated in place (`update_display_data`),
 * at most every `throttleMs`, with `text/plain`
 * `train 45% |█████████           | 450/1000 [00:03<00:04, 150 it/s, loss=0.12]`
 * and an HTML bar; the final state is always shown. Outside a notebook it
 * redraws one line on stderr when stderr is a terminal, and otherwise writes
 * only the final line.
 */
import { escapeHtml, formatNumber } from '../display/format.js';
import { hasRichDisplay, newDisplayId, publishBundle, type MimeBundle } from '../display/index.js';

export interface ProgressOptions {
  /** Text before the bar. */
  label?: string;
  /** The count at 100% (default: the iterable's length or size; none for other iterables). */
  total?: number;
  /** Least time between two redraws in milliseconds (default 150). */
  throttleMs?: number;
  /** The unit in the rate (default 'it'). */
  unit?: string;
  /** Width of the text bar in characters (default 20). */
  width?: number;
}

/** The state of a bar, for formatting. */
export interface ProgressState {
  label: string;
  count: number;
  total: number | undefined;
  elapsedMs: number;
  unit: string;
  width: number;
  postfix: Record<string, unknown>;
  /** 'running', 'done' (completed) or 'stopped' (left before the end). */
  status: 'running' | 'done' | 'stopped';
}

const BLOCKS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** mm:ss, or h:mm:ss past an hour. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  const mmss = `${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

function formatRate(count: number, elapsedMs: number, unit: string): string {
  if (count === 0 || elapsedMs <= 0) return `? ${unit}/s`;
  const perSecond = (count * 1000) / elapsedMs;
  return perSecond >= 1 ? `${formatNumber(perSecond, 3)} ${unit}/s` : `${formatNumber(1 / perSecond, 3)} s/${unit}`;
}

function formatPostfix(postfix: Record<string, unknown>): string {
  return Object.entries(postfix)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? formatNumber(v) : String(v)}`)
    .join(', ');
}

function fraction(s: ProgressState): number | undefined {
  if (s.total === undefined) return undefined;
  return s.total > 0 ? Math.min(1, s.count / s.total) : 1;
}

/** The bar drawn with block characters (eighths at the edge), `width` wide. */
function bar(frac: number, width: number): string {
  const eighths = Math.round(frac * width * 8);
  const full = Math.floor(eighths / 8);
  const partial = BLOCKS[eighths % 8];
  return ('█'.repeat(full) + partial).padEnd(width, ' ');
}

/** The text form: `label 45% |█████     | 450/1000 [00:03<00:04, 150 it/s, loss=0.12]`. */
export function formatProgress(s: ProgressState): string {
  const frac = fraction(s);
  const elapsed = formatDuration(s.elapsedMs / 1000);
  const rate = formatRate(s.count, s.elapsedMs, s.unit);
  const post = formatPostfix(s.postfix);
  const tail = post ? `, ${post}` : '';
  const label = s.label ? `${s.label} ` : '';
  if (frac === undefined) return `${label}${s.count} ${s.unit} [${elapsed}, ${rate}${tail}]`;
  const remaining = s.count > 0 ? ((s.total! - s.count) * s.elapsedMs) / s.count / 1000 : NaN;
  const pct = `${Math.floor(frac * 100)}%`.padStart(4);
  return `${label}${pct} |${bar(frac, s.width)}| ${s.count}/${s.total} [${elapsed}<${formatDuration(remaining)}, ${rate}${tail}]`;
}

const COLORS = { running: '#4c78a8', done: '#54a24b', stopped: '#e45756' };

/** The HTML form: a bar in a box, then the same figures as the text form. */
export function formatProgressHtml(s: ProgressState): string {
  const frac = fraction(s);
  const text = formatProgress({ ...s, label: '' }).replace(/^\s*\d+%\s*\|[^|]*\|\s*/, '');
  const label = s.label ? `<span>${escapeHtml(s.label)}</span>` : '';
  const pct = frac === undefined ? '' : `<span style="min-width:3.2em;text-align:right">${Math.floor(frac * 100)}%</span>`;
  const width = frac === undefined ? 100 : frac * 100;
  const fill = frac === undefined && s.status === 'running' ? `${COLORS.running}55` : COLORS[s.status];
  const barHtml =
    `<div style="flex:0 0 16em;height:0.9em;border:1px solid #999;border-radius:3px;overflow:hidden;background:#f2f2f2">` +
    `<div style="width:${width.toFixed(1)}%;height:100%;background:${fill}"></div></div>`;
  return (
    `<div class="optilab-progress" style="display:flex;gap:0.6em;align-items:center;font-family:monospace;font-size:12px">` +
    `${label}${pct}${barHtml}<span>${escapeHtml(text)}</span></div>`
  );
}

export class Progress {
  readonly label: string;
  readonly total: number | undefined;
  private readonly unit: string;
  private readonly width: number;
  private readonly throttleMs: number;
  private readonly start = Date.now();
  private readonly rich = hasRichDisplay();
  private readonly tty = !this.rich && Boolean(process.stderr.isTTY);
  private readonly displayId = newDisplayId();
  private extra: Record<string, unknown> = {};
  private lastDraw = -Infinity;
  private shown = false;
  private status: ProgressState['status'] = 'running';
  private finalMs: number | undefined;
  /** Items done so far. */
  count = 0;
  /** How many times the bar was drawn (for tests and diagnostics). */
  draws = 0;

  constructor(options: ProgressOptions = {}) {
    const { total, throttleMs = 150, width = 20 } = options;
    if (total !== undefined && (!Number.isFinite(total) || total < 0)) {
      throw new TypeError(`progress: total must be a non-negative number, got ${total}`);
    }
    if (!Number.isFinite(throttleMs) || throttleMs < 0) throw new TypeError(`progress: throttleMs must be a non-negative number, got ${throttleMs}`);
    if (!Number.isInteger(width) || width < 1) throw new TypeError(`progress: width must be a positive integer, got ${width}`);
    this.label = options.label ?? '';
    this.total = total;
    this.unit = options.unit ?? 'it';
    this.width = width;
    this.throttleMs = throttleMs;
    this.draw(true);
  }

  /** The current state. */
  state(): ProgressState {
    return {
      label: this.label, count: this.count, total: this.total, unit: this.unit, width: this.width,
      elapsedMs: this.finalMs ?? Date.now() - this.start, postfix: { ...this.extra }, status: this.status,
    };
  }

  /** Advances by `n` (default 1). */
  tick(n = 1): this {
    return this.set(this.count + n);
  }

  /** Sets the count. */
  set(count: number): this {
    if (typeof count !== 'number' || !Number.isFinite(count)) throw new TypeError(`progress: count must be a finite number, got ${count}`);
    this.count = count;
    this.draw(false);
    return this;
  }

  /** Shows metrics after the figures (`loss=0.123`), merged into earlier ones. */
  postfix(metrics: Record<string, unknown>): this {
    this.extra = { ...this.extra, ...metrics };
    this.draw(false);
    return this;
  }

  /** Completes the bar: the count becomes the total (when known) and the final state is drawn. */
  done(): void {
    if (this.status !== 'running') return;
    if (this.total !== undefined) this.count = Math.max(this.count, this.total);
    this.finish('done');
  }

  /** Ends the bar where it is (a loop left early or threw). */
  stop(): void {
    if (this.status === 'running') this.finish('stopped');
  }

  private finish(status: 'done' | 'stopped'): void {
    this.status = status;
    this.finalMs = Date.now() - this.start;
    this.draw(true);
  }

  /** The display bundle of the current state. */
  bundle(): MimeBundle {
    const s = this.state();
    return { 'text/plain': formatProgress(s), 'text/html': formatProgressHtml(s) };
  }

  private draw(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.lastDraw < this.throttleMs) return;
    this.lastDraw = now;
    const final = this.status !== 'running';
    if (this.rich) {
      publishBundle(this.bundle(), { displayId: this.displayId, update: this.shown });
      this.shown = true;
    } else if (this.tty) {
      process.stderr.write(`\r${formatProgress(this.state())}\x1b[K${final ? '\n' : ''}`);
    } else if (final) {
      process.stderr.write(formatProgress(this.state()) + '\n');
    } else return;
    this.draws++;
  }
}

function lengthOf(x: unknown): number | undefined {
  if (Array.isArray(x) || ArrayBuffer.isView(x) || typeof x === 'string') return (x as { length: number }).length;
  if (x instanceof Map || x instanceof Set) return x.size;
  return undefined;
}

/** A progress bar that is also an iterable over the wrapped items (or 0..total-1). */
export type ProgressIterable<T> = Progress & Iterable<T>;
export type ProgressAsyncIterable<T> = Progress & AsyncIterable<T>;

function* wrapSync<T>(p: Progress, items: Iterable<T>): Generator<T> {
  let completed = false;
  try {
    for (const item of items) {
      yield item;
      p.tick();
    }
    completed = true;
  } finally {
    if (completed) p.done();
    else p.stop();
  }
}

async function* wrapAsync<T>(p: Progress, items: AsyncIterable<T>): AsyncGenerator<T> {
  let completed = false;
  try {
    for await (const item of items) {
      yield item;
      p.tick();
    }
    completed = true;
  } finally {
    if (completed) p.done();
    else p.stop();
  }
}

function* range(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i;
}

/**
 * A progress bar: `progress(iterable, options)` wraps an iterable (sync or
 * async) and counts its items; `progress(total, options)` is a manual handle
 * (`tick`, `set`, `postfix`, `done`) that also iterates over 0..total-1.
 */
export function progress<T>(items: Iterable<T>, options?: ProgressOptions): ProgressIterable<T>;
export function progress<T>(items: AsyncIterable<T>, options?: ProgressOptions): ProgressAsyncIterable<T>;
export function progress(total: number, options?: ProgressOptions): ProgressIterable<number>;
export function progress(options: ProgressOptions): Progress;
export function progress(arg: unknown, options: ProgressOptions = {}): Progress {
  if (typeof arg === 'number') {
    if (!Number.isSafeInteger(arg) || arg < 0) throw new TypeError(`progress: total must be a non-negative integer, got ${arg}`);
    const p = new Progress({ ...options, total: arg });
    return Object.assign(p, { [Symbol.iterator]: () => wrapSync(p, range(arg)) });
  }
  if (arg !== null && typeof arg === 'object' && typeof (arg as Iterable<unknown>)[Symbol.iterator] === 'function') {
    const p = new Progress({ total: lengthOf(arg), ...options });
    return Object.assign(p, { [Symbol.iterator]: () => wrapSync(p, arg as Iterable<unknown>) });
  }
  if (arg !== null && typeof arg === 'object' && typeof (arg as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    const p = new Progress(options);
    return Object.assign(p, { [Symbol.asyncIterator]: () => wrapAsync(p, arg as AsyncIterable<unknown>) });
  }
  if (arg !== null && typeof arg === 'object' && !Array.isArray(arg)) return new Progress(arg as ProgressOptions);
  throw new TypeError(`progress: expected an iterable, an async iterable, a total count or options, got ${arg === null ? 'null' : typeof arg}`);
}
