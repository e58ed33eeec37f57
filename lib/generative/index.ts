/**
 * Generative modelling on low-dimensional data: toy distributions with exact
 * densities, sample metrics, Gaussian paths, exact mixture scores, ODE / SDE /
 * diffusion samplers, EDM, guidance, flow matching and its relatives.
 */
export { Rng, rng } from './random.js';
export type { SeedLike } from './random.js';
export { toMatrix, matrixToTensor, sqDistMatrix, takeRows, pointRecords } from './points.js';
export type { Matrix, PointsLike, PointRecord, RecordFields } from './points.js';
export type { Distribution, LabeledDistribution } from './distribution.js';
export { GaussianMixture } from './mixture.js';
export type { MixtureSpec } from './mixture.js';
export { ringOfGaussians, eightGaussians, classMixture, moons, checkerboard, spirals, rings, uniformBox, standardNormal } from './toy.js';
export {
  energyDistance, mmd, gaussianKernel, imqKernel, wasserstein1d, slicedWasserstein, precisionRecall,
  modeCoverage, classAccuracy, sampleMoments, outOfBoxFraction, classwise,
} from './metrics.js';
export type { Kernel, MmdOptions, SlicedOptions, ModeStats } from './metrics.js';
export { linearAssignment, sinkhorn } from './transport.js';
export type { SinkhornOptions } from './transport.js';
export { couple, asCoupling, COUPLINGS } from './coupling.js';
export type { Coupling } from './coupling.js';
export { linearPath, vpPath, cosinePath, vePath, edmPath, karrasSigmas, linspace, uniformGridIn, logSnr, diffusionG2, priorSample, noised } from './paths.js';
export type { GaussianPath, KarrasOptions } from './paths.js';
export { convert, toDataNoise, fromDataNoise, PREDICTIONS } from './parameterization.js';
export type { Prediction } from './parameterization.js';
export { denoiserFrom, probabilityFlow, scoreOf, atScalarTime } from './model.js';
export type { Labels, VelocityField, Denoiser, TimeNet, SampleResult } from './model.js';
export { MixtureBridge, mixtureDenoiser, mixtureDenoiserNet, mixtureScore, mixtureVelocity, mixtureInterpolantFields } from './exact.js';
export type { BridgePosterior, InterpolantCoefficients } from './exact.js';
export { odeSolve, ODE_METHODS } from './ode.js';
export type { OdeMethod, OdeOptions } from './ode.js';
export { ddim, dpmSolverPP2M, plms, adamsBashforthCoefficients } from './diffusion.js';
export type { PlmsOptions } from './diffusion.js';
export { eulerMaruyama, denoiserFields, reverseSdeNoise } from './sde.js';
export type { VelocityAndScore, SdeOptions } from './sde.js';
export { edmCoefficients, edmDenoise, edmDenoiser, edmLoss, edmSampler } from './edm.js';
export type { EdmCoefficients, EdmLossOptions, EdmSamplerOptions } from './edm.js';
export { cfg, apg, classifierGuidance, exactClassifierGradient, networkClassifierGradient } from './guidance.js';
export type { ApgOptions, StatefulDenoiser, ClassifierGradient } from './guidance.js';
export { TimeMlp, dropLabels } from './network.js';
export type { TimeMlpOptions, TimeEmbeddingOptions } from './network.js';
export { train } from './train.js';
export type { TrainOptions } from './train.js';
export { flowMatchingLoss, conditionalPath, uniformTimes, fitFlowMatching, drawPairs, velocityOf, reflowPairs } from './flowMatching.js';
export type { Pairs, PairSource, FitFlowOptions } from './flowMatching.js';
export { straightness, transportCost, trajectoryRecords } from './trajectory.js';
export { dLogSnr, logSnrDensity, weighting, WEIGHTINGS, diffusionLoss, negativeElbo } from './objectives.js';
export type { WeightingName, WeightingOptions, DiffusionLossOptions } from './objectives.js';
export { interpolant, interpolantLoss, fitInterpolant, interpolantFields } from './interpolant.js';
export type { InterpolantLossOptions } from './interpolant.js';
export { consistencyFmLoss } from './consistency.js';
export type { ConsistencyFmOptions } from './consistency.js';
export { reflectIntoBox, reflectionSign, boxSource, reflectedFlowMatchingLoss } from './reflected.js';
export type { Box, ReflectedOptions } from './reflected.js';
export { velocityAndDivergence, flowLogLikelihood } from './likelihood.js';
export { amplificationMatrix, spectralRadius, stabilityRegion, realStabilityInterval } from './stability.js';
export type { MomentumMethod } from './stability.js';
export { digitsDistribution } from './digits.js';
export type { DigitsDistribution } from './digits.js';
