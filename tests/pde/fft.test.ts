import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose } from '../helpers.js';
import { Rng, fft, ifft, rfft, irfft, fft2, ifft2, rfft2, irfft2, fftPlan } from '../../lib/pde/numerics/index.js';

/** O(n^2) DFT with exactly reduced angles, the definition the FFT must reproduce. */
function naiveDft(re: Float64Array, im: Float64Array): { re: Float64Array; im: Float64Array } {
  const n = re.length;
  const R = new Float64Array(n);
  const I = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let j = 0; j < n; j++) {
      const a = (-2 * Math.PI * ((j * k) % n)) / n;
      sr += re[j] * Math.cos(a) - im[j] * Math.sin(a);
      si += re[j] * Math.sin(a) + im[j] * Math.cos(a);
    }
    R[k] = sr;
    I[k] = si;
  }
  return { re: R, im: I };
}

const sizes = [1, 2, 3, 4, 5, 7, 8, 12, 16, 17, 30, 64, 97, 100, 128, 243, 256];

test('complex FFT matches the naive DFT for power-of-two and other sizes (radix-2 and Bluestein)', () => {
  const rng = new Rng(11);
  for (const n of sizes) {
    const re = rng.normals(n);
    const im = rng.normals(n);
    const got = fft(re, im);
    const want = naiveDft(re, im);
    const tol = { rtol: 0, atol: 1e-12 * Math.max(1, n) };
    assertClose(got.re, want.re, tol, `fft(n=${n}).re`);
    assertClose(got.im, want.im, tol, `fft(n=${n}).im`);
    const back = ifft(got.re, got.im);
    assertClose(back.re, re, { rtol: 0, atol: 1e-13 }, `ifft(fft) n=${n}`);
    assertClose(back.im, im, { rtol: 0, atol: 1e-13 }, `ifft(fft) n=${n}`);
  }
});

test('FFT of known signals: delta, constant, single mode', () => {
  const n = 24;
  const delta = new Float64Array(n);
  delta[0] = 1;
  assertClose(fft(delta).re, new Float64Array(n).fill(1), { atol: 1e-15 }, 'fft(delta)');
  const mode = Float64Array.from({ length: n }, (_, j) => Math.cos((2 * Math.PI * 5 * j) / n));
  const X = fft(mode);
  const want = new Float64Array(n);
  want[5] = want[n - 5] = n / 2;
  assertClose(X.re, want, { atol: 1e-13 }, 'fft(cos 5x).re');
  assertClose(X.im, new Float64Array(n), { atol: 1e-13 }, 'fft(cos 5x).im');
});

test('rfft equals the first n/2+1 complex FFT outputs and irfft inverts it (even and odd n)', () => {
  const rng = new Rng(12);
  for (const n of [2, 3, 6, 9, 16, 50, 64, 101, 128]) {
    const x = rng.normals(n);
    const full = naiveDft(x, new Float64Array(n));
    const half = rfft(x);
    assert.equal(half.re.length, Math.floor(n / 2) + 1);
    const tol = { rtol: 0, atol: 1e-12 * n };
    assertClose(half.re, full.re.subarray(0, half.re.length), tol, `rfft(n=${n}).re`);
    assertClose(half.im, full.im.subarray(0, half.im.length), tol, `rfft(n=${n}).im`);
    assertClose(irfft(half.re, half.im, n), x, { rtol: 0, atol: 1e-13 }, `irfft(rfft) n=${n}`);
  }
});

test('2-D FFTs: fft2 is separable DFTs, rfft2 is its half spectrum, inverses round-trip', () => {
  const rng = new Rng(13);
  for (const [nx, ny] of [[4, 6], [8, 8], [5, 12], [16, 9]]) {
    const x = rng.normals(nx * ny);
    // reference: DFT along rows then along columns
    const rows = Array.from({ length: nx }, (_, i) => naiveDft(x.slice(i * ny, (i + 1) * ny), new Float64Array(ny)));
    const ref = { re: new Float64Array(nx * ny), im: new Float64Array(nx * ny) };
    for (let j = 0; j < ny; j++) {
      const col = naiveDft(Float64Array.from(rows, (r) => r.re[j]), Float64Array.from(rows, (r) => r.im[j]));
      for (let i = 0; i < nx; i++) {
        ref.re[i * ny + j] = col.re[i];
        ref.im[i * ny + j] = col.im[i];
      }
    }
    const got = fft2(x, undefined, nx, ny);
    assertClose(got.re, ref.re, { rtol: 0, atol: 1e-11 }, `fft2 ${nx}x${ny}`);
    assertClose(got.im, ref.im, { rtol: 0, atol: 1e-11 }, `fft2 ${nx}x${ny}`);
    assertClose(ifft2(got.re, got.im, nx, ny).re, x, { rtol: 0, atol: 1e-13 }, 'ifft2(fft2)');
    const h = rfft2(x, nx, ny);
    const m = Math.floor(ny / 2) + 1;
    for (let i = 0; i < nx; i++) {
      for (let j = 0; j < m; j++) {
        assert.ok(Math.abs(h.re[i * m + j] - ref.re[i * ny + j]) < 1e-11, `rfft2 re [${i},${j}]`);
        assert.ok(Math.abs(h.im[i * m + j] - ref.im[i * ny + j]) < 1e-11, `rfft2 im [${i},${j}]`);
      }
    }
    assertClose(irfft2(h.re, h.im, nx, ny), x, { rtol: 0, atol: 1e-13 }, 'irfft2(rfft2)');
  }
});

test('FFT errors name the bad argument', () => {
  assert.throws(() => fftPlan(0), /size must be a positive integer/);
  assert.throws(() => fft([1, 2], [1]), /same length/);
  assert.throws(() => rfft2([1, 2, 3], 2, 2), /does not match shape/);
});
