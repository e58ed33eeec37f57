import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose } from '../helpers.js';
import {
  spectralDerivative, spectralDerivative2d, periodicGrid, wavenumbers, fourierInterpolate, dealiasMask,
  Periodic1d, Periodic2d, evaluateSpectrum, fftPlan,
} from '../../lib/pde/numerics/index.js';

test('spectral derivatives of sin(3x) are exact to rounding', () => {
  const x = periodicGrid(32);
  const u = Float64Array.from(x, (v) => Math.sin(3 * v));
  assertClose(spectralDerivative(u, 1), Float64Array.from(x, (v) => 3 * Math.cos(3 * v)), { atol: 1e-13 }, 'd/dx');
  assertClose(spectralDerivative(u, 2), Float64Array.from(x, (v) => -9 * Math.sin(3 * v)), { atol: 1e-12 }, 'd2/dx2');
  assertClose(spectralDerivative(u, 3), Float64Array.from(x, (v) => -27 * Math.cos(3 * v)), { atol: 1e-11 }, 'd3/dx3');
});

test('spectral derivative of exp(sin x) converges to machine precision (odd n and period 2)', () => {
  for (const n of [48, 49]) {
    const x = periodicGrid(n);
    const u = Float64Array.from(x, (v) => Math.exp(Math.sin(v)));
    assertClose(spectralDerivative(u), Float64Array.from(x, (v) => Math.cos(v) * Math.exp(Math.sin(v))), { atol: 1e-13 }, `n=${n}`);
  }
  // period 2 on [-1, 1): d/dx exp(sin(pi x)) = pi cos(pi x) exp(sin(pi x))
  const x = periodicGrid(64, -1, 2);
  const u = Float64Array.from(x, (v) => Math.exp(Math.sin(Math.PI * v)));
  const du = Float64Array.from(x, (v) => Math.PI * Math.cos(Math.PI * v) * Math.exp(Math.sin(Math.PI * v)));
  assertClose(spectralDerivative(u, 1, 2), du, { atol: 1e-12 }, 'period 2');
  // spectral accuracy: the error falls geometrically with n
  const err = (n: number) => {
    const xs = periodicGrid(n);
    const d = spectralDerivative(Float64Array.from(xs, (v) => Math.exp(Math.sin(v))));
    return Math.max(...d.map((v, i) => Math.abs(v - Math.cos(xs[i]) * Math.exp(Math.sin(xs[i])))));
  };
  assert.ok(err(8) > 1e-4 && err(16) < 1e-6 && err(24) < 1e-11, `geometric convergence: ${err(8)}, ${err(16)}, ${err(24)}`);
});

test('2-D spectral derivatives of exp(sin x + cos 2y) on [0, 2pi) x [0, 1)', () => {
  const nx = 40;
  const ny = 36;
  const x = periodicGrid(nx);
  const y = periodicGrid(ny, 0, 1);
  const u = new Float64Array(nx * ny);
  const ux = new Float64Array(nx * ny);
  const uyy = new Float64Array(nx * ny);
  const uxy = new Float64Array(nx * ny);
  for (let i = 0; i < nx; i++) {
    for (let j = 0; j < ny; j++) {
      const e = Math.exp(Math.sin(x[i]) + Math.cos(2 * Math.PI * y[j]));
      const gy = -2 * Math.PI * Math.sin(2 * Math.PI * y[j]);
      const gyy = -4 * Math.PI * Math.PI * Math.cos(2 * Math.PI * y[j]);
      u[i * ny + j] = e;
      ux[i * ny + j] = Math.cos(x[i]) * e;
      uyy[i * ny + j] = (gyy + gy * gy) * e;
      uxy[i * ny + j] = Math.cos(x[i]) * gy * e;
    }
  }
  const periods: [number, number] = [2 * Math.PI, 1];
  assertClose(spectralDerivative2d(u, nx, ny, [1, 0], periods), ux, { atol: 1e-11 }, 'u_x');
  assertClose(spectralDerivative2d(u, nx, ny, [0, 2], periods), uyy, { atol: 1e-9 }, 'u_yy');
  assertClose(spectralDerivative2d(u, nx, ny, [1, 1], periods), uxy, { atol: 1e-10 }, 'u_xy');
});

test('wavenumbers follow numpy.fft.fftfreq * 2 pi / d; the 2/3 mask keeps |k| < n/3', () => {
  assert.deepEqual(Array.from(wavenumbers(5, 5)), [0, 1, 2, -2, -1].map((k) => (2 * Math.PI * k) / 5));
  assert.deepEqual(Array.from(wavenumbers(6)), [0, 1, 2, -3, -2, -1]);
  assert.deepEqual(Array.from(dealiasMask(6)), [1, 1, 0, 0, 0, 1]);
});

test('trigonometric interpolation is exact for band-limited data, in 1-D and 2-D', () => {
  const f = (v: number) => 1 + Math.sin(v) - 0.5 * Math.cos(4 * v + 0.3);
  const g1 = new Periodic1d(16);
  const xs = [0.1, 1.7, 3.3, 5.9, -2];
  assertClose(fourierInterpolate(Float64Array.from(g1.x, f), xs), xs.map(f), { atol: 1e-14 }, '1-D');
  const s = g1.spectrum(f);
  assertClose(g1.evaluate(s.re, s.im, xs), xs.map(f), { atol: 1e-14 }, 'Periodic1d.evaluate');
  const h = (x: number, y: number) => Math.sin(x + 2 * y) + Math.cos(3 * x) * Math.sin(y) + 0.25;
  const g2 = new Periodic2d(12, { period: 2 * Math.PI });
  const s2 = g2.spectrum(h);
  const px = [0.3, 2.2, 4.4];
  const py = [1.1, 5.0];
  const want = px.flatMap((a) => py.map((b) => h(a, b)));
  assertClose(g2.evaluateTensor(s2.re, s2.im, px, py), want, { atol: 1e-14 }, 'Periodic2d.evaluateTensor');
  assertClose(g2.evaluatePoints(s2.re, s2.im, [0.3, 4.4], [1.1, 5.0]), [h(0.3, 1.1), h(4.4, 5.0)], { atol: 1e-14 }, 'evaluatePoints');
  // on its own grid the interpolant reproduces the samples, Nyquist modes included
  const noisy = Float64Array.from({ length: 144 }, (_, p) => Math.sin(p * 1.3) + ((p * 7) % 5));
  const sn = g2.spectrum(noisy);
  assertClose(g2.evaluateTensor(sn.re, sn.im, g2.x, g2.x), noisy, { atol: 1e-12 }, 'grid reproduction');
  // complex interpolation
  const n = 10;
  const re = Float64Array.from({ length: n }, (_, j) => Math.cos((2 * Math.PI * 2 * j) / n));
  const im = Float64Array.from({ length: n }, (_, j) => Math.sin((2 * Math.PI * 2 * j) / n));
  fftPlan(n).forward(re, im);
  const z = evaluateSpectrum(re, im, [0.4]);
  assertClose([z.re[0], z.im[0]], [Math.cos(0.8), Math.sin(0.8)], { atol: 1e-14 }, 'e^{2ix}');
});
