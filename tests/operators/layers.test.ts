import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, seed } from '../../lib/index.js';
import {
  realDftBasis, complexDftBasis, keptFrequencies, SpectralConv1d, SpectralConv2d, fno1d, fno2d,
  galerkinAttention, fourierAttention, softmaxAttention, SelfAttention, transformer, deepONet, multiONet,
  relativeL2Loss, relativeL2PerSample, errorSummary, type Pointwise,
} from '../../lib/operators/index.js';
import { rfft, irfft, rfft2, irfft2 } from '../../lib/pde/numerics/index.js';
import { Rng } from '../../lib/pde/numerics/random.js';
import { readFixture, assertClose } from '../helpers.js';

interface Arr { shape: number[]; data: number[] }
const fx = readFixture('operators_nets.json');
const t = (a: Arr) => tf.tensor(a.data, a.shape);

function setDense(p: Pointwise, layers: { W: Arr; b: Arr }[]): void {
  p.net.setFlat(layers.flatMap((l) => [...l.W.data, ...l.b.data]));
}

test('truncated real DFT matrices equal the float64 rfft / irfft', () => {
  const rng = new Rng(1);
  for (const [n, m] of [[32, 8], [16, 9], [15, 8], [7, 1]]) {
    const x = Float64Array.from({ length: n }, () => rng.normal());
    const { forward, inverse } = realDftBasis(n, m);
    const ref = rfft(x);
    const got = new Float64Array(2 * m);
    for (let j = 0; j < n; j++) for (let c = 0; c < 2 * m; c++) got[c] += x[j] * forward[j * 2 * m + c];
    assertClose(got.subarray(0, m), ref.re.subarray(0, m), { rtol: 1e-12, atol: 1e-12 }, `n=${n} Re`);
    assertClose(got.subarray(m), ref.im.subarray(0, m), { rtol: 1e-12, atol: 1e-12 }, `n=${n} Im`);
    // inverse of a spectrum that is zero above mode m
    const re = new Float64Array(ref.re.length);
    const im = new Float64Array(ref.im.length);
    for (let k = 0; k < m; k++) { re[k] = ref.re[k]; im[k] = ref.im[k]; }
    const back = irfft(re, im, n);
    const mine = new Float64Array(n);
    for (let c = 0; c < 2 * m; c++) for (let j = 0; j < n; j++) mine[j] += got[c] * inverse[c * n + j];
    assertClose(mine, back, { rtol: 1e-12, atol: 1e-12 }, `n=${n} inverse`);
  }
  assert.throws(() => realDftBasis(16, 10), /modes = 10 exceeds n\/2 \+ 1 = 9/);
});

test('complex DFT matrices on kept frequencies invert each other for band-limited data', () => {
  const n = 12;
  const freqs = keptFrequencies(3);
  assert.deepEqual(freqs, [0, 1, 2, -3, -2, -1]);
  const { forward, inverse } = complexDftBasis(n, freqs);
  const K = freqs.length;
  // x = sum over kept frequencies of random complex amplitudes
  const rng = new Rng(2);
  const amp = freqs.map(() => [rng.normal(), rng.normal()]);
  const x = new Float64Array(2 * n);
  for (let j = 0; j < n; j++) freqs.forEach((f, k) => {
    const a = (2 * Math.PI * f * j) / n;
    x[j] += amp[k][0] * Math.cos(a) - amp[k][1] * Math.sin(a);
    x[n + j] += amp[k][0] * Math.sin(a) + amp[k][1] * Math.cos(a);
  });
  const X = new Float64Array(2 * K);
  for (let r = 0; r < 2 * n; r++) for (let c = 0; c < 2 * K; c++) X[c] += x[r] * forward[r * 2 * K + c];
  freqs.forEach((_, k) => {
    assertClose(X[k] / n, amp[k][0], { atol: 1e-12 }, `Re amplitude ${k}`);
    assertClose(X[K + k] / n, amp[k][1], { atol: 1e-12 }, `Im amplitude ${k}`);
  });
  const back = new Float64Array(2 * n);
  for (let r = 0; r < 2 * K; r++) for (let c = 0; c < 2 * n; c++) back[c] += X[r] * inverse[r * 2 * n + c];
  assertClose(back, x, { atol: 1e-12 }, 'round trip');
});

test('SpectralConv1d equals irfft(W rfft(x)) computed with the float64 FFT', () => {
  const [B, cin, cout, n, m] = [2, 3, 2, 24, 6];
  const layer = new SpectralConv1d({ inChannels: cin, outChannels: cout, modes: m, seed: 3 });
  const rng = new Rng(4);
  // band-limited input (modes < m) and a generic one: the layer is exact for both
  const x = Float64Array.from({ length: B * n * cin }, () => rng.normal());
  const wr = layer.wr.dataSync();
  const wi = layer.wi.dataSync();
  const expected = new Float64Array(B * n * cout);
  for (let b = 0; b < B; b++) {
    const spectra = Array.from({ length: cin }, (_, i) => rfft(Array.from({ length: n }, (_, j) => x[(b * n + j) * cin + i])));
    for (let o = 0; o < cout; o++) {
      const re = new Float64Array(n / 2 + 1);
      const im = new Float64Array(n / 2 + 1);
      for (let k = 0; k < m; k++) for (let i = 0; i < cin; i++) {
        const w = (k * cin + i) * cout + o;
        re[k] += spectra[i].re[k] * wr[w] - spectra[i].im[k] * wi[w];
        im[k] += spectra[i].re[k] * wi[w] + spectra[i].im[k] * wr[w];
      }
      irfft(re, im, n).forEach((v, j) => { expected[(b * n + j) * cout + o] = v; });
    }
  }
  const got = layer.apply(tf.tensor3d(Float32Array.from(x), [B, n, cin]));
  assertClose(got.dataSync(), expected, { rtol: 1e-4, atol: 1e-6 }, 'SpectralConv1d');
  layer.dispose();
});

test('SpectralConv2d equals irfft2(W rfft2(x)) computed with the float64 FFT', () => {
  const [B, cin, cout, H, W, m1, m2] = [1, 2, 2, 12, 10, 3, 4];
  const layer = new SpectralConv2d({ inChannels: cin, outChannels: cout, modes: [m1, m2], seed: 5 });
  const rng = new Rng(6);
  const x = Float64Array.from({ length: B * H * W * cin }, () => rng.normal());
  const wr = layer.wr.dataSync();
  const wi = layer.wi.dataSync();
  const Wh = W / 2 + 1;
  const rows = keptFrequencies(m1).map((f) => (f + H) % H);
  const expected = new Float64Array(B * H * W * cout);
  const spectra = Array.from({ length: cin }, (_, i) => rfft2(Array.from({ length: H * W }, (_, p) => x[p * cin + i]), H, W));
  for (let o = 0; o < cout; o++) {
    const re = new Float64Array(H * Wh);
    const im = new Float64Array(H * Wh);
    rows.forEach((r, k1) => {
      for (let k2 = 0; k2 < m2; k2++) for (let i = 0; i < cin; i++) {
        const w = ((k1 * m2 + k2) * cin + i) * cout + o;
        const s = spectra[i];
        re[r * Wh + k2] += s.re[r * Wh + k2] * wr[w] - s.im[r * Wh + k2] * wi[w];
        im[r * Wh + k2] += s.re[r * Wh + k2] * wi[w] + s.im[r * Wh + k2] * wr[w];
      }
    });
    irfft2(re, im, H, W).forEach((v, p) => { expected[p * cout + o] = v; });
  }
  const got = layer.apply(tf.tensor4d(Float32Array.from(x), [B, H, W, cin]));
  assertClose(got.dataSync(), expected, { rtol: 1e-4, atol: 1e-6 }, 'SpectralConv2d');
  layer.dispose();
});

test('spectral convolutions match the torch port of neuraloperator (outputs and gradients)', () => {
  for (const c of fx.spectral1d) {
    const layer = new SpectralConv1d({ inChannels: c.cin, outChannels: c.cout, modes: c.modes });
    layer.setWeights({ re: c.wr.data, im: c.wi.data });
    const x = t(c.x);
    const got = layer.apply(x);
    assertClose(got.dataSync(), c.out.data, { rtol: 1e-4, atol: 2e-5 }, `1d n=${c.n} modes=${c.modes} output`);
    const gx = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(layer.apply(xx), t(c.R))))(x);
    assertClose(gx.dataSync(), c.grad_x.data, { rtol: 1e-4, atol: 2e-5 }, `1d n=${c.n} dL/dx`);
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x), t(c.R))) as tf.Scalar, layer.variables);
    assertClose(grads[layer.wr.name].dataSync(), c.grad_wr.data, { rtol: 1e-4, atol: 2e-5 }, `1d n=${c.n} dL/dRe W`);
    assertClose(grads[layer.wi.name].dataSync(), c.grad_wi.data, { rtol: 1e-4, atol: 2e-5 }, `1d n=${c.n} dL/dIm W`);
    layer.dispose();
  }
  for (const c of fx.spectral2d) {
    const layer = new SpectralConv2d({ inChannels: c.cin, outChannels: c.cout, modes: c.modes });
    layer.setWeights({ re: c.wr.data, im: c.wi.data });
    const x = t(c.x);
    assertClose(layer.apply(x).dataSync(), c.out.data, { rtol: 1e-4, atol: 2e-5 }, `2d ${c.H}x${c.W} output`);
    const gx = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(layer.apply(xx), t(c.R))))(x);
    assertClose(gx.dataSync(), c.grad_x.data, { rtol: 1e-4, atol: 2e-5 }, `2d ${c.H}x${c.W} dL/dx`);
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x), t(c.R))) as tf.Scalar, layer.variables);
    assertClose(grads[layer.wr.name].dataSync(), c.grad_wr.data, { rtol: 1e-4, atol: 2e-5 }, `2d dL/dRe W`);
    assertClose(grads[layer.wi.name].dataSync(), c.grad_wi.data, { rtol: 1e-4, atol: 2e-5 }, `2d dL/dIm W`);
    layer.dispose();
  }
});

test('gradients through a Fourier layer match central finite differences', () => {
  // a quadratic loss: central differences are exact up to rounding
  const layer = new SpectralConv1d({ inChannels: 2, outChannels: 2, modes: 5, seed: 7 });
  const rng = new Rng(8);
  const x = tf.tensor3d(Float32Array.from({ length: 2 * 16 * 2 }, () => rng.normal()), [2, 16, 2]);
  const R = tf.tensor3d(Float32Array.from({ length: 2 * 16 * 2 }, () => rng.normal()), [2, 16, 2]);
  const loss = () => tf.sum(tf.mul(tf.square(layer.apply(x)), R)) as tf.Scalar;
  const { grads } = tf.variableGrads(loss, layer.variables);
  const h = 1e-2;
  for (const v of layer.variables) {
    const g = grads[v.name].dataSync();
    const base = v.dataSync().slice();
    for (const i of [0, 7, 13, base.length - 1]) {
      const at = (delta: number) => {
        const w = base.slice();
        w[i] += delta;
        v.assign(tf.tensor(w, v.shape));
        return loss().dataSync()[0];
      };
      const fd = (at(h) - at(-h)) / (2 * h);
      v.assign(tf.tensor(base, v.shape));
      assertClose(g[i], fd, { rtol: 2e-2, atol: 2e-3 }, `${v.name}[${i}]`);
    }
  }
  // and with respect to the input
  const gx = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(tf.square(layer.apply(xx)), R)))(x).dataSync();
  const xv = x.dataSync().slice();
  for (const i of [1, 30, 63]) {
    const at = (delta: number) => {
      const w = xv.slice();
      w[i] += delta;
      return tf.sum(tf.mul(tf.square(layer.apply(tf.tensor3d(w, [2, 16, 2]))), R)).dataSync()[0];
    };
    assertClose(gx[i], (at(h) - at(-h)) / (2 * h), { rtol: 2e-2, atol: 2e-3 }, `x[${i}]`);
  }
  layer.dispose();
});

test('FNO1d forward equals the torch port of fourier_1d.py on fixed weights', () => {
  const c = fx.fno1d;
  const model = fno1d({ modes: c.modes, width: c.width, layers: c.layers, projectionWidth: c.projectionWidth });
  setDense(model.lift, [c.lift]);
  c.convs.forEach((w: { wr: Arr; wi: Arr }, i: number) => model.fourier.convs[i].setWeights({ re: w.wr.data, im: w.wi.data }));
  c.skips.forEach((s: { W: Arr; b: Arr }, i: number) => setDense(model.fourier.skips[i], [s]));
  setDense(model.project, c.project);
  const u = model.apply(t(c.a));
  assert.deepEqual(u.shape, [c.B, c.n]);
  assertClose(u.dataSync(), c.u.data, { rtol: 1e-4, atol: 2e-5 }, 'FNO1d output');
  // parameters: lift (2*4+4) + per layer (2*3*4*4 + 4*4+4) + projection (4*8+8 + 8+1)
  assert.equal(model.paramCount, 12 + 2 * (96 + 20) + 49);
  model.dispose();
});

test('FNO2d maps [B, H, W] to [B, H, W], pads and crops, and evaluates at another resolution', () => {
  seed(1);
  const model = fno2d({ modes: [3, 3], width: 6, layers: 2, padding: 2 });
  const y = model.apply(tf.randomNormal([2, 10, 9]));
  assert.deepEqual(y.shape, [2, 10, 9]);
  assert.deepEqual(model.apply(tf.randomNormal([1, 14, 16])).shape, [1, 14, 16]);
  const multi = fno2d({ modes: 3, width: 4, layers: 1, inChannels: 2, outChannels: 3 });
  assert.deepEqual(multi.apply(tf.randomNormal([1, 8, 8, 2])).shape, [1, 8, 8, 3]);
  model.dispose();
  multi.dispose();
});

test('attention kernels match the Galerkin Transformer formulas (numpy)', () => {
  const a = fx.attention;
  const [q, k, v] = [t(a.q), t(a.k), t(a.v)];
  assertClose(galerkinAttention(q, k, v).dataSync(), a.galerkin.data, { rtol: 1e-4, atol: 1e-5 }, 'galerkin');
  assertClose(fourierAttention(q, k, v).dataSync(), a.fourier.data, { rtol: 1e-4, atol: 1e-5 }, 'fourier');
  assertClose(softmaxAttention(q, k, v).dataSync(), a.softmax.data, { rtol: 1e-4, atol: 1e-5 }, 'softmax');
});

test('SelfAttention equals the Galerkin Transformer SimpleAttention (norms, positions per head, output layer)', () => {
  for (const c of fx.selfAttention) {
    const attn = new SelfAttention({ dModel: c.dModel, heads: c.heads, attention: c.kind, posDim: 1 });
    c.projections.forEach((p: { W: Arr; b: Arr }, i: number) => setDense(attn.projections[i], [p]));
    c.norms.forEach((nm: { gamma: Arr; beta: Arr }, i: number) => {
      attn.norms[i].gamma.assign(t(nm.gamma));
      attn.norms[i].beta.assign(t(nm.beta));
    });
    setDense(attn.out!, [c.out_layer]);
    const pos = tf.tensor2d(Array.from({ length: c.n }, (_, j) => j / (c.n - 1)), [c.n, 1]);
    assertClose(attn.apply(t(c.x), pos).dataSync(), c.out.data, { rtol: 1e-4, atol: 2e-5 }, `${c.kind} SelfAttention`);
    attn.dispose();
  }
});

test('DeepONet and MultiONet match DeepXDE / DGenNO forward passes', () => {
  for (const c of fx.onets) {
    const opts = { branch: [c.m, ...c.widths], trunk: [c.d, ...c.widths], activation: 'tanh' as const };
    const net = c.kind === 'deeponet' ? deepONet(opts) : multiONet({ ...opts, sumLayers: c.sumLayers });
    net.branchNet.setFlat(c.branch.flatMap((l: { W: Arr; b: Arr }) => [...l.W.data, ...l.b.data]));
    net.trunkNet.setFlat(c.trunk.flatMap((l: { W: Arr; b: Arr }) => [...l.W.data, ...l.b.data]));
    net.bias.assign(tf.scalar(c.bias));
    if (c.kind === 'multionet') (net as ReturnType<typeof multiONet>).weights.assign(tf.tensor1d(c.w));
    const out = net.apply(t(c.u), t(c.y));
    assert.deepEqual(out.shape, [c.B, c.M]);
    assertClose(out.dataSync(), c.out.data, { rtol: 1e-4, atol: 1e-5 }, c.kind);
    net.dispose();
  }
});

test('transformers of each attention type map [B, n] to [B, n] at any n', () => {
  for (const attention of ['galerkin', 'fourier', 'softmax'] as const) {
    const m = transformer({ attention, dModel: 8, heads: 2, layers: 1, decoderModes: 4, seed: 1 });
    assert.deepEqual(m.apply(tf.randomNormal([3, 16])).shape, [3, 16]);
    assert.deepEqual(m.apply(tf.randomNormal([2, 32])).shape, [2, 32]);
    assert.ok(m.paramCount > 0);
    m.dispose();
  }
  const p = transformer({ decoder: 'pointwise', dModel: 4, layers: 1 });
  assert.deepEqual(p.apply(tf.randomNormal([1, 5])).shape, [1, 5]);
  p.dispose();
});

test('relative L2 loss and error summary', () => {
  const y = tf.tensor2d([[3, 4], [1, 0]]);
  const pred = tf.tensor2d([[3, 4.5], [0, 0]]);
  assertClose(relativeL2PerSample(pred, y).dataSync(), [0.1, 1], { atol: 1e-6 });
  assertClose(relativeL2Loss(pred, y).dataSync()[0], 0.55, { atol: 1e-6 });
  const s = errorSummary(pred, y);
  assertClose([s.relativeL2, s.medianRelativeL2, s.maxRelativeL2, s.maxAbs], [0.55, 0.55, 1, 1], { atol: 1e-6 });
  assert.throws(() => relativeL2Loss(pred, tf.zeros([2, 3])), /same shape/);
});

test('bad options and inputs are refused with errors naming them', () => {
  assert.throws(() => fno1d({} as never), /fno1d: modes is required/);
  assert.throws(() => fno1d({ modes: 4, width: 0 }), /fno1d: width must be an integer in \[1, inf\), got 0/);
  assert.throws(() => fno1d({ modes: 4, widht: 3 } as never), /fno1d: unknown option 'widht'/);
  assert.throws(() => fno1d({ modes: 4, activation: 'gelus' as never }), /fno1d: activation must be one of/);
  assert.throws(() => fno2d({ modes: [4] as never }), /fno2d: modes must be a number or \[m1, m2\]/);
  const m = fno1d({ modes: 9, width: 4, layers: 1 });
  assert.throws(() => m.apply(tf.zeros([2, 8])), /9 modes need at least 16 points, got a grid of 8/);
  assert.throws(() => m.apply(tf.zeros([2, 16, 3])), /x has 3 input channel\(s\) but the model was built with inChannels = 1/);
  assert.throws(() => m.apply(tf.zeros([16])), /FNO1d.apply: x must have shape \[batch, points, channels\]/);
  m.dispose();
  assert.throws(() => new SpectralConv2d({ inChannels: 1, outChannels: 1, modes: [5, 3] }).apply(tf.zeros([1, 8, 8, 1])), /modes \[5, 3\] need a grid of at least 10 x 4, got 8 x 8/);
  assert.throws(() => transformer({ dModel: 10, heads: 3 }), /dModel = 10 must be divisible by heads = 3/);
  assert.throws(() => transformer({ attention: 'linear' as never }), /attention must be one of 'galerkin', 'fourier', 'softmax'/);
  assert.throws(() => deepONet({ branch: [4, 8], trunk: [1, 6] }), /branch ends with 8 features but the trunk with 6/);
  assert.throws(() => multiONet({ branch: [4, 8, 8], trunk: [1, 8, 8], sumLayers: 2 }), /sumLayers = 2 must be smaller than the number of layers \(2\)/);
  assert.throws(() => multiONet({ branch: [4, 8, 8, 8], trunk: [1, 8, 6, 8], sumLayers: 2 }), /layer 2 has width 8 in the branch but 6 in the trunk/);
  const d = deepONet({ branch: [4, 8], trunk: [2, 8] });
  assert.throws(() => d.apply(tf.zeros([3, 5]), tf.zeros([7, 2])), /u must have shape \[\*, 4\]/);
  assert.throws(() => d.apply(tf.zeros([3, 4]), tf.zeros([7, 3])), /y must have shape \[\*, 2\]/);
  d.dispose();
});

test('model forward passes do not leak tensors', () => {
  const m = fno1d({ modes: 4, width: 4, layers: 2, seed: 2 });
  const x = tf.randomNormal([2, 16]);
  tf.dispose(m.apply(x)); // the first call caches the DFT bases
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) {
    tf.dispose(m.apply(x));
    const { value, grads } = tf.variableGrads(() => relativeL2Loss(m.apply(x), x), m.variables);
    tf.dispose([value, ...Object.values(grads)]);
  }
  assert.equal(tf.memory().numTensors, before);
  m.dispose();
});

test('DeepONet / MultiONet valueAndDerivative: the value of apply and the exact derivative along a coordinate', () => {
  const opts = { branch: [5, 8, 8, 8], trunk: [2, 8, 8, 8], seed: 4 };
  for (const net of [deepONet(opts), multiONet({ ...opts, sumLayers: 2 })]) {
    if (net instanceof Object && 'weights' in net) (net.weights as tf.Variable).assign(tf.tensor1d([0.7, -1.3]));
    const u = tf.randomNormal([3, 5], 0, 1, 'float32', 1);
    const y = tf.randomUniform([6, 2], 0, 1, 'float32', 2);
    for (const dim of [0, 1]) {
      const { value, derivative } = net.valueAndDerivative(u, y, dim);
      assertClose(value.dataSync(), net.apply(u, y).dataSync(), { rtol: 1e-5, atol: 1e-6 }, `${net.name} value`);
      for (let b = 0; b < 3; b++) {
        // row b of the output depends on each point y_j alone, so d/dy of its sum is the per-point derivative
        const g = tf.grad((yy: tf.Tensor) => tf.sum(tf.slice(net.apply(u, yy), [b, 0], [1, -1])))(y);
        const column = tf.slice(g, [0, dim], [-1, 1]).dataSync();
        assertClose(tf.slice(derivative, [b, 0], [1, -1]).dataSync(), column, { rtol: 1e-4, atol: 1e-6 }, `${net.name} d/dy${dim} row ${b}`);
      }
    }
    assert.throws(() => net.valueAndDerivative(u, y, 2), /dim must be an integer in \[0, 1\], got 2/);
    net.dispose();
  }
});

test('valueAndDerivative works for 1-D points', () => {
  const net = multiONet({ branch: [3, 6, 6, 6], trunk: [1, 6, 6, 6], sumLayers: 2, seed: 1 });
  net.weights.assign(tf.tensor1d([1, -0.5]));
  const u = tf.randomNormal([2, 3], 0, 1, 'float32', 5);
  const y = tf.tensor2d([[0.1], [0.5], [0.9]]);
  const { derivative } = net.valueAndDerivative(u, y);
  const h = 1e-2;
  const fd = tf.div(tf.sub(net.apply(u, tf.add(y, h)), net.apply(u, tf.sub(y, h))), 2 * h);
  assertClose(derivative.dataSync(), fd.dataSync(), { rtol: 1e-2, atol: 1e-4 }, 'central differences');
  net.dispose();
});
