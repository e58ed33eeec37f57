/**
 * Float64 fast Fourier transforms on split real/imaginary Float64Arrays.
 *
 * Conventions follow numpy.fft ("backward" normalisation): forward transforms
 * are unscaled, X_k = sum_j x_j exp(-2 pi i j k / n); inverse transforms carry
 * the 1/n. Power-of-two sizes use an iterative radix-2 transform; every other
 * size goes through Bluestein's chirp-z algorithm on a power-of-two grid, so
 * any n >= 1 works at O(n log n).
 *
 * Plans (twiddles, bit reversal, scratch) are cached per size: `fftPlan(n)`.
 * 2-D arrays are row-major with shape [nx, ny] (axis 0 = x, axis 1 = y is
 * contiguous), the layout of numpy with indexing='ij'.
 */

export interface ComplexArray {
  re: Float64Array;
  im: Float64Array;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

function checkSize(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 1) throw new Error(`${what}: size must be a positive integer, got ${n}`);
}

/** An in-place complex FFT of one fixed size. */
export interface FFTPlan {
  readonly n: number;
  /** In-place forward transform (unscaled). */
  forward(re: Float64Array, im: Float64Array): void;
  /** In-place inverse transform (scaled by 1/n). */
  inverse(re: Float64Array, im: Float64Array): void;
}

/** Iterative radix-2 Cooley–Tukey with a precomputed twiddle table. */
class Radix2Plan implements FFTPlan {
  readonly n: number;
  private readonly rev: Uint32Array;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;

  constructor(n: number) {
    this.n = n;
    const bits = Math.round(Math.log2(n));
    this.rev = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      let r = 0;
      for (let b = 0, v = i; b < bits; b++, v >>= 1) r = (r << 1) | (v & 1);
      this.rev[i] = r;
    }
    const half = n >> 1;
    this.cos = new Float64Array(half);
    this.sin = new Float64Array(half);
    for (let k = 0; k < half; k++) {
      // exp(-2 pi i k / n), computed directly (not by recurrence) to keep full accuracy
      this.cos[k] = Math.cos((2 * Math.PI * k) / n);
      this.sin[k] = -Math.sin((2 * Math.PI * k) / n);
    }
  }

  forward(re: Float64Array, im: Float64Array): void {
    this.transform(re, im, 1);
  }

  inverse(re: Float64Array, im: Float64Array): void {
    this.transform(re, im, -1);
    const s = 1 / this.n;
    for (let i = 0; i < this.n; i++) {
      re[i] *= s;
      im[i] *= s;
    }
  }

  /** sign = 1: forward (exp(-i...)); sign = -1: unscaled inverse. */
  private transform(re: Float64Array, im: Float64Array, sign: number): void {
    const n = this.n;
    const rev = this.rev;
    for (let i = 0; i < n; i++) {
      const j = rev[i];
      if (j > i) {
        let t = re[i];
        re[i] = re[j];
        re[j] = t;
        t = im[i];
        im[i] = im[j];
        im[j] = t;
      }
    }
    if (n === 1) return;
    if (n === 2) {
      const xr = re[1];
      const xi = im[1];
      re[1] = re[0] - xr;
      im[1] = im[0] - xi;
      re[0] += xr;
      im[0] += xi;
      return;
    }
    // the first two stages fused into radix-4 butterflies (twiddles 1 and -i sign): no multiplications
    for (let s = 0; s < n; s += 4) {
      const b0r = re[s] + re[s + 1];
      const b0i = im[s] + im[s + 1];
      const b1r = re[s] - re[s + 1];
      const b1i = im[s] - im[s + 1];
      const b2r = re[s + 2] + re[s + 3];
      const b2i = im[s + 2] + im[s + 3];
      const t3r = sign * (im[s + 2] - im[s + 3]);
      const t3i = -sign * (re[s + 2] - re[s + 3]);
      re[s] = b0r + b2r;
      im[s] = b0i + b2i;
      re[s + 2] = b0r - b2r;
      im[s + 2] = b0i - b2i;
      re[s + 1] = b1r + t3r;
      im[s + 1] = b1i + t3i;
      re[s + 3] = b1r - t3r;
      im[s + 3] = b1i - t3i;
    }
    const cos = this.cos;
    const sin = this.sin;
    for (let size = 8; size <= n; size <<= 1) {
      const half = size >> 1;
      const step = n / size;
      if (half < 64) {
        // few twiddles, many blocks: load each twiddle once (the butterfly is kept inline
        // in both loop orders because this is the innermost loop of every solver)
        for (let k = 0, tw = 0; k < half; k++, tw += step) {
          const wr = cos[tw];
          const wi = sign * sin[tw];
          for (let a = k; a < n; a += size) {
            const b = a + half;
            const xr = re[b] * wr - im[b] * wi;
            const xi = re[b] * wi + im[b] * wr;
            re[b] = re[a] - xr;
            im[b] = im[a] - xi;
            re[a] += xr;
            im[a] += xi;
          }
        }
        continue;
      }
      for (let start = 0; start < n; start += size) {
        for (let k = 0, tw = 0; k < half; k++, tw += step) {
          const wr = cos[tw];
          const wi = sign * sin[tw];
          const a = start + k;
          const b = a + half;
          const xr = re[b] * wr - im[b] * wi;
          const xi = re[b] * wi + im[b] * wr;
          re[b] = re[a] - xr;
          im[b] = im[a] - xi;
          re[a] += xr;
          im[a] += xi;
        }
      }
    }
  }
}

/** Bluestein's chirp-z transform: any size n through a power-of-two convolution. */
class BluesteinPlan implements FFTPlan {
  readonly n: number;
  private readonly m: number;
  private readonly inner: Radix2Plan;
  private readonly wr: Float64Array; // chirp exp(-i pi k^2 / n)
  private readonly wi: Float64Array;
  private readonly bRe: Float64Array; // FFT of the conjugate chirp, wrapped
  private readonly bIm: Float64Array;
  private readonly ar: Float64Array;
  private readonly ai: Float64Array;

  constructor(n: number) {
    this.n = n;
    let m = 1;
    while (m < 2 * n - 1) m <<= 1;
    this.m = m;
    this.inner = getRadix2(m);
    this.wr = new Float64Array(n);
    this.wi = new Float64Array(n);
    const twoN = 2 * n;
    for (let k = 0; k < n; k++) {
      // k^2 mod 2n keeps the angle small, so the chirp is accurate for large k
      const k2 = (k * k) % twoN;
      const ang = (Math.PI * k2) / n;
      this.wr[k] = Math.cos(ang);
      this.wi[k] = -Math.sin(ang);
    }
    this.bRe = new Float64Array(m);
    this.bIm = new Float64Array(m);
    this.bRe[0] = this.wr[0];
    this.bIm[0] = -this.wi[0];
    for (let k = 1; k < n; k++) {
      this.bRe[k] = this.bRe[m - k] = this.wr[k];
      this.bIm[k] = this.bIm[m - k] = -this.wi[k];
    }
    this.inner.forward(this.bRe, this.bIm);
    this.ar = new Float64Array(m);
    this.ai = new Float64Array(m);
  }

  forward(re: Float64Array, im: Float64Array): void {
    const { n, m, wr, wi, ar, ai, bRe, bIm } = this;
    for (let k = 0; k < n; k++) {
      ar[k] = re[k] * wr[k] - im[k] * wi[k];
      ai[k] = re[k] * wi[k] + im[k] * wr[k];
    }
    ar.fill(0, n);
    ai.fill(0, n);
    this.inner.forward(ar, ai);
    for (let k = 0; k < m; k++) {
      const r = ar[k] * bRe[k] - ai[k] * bIm[k];
      ai[k] = ar[k] * bIm[k] + ai[k] * bRe[k];
      ar[k] = r;
    }
    this.inner.inverse(ar, ai);
    for (let k = 0; k < n; k++) {
      re[k] = ar[k] * wr[k] - ai[k] * wi[k];
      im[k] = ar[k] * wi[k] + ai[k] * wr[k];
    }
  }

  inverse(re: Float64Array, im: Float64Array): void {
    // ifft(x) = conj(fft(conj(x))) / n
    const n = this.n;
    for (let k = 0; k < n; k++) im[k] = -im[k];
    this.forward(re, im);
    const s = 1 / n;
    for (let k = 0; k < n; k++) {
      re[k] *= s;
      im[k] = -im[k] * s;
    }
  }
}

const radix2Cache = new Map<number, Radix2Plan>();
const planCache = new Map<number, FFTPlan>();

function getRadix2(n: number): Radix2Plan {
  let p = radix2Cache.get(n);
  if (!p) {
    p = new Radix2Plan(n);
    radix2Cache.set(n, p);
  }
  return p;
}

/** The cached complex FFT plan for size n (radix-2 when n is a power of two, else Bluestein). */
export function fftPlan(n: number): FFTPlan {
  checkSize(n, 'fftPlan');
  let p = planCache.get(n);
  if (!p) {
    p = isPowerOfTwo(n) ? getRadix2(n) : new BluesteinPlan(n);
    planCache.set(n, p);
  }
  return p;
}

function toComplex(re: ArrayLike<number>, im: ArrayLike<number> | undefined, what: string): ComplexArray {
  if (im && im.length !== re.length) {
    throw new Error(`${what}: re and im must have the same length (got ${re.length} and ${im.length})`);
  }
  return { re: Float64Array.from(re), im: im ? Float64Array.from(im) : new Float64Array(re.length) };
}

/** Forward complex FFT, out of place: X_k = sum_j x_j e^{-2 pi i jk/n}. */
export function fft(re: ArrayLike<number>, im?: ArrayLike<number>): ComplexArray {
  const z = toComplex(re, im, 'fft');
  fftPlan(z.re.length).forward(z.re, z.im);
  return z;
}

/** Inverse complex FFT, out of place, scaled by 1/n. */
export function ifft(re: ArrayLike<number>, im?: ArrayLike<number>): ComplexArray {
  const z = toComplex(re, im, 'ifft');
  fftPlan(z.re.length).inverse(z.re, z.im);
  return z;
}

/**
 * Transform of a real sequence of one fixed size, returning the n/2+1
 * non-negative frequencies. Even sizes use one complex FFT of size n/2.
 */
export class RealFFTPlan {
  readonly n: number;
  /** Number of complex outputs, floor(n/2) + 1. */
  readonly nOut: number;
  private readonly half: FFTPlan | null;
  private readonly full: FFTPlan | null;
  private readonly zr: Float64Array;
  private readonly zi: Float64Array;
  private readonly tc: Float64Array; // cos(2 pi k / n)
  private readonly ts: Float64Array; // sin(2 pi k / n)

  constructor(n: number) {
    checkSize(n, 'RealFFTPlan');
    this.n = n;
    this.nOut = Math.floor(n / 2) + 1;
    if (n % 2 === 0 && n >= 2) {
      const h = n / 2;
      this.half = fftPlan(h);
      this.full = null;
      this.zr = new Float64Array(h);
      this.zi = new Float64Array(h);
      this.tc = new Float64Array(h + 1);
      this.ts = new Float64Array(h + 1);
      for (let k = 0; k <= h; k++) {
        this.tc[k] = Math.cos((2 * Math.PI * k) / n);
        this.ts[k] = Math.sin((2 * Math.PI * k) / n);
      }
    } else {
      this.half = null;
      this.full = fftPlan(n);
      this.zr = new Float64Array(n);
      this.zi = new Float64Array(n);
      this.tc = this.ts = new Float64Array(0);
    }
  }

  /** X[0..n/2] of the real input x (length n), written into outRe/outIm (length nOut). */
  forward(x: ArrayLike<number>, outRe: Float64Array, outIm: Float64Array): void {
    const { n, zr, zi } = this;
    if (this.full) {
      for (let j = 0; j < n; j++) {
        zr[j] = x[j];
        zi[j] = 0;
      }
      this.full.forward(zr, zi);
      for (let k = 0; k < this.nOut; k++) {
        outRe[k] = zr[k];
        outIm[k] = zi[k];
      }
      return;
    }
    const h = n / 2;
    for (let j = 0; j < h; j++) {
      zr[j] = x[2 * j];
      zi[j] = x[2 * j + 1];
    }
    this.half!.forward(zr, zi);
    const { tc, ts } = this;
    for (let k = 0; k <= h; k++) {
      const a = k % h;
      const b = (h - k) % h;
      // even part E_k = (Z_k + conj Z_{h-k})/2, odd part O_k = (Z_k - conj Z_{h-k})/(2i)
      const er = 0.5 * (zr[a] + zr[b]);
      const ei = 0.5 * (zi[a] - zi[b]);
      const or = 0.5 * (zi[a] + zi[b]);
      const oi = -0.5 * (zr[a] - zr[b]);
      // X_k = E_k + e^{-2 pi i k/n} O_k
      outRe[k] = er + tc[k] * or + ts[k] * oi;
      outIm[k] = ei + tc[k] * oi - ts[k] * or;
    }
  }

  /**
   * Real sequence (length n) whose transform has the given non-negative
   * frequencies; scaled by 1/n like numpy.fft.irfft. The imaginary parts of
   * X[0] (and of X[n/2] for even n) are ignored.
   */
  inverse(re: ArrayLike<number>, im: ArrayLike<number>, out: Float64Array): void {
    const { n, zr, zi } = this;
    if (this.full) {
      zr[0] = re[0];
      zi[0] = 0;
      for (let k = 1; k < this.nOut; k++) {
        zr[k] = re[k];
        zi[k] = im[k];
        zr[n - k] = re[k];
        zi[n - k] = -im[k];
      }
      this.full.inverse(zr, zi);
      for (let j = 0; j < n; j++) out[j] = zr[j];
      return;
    }
    const h = n / 2;
    const { tc, ts } = this;
    for (let k = 0; k < h; k++) {
      const ar = re[k];
      const ai = k === 0 ? 0 : im[k];
      const br = re[h - k];
      const bi = h - k === h || h - k === 0 ? 0 : -im[h - k]; // conj X_{h-k}
      const er = 0.5 * (ar + br);
      const ei = 0.5 * (ai + bi);
      // O_k = (X_k - conj X_{h-k}) e^{+2 pi i k/n} / 2
      const dr = 0.5 * (ar - br);
      const di = 0.5 * (ai - bi);
      const or = dr * tc[k] - di * ts[k];
      const oi = dr * ts[k] + di * tc[k];
      // Z_k = E_k + i O_k
      zr[k] = er - oi;
      zi[k] = ei + or;
    }
    this.half!.inverse(zr, zi);
    for (let j = 0; j < h; j++) {
      out[2 * j] = zr[j];
      out[2 * j + 1] = zi[j];
    }
  }
}

const realPlanCache = new Map<number, RealFFTPlan>();

/** The cached real-input FFT plan for size n. */
export function rfftPlan(n: number): RealFFTPlan {
  let p = realPlanCache.get(n);
  if (!p) {
    p = new RealFFTPlan(n);
    realPlanCache.set(n, p);
  }
  return p;
}

/** numpy.fft.rfft: the floor(n/2)+1 non-negative frequencies of a real sequence. */
export function rfft(x: ArrayLike<number>): ComplexArray {
  const p = rfftPlan(x.length);
  const out = { re: new Float64Array(p.nOut), im: new Float64Array(p.nOut) };
  p.forward(x, out.re, out.im);
  return out;
}

/** numpy.fft.irfft: the real sequence of length n with the given non-negative frequencies. */
export function irfft(re: ArrayLike<number>, im: ArrayLike<number>, n?: number): Float64Array {
  const len = n ?? 2 * (re.length - 1);
  const p = rfftPlan(len);
  if (re.length < p.nOut || im.length < p.nOut) {
    throw new Error(`irfft: need ${p.nOut} coefficients for n = ${len}, got ${re.length}`);
  }
  const out = new Float64Array(len);
  p.inverse(re, im, out);
  return out;
}

function check2d(len: number, nx: number, ny: number, what: string): void {
  checkSize(nx, what);
  checkSize(ny, what);
  if (len !== nx * ny) throw new Error(`${what}: array length ${len} does not match shape [${nx}, ${ny}]`);
}

/**
 * Applies a complex FFT along axis 0 of a row-major [nx, cols] array, in
 * place, one column at a time through the scratch buffers tr, ti (length nx).
 */
function transformColumns(plan: FFTPlan, re: Float64Array, im: Float64Array, cols: number, inverse: boolean, tr: Float64Array, ti: Float64Array): void {
  const nx = plan.n;
  for (let c = 0; c < cols; c++) {
    for (let i = 0, p = c; i < nx; i++, p += cols) {
      tr[i] = re[p];
      ti[i] = im[p];
    }
    if (inverse) plan.inverse(tr, ti);
    else plan.forward(tr, ti);
    for (let i = 0, p = c; i < nx; i++, p += cols) {
      re[p] = tr[i];
      im[p] = ti[i];
    }
  }
}

/** In-place 2-D complex FFT of a row-major [nx, ny] array (inverse: scaled by 1/(nx ny)). */
export function fft2InPlace(re: Float64Array, im: Float64Array, nx: number, ny: number, inverse = false): void {
  check2d(re.length, nx, ny, 'fft2');
  check2d(im.length, nx, ny, 'fft2');
  const plan = fftPlan(ny);
  for (let i = 0; i < nx; i++) {
    const r = re.subarray(i * ny, (i + 1) * ny);
    const m = im.subarray(i * ny, (i + 1) * ny);
    if (inverse) plan.inverse(r, m);
    else plan.forward(r, m);
  }
  transformColumns(fftPlan(nx), re, im, ny, inverse, new Float64Array(nx), new Float64Array(nx));
}

/** 2-D complex FFT, out of place. */
export function fft2(re: ArrayLike<number>, im: ArrayLike<number> | undefined, nx: number, ny: number): ComplexArray {
  const z = toComplex(re, im, 'fft2');
  fft2InPlace(z.re, z.im, nx, ny, false);
  return z;
}

/** 2-D inverse complex FFT, out of place, scaled by 1/(nx ny). */
export function ifft2(re: ArrayLike<number>, im: ArrayLike<number> | undefined, nx: number, ny: number): ComplexArray {
  const z = toComplex(re, im, 'ifft2');
  fft2InPlace(z.re, z.im, nx, ny, true);
  return z;
}

/**
 * A reusable 2-D real FFT of shape [nx, ny]: the spectrum has shape
 * [nx, ny/2+1] (full frequencies along x, non-negative ones along y), as
 * numpy.fft.rfft2. Holds its own scratch, so repeated calls allocate nothing.
 */
export class RealFFT2Plan {
  readonly nx: number;
  readonly ny: number;
  /** Columns of the half spectrum, floor(ny/2)+1. */
  readonly nyOut: number;
  private readonly rowPlan: RealFFTPlan;
  private readonly colPlan: FFTPlan;
  private readonly tr: Float64Array;
  private readonly ti: Float64Array;

  constructor(nx: number, ny: number) {
    checkSize(nx, 'RealFFT2Plan');
    checkSize(ny, 'RealFFT2Plan');
    this.nx = nx;
    this.ny = ny;
    this.rowPlan = rfftPlan(ny);
    this.nyOut = this.rowPlan.nOut;
    this.colPlan = fftPlan(nx);
    this.tr = new Float64Array(nx);
    this.ti = new Float64Array(nx);
  }

  /** Spectrum of the real field x ([nx, ny]) into outRe/outIm ([nx, nyOut]). */
  forward(x: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
    const { nx, ny, nyOut } = this;
    for (let i = 0; i < nx; i++) {
      this.rowPlan.forward(
        x.subarray(i * ny, (i + 1) * ny),
        outRe.subarray(i * nyOut, (i + 1) * nyOut),
        outIm.subarray(i * nyOut, (i + 1) * nyOut),
      );
    }
    this.columns(outRe, outIm, false);
  }

  /**
   * Real field ([nx, ny]) from its half spectrum; scaled by 1/(nx ny). The
   * input spectrum is left untouched (the plan works on a copy).
   */
  inverse(re: Float64Array, im: Float64Array, out: Float64Array, scratchRe?: Float64Array, scratchIm?: Float64Array): void {
    const { nx, ny, nyOut } = this;
    const wr = scratchRe ?? new Float64Array(nx * nyOut);
    const wi = scratchIm ?? new Float64Array(nx * nyOut);
    wr.set(re.subarray(0, nx * nyOut));
    wi.set(im.subarray(0, nx * nyOut));
    this.columns(wr, wi, true);
    for (let i = 0; i < nx; i++) {
      this.rowPlan.inverse(
        wr.subarray(i * nyOut, (i + 1) * nyOut),
        wi.subarray(i * nyOut, (i + 1) * nyOut),
        out.subarray(i * ny, (i + 1) * ny),
      );
    }
  }

  private columns(re: Float64Array, im: Float64Array, inverse: boolean): void {
    transformColumns(this.colPlan, re, im, this.nyOut, inverse, this.tr, this.ti);
  }
}

/** numpy.fft.rfft2 of a real row-major [nx, ny] field: spectrum of shape [nx, floor(ny/2)+1]. */
export function rfft2(x: ArrayLike<number>, nx: number, ny: number): ComplexArray {
  check2d(x.length, nx, ny, 'rfft2');
  const p = new RealFFT2Plan(nx, ny);
  const out = { re: new Float64Array(nx * p.nyOut), im: new Float64Array(nx * p.nyOut) };
  p.forward(Float64Array.from(x), out.re, out.im);
  return out;
}

/** numpy.fft.irfft2: real [nx, ny] field from its [nx, floor(ny/2)+1] half spectrum. */
export function irfft2(re: Float64Array, im: Float64Array, nx: number, ny: number): Float64Array {
  const p = new RealFFT2Plan(nx, ny);
  if (re.length !== nx * p.nyOut || im.length !== nx * p.nyOut) {
    throw new Error(`irfft2: spectrum must have length ${nx * p.nyOut} for shape [${nx}, ${ny}], got ${re.length}`);
  }
  const out = new Float64Array(nx * ny);
  p.inverse(re, im, out);
  return out;
}
