/**
 * The PDE zoo: problems as data (see `definePde`). `zoo.names` lists them;
 * `zoo.get(name, options)` builds one by name.
 */
import * as problems from './problems.js';
import type { PdeProblem } from './problem.js';

export * from './problem.js';
export * from './problems.js';

const BUILDERS: Record<string, (o?: never) => PdeProblem> = {
  burgers: problems.burgers,
  'allen-cahn': problems.allenCahn,
  'heat-1d': problems.heat1d,
  'heat-2d': problems.heat2d,
  'poisson-2d': problems.poisson2d,
  'helmholtz-2d': problems.helmholtz2d,
  schrodinger: problems.schrodinger,
  kovasznay: problems.kovasznay,
  beltrami: problems.beltrami,
  convection: problems.convection,
  'wave-1d': problems.wave1d,
};

/** The zoo's problem names. */
export const names = Object.keys(BUILDERS);

/** A zoo problem by name, with its options (e.g. get('convection', {beta: 10})). */
export function get(name: string, options?: object): PdeProblem {
  const b = BUILDERS[name];
  if (!b) throw new Error(`pde.zoo.get: unknown problem '${name}'; the zoo has ${names.join(', ')}`);
  return b(options as never);
}
