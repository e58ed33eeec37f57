/** The PINN trainer: `train(problem, options)` and its result. */
export { train, type TrainOptions, type TrainMethod } from './train.js';
export { TrainResult, relativeErrors, predictFields, type LogRecord, type Divergence, type Errors } from './result.js';
