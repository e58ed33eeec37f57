import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, generative as g } from '../../lib/index.js';
import { assertClose } from '../helpers.js';

const mix = new g.GaussianMixture({ means: [[0, 1], [2, -1], [-1.5, 0]], stds: [[0.5, 1], [1.2, 0.3], [0.8, 0.8]], weights: [0.2, 0.5, 0.3], labels: [0, 1, 1] });
const pts = new g.Rng(3).normalTensor<tf.Rank.R2>([9, 2]);

/** The marginal of x_t = alpha x0 + sigma eps is again a mixture: means alpha mu, stds sqrt(alpha^2 s^2 + sigma^2). */
function marginal(alpha: number, sigma: number, m = mix): g.GaussianMixture {
  return new g.GaussianMixture({ means: m.means.map((r) => r.map((v) => alpha * v)), stds: m.stds.map((r) => r.map((s) => Math.sqrt(alpha * alpha * s * s + sigma * sigma))), weights: m.weights, labels: m.labels });
}

function fdGrad(m: g.GaussianMixture, x: number[][], h = 1e-5): number[] {
  const out: number[] = [];
  for (const p of x) {
    for (let j = 0; j < p.length; j++) {
      const a = p.slice();
      const b = p.slice();
      a[j] += h;
      b[j] -= h;
      out.push((m.logProb([a])[0] - m.logProb([b])[0]) / (2 * h));
    }
  }
  return out;
}

test('exact mixture score equals the gradient of the exact marginal log density on VP, VE and linear paths', () => {
  const x = pts.arraySync() as number[][];
  for (const [path, t] of [[g.vpPath(), 0.3], [g.vePath(), 0.4], [g.linearPath(), 0.6], [g.edmPath(), 1.7]] as [g.GaussianPath, number][]) {
    const s = g.mixtureScore(mix, path)(pts, t);
    assertClose(s.dataSync(), fdGrad(marginal(path.alpha(t), path.sigma(t)), x), { atol: 2e-4, rtol: 1e-3 }, path.name);
    s.dispose();
  }
});

test('class-conditional exact score is the score of the class mixture', () => {
  const path = g.vpPath();
  const t = 0.5;
  const labels = Int32Array.from({ length: 9 }, (_, i) => i % 2);
  const s = g.mixtureScore(mix, path, labels)(pts, t);
  const x = pts.arraySync() as number[][];
  const expected = x.flatMap((p, i) => fdGrad(marginal(path.alpha(t), path.sigma(t), mix.restrict(labels[i])), [p]));
  assertClose(s.dataSync(), expected, { atol: 2e-4, rtol: 1e-3 });
  assert.throws(() => g.mixtureScore(mix, path, [5, 0, 0, 0, 0, 0, 0, 0, 0])(pts, t), /labels\[0\] = 5 is not a class/);
  s.dispose();
});

test('parameterizations convert exactly and round-trip (Tweedie: score = (alpha D - x) / sigma^2)', () => {
  const path = g.vpPath();
  const t = 0.37;
  const D = g.mixtureDenoiser(mix, path)(pts, t);
  const score = g.convert(D, 'x0', 'score', pts, t, path);
  const exact = g.mixtureScore(mix, path)(pts, t);
  assertClose(score.dataSync(), exact.dataSync(), { atol: 1e-4, rtol: 1e-4 });
  for (const kind of g.PREDICTIONS) {
    const p = g.convert(D, 'x0', kind, pts, t, path);
    const back = g.convert(p, kind, 'x0', pts, t, path);
    assertClose(back.dataSync(), D.dataSync(), { atol: 1e-4, rtol: 1e-4 }, kind);
    tf.dispose([p, back]);
  }
  const v = g.mixtureVelocity(mix, path)(pts, t);
  const v2 = g.convert(D, 'x0', 'velocity', pts, t, path);
  assertClose(v.dataSync(), v2.dataSync(), { atol: 1e-4, rtol: 1e-4 });
  assert.throws(() => g.convert(D, 'x0', 'noise' as any, pts, t, path), /unknown 'noise'/);
  tf.dispose([D, score, exact, v, v2]);
});

test('EDM preconditioning identities: unit-variance network input and target, lambda c_out^2 = 1, schedule ends', () => {
  const sd = 0.5;
  for (const sigma of [0.002, 0.1, 0.5, 3, 80]) {
    const c = g.edmCoefficients(sigma, sd);
    assertClose(c.cIn ** 2 * (sigma ** 2 + sd ** 2), 1, { rtol: 1e-12 }); // Var[c_in (y + n)] = 1
    assertClose((1 - c.cSkip) ** 2 * sd ** 2 + c.cSkip ** 2 * sigma ** 2, c.cOut ** 2, { rtol: 1e-12 }); // Var[target] c_out^2
    assertClose(c.weight * c.cOut ** 2, 1, { rtol: 1e-12 }); // effective weight 1
    assertClose(c.cNoise, Math.log(sigma) / 4, { rtol: 1e-12 });
  }
  const s = g.karrasSigmas(18);
  assert.equal(s.length, 19);
  assertClose([s[0], s[17], s[18]], [80, 0.002, 0], { rtol: 1e-12 });
  // rho = 1 is uniform in sigma
  const u = g.karrasSigmas(4, { sigmaMin: 1, sigmaMax: 4, rho: 1 });
  assertClose(u, [4, 3, 2, 1, 0], { rtol: 1e-12 });
});

test('an EDM-preconditioned net whose F is the exact optimum reproduces the exact denoiser', () => {
  // F* = (D* - c_skip x) / c_out evaluated at x = (net input) / c_in
  const path = g.edmPath();
  const exact = g.mixtureDenoiser(mix, path);
  const sd = 0.5;
  const net: g.TimeNet = (xin, cNoise) =>
    tf.tidy(() => {
      const sigma = Math.exp(4 * cNoise.dataSync()[0]);
      const c = g.edmCoefficients(sigma, sd);
      const x = tf.div(xin, c.cIn) as tf.Tensor2D;
      return tf.div(tf.sub(exact(x, sigma), tf.mul(x, c.cSkip)), c.cOut) as tf.Tensor2D;
    });
  const den = g.edmDenoiser(net, { sigmaData: sd });
  for (const sigma of [0.05, 1, 20]) {
    const a = den(pts, sigma);
    const b = exact(pts, sigma);
    assertClose(a.dataSync(), b.dataSync(), { atol: 1e-4, rtol: 1e-3 });
    tf.dispose([a, b]);
  }
});

test('CFG at w = 1 is the conditional denoiser, at w = 0 the unconditional one', () => {
  const path = g.vpPath();
  const den = g.mixtureDenoiser(mix, path);
  const labels = Int32Array.from({ length: 9 }, (_, i) => i % 2);
  const c = den(pts, 0.5, labels);
  const u = den(pts, 0.5, null);
  const g1 = g.cfg(den, 1)(pts, 0.5, labels);
  const g0 = g.cfg(den, 0)(pts, 0.5, labels);
  assertClose(g1.dataSync(), c.dataSync(), { atol: 1e-6 });
  assertClose(g0.dataSync(), u.dataSync(), { atol: 1e-6 });
  // a sampler with CFG at w = 1 equals the conditional sampler
  const x = g.priorSample(path, 9, 2, 1);
  const a = g.ddim(g.cfg(den, 1), path, x, path.grid(10), { labels });
  const b = g.ddim(den, path, x, path.grid(10), { labels });
  assertClose(a.x.dataSync(), b.x.dataSync(), { atol: 1e-5 });
  assert.throws(() => g.cfg(den, 2)(pts, 0.5, null), /guidance needs class labels/);
  tf.dispose([c, u, g1, g0, x, a.x, b.x]);
});

test('APG with eta = 1, no threshold and no momentum is CFG; with eta = 0 the update is orthogonal to D_c', () => {
  const path = g.vpPath();
  const den = g.mixtureDenoiser(mix, path);
  const labels = Int32Array.from({ length: 9 }, (_, i) => i % 2);
  for (const w of [1, 3, 7.5]) {
    const a = g.apg(den, { scale: w, eta: 1 })(pts, 0.4, labels);
    const b = g.cfg(den, w)(pts, 0.4, labels);
    assertClose(a.dataSync(), b.dataSync(), { atol: 1e-5, rtol: 1e-5 });
    tf.dispose([a, b]);
  }
  const dc = den(pts, 0.4, labels);
  const a0 = g.apg(den, { scale: 5 })(pts, 0.4, labels);
  const dots = tf.tidy(() => tf.sum(tf.mul(tf.sub(a0, dc), dc), 1).dataSync());
  for (const d of dots) assert.ok(Math.abs(d) < 1e-4, `parallel part left: ${d}`);
  // norm threshold caps |D - D_c| at (w - 1) r
  const capped = g.apg(den, { scale: 5, eta: 1, normThreshold: 0.1 })(pts, 0.4, labels);
  const norms = tf.tidy(() => tf.norm(tf.sub(capped, dc), 'euclidean', 1).dataSync());
  for (const nrm of norms) assert.ok(nrm <= 4 * 0.1 + 1e-5, `norm ${nrm}`);
  tf.dispose([dc, a0, capped]);
});

test('APG momentum follows running = diff + beta running across calls; reset clears it', () => {
  const path = g.vpPath();
  const den = g.mixtureDenoiser(mix, path);
  const labels = Int32Array.from({ length: 9 }, (_, i) => i % 2);
  const beta = -0.5;
  const guided = g.apg(den, { scale: 3, eta: 1, momentum: beta });
  const diffAt = (t: number) => tf.tidy(() => tf.sub(den(pts, t, labels), den(pts, t, null)));
  const first = guided(pts, 0.6, labels);
  const second = guided(pts, 0.5, labels);
  const d1 = diffAt(0.6);
  const d2 = diffAt(0.5);
  const expected = tf.tidy(() => tf.add(den(pts, 0.5, labels), tf.mul(tf.add(d2, tf.mul(d1, beta)), 2)));
  assertClose(second.dataSync(), expected.dataSync(), { atol: 1e-5 });
  guided.reset();
  const again = guided(pts, 0.6, labels);
  assertClose(again.dataSync(), first.dataSync(), { atol: 1e-6 });
  tf.dispose([first, second, d1, d2, expected, again]);
});

test('classifier guidance with the exact classifier at scale 1 equals the conditional denoiser', () => {
  const path = g.vpPath();
  const den = g.mixtureDenoiser(mix, path);
  const labels = Int32Array.from({ length: 9 }, (_, i) => i % 2);
  const guided = g.classifierGuidance(den, path, g.exactClassifierGradient(mix, path), 1)(pts, 0.45, labels);
  const cond = den(pts, 0.45, labels);
  assertClose(guided.dataSync(), cond.dataSync(), { atol: 1e-4, rtol: 1e-4 });
  tf.dispose([guided, cond]);
});
