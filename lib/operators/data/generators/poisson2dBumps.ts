/**
 * Poisson problems with localised sources sampled at clustered, non-uniform
 * points, the small stand-in for NUNO's non-uniform data: -Laplacian u = f on
 * (0, 1)^2, u = 0 on the boundary, f a sum of narrow Gaussian bumps whose
 * centres fall in one region, where most sample points also lie.
 *
 * `PoissonBumps` factors the 5-point matrix on an s x s node grid once (band
 * Cholesky) and solves each sample; `clusteredPoints` draws the point cloud;
 * `bilinearAt` reads node fields at the points.
 */
import { diffusionOperator2d, embedInterior } from '../../../pde/numerics/sparse.js';
import { BandedCholesky } from '../../../pde/numerics/banded.js';
import { Rng } from '../../../pde/numerics/random.js';

export interface BumpsOptions {
  /** Nodes per side of the solver grid, boundary included (default 65). */
  s?: number;
  /** Number of bumps (default 3), their width (default 0.04) and the disc their centres fall in (default centre (0.3, 0.3), radius 0.15). */
  bumps?: number;
  width?: number;
  centre?: [number, number];
  radius?: number;
}

export class PoissonBumps {
  readonly s: number;
  private readonly chol: BandedCholesky;
  private readonly opts: Required<Omit<BumpsOptions, 's'>>;

  constructor({ s = 65, bumps = 3, width = 0.04, centre = [0.3, 0.3], radius = 0.15 }: BumpsOptions = {}) {
    if (!Number.isInteger(s) || s < 5) throw new Error(`PoissonBumps: s must be an integer >= 5, got ${s}`);
    this.s = s;
    this.opts = { bumps, width, centre, radius };
    this.chol = new BandedCholesky(diffusionOperator2d({ nx: s, ny: s }));
  }

  /** The source f and solution u on the s x s nodes (row-major, axis 0 = x) for a seed. */
  sample(seed: number): { f: Float64Array; u: Float64Array } {
    const { s } = this;
    const { bumps, width, centre, radius } = this.opts;
    const rng = new Rng(seed);
    const list = Array.from({ length: bumps }, () => {
      const r = radius * Math.sqrt(rng.uniform());
      const t = 2 * Math.PI * rng.uniform();
      return { x: centre[0] + r * Math.cos(t), y: centre[1] + r * Math.sin(t), amp: (0.5 + rng.uniform()) * (rng.uniform() < 0.5 ? -1 : 1) * 100 };
    });
    const f = new Float64Array(s * s);
    for (let i = 0; i < s; i++) for (let j = 0; j < s; j++) {
      const x = i / (s - 1);
      const y = j / (s - 1);
      f[i * s + j] = list.reduce((acc, b) => acc + b.amp * Math.exp(-((x - b.x) ** 2 + (y - b.y) ** 2) / (2 * width * width)), 0);
    }
    const interior = new Float64Array((s - 2) * (s - 2));
    for (let i = 1; i < s - 1; i++) for (let j = 1; j < s - 1; j++) interior[(i - 1) * (s - 2) + j - 1] = f[i * s + j];
    return { f, u: embedInterior(this.chol.solve(interior), s, s) };
  }
}

/**
 * n points of the unit square, row-major [n, 2]: a fraction `clustered` drawn
 * from a Gaussian around `centre` (std `spread`, kept inside the square), the
 * rest uniform.
 */
export function clusteredPoints(n: number, seed: number, { clustered = 0.7, centre = [0.3, 0.3] as [number, number], spread = 0.12 } = {}): Float64Array {
  const rng = new Rng(seed);
  const out = new Float64Array(2 * n);
  for (let p = 0; p < n; p++) {
    let x: number;
    let y: number;
    if (p < clustered * n) {
      do {
        x = centre[0] + spread * rng.normal();
        y = centre[1] + spread * rng.normal();
      } while (x <= 0 || x >= 1 || y <= 0 || y >= 1);
    } else {
      x = rng.uniform();
      y = rng.uniform();
    }
    out[2 * p] = x;
    out[2 * p + 1] = y;
  }
  return out;
}

/** Bilinear interpolation of an s x s node field on [0, 1]^2 at points [n, 2]. */
export function bilinearAt(field: ArrayLike<number>, s: number, points: ArrayLike<number>): Float64Array {
  const n = points.length / 2;
  return Float64Array.from({ length: n }, (_, p) => {
    const u = Math.min(points[2 * p] * (s - 1), s - 1 - 1e-12);
    const v = Math.min(points[2 * p + 1] * (s - 1), s - 1 - 1e-12);
    const i = Math.floor(u);
    const j = Math.floor(v);
    const a = u - i;
    const b = v - j;
    return (1 - a) * (1 - b) * field[i * s + j] + a * (1 - b) * field[(i + 1) * s + j] + (1 - a) * b * field[i * s + j + 1] + a * b * field[(i + 1) * s + j + 1];
  });
}
