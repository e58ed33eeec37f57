/**
 * Rich display: the MIME-bundle protocol shared by the kernel and plain scripts.
 *
 * Any object can define `[Symbol.for('Jupyter.display')]()` returning a MIME bundle
 * (or a promise of one); `display(x)` negotiates the bundle and hands it to the
 * current sink. Inside the optilab kernel the sink publishes `display_data` /
 * `update_display_data` on IOPub; outside it (scripts, tests) the default sink
 * prints the `text/plain` part, so library code can always call `display`.
 */
import { inspect } from 'node:util';
import { isTensorLike, tensorBundle } from './tensor.js';
import { isTableLike, tableBundle } from './table.js';

/** A MIME bundle: `text/plain` is always present; JSON types (e.g. Vega-Lite) are objects, not strings. */
export type MimeBundle = { 'text/plain': string } & Record<string, unknown>;

/** Objects that know how to show themselves implement this symbol (the convention of Deno's kernel). */
export const DISPLAY = Symbol.for('Jupyter.display');

export interface Displayable {
  [DISPLAY](): MimeBundle | Promise<MimeBundle>;
}

/** Where bundles go. The kernel installs its own sink; `setDisplaySink(null)` restores the console sink. */
export interface DisplaySink {
  /** Shows `data` as a new output, or replaces the output with `displayId` when `update` is true. */
  publish(data: MimeBundle, metadata: Record<string, unknown>, displayId: string | undefined, update: boolean): void;
  /** Clears the cell's output (`wait`: when the next output arrives). */
  clearOutput(wait: boolean): void;
  /** Work the cell started that must finish before the cell counts as done (e.g. async SVG rendering). */
  track(work: Promise<unknown>): void;
}

const consoleSink: DisplaySink = {
  publish(data, _metadata, _displayId, update) {
    if (!update) process.stdout.write(data['text/plain'] + '\n');
  },
  clearOutput() {},
  track() {},
};

let sink: DisplaySink = consoleSink;

export function setDisplaySink(next: DisplaySink | null): void {
  sink = next ?? consoleSink;
}

export function currentDisplaySink(): DisplaySink {
  return sink;
}

/**
 * True when a notebook front end receives the output (a sink other than the
 * console one is installed). Progress bars and live charts skip their rich
 * rendering when it is false.
 */
export function hasRichDisplay(): boolean {
  return sink !== consoleSink;
}

/** Formatters for types the library does not own (tensors, arquero tables): first match wins. */
type Formatter = { test: (x: unknown) => boolean; format: (x: any) => MimeBundle | Promise<MimeBundle> };
const formatters: Formatter[] = [];

/** Registers a formatter, consulted before the generic fallbacks. */
export function registerFormatter(test: (x: unknown) => boolean, format: (x: any) => MimeBundle | Promise<MimeBundle>): void {
  formatters.unshift({ test, format });
}

function isDisplayable(x: unknown): x is Displayable {
  return x !== null && (typeof x === 'object' || typeof x === 'function') && typeof (x as any)[DISPLAY] === 'function';
}

/** The MIME bundle for `x`: its own display method, a registered formatter, else `text/plain` via util.inspect. */
export async function mimeBundle(x: unknown): Promise<MimeBundle> {
  if (isDisplayable(x)) return await x[DISPLAY]();
  for (const f of formatters) if (f.test(x)) return await f.format(x);
  return { 'text/plain': typeof x === 'string' ? x : inspect(x, { colors: false, depth: 4 }) };
}

export interface DisplayOptions {
  /** Names this output so later `update` calls replace it in place. */
  displayId?: string;
  /** Replace the output named by `displayId` instead of adding a new one. */
  update?: boolean;
  metadata?: Record<string, unknown>;
}

/** A handle to one output area, updated in place (progress bars, live charts). */
export class DisplayHandle {
  constructor(readonly displayId: string) {}
  /** Replaces this output with `x`. */
  update(x: unknown): Promise<void> {
    return show(x, { displayId: this.displayId, update: true }).then(() => undefined);
  }
}

let counter = 0;
/** A fresh display id, unique within the process. */
export function newDisplayId(): string {
  return `optilab-${process.pid}-${Date.now().toString(36)}-${(counter++).toString(36)}`;
}

/**
 * Shows `x` in the notebook (or prints its text form outside one). Returns a
 * handle for in-place updates. The returned promise is also tracked by the sink,
 * so a cell that does not await it still finishes only after the output is out.
 */
function show(x: unknown, options: DisplayOptions = {}): Promise<DisplayHandle> {
  if (options.update && options.displayId === undefined) {
    throw new Error('display: options.update needs options.displayId (the output to replace)');
  }
  const displayId = options.displayId ?? newDisplayId();
  const target = sink;
  const work = mimeBundle(x).then((bundle) => {
    target.publish(bundle, options.metadata ?? {}, displayId, options.update ?? false);
    return new DisplayHandle(displayId);
  });
  target.track(work);
  return work;
}

/**
 * Publishes a ready bundle synchronously. `display()` resolves bundles
 * asynchronously, so inside a synchronous loop its output would appear only when
 * the loop ends; progress bars and live charts build their bundles themselves and
 * publish through this so that they update while the loop runs.
 */
export function publishBundle(bundle: MimeBundle, options: DisplayOptions = {}): DisplayHandle {
  if (options.update && options.displayId === undefined) {
    throw new Error('publishBundle: options.update needs options.displayId (the output to replace)');
  }
  const displayId = options.displayId ?? newDisplayId();
  sink.publish(bundle, options.metadata ?? {}, displayId, options.update ?? false);
  return new DisplayHandle(displayId);
}

/** Clears the current cell's output. */
export function clearOutput(wait = false): void {
  sink.clearOutput(wait);
}

/** Small constructors for raw bundles: `display(html('<b>x</b>'))`. */
export function html(source: string): Displayable {
  return { [DISPLAY]: () => ({ 'text/html': source, 'text/plain': source.replace(/<[^>]*>/g, '') }) };
}
export function markdown(source: string): Displayable {
  return { [DISPLAY]: () => ({ 'text/markdown': source, 'text/plain': source }) };
}
export function svg(source: string): Displayable {
  return { [DISPLAY]: () => ({ 'image/svg+xml': source, 'text/plain': '<svg image>' }) };
}
export function mime(bundle: Record<string, unknown>): Displayable {
  const text = typeof bundle['text/plain'] === 'string' ? (bundle['text/plain'] as string) : `<${Object.keys(bundle).join(', ')}>`;
  return { [DISPLAY]: () => ({ ...bundle, 'text/plain': text }) };
}

/**
 * `display(x)` shows any value; `display.html`, `display.markdown`, `display.svg` and
 * `display.mime` wrap raw content; `display.clear()` clears the cell's output.
 */
export const display = Object.assign(show, { html, markdown, svg, mime, clear: clearOutput, bundle: mimeBundle });

// Types the library does not own but users display all the time. Registered
// first, so formatters registered later (by users) take precedence.
registerFormatter(isTableLike, tableBundle);
registerFormatter(isTensorLike, tensorBundle);
