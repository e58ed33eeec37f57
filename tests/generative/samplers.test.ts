import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, generative as g } from '../../lib/index.js';
import { assertClose } from '../helpers.js';
import { empiricalOrder, exactState, gauss, samplerError } from './order.js';

const z = new g.Rng(1).normalTensor<tf.Rank.R2>([256, 2]);

function order(path: g.GaussianPath, steps: number[], grid: (n: number) => number[], run: (x: tf.Tensor2D, grid: number[]) => g.SampleResult) {
  const errors = steps.map((n) => samplerError(path, grid(n), z, run));
  for (let i = 1; i < errors.length; i++) assert.ok(errors[i] < errors[i - 1], `error does not decrease: ${errors}`);
  return { order: empiricalOrder(steps, errors), errors };
}

test('ODE solvers with the exact velocity reach their orders on Gaussian-to-Gaussian transport (linear path)', () => {
  const path = g.linearPath();
  const v = g.mixtureVelocity(gauss, path);
  const run = (method: g.OdeMethod) => (x: tf.Tensor2D, grid: number[]) => g.odeSolve(v, x, grid, { method });
  const euler = order(path, [8, 16, 32, 64], path.grid, run('euler'));
  const heun = order(path, [8, 16, 32, 64], path.grid, run('heun'));
  const mid = order(path, [8, 16, 32, 64], path.grid, run('midpoint'));
  const rk4 = order(path, [2, 3, 4, 6, 8], path.grid, run('rk4'));
  assert.ok(Math.abs(euler.order - 1) < 0.1, `euler order ${euler.order}`);
  assert.ok(Math.abs(heun.order - 2) < 0.15, `heun order ${heun.order}`);
  assert.ok(mid.order > 1.9, `midpoint order ${mid.order}`);
  assert.ok(rk4.order > 3.8, `rk4 order ${rk4.order}`);
});

test('diffusion solvers reach their orders: DDIM 1, DPM-Solver++(2M) 2, PLMS-2 2 (VP, lambda-uniform grid)', () => {
  const path = g.vpPath();
  const den = g.mixtureDenoiser(gauss, path);
  const grid = (n: number) => g.uniformGridIn(path, n);
  const steps = [16, 32, 64];
  const ddim = order(path, steps, grid, (x, gr) => g.ddim(den, path, x, gr));
  const dpm = order(path, steps, grid, (x, gr) => g.dpmSolverPP2M(den, path, x, gr));
  const plms = order(path, steps, grid, (x, gr) => g.plms(den, path, x, gr, { order: 2 }));
  assert.ok(Math.abs(ddim.order - 1) < 0.1, `ddim order ${ddim.order}`);
  assert.ok(Math.abs(dpm.order - 2) < 0.25, `dpm-solver++ order ${dpm.order}`);
  assert.ok(Math.abs(plms.order - 2) < 0.25, `plms order ${plms.order}`);
});

test('EDM samplers on the rho = 7 grid: Heun order 2, Euler order 1; DPM-Solver++(2M) order 2 there too', () => {
  const path = g.edmPath();
  const den = g.mixtureDenoiser(gauss, path);
  const steps = [16, 32, 64];
  const heun = order(path, steps, path.grid, (x, gr) => g.edmSampler(den, x, gr));
  const euler = order(path, steps, path.grid, (x, gr) => g.edmSampler(den, x, gr, { heun: false }));
  const dpm = order(path, steps, path.grid, (x, gr) => g.dpmSolverPP2M(den, path, x, gr));
  assert.ok(Math.abs(heun.order - 2) < 0.3, `edm heun order ${heun.order}`);
  assert.ok(Math.abs(euler.order - 1) < 0.1, `edm euler order ${euler.order}`);
  assert.ok(Math.abs(dpm.order - 2) < 0.3, `dpm-solver++ (edm) order ${dpm.order}`);
});

test('identities between samplers: DDIM = Euler on the linear path; EDM Heun (no churn) = generic Heun with a final Euler step', () => {
  const lin = g.linearPath();
  const den = g.mixtureDenoiser(gauss, lin);
  const x = exactState(lin, 0, z);
  const grid = g.linspace(0, 0.95, 10);
  const a = g.ddim(den, lin, x, grid);
  const b = g.odeSolve(g.probabilityFlow(den, lin), x, grid, { method: 'euler' });
  assertClose(a.x.dataSync(), b.x.dataSync(), { atol: 2e-5, rtol: 1e-4 });
  const edm = g.edmPath();
  const dedm = g.mixtureDenoiser(gauss, edm);
  const sig = edm.grid(12);
  const xe = exactState(edm, sig[0], z);
  const c = g.edmSampler(dedm, xe, sig);
  const d = g.odeSolve(g.probabilityFlow(dedm, edm), xe, sig, { method: 'heun', lastStepEuler: true });
  assertClose(c.x.dataSync(), d.x.dataSync(), { atol: 1e-4, rtol: 1e-4 });
  assert.equal(c.nfe, 2 * 12 - 1);
  assert.equal(d.nfe, 2 * 12 - 1);
  tf.dispose([x, a.x, b.x, xe, c.x, d.x]);
});

test('heavy-ball momentum: beta = 1 is the plain solver; HB with beta < 1 is first order, GHVB keeps order 2', () => {
  const path = g.vpPath();
  const den = g.mixtureDenoiser(gauss, path);
  const grid = g.uniformGridIn(path, 20);
  const x = exactState(path, grid[0], z);
  const plain = g.dpmSolverPP2M(den, path, x, grid);
  const hb1 = g.dpmSolverPP2M(den, path, x, grid, { momentum: 1 });
  assert.deepEqual(plain.x.dataSync(), hb1.x.dataSync());
  const p1 = g.plms(den, path, x, grid, { order: 2, momentum: 1, variant: 'ghvb' });
  const p2 = g.plms(den, path, x, grid, { order: 2 });
  assertClose(p1.x.dataSync(), p2.x.dataSync(), { atol: 1e-5 });
  const grids = (n: number) => g.uniformGridIn(path, n);
  const hb = order(path, [16, 32, 64], grids, (xx, gr) => g.dpmSolverPP2M(den, path, xx, gr, { momentum: 0.8 }));
  const ghvb = order(path, [16, 32, 64], grids, (xx, gr) => g.plms(den, path, xx, gr, { order: 2, momentum: 0.8, variant: 'ghvb' }));
  assert.ok(hb.order > 0.7 && hb.order < 1.5, `dpm-solver++ hb order ${hb.order}`);
  assert.ok(ghvb.order > 1.7, `ghvb order ${ghvb.order}`); // GHVB keeps the order of its AB method
  tf.dispose([x, plain.x, hb1.x, p1.x, p2.x]);
});

test('stochastic samplers reach the data distribution: energy distance falls with steps to the sampling floor, moments match', () => {
  const mix = g.eightGaussians();
  const n = 1500;
  const truth = mix.sample(n, 9);
  const other = mix.sample(n, 10);
  // two independent exact samples of this size differ by this much: the floor any sampler can reach
  const floor = g.energyDistance(other, truth);
  const path = g.vpPath();
  const den = g.mixtureDenoiser(mix, path);
  const prior = g.priorSample(path, n, 2, 3);
  const ed: number[] = [];
  for (const steps of [4, 25, 200]) {
    const r = g.eulerMaruyama(g.denoiserFields(den, path), prior, path.grid(steps), { noise: g.reverseSdeNoise(path), seed: 4 });
    assert.equal(r.nfe, steps);
    ed.push(g.energyDistance(r.x, truth));
    r.x.dispose();
  }
  assert.ok(ed[0] > ed[2] && ed[1] > ed[2] - 0.005, `energy distance by steps: ${ed}`);
  assert.ok(ed[2] < floor + 0.01, `energy distance at 200 steps ${ed[2]} vs floor ${floor}`);
  const eden = g.mixtureDenoiser(mix, g.edmPath());
  const anc = g.ddim(den, path, prior, path.grid(200), { eta: 1, seed: 5 });
  const churn = g.edmSampler(eden, tf.mul(prior, 80) as tf.Tensor2D, g.karrasSigmas(40), { churn: 40, sMin: 0.05, sMax: 50, sNoise: 1.003, seed: 6 });
  for (const r of [anc, churn]) {
    const m = g.sampleMoments(r.x);
    assertClose(m.mean, [0, 0], { atol: 0.15 });
    assertClose(m.variance, mix.moments().variance, { rtol: 0.1 });
    const e = g.energyDistance(r.x, truth);
    assert.ok(e < floor + 0.01, `energy distance ${e} vs floor ${floor}`);
    r.x.dispose();
  }
  tf.dispose([truth, other, prior]);
});

test('stochastic samplers with the exact score converge weakly at about first order: Euler-Maruyama on the reverse SDE, ancestral DDIM', (t) => {
  // Weak error: the relative error of the sample variance of the narrow coordinate (std 0.3) at the
  // end of the grid, against the exact marginal; 20,000 paths keep the Monte-Carlo error near 1 %.
  const n = 20000;
  const path = g.vpPath();
  const den = g.mixtureDenoiser(gauss, path);
  const weakError = (grid: number[], run: (x: tf.Tensor2D, grid: number[]) => g.SampleResult) => {
    const zz = new g.Rng(11).normalTensor<tf.Rank.R2>([n, 2]);
    const x0 = exactState(path, grid[0], zz);
    const r = run(x0, grid);
    const variance = g.sampleMoments(r.x).variance[0];
    const tEnd = grid[grid.length - 1];
    const exact = path.alpha(tEnd) ** 2 * gauss.stds[0][0] ** 2 + path.sigma(tEnd) ** 2;
    tf.dispose([zz, x0, r.x]);
    return Math.abs(variance - exact) / exact;
  };
  const steps = [16, 32, 64];
  const samplers: Record<string, { grid: (k: number) => number[]; run: (x: tf.Tensor2D, grid: number[]) => g.SampleResult }> = {
    'eulerMaruyama (reverse SDE)': { grid: (k) => path.grid(k), run: (x, gr) => g.eulerMaruyama(g.denoiserFields(den, path), x, gr, { noise: g.reverseSdeNoise(path), seed: 4 }) },
    'ddim eta = 1 (ancestral)': { grid: (k) => g.uniformGridIn(path, k), run: (x, gr) => g.ddim(den, path, x, gr, { eta: 1, seed: 5 }) },
  };
  for (const [name, s] of Object.entries(samplers)) {
    const errors = steps.map((k) => weakError(s.grid(k), s.run));
    const p = empiricalOrder(steps, errors);
    t.diagnostic(`${name}: weak errors ${errors.map((e) => e.toExponential(2)).join(', ')} at ${steps.join(', ')} steps, order ${p.toFixed(2)}`);
    for (let i = 1; i < errors.length; i++) assert.ok(errors[i] < errors[i - 1], `${name}: weak error does not decrease: ${errors}`);
    // first order, with room for the pre-asymptotic range of these step counts; a biased sampler gives ~0
    assert.ok(p > 0.7 && p < 2, `${name}: weak order ${p}`);
  }
});

test('interpolant SDE between two mixtures: any noise level gives the target law with the exact drift and denoiser', () => {
  const source = g.eightGaussians();
  const target = new g.GaussianMixture({ means: [[-2, 0], [2, 1]], stds: 0.4, weights: [0.3, 0.7] });
  const gam = (t: number) => Math.sqrt(t * (1 - t));
  const dgam = (t: number) => (1 - 2 * t) / (2 * Math.sqrt(t * (1 - t)));
  const f = g.mixtureInterpolantFields(source, target, { a: (t) => 1 - t, b: (t) => t, g: gam, da: () => -1, db: () => 1, dg: dgam });
  const x0 = source.sample(600, 1);
  const truth = target.sample(600, 2);
  const grid = g.linspace(0.001, 0.999, 150);
  const fields: g.VelocityAndScore = (x, t) => tf.tidy(() => ({ velocity: f.velocity(x, t), score: tf.div(tf.neg(f.denoiser(x, t)), gam(t)) as tf.Tensor2D }));
  for (const eps of [0, 0.5, 2]) {
    const r = g.eulerMaruyama(fields, x0, grid, { noise: eps, seed: 3 });
    const ed = g.energyDistance(r.x, truth);
    assert.ok(ed < 0.03, `eps ${eps}: energy distance ${ed}`);
    r.x.dispose();
  }
  f.bridge.dispose();
  tf.dispose([x0, truth]);
});

test('samplers leak no tensors', () => {
  const path = g.vpPath();
  const den = g.mixtureDenoiser(gauss, path);
  const ePath = g.edmPath();
  const eden = g.mixtureDenoiser(gauss, ePath);
  const classDen = g.mixtureDenoiser(g.classMixture(), path);
  const guided = g.apg(classDen, { scale: 3, momentum: -0.5, normThreshold: 1 });
  const x = exactState(path, path.tNoise, z);
  const grid = path.grid(6);
  const labels = Int32Array.from({ length: 256 }, (_, i) => i % 3);
  const runs: (() => g.SampleResult)[] = [
    () => g.odeSolve(g.probabilityFlow(den, path), x, grid, { method: 'rk4', record: true }),
    () => g.ddim(den, path, x, grid, { eta: 0.5 }),
    () => g.dpmSolverPP2M(den, path, x, grid, { momentum: 0.7 }),
    () => g.plms(den, path, x, grid, { order: 3, momentum: 0.7, variant: 'ghvb' }),
    () => g.plms(den, path, x, grid, { order: 4, momentum: 0.7 }),
    () => g.eulerMaruyama(g.denoiserFields(den, path), x, grid, { noise: 0.5 }),
    () => g.edmSampler(eden, x, ePath.grid(5), { churn: 10 }),
    () => g.ddim(g.cfg(classDen, 4), path, x, grid, { labels }),
    () => g.ddim(guided, path, x, grid, { labels }),
  ];
  for (const [i, run] of runs.entries()) {
    guided.reset();
    const before = tf.memory().numTensors;
    const r = run();
    const extra = 1 + (r.trajectory?.length ?? 0);
    r.x.dispose();
    r.trajectory?.forEach((t) => t.dispose());
    guided.reset();
    assert.equal(tf.memory().numTensors, before, `sampler ${i} leaked ${tf.memory().numTensors - before} tensors (returned ${extra})`);
  }
  x.dispose();
});

test('bad sampler input is refused with a clear message', () => {
  const path = g.vpPath();
  const den = g.mixtureDenoiser(gauss, path);
  assert.throws(() => g.odeSolve(g.probabilityFlow(den, path), z, [1], {}), /grid: needs at least 2 times/);
  assert.throws(() => g.odeSolve(g.probabilityFlow(den, path), z, [1, 0], { method: 'rk45' as any }), /unknown method 'rk45'/);
  assert.throws(() => g.ddim(den, path, z, [1, 0], { eta: 2 }), /eta must be in \[0, 1\]/);
  assert.throws(() => g.dpmSolverPP2M(den, path, z, [1, 0], { momentum: 0 }), /momentum \(beta\) must be in \(0, 1\]/);
  assert.throws(() => g.plms(den, path, z, [1, 0], { order: 5 }), /order must be 1..4/);
  assert.throws(() => g.karrasSigmas(0), /steps must be a positive integer/);
});
