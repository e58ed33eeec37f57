import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, periodicGRF1d, periodicGRF2d, cosineGRF2d, maternAmplitude, rfft, rfft2 } from '../../lib/pde/numerics/index.js';

test('the RNG is deterministic, uniform in [0, 1) and standard normal on average', () => {
  const a = new Rng(42);
  const b = new Rng(42);
  const c = new Rng(43);
  const xa = Array.from({ length: 5 }, () => a.uniform());
  assert.deepEqual(xa, Array.from({ length: 5 }, () => b.uniform()));
  assert.notDeepEqual(xa, Array.from({ length: 5 }, () => c.uniform()));
  const r = new Rng(7);
  const z = r.normals(200000);
  const mean = z.reduce((s, v) => s + v, 0) / z.length;
  const variance = z.reduce((s, v) => s + (v - mean) ** 2, 0) / z.length;
  assert.ok(Math.abs(mean) < 0.01 && Math.abs(variance - 1) < 0.02, `mean ${mean}, variance ${variance}`);
  const u = Array.from({ length: 100000 }, () => r.uniform());
  assert.ok(Math.min(...u) >= 0 && Math.max(...u) < 1);
  assert.throws(() => new Rng(1.5), /seed must be an integer/);
});

test('periodic GRF: same seed gives identical bytes; mean zero; mode variances match the spectrum', () => {
  const amp = maternAmplitude({ sigma: 25, tau: 5, alpha: 2, scale: Math.SQRT2 });
  const n = 64;
  const f1 = periodicGRF1d({ n, amplitude: amp, seed: 5 });
  const f2 = periodicGRF1d({ n, amplitude: amp, seed: 5 });
  assert.deepEqual(Buffer.from(f1.buffer), Buffer.from(f2.buffer));
  assert.ok(Math.abs(f1.reduce((s, v) => s + v, 0)) < 1e-10, 'zero mean');
  // E |X_k|^2 = (n/2)^2 * 2 a(k)^2 for the rfft of c cos + s sin
  const samples = 2000;
  const power = new Float64Array(n / 2 + 1);
  const rng = new Rng(9);
  for (let s = 0; s < samples; s++) {
    const X = rfft(periodicGRF1d({ n, amplitude: amp, seed: rng }));
    for (let k = 0; k <= n / 2; k++) power[k] += (X.re[k] ** 2 + X.im[k] ** 2) / samples;
  }
  for (const k of [1, 2, 5, 12]) {
    const want = (n / 2) ** 2 * 2 * amp(2 * Math.PI * k) ** 2;
    assert.ok(Math.abs(power[k] / want - 1) < 0.1, `mode ${k}: ${power[k]} vs ${want}`);
  }
  assert.ok(power[n / 2] < 1e-20 * power[1], `no Nyquist content (${power[n / 2]})`);
});

test('2-D periodic GRF is real, isotropic in its mode variances and deterministic', () => {
  const n = 16;
  const amp = maternAmplitude({ sigma: 7 ** 1.5, tau: 7, alpha: 2.5, scale: 2 });
  const a = periodicGRF2d({ n, amplitude: amp, seed: 3 });
  assert.deepEqual(Array.from(a), Array.from(periodicGRF2d({ n, amplitude: amp, seed: 3 })));
  const m = n / 2 + 1;
  const samples = 1500;
  const p10 = [0, 0];
  const rng = new Rng(4);
  for (let s = 0; s < samples; s++) {
    const X = rfft2(periodicGRF2d({ n, amplitude: amp, seed: rng }), n, n);
    p10[0] += (X.re[1 * m + 0] ** 2 + X.im[1 * m + 0] ** 2) / samples; // k = (1, 0)
    p10[1] += (X.re[0 * m + 1] ** 2 + X.im[0 * m + 1] ** 2) / samples; // k = (0, 1)
  }
  const want = ((n * n) / 2) ** 2 * 2 * amp(2 * Math.PI) ** 2;
  assert.ok(Math.abs(p10[0] / want - 1) < 0.12 && Math.abs(p10[1] / want - 1) < 0.12, `${p10} vs ${want}`);
});

test('cosine (Neumann) GRF has zero normal derivative at the wall and changes sign', () => {
  const xs = [0, 0.25, 0.5, 1];
  const U = cosineGRF2d({ xs, ys: xs, modes: 8, seed: 1 });
  const near = cosineGRF2d({ xs: [1e-6], ys: xs, modes: 8, seed: 1 });
  for (let j = 0; j < xs.length; j++) assert.ok(Math.abs(near[j] - U[j]) < 1e-8, 'd/dx = 0 at x = 0');
  assert.ok(U.some((v) => v > 0) && U.some((v) => v < 0), 'the field changes sign');
});
