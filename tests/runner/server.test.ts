/**
 * `optilab run --server URL --token T` executes notebooks on the kernels of a running Jupyter
 * server (through @jupyterlab/services), here Debian's jupyter_server started by the test.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers.js';
import { jupyterEnv, missingPython, startJupyter, SYSTEM_PYTHON, type JupyterEnv, type RunningJupyter } from '../kernel/jupyter-env.js';
import { cliPath } from '../../kernel/paths.js';
import type { ReportEntry } from '../../kernel/runner/report.js';

const missing = missingPython('jupyter_server');

let jenv: JupyterEnv;
let server: RunningJupyter;
let reports: string;

before(async () => {
  if (missing) return;
  jenv = jupyterEnv();
  reports = mkdtempSync(join(tmpdir(), 'optilab-server-run-'));
  // Served from the repository root: `optilab run` names each notebook by its path from the current folder.
  server = await startJupyter({ command: [SYSTEM_PYTHON, '-m', 'jupyter_server'], root: repoRoot(), env: jenv.env });
});

after(async () => {
  await server?.stop();
  jenv?.cleanup();
  if (reports) rmSync(reports, { recursive: true, force: true });
});

/** Runs the CLI (asynchronously: the server answers on this process's event loop only in tests that await). */
function optilab(args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd: repoRoot(), env: { ...jenv.env, JUPYTER_TOKEN: '' } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.resume();
    child.on('exit', (status) => resolve({ status, stderr }));
  });
}

async function kernelsOnServer(): Promise<unknown[]> {
  const r = await fetch(`${server.url}api/kernels`, { headers: { Authorization: `token ${server.token}` } });
  return (await r.json()) as unknown[];
}

test('runs the tour on a kernel of the server: outputs, claims and the report as for a local run', { skip: missing, timeout: 300_000 }, async () => {
  const report = join(reports, 'ok');
  const run = await optilab(['run', '--smoke', '--server', server.url, '--token', server.token, '--report', report, 'notebooks/tour.ipynb']);
  assert.equal(run.status, 0, run.stderr);
  const [entry] = JSON.parse(readFileSync(join(report, 'report.json'), 'utf8')) as ReportEntry[];
  assert.equal(entry.ok, true, entry.error ?? '');
  assert.equal(entry.claims.length, 1);
  assert.equal(entry.claims[0].text, 'training lowers the loss at least tenfold');
  assert.equal(typeof entry.claims[0].holds, 'boolean');

  // Executed notebooks go to <report>/notebooks/<path as given>.
  const executed = JSON.parse(readFileSync(join(report, 'notebooks', 'notebooks', 'tour.ipynb'), 'utf8'));
  const outputs = executed.cells.filter((c: any) => c.cell_type === 'code').flatMap((c: any) => c.outputs);
  assert.ok(outputs.some((o: any) => o.data?.['application/vnd.vegalite.v5+json'] && o.data['image/svg+xml']), 'the chart arrived with its Vega-Lite spec and SVG');
  assert.ok(outputs.some((o: any) => /100%/.test(o.data?.['text/plain'] ?? '')), 'the progress bar display was updated to 100%');

  assert.match(server.log(), /Kernel started/, 'the kernel was started by the server');
  assert.deepEqual(await kernelsOnServer(), [], 'the run shut its kernel down');
});

test('a wrong token is refused with a message that says what to pass', { skip: missing, timeout: 120_000 }, async () => {
  const run = await optilab(['run', '--smoke', '--server', server.url, '--token', 'not-the-token', '--report', join(reports, 'bad-token'), 'notebooks/tour.ipynb']);
  assert.equal(run.status, 1);
  assert.match(run.stderr, /refused the token \(HTTP 403\); pass the server's token with --token/);
});

test('bad --server values are usage errors naming the argument', { skip: missing, timeout: 60_000 }, async () => {
  const notUrl = await optilab(['run', '--server', 'localhost:8888', 'notebooks/tour.ipynb']);
  assert.equal(notUrl.status, 2, notUrl.stderr);
  assert.match(notUrl.stderr, /--server localhost:8888: expected an http:\/\/ or https:\/\/ URL/);
  const tokenAlone = await optilab(['run', '--token', 'x', 'notebooks/tour.ipynb']);
  assert.match(tokenAlone.stderr, /--token: only used with --server URL/);
});
