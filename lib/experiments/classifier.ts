/**
 * Classifier training on an in-memory data set (e.g. `data.digits`): seeded
 * mini-batches drawn without replacement within each epoch, softmax cross-entropy
 * on integer labels, and train / test loss and accuracy at evaluation steps.
 *
 *   const { train, test } = data.digits({ seed: 0 });
 *   const net = nn.mlp({ sizes: [64, 128, 10], activation: 'relu', seed });
 *   const r = experiments.trainClassifier({ model: net, train, test, optimizer: optim.adam({ lr: 1e-3 }),
 *                                           steps: 500, batchSize: 64, seed, log });
 *   r.final.testAccuracy
 */
import * as tf from '../backend/tf.js';
import { crossEntropy, accuracy } from '../nn/losses.js';
import { rng, type Rng } from '../data/random.js';
import { compare, type Logger, type RunRecord } from '../data/seeds.js';
import { progress } from '../progress/index.js';
import type { OptilabOptimizer } from '../optim/adapter.js';
import { train, type Metrics, type TrainOptions, type TrainResult } from './train.js';

/** Anything with trainable variables that maps inputs [N, ...] to logits [N, classes]. */
export interface Classifier {
  variables: tf.Variable[];
  apply(x: tf.Tensor): tf.Tensor;
}

/** Inputs and integer class labels with the same number of rows. */
export interface LabelledSet {
  x: tf.Tensor;
  y: tf.Tensor;
}

/**
 * Row indices for mini-batches: each epoch is a fresh seeded permutation, cut into
 * batches of `size` (an incomplete tail is skipped, so every batch has `size` rows).
 */
export class Minibatches {
  private readonly random: Rng;
  private order: Int32Array = new Int32Array(0);
  private at = 0;
  /** Completed passes over the data. */
  epochs = 0;

  constructor(
    readonly n: number,
    readonly size: number,
    seed = 0,
  ) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`minibatches: n must be a positive integer, got ${String(n)}`);
    if (!Number.isInteger(size) || size < 1 || size > n) throw new RangeError(`minibatches: size must be an integer in [1, ${n}], got ${String(size)}`);
    this.random = rng(seed, 'minibatches');
  }

  /** The next batch's row indices. */
  next(): Int32Array {
    if (this.at + this.size > this.order.length) {
      if (this.order.length > 0) this.epochs++;
      this.order = this.random.permutation(this.n);
      this.at = 0;
    }
    const out = this.order.slice(this.at, this.at + this.size);
    this.at += this.size;
    return out;
  }
}

function checkSet(name: string, s: LabelledSet | undefined): void {
  if (s === undefined) return;
  if (!(s.x instanceof tf.Tensor) || !(s.y instanceof tf.Tensor)) throw new TypeError(`trainClassifier: ${name} must be {x, y} tensors (e.g. data.digits().${name})`);
  if (s.x.shape[0] !== s.y.shape[0]) throw new RangeError(`trainClassifier: ${name}.x has ${s.x.shape[0]} rows but ${name}.y has ${s.y.shape[0]}`);
  if (s.y.dtype !== 'int32' || s.y.rank !== 1) {
    throw new TypeError(`trainClassifier: ${name}.y must hold int32 class indices of shape [n], got ${s.y.dtype} [${s.y.shape}] (load digits without oneHot)`);
  }
}

/** Mean cross-entropy and accuracy of a classifier on a whole set. */
export function evaluateClassifier(model: Classifier, set: LabelledSet): { loss: number; accuracy: number } {
  return tf.tidy(() => {
    const logits = model.apply(set.x);
    return { loss: crossEntropy(logits, set.y).dataSync()[0], accuracy: accuracy(logits, set.y) };
  });
}

export interface ClassifierOptions extends Omit<TrainOptions, 'variables' | 'loss' | 'evaluate'> {
  model: Classifier;
  train: LabelledSet;
  test?: LabelledSet;
  /** Rows per update (default: the whole training set). */
  batchSize?: number;
  /** Seed of the batch order (default 0). */
  seed?: number;
  /** Added to the data loss of every update (e.g. an explicit regulariser). */
  penalty?: () => tf.Scalar;
  /** More metrics at evaluation steps. */
  evaluate?: (step: number) => Metrics;
}

export interface ClassifierResult extends TrainResult {
  final: Metrics & { trainLoss: number; trainAccuracy: number; testLoss?: number; testAccuracy?: number };
}

/**
 * Trains `model` on `train` with cross-entropy; evaluation records carry
 * trainLoss, trainAccuracy and, with a test set, testLoss and testAccuracy.
 * A diverged run ends with trainLoss = Infinity and accuracies 0 in `final`.
 */
export function trainClassifier(options: ClassifierOptions): ClassifierResult {
  const { model, train: trainSet, test, penalty, evaluate: more, batchSize, seed = 0, ...rest } = options;
  checkSet('train', trainSet);
  checkSet('test', test);
  if (!model || !Array.isArray(model.variables) || typeof model.apply !== 'function') {
    throw new TypeError('trainClassifier: model must have variables and apply(x), e.g. nn.mlp({...})');
  }
  const n = trainSet.x.shape[0];
  const batches = batchSize === undefined || batchSize >= n ? undefined : new Minibatches(n, batchSize, seed);
  // The batch is drawn inside the loss: the gradient tape's tidy frees it with the step.
  const loss = () => {
    const index = batches ? tf.tensor1d(batches.next(), 'int32') : undefined;
    const x = index ? tf.gather(trainSet.x, index) : trainSet.x;
    const y = index ? tf.gather(trainSet.y, index) : trainSet.y;
    const data = crossEntropy(model.apply(x), y);
    return penalty ? (tf.add(data, penalty()) as tf.Scalar) : data;
  };
  const evaluate = (step: number): Metrics => {
    const tr = evaluateClassifier(model, trainSet);
    const out: Metrics = { trainLoss: tr.loss, trainAccuracy: tr.accuracy };
    if (test) {
      const te = evaluateClassifier(model, test);
      out.testLoss = te.loss;
      out.testAccuracy = te.accuracy;
    }
    return more ? { ...out, ...more(step) } : out;
  };
  const result = train({ ...rest, variables: model.variables, evaluate, loss });
  const final = result.diverged
    ? { trainLoss: Infinity, trainAccuracy: 0, ...(test ? { testLoss: Infinity, testAccuracy: 0 } : {}) }
    : (result.final as ClassifierResult['final']);
  return { ...result, final };
}

export interface CompareOptions<M extends Classifier> {
  /** Each method's optimizer, built fresh for every run. */
  optimizers: Record<string, () => OptilabOptimizer>;
  /** The model of a run, built from its seed (disposed after the run when it has `dispose`). */
  model: (seed: number) => M;
  train: LabelledSet;
  test?: LabelledSet;
  /** A count n (seeds 0..n-1) or a list. */
  seeds: number | readonly number[];
  steps: number;
  batchSize?: number;
  evalEvery?: number;
  recordEvery?: number;
  /** Per run: a function adding metrics to every record (e.g. weight norms); it may keep state across the run. */
  track?: (model: M) => (step: number) => Metrics;
  /** Called after each run, before the model and optimizer are disposed (read the optimizer's state here). */
  afterRun?: (run: { method: string; seed: number; model: M; optimizer: OptilabOptimizer; result: ClassifierResult }) => void;
  /** Progress bar label (default 'runs'); false hides it. */
  progress?: string | false;
}

/**
 * Trains a fresh model with each optimizer on each seed (the same seeds for every
 * method) and returns all records tagged with method and seed, for `plot.band`,
 * `data.summarize` and `data.finals`.
 *
 *   const runs = await experiments.compareOptimizers({
 *     optimizers: { adam: () => optim.adam({ lr: 1e-3 }), sgdm: () => optim.sgd({ lr: 0.05, momentum: 0.9 }) },
 *     model: (seed) => nn.mlp({ sizes: [64, 128, 10], activation: 'relu', init: 'he-normal', seed }),
 *     train, test, seeds: 3, steps: 300, batchSize: 64,
 *   });
 */
export async function compareOptimizers<M extends Classifier>(options: CompareOptions<M>): Promise<RunRecord[]> {
  const { optimizers, model, train: trainSet, test, seeds, track, afterRun, progress: label, ...rest } = options ?? ({} as CompareOptions<M>);
  const names = Object.keys(optimizers ?? {});
  if (names.length === 0) throw new TypeError('compareOptimizers: optimizers must name at least one optimizer factory, e.g. {adam: () => optim.adam()}');
  if (typeof model !== 'function') throw new TypeError('compareOptimizers: model must be a function seed => model');
  const count = typeof seeds === 'number' ? seeds : seeds?.length ?? 0;
  const bar = label === false ? undefined : progress(names.length * count, { label: label ?? 'runs', unit: 'run' });
  try {
    const runs = await compare(
      Object.fromEntries(names.map((method) => [method, (seed: number, log: Logger) => {
        const net = model(seed);
        const optimizer = optimizers[method]();
        try {
          const result = trainClassifier({ ...rest, model: net, train: trainSet, test, optimizer, seed, log, ...(track ? { track: track(net) } : {}) });
          afterRun?.({ method, seed, model: net, optimizer, result });
        } finally {
          (net as Partial<{ dispose: () => void }>).dispose?.();
          optimizer.dispose();
        }
      }])),
      seeds,
      { onRun: () => bar?.tick() },
    );
    bar?.done();
    return runs;
  } finally {
    bar?.stop();
  }
}
