/**
 * REPRODUCTIONS.md: one row per catalog paper with what its notebook measured in QUICK
 * mode. Results are kept in notebooks/reproductions.json with a hash of each notebook's
 * cells, so only notebooks whose content changed are re-run (unless asked for all).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { packageRoot } from '../paths.js';
import { notebookPathFor, readCatalog, type Paper } from './catalog.js';
import type { Claim } from './execute.js';
import { readNotebook, sourceOf, tagsOf, type Notebook } from './notebook.js';
import { formatMeasured, mdCell, verdict } from './report.js';
import { runFailed, runNotebooks } from './run.js';

export interface Recorded {
  hash: string;
  ok: boolean;
  seconds: number;
  error: string | null;
  claims: Claim[];
}

/** A hash of what a notebook does (its cells' types, sources and tags), not of its outputs. */
export function notebookHash(nb: Notebook): string {
  const cells = nb.cells.filter((c) => !tagsOf(c).includes('injected-parameters')).map((c) => [c.cell_type, sourceOf(c), tagsOf(c)]);
  return createHash('sha256').update(JSON.stringify(cells)).digest('hex').slice(0, 16);
}

export function reproductionsMarkdown(catalog: Paper[], store: Record<string, Recorded>, root: string): string {
  const rows = catalog.map((p) => {
    const r = store[p.slug];
    const path = relative(root, notebookPathFor(p, root));
    if (!r || !existsSync(notebookPathFor(p, root))) return `| ${p.id} | ${mdCell(p.title)} | not yet | | |`;
    const claims = r.ok
      ? r.claims.map((c) => `${c.error ? '⚠' : c.holds ? '✓' : '✗'} ${mdCell(c.text)}: ${mdCell(formatMeasured(c.measured))} (${verdict(c)})`).join('<br>') || 'no claim stated'
      : `**failed**: ${mdCell(r.error ?? '')}`;
    return `| ${p.id} | ${mdCell(p.title)} | [${p.slug}](${path}) | ${claims} | ${r.seconds.toFixed(1)} |`;
  });
  const recorded = catalog.filter((p) => store[p.slug]);
  const claims = recorded.flatMap((p) => (store[p.slug].ok ? store[p.slug].claims : []));
  return [
    '# Reproductions',
    '',
    'Every paper in the catalog, its notebook, and what the notebook measured when run in QUICK mode',
    '(small budgets, meaningful verdicts). A claim that does not hold at this scale is reported as such.',
    'Regenerate with `npx optilab reproductions` (re-runs only notebooks that changed; `--all` re-runs every one).',
    '',
    `${recorded.length} of ${catalog.length} papers have a notebook; ${recorded.filter((p) => !store[p.slug].ok).length} failed to run. ` +
      `${claims.length} claims: ${claims.filter((c) => c.holds && !c.error).length} hold, ${claims.filter((c) => !c.holds && !c.error).length} do not hold, ${claims.filter((c) => c.error).length} errored.`,
    '',
    '| # | Paper | Notebook | Claims: measured (verdict) | Seconds |',
    '|---:|---|---|---|---:|',
    ...rows,
    '',
  ].join('\n');
}

export interface RegenerateOptions {
  all: boolean;
  timeoutSeconds: number;
  /** Notebooks run at the same time (default 1). */
  jobs?: number;
  root?: string;
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

/** Re-runs changed paper notebooks in QUICK mode and rewrites the store and REPRODUCTIONS.md. Returns true when all went well. */
export async function regenerateReproductions(opts: RegenerateOptions): Promise<boolean> {
  const root = opts.root ?? packageRoot;
  const log = opts.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const catalog = readCatalog(join(root, 'notebooks', 'catalog.tsv'));
  const storePath = join(root, 'notebooks', 'reproductions.json');
  const old: Record<string, Recorded> = existsSync(storePath) ? JSON.parse(readFileSync(storePath, 'utf8')) : {};
  const store: Record<string, Recorded> = {};
  const toRun: { paper: Paper; path: string; hash: string }[] = [];
  for (const paper of catalog) {
    const path = notebookPathFor(paper, root);
    if (!existsSync(path)) continue;
    const hash = notebookHash(readNotebook(path));
    if (!opts.all && old[paper.slug]?.hash === hash) store[paper.slug] = old[paper.slug];
    else toRun.push({ paper, path, hash });
  }
  log(`${toRun.length} notebook(s) to run, ${Object.keys(store).length} unchanged`);
  // The store and REPRODUCTIONS.md are rewritten as each notebook finishes: an interrupted run keeps what it measured.
  const save = () => {
    const ordered = Object.fromEntries(catalog.filter((p) => store[p.slug]).map((p) => [p.slug, store[p.slug]]));
    writeFileSync(storePath, JSON.stringify(ordered, null, 2) + '\n');
    writeFileSync(join(root, 'REPRODUCTIONS.md'), reproductionsMarkdown(catalog, ordered, root));
  };
  let ok = true;
  if (toRun.length) {
    const results = await runNotebooks(
      toRun.map((t) => t.path),
      {
        mode: 'quick', params: {}, reportDir: join(root, 'reports', 'reproductions'), timeoutSeconds: opts.timeoutSeconds, jobs: opts.jobs,
        heading: 'optilab reproductions (QUICK)', log, catalog, env: opts.env,
        onResult: (i, r) => {
          const { ok: ran, seconds, error, claims } = r.entry;
          store[toRun[i].paper.slug] = { hash: toRun[i].hash, ok: ran, seconds, error, claims };
          save();
        },
      },
    );
    ok = !runFailed(results);
  }
  save();
  return ok;
}
