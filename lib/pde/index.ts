/**
 * PDE tools. `pde.numerics`: float64 kernels (FFT, spectral and Chebyshev
 * differentiation, quadrature, sparse solvers, time integrators, random
 * fields). `pde.reference`: reference solutions for the PDE zoo.
 */
export * as numerics from './numerics/index.js';
export * as reference from './reference/index.js';
