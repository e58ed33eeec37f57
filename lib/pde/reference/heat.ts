/**
 * Heat equation u_t = alpha Laplacian(u) with zero Dirichlet boundaries on
 * [0, L]^d: exact sine-series solutions (1-D and 2-D), the PINN zoo's heat
 * problems. Default 1-D setup: DeepXDE's heat demo (alpha = 0.4, L = 1,
 * u0 = sin(pi x)).
 */
import { type GridSolution, gridArg, gridSolution, linspace, tabulate } from './solution.js';

export interface SineMode1d {
  /** Mode number n in sin(n pi x / L). */
  k: number;
  /** Amplitude. */
  a: number;
}

export interface SineMode2d {
  k: [number, number];
  a: number;
}

function checkPositive(name: string, v: number): void {
  if (!(v > 0) || !Number.isFinite(v)) throw new Error(`${name} must be a positive finite number, got ${v}`);
}

/** u(t, x) = sum a e^{-alpha (k pi / L)^2 t} sin(k pi x / L). */
export function heat1dExact(t: number, x: number, { alpha = 0.4, length = 1, modes = [{ k: 1, a: 1 }] }: { alpha?: number; length?: number; modes?: SineMode1d[] } = {}): number {
  let u = 0;
  for (const { k, a } of modes) {
    const w = (k * Math.PI) / length;
    u += a * Math.exp(-alpha * w * w * t) * Math.sin(w * x);
  }
  return u;
}

/** Heat 1-D on a (t, x) grid; defaults t, x = linspace(0, 1, 101) and linspace(0, L, 201). */
export function heat1d(opts: { t?: ArrayLike<number>; x?: ArrayLike<number>; alpha?: number; length?: number; modes?: SineMode1d[] } = {}): GridSolution {
  const start = performance.now();
  const alpha = opts.alpha ?? 0.4;
  const length = opts.length ?? 1;
  const modes = opts.modes ?? [{ k: 1, a: 1 }];
  checkPositive('heat1d: alpha', alpha);
  checkPositive('heat1d: length', length);
  const t = gridArg(opts.t, () => linspace(0, 1, 101), 'heat1d: t');
  const x = gridArg(opts.x, () => linspace(0, length, 201), 'heat1d: x');
  const u = tabulate([t, x], (tt, xx) => heat1dExact(tt, xx, { alpha, length, modes }));
  return gridSolution(['t', 'x'], [t, x], { u }, {
    equation: 'u_t = alpha u_xx on (0, L), u(0) = u(L) = 0',
    method: 'exact sine series',
    params: { alpha, length, modes },
    seconds: (performance.now() - start) / 1000,
  });
}

/** u(t, x, y) = sum a e^{-alpha pi^2 (k^2 + l^2) t / L^2} sin(k pi x / L) sin(l pi y / L). */
export function heat2dExact(t: number, x: number, y: number, { alpha = 0.1, length = 1, modes = [{ k: [1, 1] as [number, number], a: 1 }] }: { alpha?: number; length?: number; modes?: SineMode2d[] } = {}): number {
  let u = 0;
  for (const { k, a } of modes) {
    const wx = (k[0] * Math.PI) / length;
    const wy = (k[1] * Math.PI) / length;
    u += a * Math.exp(-alpha * (wx * wx + wy * wy) * t) * Math.sin(wx * x) * Math.sin(wy * y);
  }
  return u;
}

/** Heat 2-D on a (t, x, y) grid of [0, L]^2; defaults 11 times in [0, 1] and 51 x 51 points. */
export function heat2d(opts: { t?: ArrayLike<number>; x?: ArrayLike<number>; y?: ArrayLike<number>; alpha?: number; length?: number; modes?: SineMode2d[] } = {}): GridSolution {
  const start = performance.now();
  const alpha = opts.alpha ?? 0.1;
  const length = opts.length ?? 1;
  const modes = opts.modes ?? [{ k: [1, 1], a: 1 }];
  checkPositive('heat2d: alpha', alpha);
  checkPositive('heat2d: length', length);
  const t = gridArg(opts.t, () => linspace(0, 1, 11), 'heat2d: t');
  const x = gridArg(opts.x, () => linspace(0, length, 51), 'heat2d: x');
  const y = gridArg(opts.y, () => linspace(0, length, 51), 'heat2d: y');
  const u = tabulate([t, x, y], (tt, xx, yy) => heat2dExact(tt, xx, yy, { alpha, length, modes }));
  return gridSolution(['t', 'x', 'y'], [t, x, y], { u }, {
    equation: 'u_t = alpha (u_xx + u_yy) on (0, L)^2, u = 0 on the boundary',
    method: 'exact sine series',
    params: { alpha, length, modes },
    seconds: (performance.now() - start) / 1000,
  });
}
