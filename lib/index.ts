/**
 * optilab: optimizers, derivatives, PDE solvers, operators and generative
 * samplers on TensorFlow.js, with notebook display helpers.
 *
 *   import { tf, optim, plot, display, claim, progress } from 'optilab';
 */
export * as tf from './backend/tf.js';
export { useBackend, backendName, seed, rng, Rng } from './backend/index.js';
export * as ad from './ad/index.js';
export * as nn from './nn/index.js';
export * as linalg from './linalg/index.js';
export * as curvature from './curvature/index.js';
export { display, DISPLAY, DisplayHandle, registerFormatter } from './display/index.js';
export type { MimeBundle, Displayable, DisplaySink, DisplayOptions } from './display/index.js';
export * as plot from './plot/index.js';
export * as data from './data/index.js';
export { progress } from './progress/index.js';
export { claim } from './claim/index.js';
export * as generative from './generative/index.js';
export * as pde from './pde/index.js';
export * as multiloss from './multiloss/index.js';
export * as operators from './operators/index.js';
export * as optim from './optim/index.js';
export * as games from './games/index.js';
export * as delay from './delay/index.js';
export * as experiments from './experiments/index.js';
export * as comm from './display/comm.js';
export * as teng from './teng/index.js';
