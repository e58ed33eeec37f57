/**
 * Every notebook under notebooks/ runs end to end in SMOKE mode (tiny budgets, the whole
 * code path) through the kernel, as CI requires. A claim that does not hold is an honest
 * result and passes; a failing cell, a hang or a malformed claim fails the notebook.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers.js';
import { jupyterEnv } from '../kernel/jupyter-env.js';
import { cliPath } from '../../kernel/paths.js';
import type { ReportEntry } from '../../kernel/runner/report.js';

test('every notebook runs in SMOKE mode', { timeout: 40 * 60_000 }, async (t) => {
  const jenv = jupyterEnv();
  const report = mkdtempSync(join(tmpdir(), 'optilab-smoke-'));
  try {
    const jobs = String(Math.max(1, Math.min(2, availableParallelism())));
    const run = spawnSync(process.execPath, [cliPath, 'run', '--smoke', '--jobs', jobs, '--timeout', '120', '--report', report, 'notebooks'], {
      cwd: repoRoot(),
      env: jenv.env,
      encoding: 'utf8',
    });
    const entries = JSON.parse(readFileSync(join(report, 'report.json'), 'utf8')) as ReportEntry[];
    assert.ok(entries.length > 0, `no notebooks ran:\n${run.stderr}`);
    for (const e of entries) {
      await t.test(e.notebook, () => {
        assert.ok(e.ok, `${e.notebook} failed: ${e.error}`);
        for (const c of e.claims) assert.equal(c.error, undefined, `${e.notebook}: malformed claim ${JSON.stringify(c)}`);
      });
    }
    assert.equal(run.status, 0, `optilab run exited ${run.status}:\n${run.stderr.slice(-4000)}`);
  } finally {
    rmSync(report, { recursive: true, force: true });
    jenv.cleanup();
  }
});
