/**
 * Domains of PDE problems, DeepXDE-style: a geometry maps points of a unit cube onto
 * its interior or its boundary (so any unit-cube sampler, uniform, Latin hypercube or
 * Sobol', samples any geometry), and knows its outward normals. Points are row-major
 * Float64Arrays [n * dim]; time-dependent domains put t first: (t, x, y, ...).
 *
 *   const omega = geometry.rectangle([0, 0], [1, 1]);
 *   const st = geometry.spaceTime(geometry.interval(-1, 1), geometry.timeDomain(0, 1));
 *   st.sample('interior', 2000, { method: 'lhs', seed: 0 });   // (t, x) points
 *   st.sample('boundary', 100);  st.sample('initial', 100);
 */
import { type Rng } from '../../backend/random.js';
import { type SamplingMethod, unitPoints } from '../sampling/unit.js';

/** Which part of a domain to sample. */
export type Part = 'interior' | 'boundary' | 'initial';

export interface SampleOptions {
  /** 'uniform' (default), 'lhs' or 'sobol'. */
  method?: SamplingMethod;
  seed?: number | Rng;
  /** Keep only points with filter(point) true (e.g. one side of the boundary); sampled until n pass. */
  filter?: (point: Float64Array) => boolean;
}

export abstract class Geometry {
  /** Number of coordinates of a point. */
  abstract readonly dim: number;
  /** Coordinate names, e.g. ['x', 'y'] or ['t', 'x']. */
  abstract readonly names: string[];
  /** Lower and upper corners of the bounding box. */
  abstract readonly bbox: [number[], number[]];
  /** Unit-cube dimension each part is drawn from (undefined: the part does not exist). */
  protected abstract unitDim(part: Part): number | undefined;
  /** Maps unit-cube points [n * unitDim(part)] onto the part. */
  protected abstract fromUnit(part: Part, u: Float64Array, n: number): Float64Array;
  /** Outward unit normals at boundary points [n * dim]. */
  abstract normals(points: Float64Array): Float64Array;
  /** Whether a point is in the closed domain (tolerance 1e-12 relative to the box). */
  abstract contains(point: ArrayLike<number>): boolean;

  /** n points of a part, sampled by `method`. */
  sample(part: Part, n: number, options: SampleOptions = {}): Float64Array {
    const k = this.unitDim(part);
    if (k === undefined) throw new Error(`${this.describe()}: has no ${part} (parts: ${this.parts().join(', ')})`);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${this.describe()}.sample: n must be a non-negative integer, got ${n}`);
    const method = options.method ?? 'uniform';
    if (options.filter === undefined) return this.fromUnit(part, unitPoints(method, n, k, options.seed), n);
    // Rejection: oversample until n points pass the filter (random methods only, so repeats differ).
    const out = new Float64Array(n * this.dim);
    let have = 0;
    for (let round = 0; have < n; round++) {
      if (round > 50) throw new Error(`${this.describe()}.sample: the filter keeps too few ${part} points (${have} of ${n} after 50 rounds)`);
      const m = Math.max(16, 2 * (n - have));
      const pts = this.fromUnit(part, unitPoints(method === 'sobol' ? 'uniform' : method, m, k, options.seed), m);
      for (let i = 0; i < m && have < n; i++) {
        const p = pts.subarray(i * this.dim, (i + 1) * this.dim);
        if (options.filter(p)) out.set(p, this.dim * have++);
      }
    }
    return out;
  }

  /** The parts this domain has. */
  parts(): Part[] {
    return (['interior', 'boundary', 'initial'] as const).filter((p) => this.unitDim(p) !== undefined);
  }

  /** An evenly spaced grid over the bounding box with `counts[i]` points along axis i (row-major, last fastest). */
  grid(counts: number[]): Float64Array {
    if (counts.length !== this.dim) throw new Error(`${this.describe()}.grid: need ${this.dim} counts, got ${counts.length}`);
    const total = counts.reduce((a, b) => a * b, 1);
    const out = new Float64Array(total * this.dim);
    const idx = new Array(this.dim).fill(0);
    const [lo, hi] = this.bbox;
    for (let p = 0; p < total; p++) {
      for (let k = 0; k < this.dim; k++) out[p * this.dim + k] = counts[k] === 1 ? lo[k] : lo[k] + ((hi[k] - lo[k]) * idx[k]) / (counts[k] - 1);
      for (let k = this.dim - 1; k >= 0; k--) {
        if (++idx[k] < counts[k]) break;
        idx[k] = 0;
      }
    }
    return out;
  }

  abstract describe(): string;
}

function checkCorners(owner: string, lo: number[], hi: number[]): void {
  if (!Array.isArray(lo) || !Array.isArray(hi) || lo.length !== hi.length || lo.length === 0) {
    throw new Error(`${owner}: lower and upper corners must be arrays of the same positive length`);
  }
  lo.forEach((a, i) => {
    if (!Number.isFinite(a) || !Number.isFinite(hi[i]) || !(a < hi[i])) throw new Error(`${owner}: need lower[${i}] < upper[${i}], finite; got ${a} and ${hi[i]}`);
  });
}

const DEFAULT_NAMES = ['x', 'y', 'z', 'w'];

/** An axis-aligned box [lo, hi] in any dimension: intervals, rectangles, cuboids. */
export class Box extends Geometry {
  readonly dim: number;
  readonly names: string[];
  readonly bbox: [number[], number[]];
  /** Measure of each face (2 per axis: low then high). */
  private readonly faces: number[];

  constructor(readonly lo: number[], readonly hi: number[], names?: string[]) {
    super();
    checkCorners('geometry.box', lo, hi);
    this.dim = lo.length;
    this.names = names ?? DEFAULT_NAMES.slice(0, this.dim);
    if (this.names.length !== this.dim) throw new Error(`geometry.box: ${this.dim} coordinates need ${this.dim} names, got ${this.names.length}`);
    this.bbox = [lo.slice(), hi.slice()];
    this.faces = [];
    for (let a = 0; a < this.dim; a++) {
      let m = 1;
      for (let b = 0; b < this.dim; b++) if (b !== a) m *= hi[b] - lo[b];
      this.faces.push(m, m);
    }
  }

  protected unitDim(part: Part): number | undefined {
    return part === 'interior' ? this.dim : part === 'boundary' ? this.dim : undefined;
  }

  protected fromUnit(part: Part, u: Float64Array, n: number): Float64Array {
    const d = this.dim;
    const out = new Float64Array(n * d);
    if (part === 'interior') {
      for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) out[i * d + k] = this.lo[k] + (this.hi[k] - this.lo[k]) * u[i * d + k];
      return out;
    }
    // Boundary: u_0 picks a face in proportion to its measure (and is reused, rescaled, as
    // the coordinate along the first free axis); the others place the point on the face.
    const total = this.faces.reduce((a, b) => a + b, 0);
    for (let i = 0; i < n; i++) {
      let s = u[i * d] * total;
      let f = 0;
      while (f < this.faces.length - 1 && s >= this.faces[f]) s -= this.faces[f++];
      const within = Math.min(s / this.faces[f], 1 - 1e-16);
      const axis = f >> 1;
      let free = 0;
      for (let k = 0; k < d; k++) {
        if (k === axis) { out[i * d + k] = f & 1 ? this.hi[k] : this.lo[k]; continue; }
        const t = free === 0 ? within : u[i * d + free];
        free++;
        out[i * d + k] = this.lo[k] + (this.hi[k] - this.lo[k]) * t;
      }
    }
    return out;
  }

  normals(points: Float64Array): Float64Array {
    const d = this.dim;
    const n = points.length / d;
    const out = new Float64Array(points.length);
    for (let i = 0; i < n; i++) {
      // the nearest face (corners: the first axis found)
      let best = Infinity;
      let axis = 0;
      let sign = -1;
      for (let k = 0; k < d; k++) {
        const x = points[i * d + k];
        const dl = Math.abs(x - this.lo[k]);
        const dh = Math.abs(this.hi[k] - x);
        if (dl < best) { best = dl; axis = k; sign = -1; }
        if (dh < best) { best = dh; axis = k; sign = 1; }
      }
      out[i * d + axis] = sign;
    }
    return out;
  }

  contains(point: ArrayLike<number>): boolean {
    for (let k = 0; k < this.dim; k++) {
      const tol = 1e-12 * (this.hi[k] - this.lo[k]);
      if (point[k] < this.lo[k] - tol || point[k] > this.hi[k] + tol) return false;
    }
    return true;
  }

  describe(): string {
    return this.dim === 1 ? `interval(${this.lo[0]}, ${this.hi[0]})` : `box([${this.lo}], [${this.hi}])`;
  }
}

/** A disk of given centre and radius. */
export class Disk extends Geometry {
  readonly dim = 2;
  readonly names: string[];
  readonly bbox: [number[], number[]];

  constructor(readonly center: [number, number], readonly radius: number, names: string[] = ['x', 'y']) {
    super();
    if (!Array.isArray(center) || center.length !== 2 || !center.every(Number.isFinite)) throw new Error(`geometry.disk: center must be [x, y], got ${JSON.stringify(center)}`);
    if (!(radius > 0) || !Number.isFinite(radius)) throw new Error(`geometry.disk: radius must be a positive number, got ${radius}`);
    this.names = names;
    this.bbox = [[center[0] - radius, center[1] - radius], [center[0] + radius, center[1] + radius]];
  }

  protected unitDim(part: Part): number | undefined {
    return part === 'interior' ? 2 : part === 'boundary' ? 1 : undefined;
  }

  protected fromUnit(part: Part, u: Float64Array, n: number): Float64Array {
    const out = new Float64Array(2 * n);
    const [cx, cy] = this.center;
    for (let i = 0; i < n; i++) {
      // area-preserving polar map: r = R sqrt(u0), theta = 2 pi u1
      const r = part === 'interior' ? this.radius * Math.sqrt(u[2 * i]) : this.radius;
      const th = 2 * Math.PI * (part === 'interior' ? u[2 * i + 1] : u[i]);
      out[2 * i] = cx + r * Math.cos(th);
      out[2 * i + 1] = cy + r * Math.sin(th);
    }
    return out;
  }

  normals(points: Float64Array): Float64Array {
    const out = new Float64Array(points.length);
    for (let i = 0; i < points.length / 2; i++) {
      const dx = points[2 * i] - this.center[0];
      const dy = points[2 * i + 1] - this.center[1];
      const r = Math.hypot(dx, dy) || 1;
      out[2 * i] = dx / r;
      out[2 * i + 1] = dy / r;
    }
    return out;
  }

  contains(point: ArrayLike<number>): boolean {
    return Math.hypot(point[0] - this.center[0], point[1] - this.center[1]) <= this.radius * (1 + 1e-12);
  }

  describe(): string {
    return `disk([${this.center}], ${this.radius})`;
  }
}

/** A time interval [t0, t1] (the time factor of a space-time domain). */
export class TimeDomain {
  constructor(readonly t0: number, readonly t1: number) {
    if (!Number.isFinite(t0) || !Number.isFinite(t1) || !(t0 < t1)) throw new Error(`geometry.timeDomain: need finite t0 < t1, got ${t0} and ${t1}`);
  }
}

/**
 * Geometry x time, points (t, x...): 'interior' is the open cylinder, 'boundary' the
 * spatial boundary at all times, 'initial' the geometry's interior at t0.
 */
export class SpaceTime extends Geometry {
  readonly dim: number;
  readonly names: string[];
  readonly bbox: [number[], number[]];

  constructor(readonly space: Geometry, readonly time: TimeDomain) {
    super();
    this.dim = space.dim + 1;
    this.names = ['t', ...space.names];
    this.bbox = [[time.t0, ...space.bbox[0]], [time.t1, ...space.bbox[1]]];
  }

  protected unitDim(part: Part): number | undefined {
    const s = this.space as unknown as { unitDim(p: Part): number | undefined };
    if (part === 'initial') return s.unitDim('interior');
    const k = s.unitDim(part);
    return k === undefined ? undefined : k + 1;
  }

  protected fromUnit(part: Part, u: Float64Array, n: number): Float64Array {
    const s = this.space as unknown as { unitDim(p: Part): number; fromUnit(p: Part, u: Float64Array, n: number): Float64Array };
    const d = this.dim;
    const out = new Float64Array(n * d);
    if (part === 'initial') {
      const x = s.fromUnit('interior', u, n);
      for (let i = 0; i < n; i++) {
        out[i * d] = this.time.t0;
        for (let k = 1; k < d; k++) out[i * d + k] = x[i * (d - 1) + k - 1];
      }
      return out;
    }
    const k = s.unitDim(part);
    const us = new Float64Array(n * k);
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) us[i * k + j] = u[i * (k + 1) + 1 + j];
    const x = s.fromUnit(part, us, n);
    for (let i = 0; i < n; i++) {
      out[i * d] = this.time.t0 + (this.time.t1 - this.time.t0) * u[i * (k + 1)];
      for (let j = 1; j < d; j++) out[i * d + j] = x[i * (d - 1) + j - 1];
    }
    return out;
  }

  normals(points: Float64Array): Float64Array {
    const d = this.dim;
    const n = points.length / d;
    const x = new Float64Array(n * (d - 1));
    for (let i = 0; i < n; i++) for (let j = 1; j < d; j++) x[i * (d - 1) + j - 1] = points[i * d + j];
    const nx = this.space.normals(x);
    const out = new Float64Array(points.length);
    for (let i = 0; i < n; i++) for (let j = 1; j < d; j++) out[i * d + j] = nx[i * (d - 1) + j - 1];
    return out;
  }

  contains(point: ArrayLike<number>): boolean {
    const tol = 1e-12 * (this.time.t1 - this.time.t0);
    if (point[0] < this.time.t0 - tol || point[0] > this.time.t1 + tol) return false;
    return this.space.contains(Array.prototype.slice.call(point, 1));
  }

  describe(): string {
    return `spaceTime(${this.space.describe()}, [${this.time.t0}, ${this.time.t1}])`;
  }
}

export const interval = (a: number, b: number, name = 'x') => new Box([a], [b], [name]);
export const rectangle = (lo: [number, number], hi: [number, number], names?: [string, string]) => new Box(lo, hi, names);
export const box = (lo: number[], hi: number[], names?: string[]) => new Box(lo, hi, names);
export const disk = (center: [number, number], radius: number) => new Disk(center, radius);
export const timeDomain = (t0: number, t1: number) => new TimeDomain(t0, t1);
export const spaceTime = (space: Geometry, time: TimeDomain) => new SpaceTime(space, time);
