/** Finding (or making) a Python with torch for the benchmarks that compare against PyTorch. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../tests/helpers.js';

const importsTorch = (python: string) => spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;

/** $OPTILAB_PYTHON, the repository's .venv-bench, the reference venv, or python3: the first that imports torch. */
export function findTorchPython(): string | undefined {
  const candidates = [process.env.OPTILAB_PYTHON, join(repoRoot(), '.venv-bench/bin/python'), '/work/main/.venv-ref/bin/python', 'python3'];
  for (const c of candidates) {
    if (!c || (c.includes('/') && !existsSync(c))) continue;
    if (importsTorch(c)) return c;
  }
  return undefined;
}

/**
 * A Python with torch: an existing one (see `findTorchPython`), else a new venv
 * `.venv-bench` in the repository with torch and numpy installed by the machine's pip
 * (which reads its configured index, on-disk wheels included). Undefined when that fails.
 */
export function ensureTorchPython(log: (line: string) => void = (l) => process.stderr.write(l + '\n')): string | undefined {
  const found = findTorchPython();
  if (found) return found;
  const venv = join(repoRoot(), '.venv-bench');
  const python = join(venv, 'bin/python');
  log(`no Python imports torch: making ${venv} (python3 -m venv, pip install torch numpy)`);
  if (!existsSync(python)) {
    const made = spawnSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
    if (made.status !== 0) {
      log('python3 -m venv failed; set OPTILAB_PYTHON to a Python with torch');
      return undefined;
    }
  }
  const pip = spawnSync(python, ['-m', 'pip', 'install', 'torch', 'numpy'], { stdio: 'inherit' });
  if (pip.status !== 0 || !importsTorch(python)) {
    log('pip install torch failed; set OPTILAB_PYTHON to a Python with torch');
    return undefined;
  }
  return python;
}
