/**
 * Networks fitted to the TENG initial conditions, shipped in `datasets/teng/initial.json`
 * (as the official repository ships `init_model_state.pickle`), and the recipe that
 * fits them (`datasets/teng/fit_initial.ts` runs it).
 *
 * - heat-1d: [cos x, sin x] -> 20 -> 20 -> 1 (tanh, 501 parameters), the prototype's network.
 * - 2-D (heat, Allen–Cahn and Burgers share u0): harmonics k = 1..3 of x and y -> 20 -> 20 -> 1
 *   (701 parameters).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { datasetsDir } from '../data/files.js';
import { Float64Mlp } from './network.js';
import { fitInitialCondition, type InitialFitOptions } from './teng.js';
import { periodicGrid, relativeL2, type Problem } from './problems.js';

/** A serialisable network description: dense tanh layers after a periodic harmonic embedding. */
export interface NetworkSpec {
  inputDim: number;
  hidden: number[];
  period: number;
  harmonics: number;
}

export interface InitialRecipe {
  /** Which initial condition ('heat-1d' or 'teng-2d'). */
  name: string;
  network: NetworkSpec;
  /** Points per axis of the fitting grid. */
  grid: number;
  seed: number;
  fit: InitialFitOptions;
}

export interface FittedState extends InitialRecipe {
  params: number[];
  /** Relative L2 error of the fit on a finer uniform grid (`evaluationGrid` points per axis). */
  relativeL2: number;
  evaluationGrid: number;
  iterations: number;
  seconds: number;
}

/** The recipes behind the shipped states. */
export const INITIAL_RECIPES: Record<'heat-1d' | 'teng-2d', InitialRecipe> = {
  'heat-1d': {
    name: 'heat-1d',
    network: { inputDim: 1, hidden: [20, 20], period: 2 * Math.PI, harmonics: 1 },
    grid: 512,
    seed: 0,
    fit: { maxIterations: 60, polish: 20 },
  },
  'teng-2d': {
    name: 'teng-2d',
    network: { inputDim: 2, hidden: [20, 20], period: 2 * Math.PI, harmonics: 3 },
    grid: 32,
    seed: 0,
    fit: { maxIterations: 800, patience: 50 },
  },
};

export function networkFromSpec(spec: NetworkSpec, seed = 0): Float64Mlp {
  return Float64Mlp.periodicSinusoidal(spec.inputDim, spec.hidden, { period: spec.period, harmonics: spec.harmonics }, { seed });
}

/** Which shipped state serves a problem. */
export function initialStateName(problem: Problem): 'heat-1d' | 'teng-2d' {
  if (problem.name === 'heat-1d') return 'heat-1d';
  if (['heat-2d', 'allen-cahn-2d', 'burgers-2d'].includes(problem.name)) return 'teng-2d';
  throw new Error(`teng: no shipped initial state for problem '${problem.name}'; fit one with fitInitialCondition`);
}

/** Runs a recipe: builds the network from its seed and fits the problem's u0. */
export function fitRecipe(recipe: InitialRecipe, problem: Problem, onIteration?: InitialFitOptions['onIteration']): FittedState {
  const start = performance.now();
  const net = networkFromSpec(recipe.network, recipe.seed);
  const grid = periodicGrid(problem.dims, recipe.grid, problem.period);
  const report = fitInitialCondition(net, grid, problem.initial(grid.points), { ...recipe.fit, onIteration });
  const evaluationGrid = problem.dims === 1 ? 2048 : 128;
  const fine = periodicGrid(problem.dims, evaluationGrid, problem.period);
  const exact = problem.initial(fine.points);
  return {
    ...recipe,
    params: Array.from(net.params),
    relativeL2: relativeL2(net.evaluate(fine.points), exact),
    evaluationGrid,
    iterations: report.losses.length - 1,
    seconds: (performance.now() - start) / 1000,
  };
}

const FILE = 'initial.json';
let cache: Record<string, FittedState> | null = null;

/** The shipped fitted states (datasets/teng/initial.json). */
export function shippedStates(): Record<string, FittedState> {
  if (cache !== null) return cache;
  const path = join(datasetsDir(), 'teng', FILE);
  if (!existsSync(path)) throw new Error(`teng: ${path} is missing; rebuild it with \`node dist/datasets/teng/fit_initial.js\``);
  cache = JSON.parse(readFileSync(path, 'utf8')) as Record<string, FittedState>;
  return cache;
}

/** A fresh copy of the network fitted to the problem's initial condition (shipped state). */
export function initialNetwork(problem: Problem): { net: Float64Mlp; state: FittedState } {
  const state = shippedStates()[initialStateName(problem)];
  if (state === undefined) throw new Error(`teng: datasets/teng/${FILE} has no state '${initialStateName(problem)}'`);
  const net = networkFromSpec(state.network, state.seed);
  net.setParams(state.params);
  return { net, state };
}
