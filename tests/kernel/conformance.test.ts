/** The official conformance suite, jupyter_kernel_test, run against this kernel. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../helpers.js';
import { jupyterEnv, missingPython, SYSTEM_PYTHON } from './jupyter-env.js';

const missing = missingPython('jupyter_kernel_test');

test('jupyter_kernel_test passes every test, none skipped', { skip: missing, timeout: 180_000 }, async () => {
  const jenv = jupyterEnv();
  try {
    const out = await new Promise<{ code: number | null; text: string }>((resolve) => {
      const p = spawn(SYSTEM_PYTHON, [join(repoRoot(), 'tests', 'kernel', 'conformance.py'), '-v'], { env: jenv.env, cwd: jenv.root });
      let text = '';
      p.stdout.on('data', (d) => (text += d));
      p.stderr.on('data', (d) => (text += d));
      p.on('close', (code) => resolve({ code, text }));
    });
    assert.equal(out.code, 0, out.text);
    assert.match(out.text, /\nOK\s*$/, out.text);
    assert.doesNotMatch(out.text, /skipped/i, `a conformance test was skipped:\n${out.text}`);
    // Every test the installed suite defines ran.
    const defined = Number(
      spawnSync(SYSTEM_PYTHON, ['-c', "import jupyter_kernel_test as j; print(len([m for m in dir(j.KernelTests) if m.startswith('test_')]))"], { encoding: 'utf8' }).stdout,
    );
    const ran = Number(out.text.match(/Ran (\d+) tests?/)?.[1]);
    assert.ok(defined > 0 && ran === defined, `the suite defines ${defined} tests, ${ran} ran:\n${out.text}`);
  } finally {
    jenv.cleanup();
  }
});
