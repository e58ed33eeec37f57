/**
 * Generative modelling on low-dimensional data: toy distributions with exact
 * densities, sample metrics, Gaussian paths, exact mixture scores, ODE / SDE /
 * diffusion samplers, EDM, guidance, flow matching and its relatives.
 */
export { Rng, rng } from './random.js';
export type { SeedLike } from './random.js';
export { toMatrix, matrixToTensor, sqDistMatrix, takeRows } from './points.js';
export type { Matrix, PointsLike } from './points.js';
export type { Distribution, LabeledDistribution } from './distribution.js';
export { GaussianMixture } from './mixture.js';
export type { MixtureSpec } from './mixture.js';
export { ringOfGaussians, eightGaussians, classMixture, moons, checkerboard, spirals, rings, uniformBox, standardNormal } from './toy.js';
export {
  energyDistance, mmd, gaussianKernel, imqKernel, wasserstein1d, slicedWasserstein, precisionRecall,
  modeCoverage, classAccuracy, sampleMoments, outOfBoxFraction,
} from './metrics.js';
export type { Kernel, MmdOptions, SlicedOptions, ModeStats } from './metrics.js';
export { linearAssignment, sinkhorn } from './transport.js';
export type { SinkhornOptions } from './transport.js';
export { couple, asCoupling, COUPLINGS } from './coupling.js';
export type { Coupling } from './coupling.js';
