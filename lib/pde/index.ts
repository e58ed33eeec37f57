/**
 * PDE tools. `pde.numerics`: float64 kernels (FFT, spectral and Chebyshev
 * differentiation, quadrature, sparse solvers, time integrators, random
 * fields). `pde.reference`: reference solutions for the PDE zoo.
 * `pde.geometry` and `pde.sampling`: domains and collocation points.
 * `pde.zoo`: PDE problems as data. `pde.train`: the PINN trainer.
 */
export * as numerics from './numerics/index.js';
export * as reference from './reference/index.js';
export * as geometry from './geometry/index.js';
export * as sampling from './sampling/index.js';
export * as zoo from './zoo/index.js';
export { definePde, type PdeProblem, type PdeSpec, type Condition, type Fields, type HardConstraint, type Reference } from './zoo/problem.js';
export { train, TrainResult, type TrainOptions, type TrainMethod, type LogRecord, type Divergence } from './trainer/index.js';
