/**
 * Operator-learning data: generators (float64 solvers, deterministic from a
 * seed), the registered data sets with checksums, and `loadDataset`.
 */
export * from './load.js';
export * from './registry.js';
export * from './store.js';
export * from './format.js';
export * from './generators/burgers1d.js';
export * from './generators/darcy2d.js';
export * from './generators/navierStokes2d.js';
export * from './generators/heat1d.js';
export * from './generators/kdv1d.js';
export * from './generators/poisson1d.js';
export * from './generators/semilinear1d.js';
export * from './generators/poisson2dBumps.js';
export * from './generators/burgersViscosity.js';
