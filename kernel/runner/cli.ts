/** The runner's subcommands: `optilab run`, `optilab reproductions`, `optilab notebook convert`. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, UsageError } from '../args.js';
import type { ServerOptions } from '../client/server.js';
import { parseParameter } from './parameters.js';
import { findNotebooks, runFailed, runNotebooks, type Mode } from './run.js';
import { regenerateReproductions } from './reproductions.js';
import { readNotebook, scriptToNotebook, toPercentScript, writeNotebook } from './notebook.js';

function timeoutOf(values: Map<string, string>, fallback: number): number {
  const raw = values.get('--timeout');
  if (raw === undefined) return fallback;
  const t = Number(raw);
  if (!Number.isFinite(t) || t <= 0) throw new UsageError(`--timeout ${raw}: expected a positive number of seconds per cell`);
  return t;
}

/** `--server URL [--token T]`: where to run, checked before anything starts. */
function serverOf(values: Map<string, string>): ServerOptions | undefined {
  const url = values.get('--server');
  if (url === undefined) {
    if (values.has('--token')) throw new UsageError('--token: only used with --server URL');
    return undefined;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--server ${url}: expected the Jupyter server's URL, such as http://127.0.0.1:8888/`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`--server ${url}: expected an http:// or https:// URL`);
  // A URL copied from Jupyter's log carries the token as ?token=...; --token or JUPYTER_TOKEN can give it too.
  const token = values.get('--token') ?? (parsed.searchParams.get('token') || undefined) ?? process.env.JUPYTER_TOKEN;
  parsed.search = '';
  parsed.pathname = parsed.pathname.replace(/\/(lab|tree|notebooks)(\/.*)?$/, '/');
  return { url: parsed.toString(), token };
}

function jobsOf(values: Map<string, string>): number {
  const jobs = Number(values.get('--jobs') ?? 1);
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs ${values.get('--jobs')}: expected a positive integer`);
  return jobs;
}

export async function runCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { flags: ['--smoke', '--quick'], values: ['--report', '--timeout', '--jobs', '--server', '--token'], repeat: ['-p'] });
  if (a.positionals.length === 0) throw new UsageError('run: name at least one notebook or folder');
  if (a.flags.has('--smoke') && a.flags.has('--quick')) throw new UsageError('run: choose --smoke or --quick, not both');
  const mode: Mode = a.flags.has('--smoke') ? 'smoke' : a.flags.has('--quick') ? 'quick' : 'full';
  const params = Object.fromEntries((a.repeated.get('-p') ?? []).map(parseParameter));
  const reportDir = resolve(a.values.get('--report') ?? 'reports');
  const paths = findNotebooks(a.positionals);
  if (paths.length === 0) throw new UsageError(`run: no notebooks found in ${a.positionals.join(', ')}`);
  const jobs = jobsOf(a.values);
  const server = serverOf(a.values);
  const results = await runNotebooks(paths, { mode, params, reportDir, jobs, timeoutSeconds: timeoutOf(a.values, 600), server });
  process.stderr.write(`Report: ${reportDir}/index.html (also report.md, report.json)\n`);
  return runFailed(results) ? 1 : 0;
}

export async function reproductionsCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { flags: ['--all'], values: ['--timeout', '--jobs'] });
  if (a.positionals.length) throw new UsageError(`reproductions: unexpected argument ${a.positionals[0]}`);
  const ok = await regenerateReproductions({ all: a.flags.has('--all'), timeoutSeconds: timeoutOf(a.values, 300), jobs: jobsOf(a.values) });
  return ok ? 0 : 1;
}

export async function notebookCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'convert') throw new UsageError(`notebook: unknown subcommand ${sub ?? '(none)'}; expected convert`);
  const a = parseArgs(rest, { values: ['-o', '--output'] });
  if (a.positionals.length !== 1) throw new UsageError('notebook convert: name one .ts or .ipynb file');
  const input = a.positionals[0];
  if (!existsSync(input)) throw new UsageError(`notebook convert: ${input} does not exist`);
  let output = a.values.get('-o') ?? a.values.get('--output');
  if (input.endsWith('.ts')) {
    output ??= input.replace(/\.ts$/, '.ipynb');
    const previous = existsSync(output) ? readNotebook(output) : undefined;
    writeNotebook(output, scriptToNotebook(readFileSync(input, 'utf8'), previous));
  } else if (input.endsWith('.ipynb')) {
    output ??= input.replace(/\.ipynb$/, '.ts');
    writeFileSync(output, toPercentScript(readNotebook(input).cells));
  } else {
    throw new UsageError(`notebook convert: ${input} is neither a .ts script nor an .ipynb notebook`);
  }
  process.stderr.write(`Wrote ${output}\n`);
  return 0;
}
