/**
 * Display of TF.js tensors: `text/plain` in the spirit of `tf.print` (dtype,
 * shape, values, summarised with `...` past 100 elements) and `text/html` (a
 * small table for 1-D and 2-D tensors). Recognised by shape, so this module
 * does not load TF.js.
 */
import type { MimeBundle } from './index.js';
import { elide, escapeHtml, formatNumber, htmlTable } from './format.js';

export interface TensorLike {
  shape: number[];
  dtype: string;
  size: number;
  isDisposed?: boolean;
  data(): Promise<ArrayLike<unknown>>;
  dataSync(): ArrayLike<unknown>;
}

/** True for TF.js tensors (and variables). */
export function isTensorLike(x: unknown): x is TensorLike {
  const t = x as TensorLike;
  return (
    typeof x === 'object' && x !== null && Array.isArray(t.shape) && typeof t.dtype === 'string' &&
    typeof t.dataSync === 'function' && typeof t.data === 'function'
  );
}

/** Edge items shown per axis once a tensor has more than SUMMARY_THRESHOLD elements. */
const EDGE_ITEMS = 3;
const SUMMARY_THRESHOLD = 100;
/** The HTML table shows at most this many rows and columns. */
const HTML_MAX = 20;

function header(t: TensorLike): string {
  const kind = (t as { trainable?: unknown }).trainable !== undefined ? 'Variable' : 'Tensor';
  return `${kind} ${t.dtype} [${t.shape.join(', ')}]`;
}

function cell(v: unknown): string {
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof Uint8Array) return JSON.stringify(new TextDecoder().decode(v));
  return String(v);
}

/** Values as display strings; complex64 data is interleaved (re, im) pairs. */
function cells(t: TensorLike, values: ArrayLike<unknown>): string[] {
  if (t.dtype === 'complex64') {
    const out: string[] = [];
    for (let i = 0; i < values.length; i += 2) {
      const re = values[i] as number, im = values[i + 1] as number;
      out.push(`${formatNumber(re)}${im < 0 ? '-' : '+'}${formatNumber(Math.abs(im))}i`);
    }
    return out;
  }
  if (t.dtype === 'bool') return Array.from(values, (v) => (v ? 'true' : 'false'));
  return Array.from(values, cell);
}

/** Row-major strides of a shape. */
function strides(shape: number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1] * shape[i + 1];
  return s;
}

/** Nested-bracket text of the values, elided past the summary threshold and right-aligned. */
function nestedText(shape: number[], values: string[]): string {
  if (shape.length === 0) return values[0];
  const summarise = values.length > SUMMARY_THRESHOLD;
  const st = strides(shape);
  const axisIndices = shape.map((n) => (summarise ? elide(n, 2 * EDGE_ITEMS) : elide(n, n)));
  const width = Math.max(...collectShown(axisIndices, st, 0, 0, values).map((v) => v.length));
  const render = (axis: number, offset: number, indent: string): string => {
    const idx = axisIndices[axis];
    if (axis === shape.length - 1) {
      return '[' + idx.map((i) => (i < 0 ? '...' : values[offset + i].padStart(width))).join(', ') + ']';
    }
    const sep = ',' + '\n'.repeat(shape.length - 1 - axis) + indent + ' ';
    return '[' + idx.map((i) => (i < 0 ? '...' : render(axis + 1, offset + i * st[axis], indent + ' '))).join(sep) + ']';
  };
  return render(0, 0, '');
}

function collectShown(axisIndices: number[][], st: number[], axis: number, offset: number, values: string[]): string[] {
  const out: string[] = [];
  for (const i of axisIndices[axis]) {
    if (i < 0) continue;
    if (axis === axisIndices.length - 1) out.push(values[offset + i]);
    else out.push(...collectShown(axisIndices, st, axis + 1, offset + i * st[axis], values));
  }
  return out;
}

function tableHtml(t: TensorLike, values: string[]): string {
  const caption = header(t);
  if (t.shape.length === 1) {
    const cols = elide(t.shape[0], HTML_MAX);
    return htmlTable([cols.map((j) => (j < 0 ? '…' : values[j]))], cols.map((j) => (j < 0 ? '…' : String(j))), caption);
  }
  const [n, m] = t.shape;
  const rows = elide(n, HTML_MAX), cols = elide(m, HTML_MAX);
  return htmlTable(
    rows.map((i) => cols.map((j) => (i < 0 || j < 0 ? '…' : values[i * m + j]))),
    cols.map((j) => (j < 0 ? '…' : String(j))),
    caption,
    rows.map((i) => (i < 0 ? '…' : String(i))),
  );
}

/** The display bundle of a tensor. */
export async function tensorBundle(t: TensorLike): Promise<MimeBundle> {
  if (t.isDisposed) return { 'text/plain': `${header(t)} (disposed)` };
  const values = cells(t, await t.data());
  const text = `${header(t)}\n${nestedText(t.shape, values)}`;
  const html =
    t.shape.length === 1 || t.shape.length === 2
      ? tableHtml(t, values)
      : `<pre>${escapeHtml(text)}</pre>`;
  return { 'text/plain': text, 'text/html': html };
}
