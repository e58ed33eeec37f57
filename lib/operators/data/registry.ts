/**
 * The registered operator-learning data sets: what each one is, its
 * parameters, sizes and seed, and how to produce one sample. Sample i is
 * drawn from its own generator seeded with seed * 1e6 + i, so any subset can
 * be regenerated independently and bit-identically.
 */
import { Rng } from '../../pde/numerics/random.js';
import { periodicGrid } from '../../pde/numerics/spectral.js';
import { PeriodicBurgersSolver, burgersInitialField } from './generators/burgers1d.js';
import { darcySample, unitNodes } from './generators/darcy2d.js';
import { NavierStokes2dSolver, navierStokesInitialVorticity } from './generators/navierStokes2d.js';
import { randomSines, evaluateSines, heatTrajectory } from './generators/heat1d.js';
import { KdVSolver } from './generators/kdv1d.js';

export interface GeneratedSample {
  /** Arrays of this sample, with the shapes declared in `sampleShapes`. */
  arrays: Record<string, Float64Array>;
  /** Per-sample metadata values (numbers). */
  meta: Record<string, number>;
}

export interface DatasetSpec {
  name: string;
  description: string;
  /** Committed to the repository (true) or generated on first use into the cache (false). */
  shipped: boolean;
  nTrain: number;
  nTest: number;
  seed: number;
  params: Record<string, unknown>;
  input: string;
  output: string;
  /** Shape of each array for one sample. */
  sampleShapes: Record<string, number[]>;
  coords(): Record<string, number[]>;
  /** Builds the per-sample generator (solvers are set up once). */
  sampler(): (index: number, seed: number) => GeneratedSample;
}

export function sampleSeed(seed: number, index: number): number {
  return seed * 1_000_000 + index;
}

const burgers1d: DatasetSpec = {
  name: 'burgers1d',
  description: "1-D viscous Burgers u0 -> u(T=1) on 128 periodic points (FNO's setup: nu = 0.1, u0 ~ GRF sigma=25, tau=5, gamma=2)",
  shipped: true,
  nTrain: 1000,
  nTest: 200,
  seed: 1,
  params: { equation: 'u_t + (u^2/2)_x = nu u_xx, x in [0, 1) periodic', nu: 0.1, T: 1, n: 128, dt: 1e-3, grf: { sigma: 25, tau: 5, gamma: 2, kMax: 63 }, method: 'Fourier pseudo-spectral ETDRK4' },
  input: 'u0',
  output: 'uT',
  sampleShapes: { u0: [128], uT: [128] },
  coords: () => ({ x: Array.from(periodicGrid(128, 0, 1)) }),
  sampler() {
    const solver = new PeriodicBurgersSolver(128, 0.1, 1e-3);
    return (_i, seed) => {
      const u0 = burgersInitialField(128, seed, { sigma: 25, tau: 5, gamma: 2 }, 63);
      const [uT] = solver.solve(u0, [1]);
      return { arrays: { u0, uT }, meta: {} };
    };
  },
};

const darcy2d: DatasetSpec = {
  name: 'darcy2d',
  description: "2-D Darcy flow a -> u on 33 x 33 nodes of [0, 1]^2 (FNO's setup: -div(a grad u) = 1, u = 0 on the boundary, a in {12, 3} from a thresholded GRF alpha=2, tau=3)",
  shipped: true,
  nTrain: 400,
  nTest: 100,
  seed: 2,
  params: { equation: '-div(a grad u) = f, u = 0 on the boundary of (0, 1)^2', f: 1, s: 33, refinement: 2, alpha: 2, tau: 3, high: 12, low: 3, method: 'conservative 5-point finite differences on 65 x 65 nodes, band Cholesky, sampled every 2nd node' },
  input: 'a',
  output: 'u',
  sampleShapes: { a: [33, 33], u: [33, 33] },
  coords: () => ({ x: Array.from(unitNodes(33)), y: Array.from(unitNodes(33)) }),
  sampler() {
    return (_i, seed) => {
      const { a, u } = darcySample(seed, { s: 33, refinement: 2, alpha: 2, tau: 3, high: 12, low: 3 });
      return { arrays: { a, u }, meta: { highFraction: a.reduce((s, v) => s + (v === 12 ? 1 : 0), 0) / a.length } };
    };
  },
};

const NS_FRAMES_IN = 10;
const NS_FRAMES_OUT = 11;

/** Reorders [t][x][y] frames into one channels-last [x, y, t] block. */
function channelsLast(frames: Float64Array[], n: number): Float64Array {
  const T = frames.length;
  const out = new Float64Array(n * n * T);
  for (let t = 0; t < T; t++) for (let p = 0; p < n * n; p++) out[p * T + t] = frames[t][p];
  return out;
}

const ns2d: DatasetSpec = {
  name: 'ns2d',
  description: "2-D Navier-Stokes vorticity w(t=0..9) -> w(t=10..20) on a 32 x 32 periodic grid (FNO's setup: nu = 1e-3, forcing 0.1(sin 2pi(x+y) + cos 2pi(x+y)), w0 ~ GRF alpha=2.5, tau=7)",
  shipped: false,
  nTrain: 200,
  nTest: 50,
  seed: 3,
  params: { equation: 'w_t + u.grad(w) = nu Laplacian(w) + f, -Laplacian(psi) = w, u = (psi_y, -psi_x), periodic [0, 1)^2', nu: 1e-3, n: 32, dt: 0.01, T: 20, frames: 't = 0, 1, ..., 20', grf: { alpha: 2.5, tau: 7, kMax: 10 }, method: 'pseudo-spectral, 2/3 dealiasing, Crank-Nicolson + Adams-Bashforth 2', layout: '[x, y, t] (channels last)' },
  input: 'wIn',
  output: 'wOut',
  sampleShapes: { wIn: [32, 32, NS_FRAMES_IN], wOut: [32, 32, NS_FRAMES_OUT] },
  coords: () => ({ x: Array.from(periodicGrid(32, 0, 1)), y: Array.from(periodicGrid(32, 0, 1)), tIn: Array.from({ length: NS_FRAMES_IN }, (_, i) => i), tOut: Array.from({ length: NS_FRAMES_OUT }, (_, i) => NS_FRAMES_IN + i) }),
  sampler() {
    const solver = new NavierStokes2dSolver(32, { nu: 1e-3, dt: 0.01 });
    const times = Array.from({ length: NS_FRAMES_IN + NS_FRAMES_OUT }, (_, i) => i);
    return (_i, seed) => {
      const w0 = navierStokesInitialVorticity(32, seed, { alpha: 2.5, tau: 7, kMax: 10 });
      const frames = solver.solve(w0, times);
      return { arrays: { wIn: channelsLast(frames.slice(0, NS_FRAMES_IN), 32), wOut: channelsLast(frames.slice(NS_FRAMES_IN), 32) }, meta: {} };
    };
  },
};

const HEAT_NX = 64;
const HEAT_NT = 32;
const HEAT_T = 4;

const heat1d: DatasetSpec = {
  name: 'heat1d',
  description: '1-D heat trajectories u_t = nu u_xx on [0, 2pi) periodic, 32 frames x 64 points, random-sines initial data, nu ~ U[0.01, 0.1] (exact)',
  shipped: false,
  nTrain: 512,
  nTest: 128,
  seed: 4,
  params: { equation: 'u_t = nu u_xx, x in [0, 2 pi) periodic', nx: HEAT_NX, nt: HEAT_NT, T: HEAT_T, nu: [0.01, 0.1], initial: 'sum of 5 sines A sin(l x + phi), A ~ U[-0.5, 0.5], l in {1, 2, 3}, phi ~ U[0, 2 pi)', method: 'exact Fourier solution', layout: 'u: [t, x]' },
  input: 'u0',
  output: 'u',
  sampleShapes: { u0: [HEAT_NX], u: [HEAT_NT, HEAT_NX], nu: [1] },
  coords: () => ({ x: Array.from(periodicGrid(HEAT_NX)), t: Array.from({ length: HEAT_NT }, (_, i) => (HEAT_T * i) / (HEAT_NT - 1)) }),
  sampler() {
    const x = periodicGrid(HEAT_NX);
    const t = Array.from({ length: HEAT_NT }, (_, i) => (HEAT_T * i) / (HEAT_NT - 1));
    return (_i, seed) => {
      const rng = new Rng(seed);
      const nu = 0.01 + 0.09 * rng.uniform();
      const s = randomSines(rng);
      return { arrays: { u0: evaluateSines(s, x), u: heatTrajectory(s, nu, x, t), nu: Float64Array.of(nu) }, meta: { nu } };
    };
  },
};

const KDV_L = 128;
const KDV_NX = 128;
const KDV_NT = 26;
const KDV_T = 100;

const kdv1d: DatasetSpec = {
  name: 'kdv1d',
  description: '1-D KdV trajectories u_t + u u_x + u_xxx = 0 on [0, 128) periodic, 26 frames (t = 0..100) x 128 points, random-sines initial data',
  shipped: false,
  nTrain: 256,
  nTest: 64,
  seed: 5,
  params: { equation: 'u_t + u u_x + u_xxx = 0, x in [0, 128) periodic', L: KDV_L, nx: KDV_NX, nt: KDV_NT, T: KDV_T, solverPoints: 256, dt: 0.02, initial: 'sum of 5 sines A sin(2 pi l x / L + phi), A ~ U[-0.5, 0.5], l in {1, 2, 3}, phi ~ U[0, 2 pi)', method: 'Fourier pseudo-spectral ETDRK4 on 256 points, every 2nd point stored', layout: 'u: [t, x]' },
  input: 'u0',
  output: 'u',
  sampleShapes: { u0: [KDV_NX], u: [KDV_NT, KDV_NX] },
  coords: () => ({ x: Array.from(periodicGrid(KDV_NX, 0, KDV_L)), t: Array.from({ length: KDV_NT }, (_, i) => (KDV_T * i) / (KDV_NT - 1)) }),
  sampler() {
    const solver = new KdVSolver(256, KDV_L, 0.02);
    const t = Array.from({ length: KDV_NT }, (_, i) => (KDV_T * i) / (KDV_NT - 1));
    return (_i, seed) => {
      const s = randomSines(new Rng(seed));
      const frames = solver.solve(evaluateSines(s, solver.grid.x, KDV_L), t);
      const u = new Float64Array(KDV_NT * KDV_NX);
      frames.forEach((f, p) => {
        for (let j = 0; j < KDV_NX; j++) u[p * KDV_NX + j] = f[2 * j];
      });
      return { arrays: { u0: u.slice(0, KDV_NX), u }, meta: {} };
    };
  },
};

/** Every registered data set, by name. */
export const DATASETS: Readonly<Record<string, DatasetSpec>> = Object.freeze({ burgers1d, darcy2d, ns2d, heat1d, kdv1d });

export function datasetSpec(name: string): DatasetSpec {
  const spec = DATASETS[name];
  if (!spec) throw new Error(`unknown data set '${name}'; available: ${Object.keys(DATASETS).join(', ')}`);
  return spec;
}
