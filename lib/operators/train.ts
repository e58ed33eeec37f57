/**
 * A minibatch training loop for operator networks, the loop every FNO /
 * DeepONet / transformer example in the papers runs: shuffle each epoch
 * (seeded), Adam with a learning-rate schedule, the relative L2 loss,
 * optional test error per epoch, a progress bar, and a stop with a clear
 * message when the loss stops being finite.
 *
 *   const run = operators.fit(model, { x, y, epochs: 50, batchSize: 20, lr: 1e-3, test: { x: xt, y: yt } });
 *   run.history;   // [{ epoch, step, loss, test? }]
 */
import * as tf from '../backend/tf.js';
import { resolveRng, type Rng } from '../backend/random.js';
import { adam, schedules, type Schedule } from '../optim/index.js';
import { progress } from '../progress/index.js';
import { relativeL2Loss } from './losses.js';
import { checkKnownKeys, checkNumber, checkPositiveInt } from './module.js';

/** What `fit` trains: its variables and a batch prediction. */
export interface Trainable {
  readonly variables: tf.Variable[];
  apply(x: tf.Tensor): tf.Tensor;
}

/** The part of a `tf.Optimizer` that `fit` uses (every optilab optimizer has it). */
export interface StepOptimizer {
  step(closure: () => tf.Scalar, varList?: tf.Variable[]): number;
}

export interface FitOptions {
  /** Inputs and targets, samples along axis 0. */
  x: tf.Tensor;
  y: tf.Tensor;
  epochs: number;
  /** Default 20 (the FNO papers' batch size). */
  batchSize?: number;
  /**
   * Learning rate or schedule (per optimizer step) for the default optimizer.
   * Default: 1e-3 with cosine decay to 0 over the run.
   */
  lr?: number | Schedule;
  /** Weight decay of the default Adam (torch-style L2, default 1e-4 as neuraloperator). */
  weightDecay?: number;
  /** Any optimizer with `step(closure)`; replaces the default Adam (then `lr` and `weightDecay` are not used). */
  optimizer?: StepOptimizer;
  /** Training loss (default: relative L2). */
  loss?: (pred: tf.Tensor, y: tf.Tensor) => tf.Scalar;
  /** Held-out data: its mean relative L2 error is recorded every `evalEvery` epochs and after the last. */
  test?: { x: tf.Tensor; y: tf.Tensor };
  evalEvery?: number;
  /** Seed or generator for the shuffling (default: the library generator). */
  seed?: number | Rng;
  /** Show a progress bar (default true) or give its label. */
  progress?: boolean | string;
  /** Called after every epoch with its record. */
  onEpoch?: (record: EpochRecord) => void;
}

export interface EpochRecord {
  epoch: number;
  /** Optimizer steps taken so far. */
  step: number;
  /** Mean training loss over the epoch's batches. */
  loss: number;
  /** Mean relative L2 test error, when measured this epoch. */
  test?: number;
  /** Seconds since training started. */
  seconds: number;
}

export interface FitResult {
  history: EpochRecord[];
  /** Wall-clock training time in seconds (test evaluations included). */
  seconds: number;
  steps: number;
  /** Last test error measured (NaN without test data). */
  testError: number;
}

const FIT_KEYS = ['x', 'y', 'epochs', 'batchSize', 'lr', 'weightDecay', 'optimizer', 'loss', 'test', 'evalEvery', 'seed', 'progress', 'onEpoch'];

/** Mean relative L2 error of `model` on (x, y), evaluated in batches. */
export function evaluate(model: { apply(x: tf.Tensor): tf.Tensor }, x: tf.Tensor, y: tf.Tensor, batchSize = 100): number {
  const n = x.shape[0];
  let total = 0;
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const batchError = tf.tidy(() => relativeL2Loss(model.apply(tf.slice(x, start, size)), tf.slice(y, start, size)));
    total += batchError.dataSync()[0] * size;
    batchError.dispose();
  }
  return total / n;
}

export function fit(model: Trainable, opts: FitOptions): FitResult {
  const owner = 'fit';
  checkKnownKeys(owner, opts, FIT_KEYS);
  const { x, y } = opts;
  if (!(x instanceof tf.Tensor) || !(y instanceof tf.Tensor)) throw new TypeError(`${owner}: x and y must be tensors with samples along axis 0`);
  const n = x.shape[0];
  if (y.shape[0] !== n) throw new Error(`${owner}: x has ${n} samples but y has ${y.shape[0]}`);
  const epochs = checkPositiveInt(owner, 'epochs', opts.epochs);
  const batchSize = Math.min(checkPositiveInt(owner, 'batchSize', opts.batchSize ?? 20), n);
  const evalEvery = checkPositiveInt(owner, 'evalEvery', opts.evalEvery ?? 1);
  const batchesPerEpoch = Math.ceil(n / batchSize);
  const totalSteps = epochs * batchesPerEpoch;
  let optimizer = opts.optimizer;
  const ownOptimizer = optimizer === undefined;
  if (optimizer === undefined) {
    const lr = opts.lr ?? schedules.cosineDecay({ initValue: 1e-3, decaySteps: totalSteps });
    if (typeof lr === 'number') checkNumber(owner, 'lr', lr, { min: 0 });
    optimizer = adam({ lr, weightDecay: opts.weightDecay ?? 1e-4 });
  } else if (opts.lr !== undefined || opts.weightDecay !== undefined) {
    throw new Error(`${owner}: lr and weightDecay configure the default optimizer; set them on the optimizer you pass instead`);
  }
  const lossFn = opts.loss ?? relativeL2Loss;
  const rng = resolveRng(opts.seed);
  const label = typeof opts.progress === 'string' ? opts.progress : 'train';
  const bar = opts.progress === false ? undefined : progress({ label, total: epochs, unit: 'epoch' });

  const history: EpochRecord[] = [];
  const start = performance.now();
  let step = 0;
  let testError = NaN;
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const order = rng.permutation(n);
      let sum = 0;
      for (let b = 0; b < batchesPerEpoch; b++) {
        const idx = tf.tensor1d(order.subarray(b * batchSize, Math.min(n, (b + 1) * batchSize)), 'int32');
        const xb = tf.gather(x, idx);
        const yb = tf.gather(y, idx);
        const loss = optimizer.step(() => lossFn(model.apply(xb), yb), model.variables);
        tf.dispose([idx, xb, yb]);
        if (!Number.isFinite(loss)) {
          throw new Error(`${owner}: the training loss became ${loss} at epoch ${epoch}, step ${step + 1}; lower the learning rate or check the data for NaN/Inf`);
        }
        sum += loss;
        step++;
      }
      const record: EpochRecord = { epoch, step, loss: sum / batchesPerEpoch, seconds: 0 };
      if (opts.test && (epoch % evalEvery === 0 || epoch === epochs)) {
        testError = evaluate(model, opts.test.x, opts.test.y);
        record.test = testError;
      }
      record.seconds = (performance.now() - start) / 1000;
      history.push(record);
      opts.onEpoch?.(record);
      bar?.postfix(record.test === undefined ? { loss: record.loss } : { loss: record.loss, test: record.test });
      bar?.tick();
    }
    bar?.done();
  } finally {
    bar?.stop();
    // the default optimizer's state is of no use after the run
    if (ownOptimizer) (optimizer as unknown as { dispose(): void }).dispose();
  }
  return { history, seconds: (performance.now() - start) / 1000, steps: step, testError };
}
