/**
 * Display of arquero tables: `text/plain` (aligned columns, first and last rows)
 * and `text/html` (a table with the same elision). Recognised by shape, so this
 * module does not load arquero.
 */
import type { MimeBundle } from './index.js';
import { elide, formatNumber, htmlTable, textGrid } from './format.js';

export interface TableLike {
  numRows(): number;
  numCols(): number;
  columnNames(): string[];
  get(name: string, row: number): unknown;
  isGrouped(): boolean;
  groups(): { names: string[] } | null;
}

/** True for arquero tables. */
export function isTableLike(x: unknown): x is TableLike {
  const t = x as TableLike;
  return (
    typeof x === 'object' && x !== null && typeof t.numRows === 'function' && typeof t.columnNames === 'function' &&
    typeof t.get === 'function' && typeof (t as { objects?: unknown }).objects === 'function'
  );
}

const TEXT_ROWS = 10;
const HTML_ROWS = 20;

function cell(v: unknown): string {
  if (typeof v === 'number') return formatNumber(v);
  if (v instanceof Date) return v.toISOString();
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return `[${Array.from(v as ArrayLike<unknown>, cell).join(', ')}]`;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function caption(t: TableLike): string {
  const groups = t.isGrouped() ? `, grouped by ${t.groups()?.names.join(', ')}` : '';
  return `Table ${t.numRows()} rows × ${t.numCols()} columns${groups}`;
}

function cellsOf(t: TableLike, maxRows: number): { header: string[]; rows: string[][]; rowIds: string[] } {
  const header = t.columnNames();
  const shown = elide(t.numRows(), maxRows);
  return {
    header,
    rows: shown.map((i) => header.map((name) => (i < 0 ? '…' : cell(t.get(name, i))))),
    rowIds: shown.map((i) => (i < 0 ? '…' : String(i))),
  };
}

/** The display bundle of an arquero table. */
export function tableBundle(t: TableLike): MimeBundle {
  const text = cellsOf(t, TEXT_ROWS);
  const html = cellsOf(t, HTML_ROWS);
  return {
    'text/plain': `${caption(t)}\n${textGrid(text.rows, text.header)}`,
    'text/html': htmlTable(html.rows, html.header, caption(t), html.rowIds),
  };
}
