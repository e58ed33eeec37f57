/**
 * `optilab run`: executes notebooks, each in a fresh kernel (`jobs` at a time), and
 * writes the executed notebooks and the reports. A notebook that fails never stops the
 * run; progress goes to stderr.
 */
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { ServerOptions } from '../client/server.js';
import { executeNotebook, type KernelStarter } from './execute.js';
import { readNotebook, sourceOf, writeNotebook, type Notebook } from './notebook.js';
import { injectParameters } from './parameters.js';
import { paperFor, readCatalog, type Paper } from './catalog.js';
import { writeReports, type ReportEntry, type ReportNotebook } from './report.js';

export type Mode = 'smoke' | 'quick' | 'full';

export interface RunOptions {
  mode: Mode;
  /** Overrides for the parameters cell (after SMOKE/QUICK). */
  params: Record<string, unknown>;
  reportDir: string;
  timeoutSeconds: number;
  /** Notebooks executed at the same time, each in its own kernel (default 1). */
  jobs?: number;
  heading?: string;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  catalog?: Paper[];
  /** Called as each notebook finishes (index into `paths`), so callers can save results as they come. */
  onResult?: (index: number, result: ReportNotebook) => void;
  /** Run through this Jupyter server instead of starting kernels here. */
  server?: ServerOptions;
}

/**
 * Kernels on a Jupyter server: each notebook's session path is its path relative to the
 * current folder, so a server started here runs the kernel in the notebook's folder.
 */
function serverKernels(server: ServerOptions): KernelStarter {
  return async (path) => {
    const { ServerKernel } = await import('../client/server.js');
    return ServerKernel.start(server, relative(process.cwd(), path).split(sep).join('/'));
  };
}

/** Notebooks named directly, and every .ipynb under named folders (checkpoints skipped), in order. */
export function findNotebooks(paths: string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.') || name === 'node_modules') continue;
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.ipynb')) found.push(p);
    }
  };
  for (const p of paths) {
    if (!existsSync(p)) throw new Error(`${p}: no such file or folder`);
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith('.ipynb')) found.push(p);
    else throw new Error(`${p}: not a notebook (.ipynb) or a folder`);
  }
  return [...new Set(found.map((p) => resolve(p)))];
}

function titleOf(nb: Notebook, fallback: string): string {
  for (const c of nb.cells) {
    if (c.cell_type !== 'markdown') continue;
    const m = sourceOf(c).match(/^#+\s+(.+)$/m);
    if (m) return m[1].trim();
  }
  return fallback;
}

/** Parameters for a mode: `--smoke` sets SMOKE, `--quick` sets QUICK. */
export function modeParameters(mode: Mode): Record<string, unknown> {
  return mode === 'smoke' ? { SMOKE: true } : mode === 'quick' ? { QUICK: true } : {};
}

export async function runNotebooks(paths: string[], opts: RunOptions): Promise<ReportNotebook[]> {
  const log = opts.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const catalog = opts.catalog ?? readCatalog();
  const params = { ...modeParameters(opts.mode), ...opts.params };
  const jobs = Math.max(1, Math.min(opts.jobs ?? 1, paths.length));
  const results: ReportNotebook[] = new Array(paths.length);
  const counter = (i: number) => `[${i + 1}/${paths.length}]`;
  const startKernel = opts.server ? serverKernels(opts.server) : undefined;

  async function runOne(i: number): Promise<void> {
    const path = paths[i];
    const name = relative(process.cwd(), path);
    const paper = paperFor(path, catalog);
    const slug = paper?.slug ?? name.replace(/\.ipynb$/, '').replace(/[^\w-]+/g, '-');
    const executedPath = join('notebooks', name.replace(/^(\.\.[/\\])+/, ''));
    log(`${counter(i)} ${name} ...`);
    let nb: Notebook;
    try {
      nb = readNotebook(path);
    } catch (e) {
      const entry: ReportEntry = { notebook: name, slug, paper_id: paper?.id ?? null, ok: false, seconds: 0, error: (e as Error).message, claims: [] };
      results[i] = { entry, title: paper?.title ?? name, executedPath, executed: { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] } };
      log(`${counter(i)} ${name}: FAILED (${entry.error})`);
      opts.onResult?.(i, results[i]);
      return;
    }
    const run = await executeNotebook(injectParameters(nb, params), path, { timeoutSeconds: opts.timeoutSeconds, env: opts.env, startKernel });
    run.executed.metadata.optilab = { ...(run.executed.metadata.optilab ?? {}), run: { ok: run.ok, seconds: Number(run.seconds.toFixed(2)), mode: opts.mode, parameters: params } };
    const out = join(opts.reportDir, executedPath);
    mkdirSync(dirname(out), { recursive: true });
    writeNotebook(out, run.executed);
    const entry: ReportEntry = { notebook: name, slug, paper_id: paper?.id ?? null, ok: run.ok, seconds: Number(run.seconds.toFixed(2)), error: run.error, claims: run.claims };
    results[i] = { entry, title: paper?.title ?? titleOf(nb, name), executedPath, executed: run.executed };
    const holds = run.claims.filter((c) => c.holds && !c.error).length;
    const summary = run.claims.length ? `, ${run.claims.length} claims: ${holds} hold, ${run.claims.length - holds} do not or errored` : '';
    log(`${counter(i)} ${name}: ${run.ok ? 'ok' : `FAILED (${run.error})`} in ${run.seconds.toFixed(1)} s${summary}`);
    opts.onResult?.(i, results[i]);
  }

  // A small pool: each worker takes the next notebook until none is left; each notebook gets its own kernel.
  let next = 0;
  await Promise.all(Array.from({ length: jobs }, async () => {
    while (next < paths.length) await runOne(next++);
  }));
  writeReports(opts.reportDir, results, opts.heading ?? `optilab run (${opts.mode})`);
  return results;
}

/** A run fails when a notebook failed or a claim errored; a claim that does not hold is a result, not a failure. */
export function runFailed(results: ReportNotebook[]): boolean {
  return results.some((r) => !r.entry.ok || r.entry.claims.some((c) => c.error));
}
