/** Text helpers shared by the formatters, progress bars and claims. */

/**
 * A number in a short readable form: integers as they are (below 1e6),
 * otherwise 4 significant digits, switching to exponent form for very small
 * or large magnitudes: 3, 0.1235, 1.235e-5, 2.5e+7, NaN, Infinity.
 */
export function formatNumber(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e6) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) {
    const [m, e] = x.toExponential(digits - 1).split('e');
    return `${trimZeros(m)}e${e}`;
  }
  return trimZeros(x.toPrecision(digits));
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * Lays out rows of cells as aligned text columns (right-aligned, as numbers read
 * best). `header` rows are separated from the body by a rule when given.
 */
export function textGrid(rows: string[][], header?: string[]): string {
  const all = header ? [header, ...rows] : rows;
  const widths: number[] = [];
  for (const row of all) row.forEach((cell, j) => (widths[j] = Math.max(widths[j] ?? 0, cell.length)));
  const line = (row: string[]) => row.map((cell, j) => cell.padStart(widths[j])).join('  ');
  const out = all.map(line);
  if (header) out.splice(1, 0, widths.map((w) => '─'.repeat(w)).join('  '));
  return out.join('\n');
}

/** An HTML table with an optional caption; cells are escaped here. */
export function htmlTable(rows: string[][], header?: string[], caption?: string, rowHeaders?: string[]): string {
  const th = (s: string) => `<th>${escapeHtml(s)}</th>`;
  const head = header ? `<thead><tr>${rowHeaders ? '<th></th>' : ''}${header.map(th).join('')}</tr></thead>` : '';
  const body = rows
    .map((row, i) => `<tr>${rowHeaders ? th(rowHeaders[i]) : ''}${row.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('');
  const cap = caption ? `<caption style="caption-side:top;text-align:left">${escapeHtml(caption)}</caption>` : '';
  return `<table class="optilab-table" style="font-variant-numeric:tabular-nums">${cap}${head}<tbody>${body}</tbody></table>`;
}

/**
 * Indices to show of a length-n axis when at most `max` fit: all of them, or the
 * first and last halves with -1 marking the elided middle (numpy's summarisation).
 */
export function elide(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const head = Math.ceil(max / 2);
  const tail = Math.floor(max / 2);
  return [...Array.from({ length: head }, (_, i) => i), -1, ...Array.from({ length: tail }, (_, i) => n - tail + i)];
}
