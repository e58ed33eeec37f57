/**
 * Manufactured steady problems: Poisson -Laplacian(u) = f on [0, 1]^2 and
 * Helmholtz Laplacian(u) + k^2 u = q on [-1, 1]^2 (the PINN benchmark of
 * Wang, Teng & Perdikaris with a1 = 1, a2 = 4, k = 1), both with exact
 * product-of-sines solutions and zero Dirichlet data.
 */
import { type GridSolution, gridArg, gridSolution, linspace, tabulateFields } from './solution.js';

export interface PoissonOptions {
  /** Frequencies: u = sin(kx pi x) sin(ky pi y). Default [1, 1]. */
  k?: [number, number];
}

/** Exact u and source f = -Laplacian(u) of the manufactured Poisson problem. */
export function poisson2dExact(x: number, y: number, { k = [1, 1] }: PoissonOptions = {}): { u: number; f: number } {
  const u = Math.sin(k[0] * Math.PI * x) * Math.sin(k[1] * Math.PI * y);
  return { u, f: Math.PI * Math.PI * (k[0] * k[0] + k[1] * k[1]) * u };
}

/** Poisson 2-D on an (x, y) grid of [0, 1]^2 (default 101 x 101), fields u and f. */
export function poisson2d(opts: PoissonOptions & { x?: ArrayLike<number>; y?: ArrayLike<number> } = {}): GridSolution {
  const start = performance.now();
  const k = opts.k ?? [1, 1];
  const x = gridArg(opts.x, () => linspace(0, 1, 101), 'poisson2d: x');
  const y = gridArg(opts.y, () => linspace(0, 1, 101), 'poisson2d: y');
  const fields = tabulateFields([x, y], ['u', 'f'], (xx, yy) => {
    const r = poisson2dExact(xx, yy, { k });
    return [r.u, r.f];
  });
  return gridSolution(['x', 'y'], [x, y], fields, {
    equation: '-(u_xx + u_yy) = f on (0, 1)^2, u = 0 on the boundary',
    method: 'manufactured: u = sin(kx pi x) sin(ky pi y)',
    params: { k },
    seconds: (performance.now() - start) / 1000,
  });
}

export interface HelmholtzOptions {
  /** u = sin(a1 pi x) sin(a2 pi y); default a1 = 1, a2 = 4. */
  a1?: number;
  a2?: number;
  /** Wavenumber k in Laplacian(u) + k^2 u = q; default 1. */
  k?: number;
}

/** Exact u and source q = Laplacian(u) + k^2 u. */
export function helmholtz2dExact(x: number, y: number, { a1 = 1, a2 = 4, k = 1 }: HelmholtzOptions = {}): { u: number; q: number } {
  const u = Math.sin(a1 * Math.PI * x) * Math.sin(a2 * Math.PI * y);
  return { u, q: (k * k - Math.PI * Math.PI * (a1 * a1 + a2 * a2)) * u };
}

/** Helmholtz 2-D on an (x, y) grid of [-1, 1]^2 (default 101 x 101), fields u and q. */
export function helmholtz2d(opts: HelmholtzOptions & { x?: ArrayLike<number>; y?: ArrayLike<number> } = {}): GridSolution {
  const start = performance.now();
  const p = { a1: opts.a1 ?? 1, a2: opts.a2 ?? 4, k: opts.k ?? 1 };
  const x = gridArg(opts.x, () => linspace(-1, 1, 101), 'helmholtz2d: x');
  const y = gridArg(opts.y, () => linspace(-1, 1, 101), 'helmholtz2d: y');
  const fields = tabulateFields([x, y], ['u', 'q'], (xx, yy) => {
    const r = helmholtz2dExact(xx, yy, p);
    return [r.u, r.q];
  });
  return gridSolution(['x', 'y'], [x, y], fields, {
    equation: 'u_xx + u_yy + k^2 u = q on (-1, 1)^2, u = 0 on the boundary',
    method: 'manufactured: u = sin(a1 pi x) sin(a2 pi y)',
    params: p,
    seconds: (performance.now() - start) / 1000,
  });
}
