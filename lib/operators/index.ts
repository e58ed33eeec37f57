/**
 * Neural operators and their data: Fourier neural operators (1-D / 2-D) with
 * Fourier layers as truncated real-DFT matrix products, DeepONet and
 * MultiONet, Fourier- and Galerkin-type linear-attention transformers, a
 * spectral-basis operator, relative L2 losses and metrics, a training loop,
 * resolution-transfer evaluation, and the data sets (`loadDataset`).
 */
export * from './data/index.js';
export { Pointwise, countParams, unitGrid, type OperatorModel, type FieldOperator } from './module.js';
export * from './spectral.js';
export * from './fno.js';
export * from './losses.js';
export * from './train.js';
export * from './deeponet.js';
export * from './attention.js';
export * from './spectralBasis.js';
export * from './resolution.js';
export * from './iterative.js';
export * from './plots.js';
export * from './stagger.js';
export * from './nonuniform.js';
export * from './augment.js';
export * from './ssl.js';
