/**
 * The notebook harness: shipped data sets (digits, a public-domain text for
 * character-level language models), synthetic data sets, a seeded random
 * generator, and multi-seed experiment helpers whose summaries feed `plot.band`.
 *
 *   const { train, test } = data.digits({ seed: 0 });
 *   const lm = data.charText({ context: 64 });
 *   const moons = data.twoMoons({ n: 400, noise: 0.1, seed: 1 });
 *   const runs = await data.compare({ adam: fn, sgd: fn }, [0, 1, 2]);
 *   plot.band(data.summarize(runs, { y: 'loss' }))
 */
export { rng, Rng, mulberry32, derive, checkSeed } from './random.js';
export { digits, digitsRaw, digitsSplitIndices, DIGIT_CLASSES } from './digits.js';
export type { DigitsSplit, DigitsOptions, DigitsRaw } from './digits.js';
export { charText, CharText } from './text.js';
export type { CharTextOptions, CharBatch } from './text.js';
export { linearRegression, teacherStudent, twoMoons, blobs } from './synthetic.js';
export type { Regression, LinearRegression, TeacherStudent, Classification, Blobs } from './synthetic.js';
export { runSeeds, compare, summarize, finals, stats } from './seeds.js';
export type { RunRecord, Logger, SeedFn, RunOptions, Stats, SummaryOptions, SummaryRow, FinalOptions, FinalRow } from './seeds.js';
export { table } from './table.js';
export { datasetsDir } from './files.js';
export { logisticData, quadratic } from './convex.js';
export type { LogisticData, Quadratic } from './convex.js';
export { fitClassifier, crossEntropy } from './train.js';
export type { FitOptions, FitRecord, FitResult, LabelledData, StepOptimizer } from './train.js';
export { sampleRows } from './batches.js';
export { addingProblem } from './sequences.js';
export type { SequenceTask } from './sequences.js';
