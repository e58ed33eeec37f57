/**
 * Error contents as Jupyter shows them: `ename`, `evalue` and a traceback whose lines
 * point at the cell's line and column with the source line and a caret.
 */

export interface ErrorContent {
  ename: string;
  evalue: string;
  traceback: string[];
}

/**
 * The source excerpt for a position: the line before, the offending line marked with
 * `->`, and a caret under the column (`width` carets for a span). `line` and `column` are 1-based.
 */
export function sourceExcerpt(source: string, line: number, column: number, width = 1): string[] {
  const lines = source.split(/\r?\n/);
  if (line < 1 || line > lines.length) return [];
  const digits = String(Math.min(lines.length, line + 1)).length;
  const out: string[] = [];
  const row = (n: number, mark: string) => `${mark} ${String(n).padStart(digits)} | ${lines[n - 1]}`;
  if (line > 1) out.push(row(line - 1, '  '));
  out.push(row(line, '->'));
  const text = lines[line - 1];
  const col = Math.max(1, Math.min(column, text.length + 1));
  const span = Math.max(1, Math.min(width, text.length - col + 1));
  // Keep tabs so the caret lines up under tab-indented code.
  const pad = text.slice(0, col - 1).replace(/[^\t]/g, ' ');
  out.push(`   ${' '.repeat(digits)} | ${pad}${'^'.repeat(span)}`);
  return out;
}

/** `1-based (line, column)` of a UTF-16 offset. */
export function lineAndColumn(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < source.length; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}
