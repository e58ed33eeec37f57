/** Finding a Python with torch for the benchmarks that compare against PyTorch. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../tests/helpers.js';

/** $OPTILAB_PYTHON, the repository's .venv-bench, the reference venv, or python3: the first that imports torch. */
export function findTorchPython(): string | undefined {
  const candidates = [process.env.OPTILAB_PYTHON, join(repoRoot(), '.venv-bench/bin/python'), '/work/main/.venv-ref/bin/python', 'python3'];
  for (const c of candidates) {
    if (!c || (c.includes('/') && !existsSync(c))) continue;
    const r = spawnSync(c, ['-c', 'import torch'], { encoding: 'utf8' });
    if (r.status === 0) return c;
  }
  return undefined;
}
