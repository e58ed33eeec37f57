/**
 * The PDE zoo: each entry is a `definePde` spec (data), with the reference from
 * `pde.reference` and a hint of the network and budget. Inputs are (t, x, ...) for
 * time-dependent problems, as in the references.
 */
import * as tf from '../../backend/tf.js';
import * as ref from '../reference/index.js';
import { linspace } from '../reference/solution.js';
import { periodicGrid } from '../numerics/spectral.js';
import { interval, rectangle, box, spaceTime, timeDomain } from '../geometry/geometry.js';
import { type Fields, type PdeProblem, definePde, fromGrid } from './problem.js';

type T = tf.Tensor2D;
const add = (...ts: T[]) => ts.reduce((a, b) => tf.add(a, b)) as T;
const mul = (a: T | number, b: T | number) => tf.mul(a, b) as T;
const sub = (a: T, b: T) => tf.sub(a, b) as T;
const col = (x: T, i: number) => tf.slice(x, [0, i], [x.shape[0], 1]) as T;

/** Viscous Burgers, Raissi et al.'s benchmark (the ConFIG paper's first PINN problem). */
export function burgers({ nu = 0.01 / Math.PI }: { nu?: number } = {}): PdeProblem {
  return definePde({
    name: 'burgers',
    title: `Burgers u_t + u u_x = ${nu === 0.01 / Math.PI ? '(0.01/π)' : nu} u_xx, x ∈ [-1, 1], t ∈ [0, 1], u0 = -sin(πx), u(±1) = 0`,
    domain: spaceTime(interval(-1, 1), timeDomain(0, 1)),
    outputs: ['u'],
    pde: { derivatives: ['u_t', 'u_x', 'u_xx'], residual: (f: Fields) => sub(add(f.u_t, mul(f.u, f.u_x)), mul(nu, f.u_xx)) },
    conditions: [
      { name: 'ic', kind: 'initial', value: ({ x }) => -Math.sin(Math.PI * x), points: 200 },
      { name: 'bc', kind: 'dirichlet', value: 0, points: 200 },
    ],
    // u = -sin(pi x) + t (1 - x^2) N: the initial and boundary values hold exactly
    hard: {
      offset: (x) => tf.neg(tf.sin(mul(Math.PI, col(x, 1)))) as T,
      factor: (x) => mul(col(x, 0), tf.sub(1, tf.square(col(x, 1))) as T),
      replaces: ['ic', 'bc'],
    },
    reference: () => fromGrid(ref.burgers({ nu, t: linspace(0, 0.99, 50), x: linspace(-1, 1, 128) }), ['t', 'x'], ['u']),
    hints: { hidden: [32, 32, 32], points: 2000, adamSteps: 3000, lr: 2e-3, lbfgsSteps: 200 },
    params: { nu },
  });
}

/** Allen-Cahn (Raissi et al.; R3 and jaxpi benchmark): u_t = 1e-4 u_xx + 5u - 5u^3, periodic. */
export function allenCahn({ eps = 1e-4, reaction = 5 }: { eps?: number; reaction?: number } = {}): PdeProblem {
  return definePde({
    name: 'allen-cahn',
    title: `Allen–Cahn u_t = ${eps} u_xx + ${reaction}(u - u³), x ∈ [-1, 1) periodic, t ∈ [0, 1], u0 = x² cos(πx)`,
    domain: spaceTime(interval(-1, 1), timeDomain(0, 1)),
    outputs: ['u'],
    pde: {
      derivatives: ['u_t', 'u_xx'],
      residual: (f) => add(sub(f.u_t, mul(eps, f.u_xx)), mul(reaction, sub(tf.pow(f.u, 3) as T, f.u))),
    },
    conditions: [
      { name: 'ic', kind: 'initial', value: ({ x }) => x * x * Math.cos(Math.PI * x), points: 256 },
      { name: 'bc', kind: 'periodic', axis: 'x', derivatives: 1, points: 100 },
    ],
    reference: () => fromGrid(ref.allenCahn({ eps, reaction, t: linspace(0, 1, 51), x: periodicGrid(128, -1, 2) }), ['t', 'x'], ['u']),
    hints: { hidden: [64, 64, 64], points: 2000, adamSteps: 4000, lr: 1e-3, periodic: { period: [null, 2], harmonics: 2 }, weights: { ic: 100 } },
    params: { eps, reaction },
  });
}

/** Heat 1-D, DeepXDE's demo: u_t = 0.4 u_xx on [0, 1], u0 = sin(pi x), zero ends. */
export function heat1d({ alpha = 0.4 }: { alpha?: number } = {}): PdeProblem {
  return definePde({
    name: 'heat-1d',
    title: `Heat u_t = ${alpha} u_xx, x ∈ [0, 1], t ∈ [0, 1], u0 = sin(πx), u(0) = u(1) = 0`,
    domain: spaceTime(interval(0, 1), timeDomain(0, 1)),
    outputs: ['u'],
    pde: { derivatives: ['u_t', 'u_xx'], residual: (f) => sub(f.u_t, mul(alpha, f.u_xx)) },
    conditions: [
      { name: 'ic', kind: 'initial', value: ({ x }) => Math.sin(Math.PI * x), points: 100 },
      { name: 'bc', kind: 'dirichlet', value: 0, points: 100 },
    ],
    reference: () => fromGrid(ref.heat1d({ alpha, t: linspace(0, 1, 51), x: linspace(0, 1, 101) }), ['t', 'x'], ['u']),
    hints: { hidden: [20, 20, 20], points: 1000, adamSteps: 2000, lr: 2e-3, lbfgsSteps: 100 },
    params: { alpha },
  });
}

/** Heat 2-D: u_t = 0.1 (u_xx + u_yy) on [0, 1]^2, u0 = sin(pi x) sin(pi y), zero boundary. */
export function heat2d({ alpha = 0.1 }: { alpha?: number } = {}): PdeProblem {
  return definePde({
    name: 'heat-2d',
    title: `Heat u_t = ${alpha} (u_xx + u_yy) on [0, 1]², t ∈ [0, 1], u0 = sin(πx) sin(πy), u = 0 on the boundary`,
    domain: spaceTime(rectangle([0, 0], [1, 1]), timeDomain(0, 1)),
    outputs: ['u'],
    pde: { derivatives: ['u_t', 'u_xx', 'u_yy'], residual: (f) => sub(f.u_t, mul(alpha, add(f.u_xx, f.u_yy))) },
    conditions: [
      { name: 'ic', kind: 'initial', value: ({ x, y }) => Math.sin(Math.PI * x) * Math.sin(Math.PI * y), points: 200 },
      { name: 'bc', kind: 'dirichlet', value: 0, points: 200 },
    ],
    reference: () => fromGrid(ref.heat2d({ alpha, t: linspace(0, 1, 6), x: linspace(0, 1, 31), y: linspace(0, 1, 31) }), ['t', 'x', 'y'], ['u']),
    hints: { hidden: [32, 32, 32], points: 1500, adamSteps: 2000, lr: 2e-3, lbfgsSteps: 100 },
    params: { alpha },
  });
}

/** Poisson 2-D: -(u_xx + u_yy) = 2 pi^2 sin(pi x) sin(pi y) on [0, 1]^2, zero boundary. */
export function poisson2d({ k = [1, 1] as [number, number] }: { k?: [number, number] } = {}): PdeProblem {
  const c = Math.PI * Math.PI * (k[0] * k[0] + k[1] * k[1]);
  return definePde({
    name: 'poisson-2d',
    title: `Poisson -Δu = f on [0, 1]², u = sin(${k[0]}πx) sin(${k[1]}πy), u = 0 on the boundary`,
    domain: rectangle([0, 0], [1, 1]),
    outputs: ['u'],
    pde: {
      derivatives: ['u_xx', 'u_yy'],
      residual: (f) => add(add(f.u_xx, f.u_yy), mul(c, mul(tf.sin(mul(k[0] * Math.PI, f.x)) as T, tf.sin(mul(k[1] * Math.PI, f.y)) as T))),
    },
    conditions: [{ name: 'bc', kind: 'dirichlet', value: 0, points: 200 }],
    reference: () => fromGrid(ref.poisson2d({ k, x: linspace(0, 1, 51), y: linspace(0, 1, 51) }), ['x', 'y'], ['u']),
    hints: { hidden: [20, 20, 20], points: 1000, adamSteps: 1500, lr: 2e-3, lbfgsSteps: 100 },
    params: { k },
  });
}

/** Helmholtz 2-D (Wang, Teng & Perdikaris): u_xx + u_yy + k^2 u = q on [-1, 1]^2, u = sin(a1 pi x) sin(a2 pi y). */
export function helmholtz2d({ a1 = 1, a2 = 4, k = 1 }: { a1?: number; a2?: number; k?: number } = {}): PdeProblem {
  const c = k * k - Math.PI * Math.PI * (a1 * a1 + a2 * a2);
  return definePde({
    name: 'helmholtz-2d',
    title: `Helmholtz Δu + ${k}² u = q on [-1, 1]², u = sin(${a1}πx) sin(${a2}πy), u = 0 on the boundary`,
    domain: rectangle([-1, -1], [1, 1]),
    outputs: ['u'],
    pde: {
      derivatives: ['u_xx', 'u_yy'],
      residual: (f) => sub(add(f.u_xx, f.u_yy, mul(k * k, f.u)), mul(c, mul(tf.sin(mul(a1 * Math.PI, f.x)) as T, tf.sin(mul(a2 * Math.PI, f.y)) as T))),
    },
    conditions: [{ name: 'bc', kind: 'dirichlet', value: 0, points: 400 }],
    // u = (1 - x^2)(1 - y^2) N vanishes on the boundary
    hard: {
      factor: (x) => mul(tf.sub(1, tf.square(col(x, 0))) as T, tf.sub(1, tf.square(col(x, 1))) as T),
      replaces: ['bc'],
    },
    reference: () => fromGrid(ref.helmholtz2d({ a1, a2, k, x: linspace(-1, 1, 61), y: linspace(-1, 1, 61) }), ['x', 'y'], ['u']),
    hints: { hidden: [32, 32, 32], points: 2000, adamSteps: 2000, lr: 2e-3, lbfgsSteps: 150, activation: 'sin' },
    params: { a1, a2, k },
  });
}

/** Nonlinear Schrödinger (Raissi et al.): i h_t + 0.5 h_xx + |h|^2 h = 0 as u = Re h, v = Im h. */
export function schrodinger(): PdeProblem {
  return definePde({
    name: 'schrodinger',
    title: 'Schrödinger i h_t + ½ h_xx + |h|² h = 0, x ∈ [-5, 5) periodic, t ∈ [0, π/2], h0 = 2 sech x; h = u + iv',
    domain: spaceTime(interval(-5, 5), timeDomain(0, Math.PI / 2)),
    outputs: ['u', 'v'],
    pde: {
      derivatives: ['u_t', 'v_t', 'u_xx', 'v_xx'],
      residual: (f) => {
        const m = add(tf.square(f.u) as T, tf.square(f.v) as T);
        return [add(tf.neg(f.v_t) as T, mul(0.5, f.u_xx), mul(m, f.u)), add(f.u_t, mul(0.5, f.v_xx), mul(m, f.v))];
      },
    },
    conditions: [
      { name: 'ic', kind: 'initial', value: ({ x }) => [2 / Math.cosh(x), 0], points: 200 },
      { name: 'bc', kind: 'periodic', axis: 'x', derivatives: 1, points: 100 },
    ],
    // (u, v) = (2 sech x, 0) + t N: the initial value holds exactly
    hard: {
      offset: (x) => tf.concat([tf.div(2, tf.cosh(col(x, 1))), tf.zerosLike(col(x, 1))], 1) as T,
      factor: (x) => col(x, 0),
      replaces: ['ic'],
    },
    reference: () => fromGrid(ref.schrodinger({ t: linspace(0, Math.PI / 2, 41), x: periodicGrid(128, -5, 10) }), ['t', 'x'], ['u', 'v']),
    hints: { hidden: [50, 50, 50], points: 2000, adamSteps: 3000, lr: 2e-3, lbfgsSteps: 200 },
  });
}

/** Kovasznay flow (steady 2-D Navier-Stokes, Re = 40), the ConFIG paper's setup. */
export function kovasznay({ re = 40 }: { re?: number } = {}): PdeProblem {
  const exact = (x: number, y: number) => {
    const s = ref.kovasznayExact(x, y, { re });
    return [s.u, s.v, s.p];
  };
  return definePde({
    name: 'kovasznay',
    title: `Kovasznay flow, steady Navier–Stokes at Re = ${re} on [-0.5, 1] x [-0.5, 1.5], exact velocity and pressure on the boundary`,
    domain: rectangle([-0.5, -0.5], [1, 1.5]),
    outputs: ['u', 'v', 'p'],
    pde: {
      derivatives: ['u_x', 'u_y', 'v_x', 'v_y', 'p_x', 'p_y', 'u_xx', 'u_yy', 'v_xx', 'v_yy'],
      residual: (f) => [
        add(mul(f.u, f.u_x), mul(f.v, f.u_y), f.p_x, mul(-1 / re, add(f.u_xx, f.u_yy))),
        add(mul(f.u, f.v_x), mul(f.v, f.v_y), f.p_y, mul(-1 / re, add(f.v_xx, f.v_yy))),
        add(f.u_x, f.v_y),
      ],
    },
    conditions: [{ name: 'bc', kind: 'dirichlet', value: ({ x, y }) => exact(x, y), points: 400 }],
    reference: () => fromGrid(ref.kovasznay({ re, x: linspace(-0.5, 1, 41), y: linspace(-0.5, 1.5, 51) }), ['x', 'y'], ['u', 'v', 'p']),
    hints: { hidden: [50, 50, 50], points: 2000, adamSteps: 2000, lr: 2e-3, lbfgsSteps: 150 },
    params: { re },
  });
}

/** Beltrami flow (Ethier-Steinman, 3-D unsteady Navier-Stokes, a = d = 1, nu = 1). */
export function beltrami({ nu = 1 }: { nu?: number } = {}): PdeProblem {
  const exact = (p: { t: number; x: number; y: number; z: number }) => {
    const s = ref.beltramiExact(p.t, p.x, p.y, p.z, { nu });
    return [s.u, s.v, s.w, s.p];
  };
  const momentum = (f: Fields, q: 'u' | 'v' | 'w', dp: string) =>
    add(f[`${q}_t`], mul(f.u, f[`${q}_x`]), mul(f.v, f[`${q}_y`]), mul(f.w, f[`${q}_z`]), f[dp], mul(-nu, add(f[`${q}_xx`], f[`${q}_yy`], f[`${q}_zz`])));
  const derivs = ['u', 'v', 'w'].flatMap((q) => ['t', 'x', 'y', 'z', 'xx', 'yy', 'zz'].map((s) => `${q}_${s}`));
  return definePde({
    name: 'beltrami',
    title: `Beltrami flow, 3-D Navier–Stokes (ν = ${nu}) on [-1, 1]³ x [0, 1], exact initial and boundary values`,
    domain: spaceTime(box([-1, -1, -1], [1, 1, 1], ['x', 'y', 'z']), timeDomain(0, 1)),
    outputs: ['u', 'v', 'w', 'p'],
    pde: {
      derivatives: [...derivs, 'p_x', 'p_y', 'p_z'],
      residual: (f) => [momentum(f, 'u', 'p_x'), momentum(f, 'v', 'p_y'), momentum(f, 'w', 'p_z'), add(f.u_x, f.v_y, f.w_z)],
    },
    conditions: [
      { name: 'ic', kind: 'initial', value: (p) => exact(p as never), points: 300 },
      { name: 'bc', kind: 'dirichlet', value: (p) => exact(p as never), points: 300 },
    ],
    reference: () => fromGrid(ref.beltrami({ nu, t: linspace(0, 1, 3), x: linspace(-1, 1, 11), y: linspace(-1, 1, 11), z: linspace(-1, 1, 11) }), ['t', 'x', 'y', 'z'], ['u', 'v', 'w', 'p']),
    hints: { hidden: [50, 50, 50], points: 1500, adamSteps: 2000, lr: 2e-3, lbfgsSteps: 100 },
    params: { nu },
  });
}

/** Convection u_t + beta u_x = 0 on [0, 2 pi) periodic, u0 = sin x: PINNs fail at large beta (Krishnapriyan et al. 2021). */
export function convection({ beta = 30 }: { beta?: number } = {}): PdeProblem {
  return definePde({
    name: 'convection',
    title: `Convection u_t + ${beta} u_x = 0, x ∈ [0, 2π) periodic, t ∈ [0, 1], u0 = sin x`,
    domain: spaceTime(interval(0, 2 * Math.PI), timeDomain(0, 1)),
    outputs: ['u'],
    pde: { derivatives: ['u_t', 'u_x'], residual: (f) => add(f.u_t, mul(beta, f.u_x)) },
    conditions: [
      { name: 'ic', kind: 'initial', value: ({ x }) => Math.sin(x), points: 256 },
      { name: 'bc', kind: 'periodic', axis: 'x', points: 100 },
    ],
    reference: () => fromGrid(ref.convection({ beta, t: linspace(0, 1, 51), x: periodicGrid(128, 0, 2 * Math.PI) }), ['t', 'x'], ['u']),
    hints: { hidden: [50, 50, 50, 50], points: 1000, adamSteps: 3000, lr: 1e-3, weights: { ic: 100, bc: 100 } },
    params: { beta },
  });
}

/** Wave u_tt = c^2 u_xx on [0, 1], u0 = sin(pi x) + sin(4 pi x)/2, u_t(x, 0) = 0, zero ends. */
export function wave1d({ c = 2 }: { c?: number } = {}): PdeProblem {
  const phi = (x: number) => Math.sin(Math.PI * x) + 0.5 * Math.sin(4 * Math.PI * x);
  return definePde({
    name: 'wave-1d',
    title: `Wave u_tt = ${c}² u_xx, x ∈ [0, 1], t ∈ [0, 1], u0 = sin(πx) + ½ sin(4πx), u_t(x, 0) = 0, u(0) = u(1) = 0`,
    domain: spaceTime(interval(0, 1), timeDomain(0, 1)),
    outputs: ['u'],
    pde: { derivatives: ['u_tt', 'u_xx'], residual: (f) => sub(f.u_tt, mul(c * c, f.u_xx)) },
    conditions: [
      { name: 'ic', kind: 'initial', value: ({ x }) => phi(x), points: 200 },
      { name: 'ic_t', kind: 'initial', derivative: 'u_t', value: 0, points: 200 },
      { name: 'bc', kind: 'dirichlet', value: 0, points: 200 },
    ],
    // u = u0(x) + t^2 x (1 - x) N: initial value, zero initial velocity and zero ends hold exactly
    hard: {
      offset: (x) => {
        const xs = col(x, 1);
        return add(tf.sin(mul(Math.PI, xs)) as T, mul(0.5, tf.sin(mul(4 * Math.PI, xs)) as T));
      },
      factor: (x) => {
        const xs = col(x, 1);
        return mul(tf.square(col(x, 0)) as T, mul(xs, tf.sub(1, xs) as T));
      },
      replaces: ['ic', 'ic_t', 'bc'],
    },
    reference: () => fromGrid(ref.wave1d({ c, t: linspace(0, 1, 51), x: linspace(0, 1, 101) }), ['t', 'x'], ['u']),
    hints: { hidden: [50, 50, 50], points: 2000, adamSteps: 3000, lr: 2e-3, lbfgsSteps: 200 },
    params: { c },
  });
}
