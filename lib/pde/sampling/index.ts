/**
 * Collocation-point sampling: uniform, Latin hypercube and Sobol' points in the unit
 * cube (geometries map them onto their domains), and residual-driven adaptive
 * sampling (R3, RAD).
 */
export { uniform, latinHypercube, unitPoints, SAMPLING_METHODS, type SamplingMethod } from './unit.js';
export { sobol, SOBOL_MAX_DIM, type SobolOptions } from './sobol.js';
export { r3Update, R3Sampler, radSample, type R3Result, type RadOptions, type PointSource } from './adaptive.js';
