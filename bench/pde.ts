/**
 * Accuracy and timings of the float64 PDE kernels, reference solvers and
 * data generators on this machine. Accuracy is measured against the
 * independent numpy/scipy results in tests/fixtures and by refinement; FFTs
 * are timed against numpy.fft in the same run (ratio = ours / numpy);
 * solvers are reported in seconds with their default settings.
 *
 *   npx tsc -b && node dist/bench/pde.js [--quick]
 *
 * Set OPTILAB_REF_PYTHON to a Python with numpy (default /work/main/.venv-ref/bin/python);
 * without one the numpy column is left empty.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng, rfftPlan, fftPlan, RealFFT2Plan } from '../lib/pde/numerics/index.js';
import * as ref from '../lib/pde/reference/index.js';
import {
  darcySample, NavierStokes2dSolver, navierStokesInitialVorticity, PeriodicBurgersSolver, burgersInitialField, burgersColeHopfPeriodic,
  solveDarcy, packageRoot,
} from '../lib/operators/data/index.js';

const quick = process.argv.includes('--quick');

function timeIt(fn: () => void, minSeconds = 0.3): number {
  fn();
  let reps = 0;
  const start = performance.now();
  do {
    fn();
    reps++;
  } while (performance.now() - start < minSeconds * 1000);
  return (performance.now() - start) / 1000 / reps;
}

function numpyTimes(cases: { kind: string; n: number }[]): Record<string, number> | null {
  const py = process.env.OPTILAB_REF_PYTHON ?? '/work/main/.venv-ref/bin/python';
  if (!existsSync(py)) return null;
  const script = `
import json, sys, timeit, numpy as np
cases = json.loads(sys.argv[1]); out = {}
rng = np.random.default_rng(0)
for c in cases:
    n = c['n']
    if c['kind'] == 'complex':
        x = rng.standard_normal(n) + 1j * rng.standard_normal(n); f = lambda: np.fft.fft(x)
    elif c['kind'] == 'real':
        x = rng.standard_normal(n); f = lambda: np.fft.rfft(x)
    else:
        x = rng.standard_normal((n, n)); f = lambda: np.fft.irfft2(np.fft.rfft2(x), s=(n, n))
    t = timeit.Timer(f); reps, total = t.autorange(); out[c['kind'] + str(n)] = total / reps
print(json.dumps(out))`;
  const r = spawnSync(py, ['-c', script, JSON.stringify(cases)], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  return JSON.parse(r.stdout);
}

function fmt(s: number): string {
  return s < 1e-3 ? `${(s * 1e6).toFixed(1)} µs` : s < 1 ? `${(s * 1e3).toFixed(1)} ms` : `${s.toFixed(2)} s`;
}

// ---- accuracy against independent computations ----
const fixture = (name: string) => JSON.parse(readFileSync(join(packageRoot(), 'tests', 'fixtures', name), 'utf8'));
const pf = fixture('pde_reference.json');
const of = fixture('operators_reference.json');
const rows: [string, string, string][] = [];
{
  const got = pf.burgersColeHopf.points.map(([t, x]: [number, number]) => ref.burgersColeHopf(t, x));
  rows.push(['Burgers (Cole–Hopf, 200-pt Gauss–Hermite)', 'scipy adaptive quad of the same integrals, 8 points', `max abs ${ref.maxAbsDiff(got, pf.burgersColeHopf.u).toExponential(1)}`]);
  const exact = ref.burgers();
  rows.push(['Burgers, Fourier ETDRK4 (n = 2048)', 'Cole–Hopf on the 100 x 256 grid', `rel L2 ${ref.relativeL2(ref.burgersSpectral().fields.u, exact.fields.u).toExponential(1)}`]);
  const a = pf.allenCahn1d;
  rows.push(['Allen–Cahn 1-D, ETDRK4 (n = 256)', 'scipy DOP853, same semi-discretisation', `max abs ${ref.maxAbsDiff(ref.allenCahn({ t: a.t, x: a.x, n: a.n }).fields.u, a.u.flat()).toExponential(1)}`]);
  const t = [0.25, 0.5, 1];
  rows.push(['Allen–Cahn 1-D (default n = 2048)', 'n = 8192, dt = 2.5e-4', `rel L2 ${ref.relativeL2(ref.allenCahn({ t }).fields.u, ref.allenCahn({ t, n: 8192, dt: 2.5e-4 }).fields.u).toExponential(1)}`]);
  const s = pf.schrodinger;
  const ns = ref.schrodinger({ t: s.t, x: s.x, n: s.n, dt: 1e-4 });
  rows.push(['Schrödinger, ETDRK4 (n = 256)', 'numpy split-step (dt = 1e-5), same grid', `max abs ${Math.max(ref.maxAbsDiff(ns.fields.u, s.u.flat()), ref.maxAbsDiff(ns.fields.v, s.v.flat())).toExponential(1)}`]);
  const tn = [0.5, Math.PI / 2];
  rows.push(['Schrödinger (default n = 512)', 'n = 2048, dt = 5e-5', `rel L2 of |h| ${ref.relativeL2(ref.schrodinger({ t: tn }).fields.h, ref.schrodinger({ t: tn, n: 2048, dt: 5e-5 }).fields.h).toExponential(1)}`]);
  for (const [name, solve] of [['tengAllenCahn2d', ref.tengAllenCahn2d], ['tengBurgers2d', ref.tengBurgers2d]] as const) {
    const f = pf[name];
    const all = solve({ t: [f.T], n: f.n, dt: 0.005 }).values(0);
    const sub: number[] = [];
    for (let i = 0; i < f.n; i += f.stride) for (let j = 0; j < f.n; j += f.stride) sub.push(all[i * f.n + j]);
    rows.push([`TENG ${name === 'tengAllenCahn2d' ? 'Allen–Cahn' : 'Burgers'} 2-D, ETDRK4 (n = 64)`, 'numpy integrating-factor RK4, same grid', `max abs ${ref.maxAbsDiff(sub, f.u).toExponential(1)}`]);
  }
  let err = 0;
  const solver = new PeriodicBurgersSolver(128, 0.1, 1e-3);
  for (let seed = 1; seed <= 20; seed++) {
    const u0 = burgersInitialField(128, seed, undefined, 63);
    err = Math.max(err, ref.maxAbsDiff(solver.solve(u0, [1])[0], burgersColeHopfPeriodic(u0, 0.1, 1)));
  }
  rows.push(['burgers1d generator (n = 128, dt = 1e-3)', 'exact periodic Cole–Hopf, 20 GRF samples', `max abs ${err.toExponential(1)}`]);
  rows.push(['darcy2d solver (33 x 33)', 'scipy spsolve, same 5-point system', `max abs ${ref.maxAbsDiff(solveDarcy(of.darcy.a, of.darcy.s), of.darcy.u).toExponential(1)}`]);
  const nsf = of.navierStokes;
  rows.push(['ns2d solver (32 x 32, CN-AB2)', 'independent numpy CN-AB2, T = 1', `max abs ${ref.maxAbsDiff(new NavierStokes2dSolver(nsf.n, { nu: nsf.nu, dt: nsf.dt }).solve(nsf.w0, [nsf.T])[0], nsf.wT).toExponential(1)}`]);
}
console.log('| solver | checked against | error |\n|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
console.log();

// ---- speed ----
const rng = new Rng(0);
const cases = [
  { kind: 'complex', n: 256 },
  { kind: 'complex', n: 1024 },
  { kind: 'complex', n: 4096 },
  { kind: 'complex', n: 1000 },
  { kind: 'real', n: 256 },
  { kind: 'real', n: 4096 },
  { kind: 'rfft2', n: 64 },
  { kind: 'rfft2', n: 256 },
];
const np = numpyTimes(cases);
console.log('| transform | optilab | numpy | ratio |\n|---|---|---|---|');
for (const c of cases) {
  let t: number;
  if (c.kind === 'complex') {
    const p = fftPlan(c.n);
    const re = rng.normals(c.n);
    const im = rng.normals(c.n);
    t = timeIt(() => p.forward(re, im));
  } else if (c.kind === 'real') {
    const p = rfftPlan(c.n);
    const x = rng.normals(c.n);
    const R = new Float64Array(p.nOut);
    const I = new Float64Array(p.nOut);
    t = timeIt(() => p.forward(x, R, I));
  } else {
    const p = new RealFFT2Plan(c.n, c.n);
    const x = rng.normals(c.n * c.n);
    const R = new Float64Array(c.n * p.nyOut);
    const I = new Float64Array(c.n * p.nyOut);
    const out = new Float64Array(c.n * c.n);
    t = timeIt(() => {
      p.forward(x, R, I);
      p.inverse(R, I, out);
    });
  }
  const label = c.kind === 'rfft2' ? `rfft2 + irfft2 ${c.n}x${c.n}` : `${c.kind} FFT n = ${c.n}`;
  const n = np?.[c.kind + c.n];
  console.log(`| ${label} | ${fmt(t)} | ${n ? fmt(n) : '—'} | ${n ? (t / n).toFixed(1) : '—'} |`);
}

const solvers: [string, () => { seconds: number; note?: string }][] = [
  ['Burgers, Cole–Hopf (100 x 256 grid, 200-pt Gauss–Hermite)', () => ({ seconds: ref.burgers().meta.seconds })],
  ['Burgers, Fourier ETDRK4 check (n = 2048, dt = 4e-4)', () => ({ seconds: ref.burgersSpectral().meta.seconds })],
  ['Allen–Cahn 1-D (n = 2048, dt = 1e-3, 201 x 512 output)', () => ({ seconds: ref.allenCahn().meta.seconds })],
  ['Schrödinger (n = 512, dt = 2e-4, 201 x 256 output)', () => ({ seconds: ref.schrodinger().meta.seconds })],
  ['TENG heat 2-D (exact, n = 64, 9 times)', () => ({ seconds: ref.tengHeat2d().meta.seconds })],
  ['TENG Allen–Cahn 2-D to t = 4 (n = 128, dt = 0.01)', () => ({ seconds: ref.tengAllenCahn2d({ n: 128 }).meta.seconds })],
  ['Darcy sample (65 x 65 solve, band Cholesky)', () => {
    const s = performance.now();
    darcySample(1, { s: 33, refinement: 2 });
    return { seconds: (performance.now() - s) / 1000 };
  }],
  ['Burgers 1-D sample (n = 128, T = 1, dt = 1e-3)', () => {
    const solver = new PeriodicBurgersSolver(128, 0.1, 1e-3);
    const u0 = burgersInitialField(128, 1, undefined, 63);
    const s = performance.now();
    solver.solve(u0, [1]);
    return { seconds: (performance.now() - s) / 1000 };
  }],
  ['Navier–Stokes sample (32 x 32, T = 20, dt = 0.01)', () => {
    const solver = new NavierStokes2dSolver(32, { dt: 0.01 });
    const w0 = navierStokesInitialVorticity(32, 1, { kMax: 10 });
    const s = performance.now();
    solver.solve(w0, [20]);
    return { seconds: (performance.now() - s) / 1000 };
  }],
];
if (!quick) {
  solvers.push(['TENG Allen–Cahn 2-D to t = 4 (default n = 256, dt = 0.01)', () => ({ seconds: ref.tengAllenCahn2d().meta.seconds })]);
  solvers.push(['TENG Burgers 2-D to t = 4 (default n = 256, dt = 0.005)', () => ({ seconds: ref.tengBurgers2d().meta.seconds })]);
}
console.log('\n| solver | seconds |\n|---|---|');
for (const [name, run] of solvers) console.log(`| ${name} | ${run().seconds.toFixed(2)} |`);
