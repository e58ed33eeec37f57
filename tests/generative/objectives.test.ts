import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, generative as g } from '../../lib/index.js';
import { assertClose } from '../helpers.js';

const zeroNet: g.TimeNet = (x) => tf.zerosLike(x);
const data = g.eightGaussians().sample(512, 1);
const halfMeanSq = tf.tidy(() => tf.mean(tf.sum(tf.square(data), 1)).dataSync()[0] / 2);

test('weighted-ELBO losses are the plain MSEs of their parameterization: x0 weighting with a zero x0-network gives |x|^2 / 2 exactly', () => {
  for (const path of [g.vpPath(), g.cosinePath(), g.vePath()]) {
    const l = g.diffusionLoss(zeroNet, path, data, { prediction: 'x0', weighting: 'x0', seed: 3 });
    assertClose(l.dataSync()[0], halfMeanSq, { rtol: 2e-4 }, path.name);
    l.dispose();
  }
  // the eps weighting with a zero eps-network is |eps|^2 / 2, whose mean is d / 2
  const l = g.diffusionLoss(zeroNet, g.vpPath(), data, { prediction: 'eps', weighting: 'eps', seed: 4 });
  assertClose(l.dataSync()[0], 1, { rtol: 0.1 });
  l.dispose();
});

test('weightings: eps weighting is the density of lambda under uniform t (integrates to 1); EDM and sigmoid shapes', () => {
  const path = g.vpPath();
  const ts = g.linspace(path.tData, path.tNoise, 4000);
  let integral = 0;
  const w = g.weighting('eps', path);
  for (let i = 0; i + 1 < ts.length; i++) {
    const dl = Math.abs(g.logSnr(path, ts[i + 1]) - g.logSnr(path, ts[i]));
    integral += 0.5 * (w(ts[i]) + w(ts[i + 1])) * dl;
  }
  assertClose(integral, 1, { rtol: 1e-3 });
  // sigmoid(bias - lambda): 1/2 where lambda = bias, decreasing in lambda (increasing in t on VP)
  const sig = g.weighting('sigmoid', path, { bias: 2 });
  let [lo, hi] = [0.01, 0.99];
  for (let k = 0; k < 60; k++) {
    const m = (lo + hi) / 2;
    if (g.logSnr(path, m) > 2) lo = m;
    else hi = m;
  }
  assertClose(sig((lo + hi) / 2), 0.5, { rtol: 1e-6 });
  assert.ok(sig(0.2) < sig(0.5) && sig(0.5) < sig(0.8));
  // the EDM weighting peaks near lambda = 2.4 (ln sigma = -1.2) before the e^-lambda factor
  const edm = g.weighting('edm', path);
  assert.ok(edm(0.3) > 0 && Number.isFinite(edm(0.05)));
  assert.throws(() => g.weighting('lpips' as any, path), /unknown 'lpips'/);
});

test('negative ELBO with the exact mixture denoiser matches the exact NLL within its Monte-Carlo error', () => {
  const mix = g.eightGaussians();
  const x = mix.sample(400, 5);
  const path = g.vpPath({ eps: 1e-4 });
  const net = g.mixtureDenoiserNet(mix, path);
  const elbo = g.negativeElbo(net, path, x, { prediction: 'x0', samples: 40, seed: 6 });
  const nll = mix.nll(x);
  // the bound with the exact denoiser is nearly tight (small decoder noise, prior ~ N(0, I)):
  // within Monte-Carlo error of the NLL, and not below it beyond that error
  const se = elbo.standardError;
  assert.ok(se < 0.3, `standard error ${se}`);
  assert.ok(Math.abs(elbo.total - nll) < 3 * se + 0.02, `-ELBO ${elbo.total} +- ${se} vs NLL ${nll} (${JSON.stringify(elbo)})`);
  x.dispose();
});

test('interpolant losses are minimised by the exact drift and denoiser: a constant offset c raises each by c^2', () => {
  const source = g.eightGaussians();
  const target = new g.GaussianMixture({ means: [[-2, 0], [2, 1]], stds: 0.4 });
  const c = g.interpolant({ kind: 'linear', gammaScale: 1 });
  const f = g.mixtureInterpolantFields(source, target, c);
  const x0 = source.sample(4000, 1);
  const x1 = target.sample(4000, 2);
  for (const t of [0.2, 0.7]) {
    const drift = (off: number): g.TimeNet => (x) => tf.tidy(() => tf.add(f.velocity(x, t), off) as tf.Tensor2D);
    const den = (off: number): g.TimeNet => (x) => tf.tidy(() => tf.add(f.denoiser(x, t), off) as tf.Tensor2D);
    const L = (b: number, e: number) => {
      const l = g.interpolantLoss(drift(b), den(e), x0, x1, c, { t, seed: 9 });
      const v = l.dataSync()[0];
      l.dispose();
      return v;
    };
    const base = L(0, 0);
    assertClose(L(0.5, 0) - base, 0.25, { atol: 0.03 }, `drift t=${t}`);
    assertClose(L(0, 0.5) - base, 0.25, { atol: 0.03 }, `denoiser t=${t}`);
    // the one-posterior fields agree with the drift and with the score -eta_z / gamma
    const both = f.fields(x0, t);
    const apart = g.interpolantFields(f.velocity, f.denoiser, c)(x0, t);
    assertClose(both.velocity.dataSync(), apart.velocity.dataSync(), { rtol: 1e-4, atol: 1e-5 }, `fields velocity t=${t}`);
    assertClose(both.score.dataSync(), apart.score.dataSync(), { rtol: 1e-3, atol: 1e-4 }, `fields score t=${t}`);
    tf.dispose([both.velocity, both.score, apart.velocity, apart.score]);
  }
  f.bridge.dispose();
  tf.dispose([x0, x1]);
});

test('consistency-FM loss vanishes for the exact straight flow and not for a wrong one', () => {
  const x0 = g.standardNormal(2).sample(256, 1);
  const shift = tf.tensor1d([1.5, -0.5]);
  const x1 = tf.add(x0, shift) as tf.Tensor2D;
  const exact: g.TimeNet = (x) => tf.tidy(() => tf.add(tf.zerosLike(x), shift) as tf.Tensor2D);
  const wrong: g.TimeNet = (x) => tf.tidy(() => tf.mul(tf.add(tf.zerosLike(x), shift), 0.5) as tf.Tensor2D);
  const l0 = g.consistencyFmLoss(exact, x0, x1, { segments: 2, seed: 2 });
  const l1 = g.consistencyFmLoss(wrong, x0, x1, { segments: 2, seed: 2 });
  assert.ok(l0.dataSync()[0] < 1e-10, `exact ${l0.dataSync()[0]}`);
  // a constant but wrong field is self-consistent inside segments; the boundary anchor (r >= 0.9) catches it
  assert.ok(l1.dataSync()[0] > 1e-5, `wrong ${l1.dataSync()[0]}`);
  assert.throws(() => g.consistencyFmLoss(exact, x0, x1, { segments: 0 }), /segments must be a positive integer/);
  tf.dispose([x0, shift, x1, l0, l1]);
});

test('reflection folds into the box, its sign is the derivative of the fold, and the RFM target is the reflected path velocity', () => {
  const x = tf.tensor2d([[0.3, 1.2], [-0.25, 2.6], [3.7, -1.1]]);
  assertClose(g.reflectIntoBox(x).dataSync(), [0.3, 0.8, 0.25, 0.6, 0.3, 0.9], { atol: 1e-6 });
  assertClose(g.reflectionSign(x).dataSync(), [1, -1, -1, 1, -1, 1], { atol: 0 });
  // d/dt fold(y_t) by finite differences equals sign(y_t) * dy/dt
  const y0 = tf.tensor2d([[0.2, 0.9], [1.4, -0.3]]);
  const v = tf.tensor2d([[1.3, -2.1], [0.7, 0.4]]);
  const h = 1e-3;
  const fd = tf.tidy(() => tf.div(tf.sub(g.reflectIntoBox(tf.add(y0, tf.mul(v, h)) as tf.Tensor2D), g.reflectIntoBox(y0)), h));
  const target = tf.tidy(() => tf.mul(g.reflectionSign(y0), v));
  assertClose(fd.dataSync(), target.dataSync(), { atol: 1e-3 });
  // reflected Euler sampling with an arbitrary field never leaves the box
  const x0 = g.boxSource(500, 2, { sigma0: 1, seed: 3 });
  assert.equal(g.outOfBoxFraction(x0), 0);
  const wild: g.VelocityField = (z) => tf.tidy(() => tf.mul(tf.sin(tf.mul(z, 7)), 5) as tf.Tensor2D);
  const r = g.odeSolve(wild, x0, g.linspace(0, 1, 10), { project: (z) => g.reflectIntoBox(z) });
  assert.equal(g.outOfBoxFraction(r.x), 0);
  const free = g.odeSolve(wild, x0, g.linspace(0, 1, 10));
  assert.ok(g.outOfBoxFraction(free.x) > 0.1);
  tf.dispose([x, y0, v, fd, target, x0, r.x, free.x]);
});

test('flow log-likelihood with the exact velocity recovers the exact Gaussian density', () => {
  const gauss = new g.GaussianMixture({ means: [[1, -0.5]], stds: [[0.6, 1.4]] });
  const path = g.linearPath();
  const v = g.mixtureVelocity(gauss, path);
  const x = gauss.sample(50, 2);
  const { logProb, nfe } = g.flowLogLikelihood(v, x, path.grid(60), (x0) => g.standardNormal(2).logProb(x0));
  assert.equal(nfe, 120);
  assertClose(logProb, gauss.logProb(x), { atol: 5e-3, rtol: 1e-3 });
  x.dispose();
});
