/**
 * A private Jupyter environment for one test file: temporary JUPYTER_* directories with
 * the optilab kernelspec installed, so tests never touch the user's Jupyter set-up and
 * never collide with each other. `cleanup()` removes everything.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { installKernelSpec } from '../../kernel/kernelspec/install.js';

export interface JupyterEnv {
  root: string;
  env: NodeJS.ProcessEnv;
  cleanup(): void;
}

export function jupyterEnv(): JupyterEnv {
  const root = mkdtempSync(join(tmpdir(), 'optilab-jupyter-'));
  installKernelSpec({ kind: 'prefix', prefix: join(root, 'prefix') });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    JUPYTER_PATH: join(root, 'prefix', 'share', 'jupyter'),
    JUPYTER_DATA_DIR: join(root, 'data'),
    JUPYTER_RUNTIME_DIR: join(root, 'runtime'),
    JUPYTER_CONFIG_DIR: join(root, 'config'),
    IPYTHONDIR: join(root, 'ipython'),
  };
  return { root, env, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export const SYSTEM_PYTHON = '/usr/bin/python3';

/** Why a Python module cannot be used with Debian's python, or undefined when it can. */
export function missingPython(module: string): string | undefined {
  const r = spawnSync(SYSTEM_PYTHON, ['-c', `import ${module}`], { encoding: 'utf8' });
  if (r.error) return `${SYSTEM_PYTHON} is not available (${r.error.message})`;
  if (r.status !== 0) return `${SYSTEM_PYTHON} cannot import ${module}: install Debian's package (see .ci/run)`;
  return undefined;
}
