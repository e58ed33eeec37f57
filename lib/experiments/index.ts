/**
 * The experiment harness of the optimizer notebooks: a training loop for any model
 * and optilab optimizer (loss, raw gradient norm, evaluations, divergence), classifier
 * training on in-memory data sets, and hyper-parameter sweeps (grids, random search,
 * statistics across seeds).
 *
 *   const r = experiments.trainClassifier({ model: net, train, test, optimizer, steps: 500, batchSize: 64, seed });
 *   const rows = await experiments.sweep(experiments.grid({ lr: experiments.logspace(1e-4, 1e-1, 4) }), run, { seeds: 3 });
 */
export { train, globalNorm, norms } from './train.js';
export type { TrainOptions, TrainRecord, TrainResult, Metrics } from './train.js';
export { trainClassifier, evaluateClassifier, compareOptimizers, Minibatches } from './classifier.js';
export type { Classifier, LabelledSet, ClassifierOptions, ClassifierResult, CompareOptions } from './classifier.js';
export { logspace, grid, sweep, aggregate, best, sampleConfigs, logUniform, uniform, choice, tuneLearningRate, separability } from './sweep.js';
export type { Distribution, SweepOptions, SweepRow, AggregateOptions, AggregateRow, TuneOptions, TuneResult, Separability } from './sweep.js';
export { optimizePath } from './path.js';
export type { PathOptions, PathPoint } from './path.js';
