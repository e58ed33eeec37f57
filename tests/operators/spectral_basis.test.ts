import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../lib/index.js';
import { fourierBasis, chebyshevBasis, spectralOperator, resample, SpectralConv1d, alongModes, basisMatrix } from '../../lib/operators/index.js';
import { Rng } from '../../lib/pde/numerics/random.js';
import { assertClose } from '../helpers.js';

function matmul(a: Float64Array, b: Float64Array, n: number, k: number, m: number): Float64Array {
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let p = 0; p < k; p++) for (let j = 0; j < m; j++) out[i * m + j] += a[i * k + p] * b[p * m + j];
  return out;
}

const identity = (M: number) => Float64Array.from({ length: M * M }, (_, i) => (i % (M + 1) === 0 ? 1 : 0));

test('Fourier basis: projection inverts evaluation, derivatives of sines, Parseval weights', () => {
  const basis = fourierBasis(4, { period: 2 });
  const M = basis.size;
  assert.equal(M, 9);
  const E = basis.evaluation(basis.points);
  assertClose(matmul(E, basis.projection, M, M, M), identity(M), { atol: 1e-13 }, 'E P = I');
  // u = sin(2 pi 3 x / 2): b_3 = 1; u' = 3 pi cos -> a_3 = 3 pi; u'' = -(3 pi)^2 sin
  const c = new Float64Array(M);
  c[4 + 3] = 1;
  const d1 = matmul(c, basis.derivative(1), 1, M, M);
  const d2 = matmul(c, basis.derivative(2), 1, M, M);
  assertClose(d1[3], 3 * Math.PI, { rtol: 1e-13 }, "a_3 of u'");
  assertClose(d2[4 + 3], -9 * Math.PI * Math.PI, { rtol: 1e-13 }, "b_3 of u''");
  // ||a0 + a1 cos + b2 sin||^2 over [0, 2) = 2 a0^2 + a1^2 + b2^2
  const u = new Float64Array(M);
  u[0] = 0.5; u[1] = 2; u[4 + 2] = -1;
  const parseval = u.reduce((s, v, k) => s + basis.normWeights[k] * v * v, 0);
  const xs = Float64Array.from({ length: 4000 }, (_, j) => (2 * j) / 4000);
  const vals = matmul(u, basis.evaluation(xs), 1, M, xs.length);
  const quad = (vals.reduce((s, v) => s + v * v, 0) * 2) / xs.length;
  assertClose(parseval, quad, { rtol: 1e-10 }, 'Parseval');
});

test('Chebyshev basis: T_k values, exact projection of polynomials, coefficient-space derivative', () => {
  const basis = chebyshevBasis(6, { interval: [0, 2] });
  const M = basis.size;
  assertClose(matmul(basis.evaluation(basis.points), basis.projection, M, M, M), identity(M), { atol: 1e-13 }, 'E P = I');
  // T_3(t) = 4t^3 - 3t at x = 1.6 (t = 0.6)
  const E = basis.evaluation([1.6]);
  assertClose(E[3], 4 * 0.6 ** 3 - 3 * 0.6, { rtol: 1e-14 }, 'T_3');
  // p(x) = (x - 1)^3 = t^3 = (3 T_1 + T_3) / 4; p'(x) = 3 t^2 = 1.5 (T_0 + T_2)
  const values = Float64Array.from(basis.points, (x) => (x - 1) ** 3);
  const coef = matmul(values, basis.projection, 1, M, M);
  assertClose(coef, [0, 0.75, 0, 0.25, 0, 0], { atol: 1e-14 }, 'coefficients of t^3');
  assertClose(matmul(coef, basis.derivative(1), 1, M, M), [1.5, 0, 1.5, 0, 0, 0], { atol: 1e-13 }, 'derivative');
  assert.throws(() => chebyshevBasis(1), /M must be an integer in \[2, inf\), got 1/);
  assert.throws(() => chebyshevBasis(4, { interval: [1, 0] }), /interval must be \[a, b\] with a < b/);
});

test('spectral operator maps coefficients to coefficients and evaluates them at any resolution', () => {
  const basis = fourierBasis(6);
  const op = spectralOperator({ basis, width: 8, layers: 2, seed: 3 });
  const c = op.apply(tf.randomNormal([4, basis.size], 0, 1, 'float32', 1));
  assert.deepEqual(c.shape, [4, 13]);
  for (const n of [16, 100]) {
    const xs = Float64Array.from({ length: n }, (_, j) => j / n);
    const v = op.evaluate(c, xs);
    assert.deepEqual(v.shape, [4, n]);
  }
  // evaluating at the collocation points and projecting back returns the coefficients
  const vals = op.evaluate(c, basis.points);
  const back = alongModes(tf.expandDims(vals, -1), basisMatrix(basis.projection, basis.size, basis.size));
  assertClose(tf.squeeze(back, [2]).dataSync(), c.dataSync(), { rtol: 1e-4, atol: 1e-5 }, 'round trip');
  assert.throws(() => op.apply(tf.zeros([2, 12])), /coefficients must have shape \[\*, 13\]/);
  op.dispose();
});

test('resample subsamples or interpolates band-limited periodic fields exactly', () => {
  const n = 16;
  const f = (x: number) => Math.sin(2 * Math.PI * 3 * x) + 0.5 * Math.cos(2 * Math.PI * 5 * x);
  const grid = (m: number) => Array.from({ length: m }, (_, j) => f(j / m));
  const x = tf.tensor2d([grid(n)]);
  assertClose(resample(x, [8]).dataSync(), grid(8), { atol: 1e-6 }, 'subsample 16 -> 8');
  assertClose(resample(x, [24]).dataSync(), grid(24), { atol: 1e-5 }, 'Fourier 16 -> 24');
  assertClose(resample(x, [32], 'fourier').dataSync(), grid(32), { atol: 1e-5 }, 'Fourier 16 -> 32');
  // 2-D with a channel axis
  const g2 = Array.from({ length: 8 * 8 * 2 }, (_, p) => Math.cos((2 * Math.PI * Math.floor(p / 16)) / 8) * (p % 2 ? 1 : -1));
  assert.deepEqual(resample(tf.tensor4d(g2, [1, 8, 8, 2]), [16, 4]).shape, [1, 16, 4, 2]);
  assert.throws(() => resample(x, [6], 'subsample'), /cannot subsample axis 1 from 16 to 6 points/);
});

test('a Fourier layer is discretisation invariant on band-limited inputs', () => {
  // the same band-limited function sampled at 16 and at 48 points: the outputs are samples of one function
  const layer = new SpectralConv1d({ inChannels: 1, outChannels: 2, modes: 5, seed: 9 });
  const rng = new Rng(10);
  const amps = Array.from({ length: 5 }, () => [rng.normal(), rng.normal()]);
  const field = (m: number) => Array.from({ length: m }, (_, j) => amps.reduce((s, [a, b], k) => s + a * Math.cos((2 * Math.PI * k * j) / m) + b * Math.sin((2 * Math.PI * k * j) / m), 0));
  const coarse = layer.apply(tf.tensor3d(field(16), [1, 16, 1]));
  const fine = layer.apply(tf.tensor3d(field(48), [1, 48, 1]));
  assertClose(resample(fine, [16]).dataSync(), coarse.dataSync(), { rtol: 1e-4, atol: 1e-5 }, 'fine output at the coarse points');
  layer.dispose();
});

test('non-uniform points: K-D tree leaves balance points, interpolation maps reproduce linear fields', async () => {
  const { kdTreePartition, PointGridMaps, scatteredToGridMatrix } = await import('../../lib/operators/index.js');
  const { clusteredPoints } = await import('../../lib/operators/data/index.js');
  const pts = clusteredPoints(400, 3);
  const leaves = kdTreePartition(pts, 2);
  assert.equal(leaves.length, 4);
  assert.deepEqual(leaves.map((l) => l.indices.length), [100, 100, 100, 100]);
  assert.equal(new Set(leaves.flatMap((l) => l.indices)).size, 400, 'a partition');
  for (const l of leaves) for (const p of l.indices) {
    const [x0, x1, y0, y1] = l.box;
    assert.ok(pts[2 * p] >= x0 && pts[2 * p] <= x1 && pts[2 * p + 1] >= y0 && pts[2 * p + 1] <= y1, 'point inside its box');
  }
  // inverse-distance weights are convex combinations
  const W = scatteredToGridMatrix(pts, [0, 1, 0, 1], 5, { k: 4 });
  for (let g = 0; g < 25; g++) assertClose(W.subarray(g * 400, (g + 1) * 400).reduce((a, b) => a + b, 0), 1, { atol: 1e-12 });
  // grid -> points is bilinear: exact for a linear field given on the grid
  const maps = new PointGridMaps(pts, 2, 8);
  const linear = (x: number, y: number) => 2 * x - 3 * y + 1;
  const grids = tf.tensor4d(Array.from({ length: 8 * 8 * 4 }, (_, t) => {
    const l = t % 4;
    const g = Math.floor(t / 4);
    const [x0, x1, y0, y1] = maps.leaves[l].box;
    return linear(x0 + ((x1 - x0) * Math.floor(g / 8)) / 7, y0 + ((y1 - y0) * (g % 8)) / 7);
  }), [1, 8, 8, 4]);
  const atPoints = maps.toPoints(grids).dataSync();
  assertClose(atPoints, Array.from({ length: 400 }, (_, p) => linear(pts[2 * p], pts[2 * p + 1])), { atol: 1e-4 }, 'bilinear on linear fields');
  assert.deepEqual(maps.toGrid(tf.ones([2, 400])).shape, [2, 8, 8, 4]);
  assertClose(maps.toGrid(tf.ones([1, 400])).dataSync(), new Float32Array(256).fill(1), { atol: 1e-5 }, 'constants survive');
  maps.dispose();
});

test('Poisson with bumps: the solver satisfies the 5-point equations', async () => {
  const { PoissonBumps, bilinearAt } = await import('../../lib/operators/data/index.js');
  const gen = new PoissonBumps({ s: 33 });
  const { f, u } = gen.sample(1);
  const s = 33;
  const h2 = 1 / (32 * 32);
  let worst = 0;
  for (let i = 1; i < s - 1; i++) for (let j = 1; j < s - 1; j++) {
    const lap = (4 * u[i * s + j] - u[(i - 1) * s + j] - u[(i + 1) * s + j] - u[i * s + j - 1] - u[i * s + j + 1]) / h2;
    worst = Math.max(worst, Math.abs(lap - f[i * s + j]));
  }
  assert.ok(worst < 1e-8 * Math.max(...f.map(Math.abs)), `residual ${worst}`);
  assertClose(bilinearAt(u, s, [0.5, 0.5, 1, 1]), [u[16 * s + 16], 0], { atol: 1e-12 });
});
