/**
 * float64 least squares: optilab's linalg.lstsq against numpy / scipy on the same
 * machine, in the same run, on the same matrix.
 *
 *   npx tsc -b && node dist/bench/lstsq.js [--m 4000] [--n 1000] [--repeats 1] [--json]
 *
 * Methods compared: 'qr' (pivoted QR, like scipy's gelsy) with scipy gelsy; 'svd'
 * (singular-value cutoff) with numpy.linalg.lstsq (gelsd); 'normal' (Cholesky of A^T A)
 * with scipy cho_solve. Also reports the residual norms ||A x - b||.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { linalg, Rng } from '../lib/index.js';
import { repoRoot } from '../tests/helpers.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const m = option('m', 4000);
const n = option('n', 1000);
const repeats = option('repeats', 1);
const methods = (args.includes('--methods') ? args[args.indexOf('--methods') + 1].split(',') : ['qr', 'svd', 'normal']) as linalg.LstsqMethod[];

const rng = new Rng(2024);
const A = new linalg.Matrix(m, n, rng.normalArray(m * n));
const b = rng.normalArray(m);

const dir = mkdtempSync(join(tmpdir(), 'optilab-lstsq-'));
const file = join(dir, 'problem.bin');
const packed = new Float64Array(2 + m * n + m);
packed[0] = m;
packed[1] = n;
packed.set(A.data, 2);
packed.set(b, 2 + m * n);
writeFileSync(file, Buffer.from(packed.buffer));

const ours: Record<string, { seconds: number; residual: number; rank: number }> = {};
for (const method of methods) {
  const times: number[] = [];
  let result!: linalg.LstsqResult;
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    result = linalg.lstsq(A, b, { method });
    times.push((performance.now() - start) / 1000);
  }
  times.sort((x, y) => x - y);
  ours[method] = { seconds: times[Math.floor(times.length / 2)], residual: result.residualNorms[0], rank: result.rank };
}

/** numpy with its BLAS limited to `threads` threads (our kernels use one). */
function runNumpy(threads: number) {
  const env = { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) };
  const py = spawnSync('/work/main/.venv-ref/bin/python', [join(repoRoot(), 'bench', 'lstsq_numpy.py'), file, String(repeats)], { encoding: 'utf8', env });
  if (py.status !== 0) console.error(py.stderr);
  return py.status === 0 ? JSON.parse(py.stdout.trim().split('\n').pop()!) : null;
}
const numpyRuns = [1, 2].map((threads) => ({ threads, result: runNumpy(threads) }));
rmSync(dir, { recursive: true, force: true });

if (args.includes('--json')) {
  console.log(JSON.stringify({ m, n, optilab: ours, numpy: numpyRuns }));
} else {
  const reference: Record<string, [string, string]> = { qr: ['gelsy', 'scipy gelsy'], svd: ['gelsd', 'numpy lstsq (gelsd)'], normal: ['normal', 'scipy cho_solve'] };
  console.log(`least squares ${m} x ${n}, float64, median of ${repeats}`);
  for (const method of methods) {
    const o = ours[method];
    const [key, label] = reference[method];
    console.log(`optilab ${method.padEnd(7)} ${o.seconds.toFixed(3)} s  residual ${o.residual.toFixed(10)}  rank ${o.rank}`);
    for (const { threads, result } of numpyRuns) {
      if (result === null) { console.log('  numpy unavailable'); continue; }
      const t = result[`${key}_s`];
      console.log(`  ${label} (${threads} BLAS thread${threads > 1 ? 's' : ''})`.padEnd(42) +
        `${t.toFixed(3)} s  residual ${result[`${key}_residual`].toFixed(10)}  ratio ${(o.seconds / t).toFixed(2)}`);
    }
  }
}
