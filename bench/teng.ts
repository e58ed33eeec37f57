/**
 * TENG's float64 path against JAX / numpy on the same machine, in the same run, on the same
 * networks, points and parameters (bench/teng_jax.py is the other side).
 *
 *   npx tsc -b && node dist/bench/teng.js [--repeats 3] [--json] [--cases notebook,official]
 *
 * Cases:
 * - notebook: the 2-D network of notebooks/pde-pinn/teng.ipynb (harmonics 1..3 of x, y ->
 *   20 -> 20 -> 1, 701 parameters) on the 32^2 quadrature grid; least squares over all
 *   parameters.
 * - official: the official code's SimplePDENet3(width 40, depth 7), 8 361 parameters, at 2 048
 *   random points; least squares over a random subset of 1 024 columns (the official size).
 * Timed: u and its Laplacian at every point; the parameter Jacobian of u; least squares on
 * sqrt(w) J[:, subset] by damped normal equations (vs scipy cho_solve), pivoted QR (vs scipy
 * gelsy) and SVD (vs numpy gelsd, what jnp.linalg.lstsq runs). JAX / numpy run with 1 and
 * with 2 BLAS / XLA threads; our kernels use one thread.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { linalg, teng, Rng } from '../lib/index.js';
import { repoRoot } from '../tests/helpers.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const repeats = Number(option('repeats', '3'));
const cases = option('cases', 'notebook,official').split(',');
const DAMPING = 1e-8;

interface Case {
  name: string;
  net: teng.Float64Mlp;
  architecture: Record<string, unknown>;
  points: linalg.Matrix;
  subset: number[];
  methods: linalg.LstsqMethod[];
}

function makeCase(name: string): Case {
  const rng = new Rng(2024);
  if (name === 'notebook') {
    const net = teng.Float64Mlp.periodicSinusoidal(2, [20, 20], { period: 2 * Math.PI, harmonics: 3 }, { seed: 1 });
    const points = teng.periodicGrid(2, 32).points;
    return { name, net, architecture: { kind: 'sinusoidal', harmonics: 3, hidden: [20, 20] }, points, subset: [...Array(net.paramCount).keys()], methods: ['normal', 'qr', 'svd'] };
  }
  if (name === 'official') {
    const net = teng.network({ inputDim: 2, embedding: { kind: 'periodic', nodesPerDim: 20, period: 2 * Math.PI }, hidden: [40, 40, 40, 40, 40], seed: 1 });
    const points = new linalg.Matrix(2048, 2, rng.uniformArray(4096, 0, 2 * Math.PI));
    const subset = Array.from(rng.permutation(net.paramCount).subarray(0, 1024)).sort((a, b) => a - b);
    return { name, net, architecture: { kind: 'periodic', nodesPerDim: 20, hidden: [40, 40, 40, 40, 40] }, points, subset, methods: ['normal', 'qr', 'svd'] };
  }
  throw new Error(`bench/teng: unknown case '${name}'; expected notebook or official`);
}

function median(f: () => void, n: number): number {
  const times: number[] = [];
  for (let r = 0; r < n; r++) {
    const start = performance.now();
    f();
    times.push((performance.now() - start) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const results: Record<string, unknown>[] = [];
for (const name of cases) {
  const c = makeCase(name);
  const n = c.points.rows;
  const P = c.net.paramCount;
  const rng = new Rng(7);
  const rhs = rng.normalArray(n);
  const ours: Record<string, number> = {};
  ours.forward_laplacian_s = median(() => c.net.trace(c.points, { second: [0, 1] }).laplacian(), repeats);
  let J!: linalg.Matrix;
  ours.jacobian_s = median(() => { J = c.net.trace(c.points).jacobian(); }, repeats);
  const sw = Math.sqrt((2 * Math.PI) ** 2 / n);
  const k = c.subset.length;
  const A = new linalg.Matrix(n, k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) A.data[i * k + j] = sw * J.data[i * P + c.subset[j]];
  const b = rhs.map((v) => v * sw);
  const residual: Record<string, number> = {};
  for (const method of c.methods) {
    let res!: linalg.LstsqResult;
    const reps = method === 'svd' && name === 'official' ? 1 : repeats;
    ours[`${method}_s`] = median(() => { res = linalg.lstsq(A, b, { method, damping: method === 'normal' ? DAMPING : 0 }); }, reps);
    residual[method] = res.residualNorms[0];
  }

  const dir = mkdtempSync(join(tmpdir(), 'optilab-teng-'));
  const file = (f: string) => join(dir, f);
  writeFileSync(file('params.bin'), Buffer.from(c.net.params.buffer.slice(0)));
  writeFileSync(file('points.bin'), Buffer.from(c.points.data.buffer.slice(0)));
  writeFileSync(file('rhs.bin'), Buffer.from(rhs.buffer.slice(0)));
  writeFileSync(file('problem.json'), JSON.stringify({
    architecture: c.architecture, params: file('params.bin'), points: file('points.bin'), rhs: file('rhs.bin'),
    jacobian_out: file('jacobian.bin'), subset: c.subset, damping: DAMPING,
  }));
  const python = [1, 2].map((threads) => {
    const env = {
      ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads),
      XLA_FLAGS: threads === 1 ? '--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1' : '',
    };
    const py = spawnSync('/work/main/.venv-ref/bin/python', [join(repoRoot(), 'bench', 'teng_jax.py'), file('problem.json'), String(repeats)], { encoding: 'utf8', env, maxBuffer: 1 << 24 });
    if (py.status !== 0) { console.error(py.stderr); return { threads, result: null }; }
    return { threads, result: JSON.parse(py.stdout.trim().split('\n').pop()!) as Record<string, number> };
  });
  let jacobianDiff = NaN;
  try {
    const Jjax = new Float64Array(readFileSync(file('jacobian.bin')).buffer.slice(0));
    let diff = 0;
    let scale = 0;
    for (let i = 0; i < Jjax.length; i++) { diff = Math.max(diff, Math.abs(Jjax[i] - J.data[i])); scale = Math.max(scale, Math.abs(Jjax[i])); }
    jacobianDiff = diff / scale;
  } catch { /* JAX side failed: reported below */ }
  rmSync(dir, { recursive: true, force: true });
  results.push({ case: name, points: n, params: P, subset: k, ours, residual, python, jacobianMaxRelativeDifference: jacobianDiff });
}

if (args.includes('--json')) {
  console.log(JSON.stringify(results));
} else {
  const reference: Record<string, string> = {
    forward_laplacian_s: 'JAX jit (vmap jacfwd(jacrev))', jacobian_s: 'JAX jit (vmap grad)',
    normal_s: 'scipy cho_solve(J^T J + lambda I)', qr_s: 'scipy lstsq gelsy', svd_s: 'numpy lstsq gelsd',
  };
  for (const r of results as Array<{ case: string; points: number; params: number; subset: number; ours: Record<string, number>; python: Array<{ threads: number; result: Record<string, number> | null }>; jacobianMaxRelativeDifference: number }>) {
    console.log(`\n${r.case}: ${r.params} parameters, ${r.points} points, least squares over ${r.subset} columns (median of ${repeats}); ` +
      `Jacobian max |ours - JAX| / max |J| = ${r.jacobianMaxRelativeDifference.toExponential(2)}`);
    for (const [key, label] of Object.entries(reference)) {
      const key2 = key.replace('normal_s', 'normal_s').replace('qr_s', 'gelsy_s').replace('svd_s', 'gelsd_s');
      const o = r.ours[key];
      const cells = r.python.map(({ threads, result }) => result === null ? `${threads}T: unavailable` : `${threads}T ${result[key2].toFixed(4)} s (ratio ${(o / result[key2]).toFixed(2)})`);
      console.log(`  ${key.replace('_s', '').padEnd(18)} optilab ${o.toFixed(4)} s | ${label}: ${cells.join(' | ')}`);
    }
  }
}
