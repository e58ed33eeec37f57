/** nbclient (Debian's python3-nbclient) executes notebooks with this kernel, as nbconvert and papermill do. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../helpers.js';
import { jupyterEnv, missingPython, SYSTEM_PYTHON } from './jupyter-env.js';

const missing = missingPython('nbclient');

function execute(notebook: string) {
  const jenv = jupyterEnv();
  try {
    const fixtures = join(repoRoot(), 'tests', 'fixtures', 'notebooks');
    const r = spawnSync(SYSTEM_PYTHON, [join(repoRoot(), 'tests', 'kernel', 'nbclient_run.py'), join(fixtures, notebook), fixtures], { env: jenv.env, encoding: 'utf8', timeout: 150_000 });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout);
  } finally {
    jenv.cleanup();
  }
}

test('nbclient runs a notebook: streams, SVG display, claim bundles as JSON objects', { skip: missing, timeout: 180_000 }, () => {
  const s = execute('claim_ok.ipynb');
  assert.equal(s.error, null);
  assert.deepEqual(s.cells.map((c: any) => c.execution_count), [1, 2, 3, 4]);
  assert.deepEqual(s.cells[1].outputs[0], { output_type: 'stream', name: 'stdout', text: 'summed 30 numbers\n', data_types: {}, data: null });
  assert.ok(s.cells[2].outputs[0].data['image/svg+xml'].startsWith('<svg'));
  const claim = s.cells[3].outputs[0];
  assert.equal(claim.data_types['application/vnd.optilab.claim+json'], 'object', 'a JSON MIME type arrives as an object, not a string');
  assert.deepEqual(claim.data['application/vnd.optilab.claim+json'], { text: 'Gauss: 1 + ... + n = n(n+1)/2', measured: { total: 465, formula: 465 }, holds: true });
});

test('nbclient sees a failing cell as CellExecutionError with ename and evalue', { skip: missing, timeout: 180_000 }, () => {
  const s = execute('cell_fails.ipynb');
  assert.deepEqual(s.error, { ename: 'Error', evalue: 'this cell fails on purpose' });
  assert.equal(s.cells[1].outputs[0].output_type, 'error');
});
