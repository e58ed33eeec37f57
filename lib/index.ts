/**
 * optilab: optimizers, derivatives, PDE solvers, operators and generative
 * samplers on TensorFlow.js, with notebook display helpers.
 *
 *   import { tf, optim, plot, display, claim, progress } from 'optilab';
 */
export * as tf from './backend/tf.js';
export { useBackend, backendName } from './backend/index.js';
export { display, DISPLAY, DisplayHandle, registerFormatter } from './display/index.js';
export type { MimeBundle, Displayable, DisplaySink, DisplayOptions } from './display/index.js';
export * as comm from './display/comm.js';
