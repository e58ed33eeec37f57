/**
 * Float64 reference solutions for the PDE zoo: analytic where a closed form
 * exists, otherwise spectral solvers checked against independent
 * computations. Every solver returns a GridSolution (fields on a tensor grid
 * of named axes plus metadata); `relativeL2` is the shared error metric.
 */
export * from './solution.js';
export * from './heat.js';
export * from './elliptic.js';
export * from './flows.js';
export * from './transport.js';
export * from './burgers.js';
export * from './allenCahn.js';
export * from './schrodinger.js';
export * from './teng.js';
