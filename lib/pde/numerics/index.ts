/**
 * Float64 numerical kernels for reference solvers and data generators:
 * FFTs, Fourier and Chebyshev spectral tools, Gaussian quadrature, sparse
 * finite-difference operators with CG and band-Cholesky solvers, time
 * integrators and Gaussian random fields. Plain TypeScript on Float64Array.
 */
export * from './random.js';
export * from './fft.js';
export * from './spectral.js';
export * from './chebyshev.js';
export * from './quadrature.js';
export * from './sparse.js';
export * from './cg.js';
export * from './banded.js';
export * from './integrators.js';
export * from './grf.js';
export * from './periodic.js';
