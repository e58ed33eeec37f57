/**
 * Run reports: report.json (machine-readable), report.md (a table) and index.html (the
 * table plus each notebook's figures). The HTML escapes every text that comes from a
 * notebook, embeds figures as data-URI images (an SVG inside <img> cannot run script),
 * and forbids scripts with a Content-Security-Policy.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Claim } from './execute.js';
import type { Notebook } from './notebook.js';

export interface ReportEntry {
  notebook: string;
  slug: string;
  paper_id: number | null;
  ok: boolean;
  seconds: number;
  error: string | null;
  claims: Claim[];
}

export interface ReportNotebook {
  entry: ReportEntry;
  title: string;
  /** Path of the executed notebook, relative to the report folder. */
  executedPath: string;
  executed: Notebook;
}

export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e6) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? x.toExponential(3) : String(Number(x.toPrecision(4)));
}

/** Measured values for people: numbers to 4 significant digits, objects as `name=value` lists. */
export function formatMeasured(m: unknown): string {
  if (typeof m === 'number') return formatNumber(m);
  if (Array.isArray(m)) return `[${m.map(formatMeasured).join(', ')}]`;
  if (m !== null && typeof m === 'object') return Object.entries(m).map(([k, v]) => `${k}=${formatMeasured(v)}`).join(', ');
  return m === undefined ? '' : String(m);
}

export function verdict(c: Claim): string {
  return c.error ? `error: ${c.error}` : c.holds ? 'holds' : 'does not hold';
}

/** Text for a markdown table cell: pipes and line breaks escaped, and HTML shown as text, never rendered. */
export const mdCell = (s: string) => escapeHtml(s).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

export function markdownReport(entries: ReportEntry[], titles: Map<string, string>, heading: string): string {
  const failed = entries.filter((e) => !e.ok).length;
  const claims = entries.flatMap((e) => e.claims);
  const lines = [
    `# ${heading}`,
    '',
    `${entries.length} notebooks: ${entries.length - failed} ran, ${failed} failed. ${claims.length} claims: ${claims.filter((c) => c.holds && !c.error).length} hold, ${claims.filter((c) => !c.holds && !c.error).length} do not hold, ${claims.filter((c) => c.error).length} errored.`,
    '',
    '| Notebook | Paper | Result | Claims | Seconds |',
    '|---|---|---|---|---:|',
  ];
  for (const e of entries) {
    const result = e.ok ? 'ran' : `**failed**: ${e.error ?? ''}`;
    const cl = e.claims.map((c) => mdCell(`${c.error ? '⚠' : c.holds ? '✓' : '✗'} ${c.text} (${formatMeasured(c.measured)}; ${verdict(c)})`)).join('<br>');
    lines.push(`| ${mdCell(e.notebook)} | ${mdCell(titles.get(e.notebook) ?? e.slug)} | ${mdCell(result)} | ${cl || '—'} | ${e.seconds.toFixed(1)} |`);
  }
  return lines.join('\n') + '\n';
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Figures of a notebook as data URIs (SVG preferred, then PNG), with their text form as alt text. */
export function figures(nb: Notebook): { src: string; alt: string }[] {
  const out: { src: string; alt: string }[] = [];
  for (const cell of nb.cells) {
    for (const o of cell.outputs ?? []) {
      const data = o.data as Record<string, unknown> | undefined;
      if (!data) continue;
      const alt = typeof data['text/plain'] === 'string' ? data['text/plain'] : 'figure';
      const svg = data['image/svg+xml'];
      const png = data['image/png'];
      if (typeof svg === 'string' || Array.isArray(svg)) {
        const text = Array.isArray(svg) ? svg.join('') : svg;
        out.push({ src: `data:image/svg+xml;base64,${Buffer.from(text, 'utf8').toString('base64')}`, alt });
      } else if (typeof png === 'string') out.push({ src: `data:image/png;base64,${png.replace(/\s/g, '')}`, alt });
    }
  }
  return out;
}

export function htmlReport(notebooks: ReportNotebook[], heading: string): string {
  const h = escapeHtml;
  const rows = notebooks
    .map(({ entry: e, title }) => `<tr class="${e.ok ? 'ok' : 'failed'}"><td><a href="#${h(e.slug)}">${h(e.notebook)}</a></td><td>${h(title)}</td><td>${e.ok ? 'ran' : 'failed'}</td><td>${e.claims.length}</td><td>${e.seconds.toFixed(1)}</td></tr>`)
    .join('\n');
  const sections = notebooks
    .map(({ entry: e, title, executedPath, executed }) => {
      const claims = e.claims.length
        ? `<table><tr><th>Claim</th><th>Measured</th><th>Verdict</th></tr>${e.claims
            .map((c) => `<tr class="${c.error ? 'failed' : c.holds ? 'ok' : 'no'}"><td>${h(c.text)}</td><td>${h(formatMeasured(c.measured))}</td><td>${h(verdict(c))}</td></tr>`)
            .join('')}</table>`
        : '<p>No claims.</p>';
      const figs = figures(executed)
        .map((f) => `<figure><img src="${h(f.src)}" alt="${h(f.alt)}"></figure>`)
        .join('\n');
      return `<section id="${h(e.slug)}">
<h2>${h(title)}</h2>
<p><a href="${h(executedPath)}">${h(e.notebook)}</a> · ${e.ok ? 'ran' : '<strong>failed</strong>'} in ${e.seconds.toFixed(1)} s</p>
${e.error ? `<pre class="error">${h(e.error)}</pre>` : ''}
${claims}
${figs}
</section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>${h(heading)}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; }
table { border-collapse: collapse; margin: 0.5em 0; } td, th { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
tr.ok td:last-child, tr.ok td:nth-child(3) { color: #186a3b; } tr.failed td { color: #a93226; } tr.no td:last-child { color: #9a7d0a; }
pre.error { background: #fdedec; padding: 0.6em; white-space: pre-wrap; }
figure { display: inline-block; margin: 0.5em; } figure img { max-width: 100%; }
section { border-top: 1px solid #ddd; margin-top: 1.5em; }
</style>
</head>
<body>
<h1>${h(heading)}</h1>
<table><tr><th>Notebook</th><th>Paper</th><th>Result</th><th>Claims</th><th>Seconds</th></tr>
${rows}
</table>
${sections}
</body>
</html>
`;
}

/** Writes report.json, report.md and index.html into `dir`. */
export function writeReports(dir: string, notebooks: ReportNotebook[], heading: string): void {
  mkdirSync(dir, { recursive: true });
  const entries = notebooks.map((n) => n.entry);
  writeFileSync(join(dir, 'report.json'), JSON.stringify(entries, null, 2) + '\n');
  writeFileSync(join(dir, 'report.md'), markdownReport(entries, new Map(notebooks.map((n) => [n.entry.notebook, n.title])), heading));
  writeFileSync(join(dir, 'index.html'), htmlReport(notebooks, heading));
}
