/**
 * The common shape of every reference solution: float64 fields on a tensor
 * grid of named axes (for example ['t', 'x']), row-major with the last axis
 * fastest, plus metadata saying how the numbers were obtained.
 */

export interface ReferenceMeta {
  /** The PDE in words and symbols, e.g. "u_t + u u_x = nu u_xx". */
  equation: string;
  /** How the values were computed (analytic formula, method and resolution). */
  method: string;
  /** Physical and numerical parameters actually used. */
  params: Record<string, unknown>;
  /** Wall-clock seconds spent computing. */
  seconds: number;
}

export interface GridSolution {
  /** Axis names in storage order, e.g. ['t', 'x'] or ['x', 'y']. */
  axes: string[];
  /** Coordinates along each axis. */
  coords: Record<string, Float64Array>;
  /** Length of each axis, in `axes` order. */
  shape: number[];
  /** Each field as a row-major Float64Array of prod(shape) values. */
  fields: Record<string, Float64Array>;
  meta: ReferenceMeta;
}

/** n evenly spaced points from a to b inclusive (numpy.linspace). */
export function linspace(a: number, b: number, n: number): Float64Array {
  if (!Number.isInteger(n) || n < 1) throw new Error(`linspace: n must be a positive integer, got ${n}`);
  const out = new Float64Array(n);
  if (n === 1) {
    out[0] = a;
    return out;
  }
  const h = (b - a) / (n - 1);
  for (let i = 0; i < n; i++) out[i] = a + i * h;
  out[n - 1] = b;
  return out;
}

/**
 * Relative L2 error ||pred - ref|| / ||ref|| over all entries (the metric of
 * the PINN and operator-learning papers). Throws on a length mismatch and
 * when the reference is identically zero.
 */
export function relativeL2(pred: ArrayLike<number>, ref: ArrayLike<number>): number {
  if (pred.length !== ref.length) throw new Error(`relativeL2: prediction has ${pred.length} values, reference has ${ref.length}`);
  let num = 0;
  let den = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = pred[i] - ref[i];
    num += d * d;
    den += ref[i] * ref[i];
  }
  if (den === 0) throw new Error('relativeL2: the reference is identically zero; use an absolute norm');
  return Math.sqrt(num / den);
}

/** Largest absolute entrywise difference. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`maxAbsDiff: lengths differ (${a.length} vs ${b.length})`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Coerces a grid argument (array or default) to a Float64Array, checking it is finite and non-empty. */
export function gridArg(v: ArrayLike<number> | undefined, fallback: () => Float64Array, name: string): Float64Array {
  if (v === undefined) return fallback();
  if (v.length === 0) throw new Error(`${name} must contain at least one coordinate`);
  const out = Float64Array.from(v);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) throw new Error(`${name}[${i}] must be finite, got ${out[i]}`);
  }
  return out;
}

/** Checks that times are non-negative and non-decreasing (what the time steppers need). */
export function checkTimes(t: Float64Array, name = 't'): void {
  for (let i = 0; i < t.length; i++) {
    if (t[i] < 0) throw new Error(`${name}[${i}] must be >= 0, got ${t[i]}`);
    if (i > 0 && t[i] < t[i - 1]) throw new Error(`${name} must be non-decreasing; ${name}[${i}] = ${t[i]} < ${t[i - 1]}`);
  }
}

/** Evaluates f on the tensor grid of the given coordinate arrays (row-major, last fastest). */
export function tabulate(coords: Float64Array[], f: (...c: number[]) => number): Float64Array {
  return tabulateFields(coords, ['v'], (...c) => [f(...c)]).v;
}

/** Tabulates several fields at once from a function returning one value per field. */
export function tabulateFields(coords: Float64Array[], names: string[], f: (...c: number[]) => number[]): Record<string, Float64Array> {
  const shape = coords.map((c) => c.length);
  const total = shape.reduce((a, b) => a * b, 1);
  const out: Record<string, Float64Array> = {};
  for (const n of names) out[n] = new Float64Array(total);
  const idx = new Array(shape.length).fill(0);
  const args = new Array(shape.length);
  for (let p = 0; p < total; p++) {
    for (let d = 0; d < shape.length; d++) args[d] = coords[d][idx[d]];
    const v = f(...args);
    for (let q = 0; q < names.length; q++) out[names[q]][p] = v[q];
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

/**
 * The grid's points as a row-major [N, d] array, one row (t, x, ...) per
 * entry of the fields and in the same order: the input a network evaluates
 * to be compared with `fields[name]` by `relativeL2`.
 */
export function gridPoints(sol: GridSolution): Float64Array {
  const coords = sol.axes.map((a) => sol.coords[a]);
  const d = coords.length;
  const total = sol.shape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(total * d);
  const idx = new Array(d).fill(0);
  for (let p = 0; p < total; p++) {
    for (let k = 0; k < d; k++) out[p * d + k] = coords[k][idx[k]];
    for (let k = d - 1; k >= 0; k--) {
      if (++idx[k] < sol.shape[k]) break;
      idx[k] = 0;
    }
  }
  return out;
}

/** Builds a GridSolution, timing nothing (the caller passes the seconds it measured). */
export function gridSolution(
  axes: string[],
  coords: Float64Array[],
  fields: Record<string, Float64Array>,
  meta: ReferenceMeta,
): GridSolution {
  const c: Record<string, Float64Array> = {};
  axes.forEach((a, i) => (c[a] = coords[i]));
  return { axes, coords: c, shape: coords.map((x) => x.length), fields, meta };
}
