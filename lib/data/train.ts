/**
 * A small classifier training loop shared by the optimizer notebooks: an MLP
 * (or, with no hidden layer, multinomial logistic regression) trained with
 * softmax cross-entropy by any optilab optimizer, with seeded minibatches,
 * periodic full-data evaluation (at the optimizer's evaluation point: iterate
 * averages, XGrad's trained weights), an optional delayed-gradient simulator,
 * and a clean stop when the loss becomes non-finite.
 *
 *   const { train, test } = data.digits({ seed: 0 });
 *   const r = data.fitClassifier({ train, test, classes: 10, hidden: [32], optimizer: optim.adam({ lr: 1e-2 }), steps: 500, batch: 64, seed: 0 });
 *   r.trainLoss; r.testAccuracy; r.records   // [{step, loss, trainLoss, trainAccuracy, testAccuracy}]
 */
import * as tf from '../backend/tf.js';
import { Mlp } from '../nn/mlp.js';
import { crossEntropy } from '../nn/losses.js';
import type { ActivationName } from '../nn/activations.js';
import { rng } from './random.js';
import { DelayedGradients, type DelaySpec } from '../delay/index.js';

export interface LabelledData {
  x: tf.Tensor2D;
  /** Class indices: an int32 tensor, or their values. */
  labels: Int32Array;
}

/** What the loop needs from an optimizer (every optilab optimizer has it). */
export interface StepOptimizer extends tf.Optimizer {
  step(closure: () => tf.Scalar, varList?: tf.Variable[]): number;
  withEvalParams?<T>(fn: () => T): T;
  applyGradients(grads: tf.NamedTensorMap, extra?: { value?: tf.Scalar }): void;
}

export interface FitOptions {
  train: LabelledData;
  test?: LabelledData;
  classes: number;
  /** Hidden widths (default [] : linear softmax regression). */
  hidden?: number[];
  activation?: ActivationName;
  /** Seed of the initial weights and of the minibatch order. */
  seed?: number;
  optimizer: StepOptimizer;
  steps: number;
  /** Minibatch size (default: the whole training set). */
  batch?: number;
  /** Evaluate on the full data every `evalEvery` steps (default steps / 20) and after the last step. */
  evalEvery?: number;
  /** Train through `delay.DelayedGradients` with this delay. */
  delay?: DelaySpec;
  /** Called with each evaluation record. */
  onEval?: (record: FitRecord) => void;
  /** Called after every step with its minibatch loss (e.g. to read step sizes from the optimizer). */
  onStep?: (step: number, loss: number) => void;
  /**
   * Called once after training (unless it diverged), at the optimizer's evaluation point, with the
   * network and the full training loss as a closure over its variables (e.g. to measure sharpness).
   */
  atEnd?: (net: Mlp, trainLoss: () => tf.Scalar) => void;
}

export interface FitRecord {
  step: number;
  /** Mean minibatch loss since the previous evaluation. */
  loss: number;
  trainLoss: number;
  trainAccuracy: number;
  testAccuracy?: number;
  testLoss?: number;
}

export interface FitResult {
  records: FitRecord[];
  /** True when a loss became NaN or infinite (training stopped there). */
  diverged: boolean;
  /** Full-data training loss at the end (Infinity when diverged). */
  trainLoss: number;
  trainAccuracy: number;
  /** Test accuracy at the end (NaN without test data; 0 when diverged). */
  testAccuracy: number;
  /** Minibatch loss of every step. */
  stepLosses: number[];
  seconds: number;
}

/** Mean softmax cross-entropy of `logits` against integer labels (`nn.crossEntropy`). */
export { crossEntropy };

function evaluate(net: Mlp, d: LabelledData, y: tf.Tensor1D): { loss: number; accuracy: number } {
  return tf.tidy(() => {
    const logits = net.apply(d.x);
    const loss = crossEntropy(logits, y).dataSync()[0];
    const pred = tf.argMax(logits, 1).dataSync();
    let ok = 0;
    for (let i = 0; i < pred.length; i++) if (pred[i] === d.labels[i]) ok++;
    return { loss, accuracy: ok / pred.length };
  });
}

export function fitClassifier(o: FitOptions): FitResult {
  const t0 = Date.now();
  const { train, test, classes, hidden = [], activation = 'relu', seed = 0, optimizer, steps } = o;
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`fitClassifier: steps must be a non-negative integer, got ${steps}`);
  const n = train.labels.length;
  const batch = o.batch ?? n;
  if (!Number.isInteger(batch) || batch < 1 || batch > n) throw new RangeError(`fitClassifier: batch must be an integer in [1, ${n}], got ${batch}`);
  const evalEvery = o.evalEvery ?? Math.max(1, Math.round(steps / 20));
  const net = new Mlp({ sizes: [train.x.shape[1], ...hidden, classes], activation, init: 'he-normal', seed });
  const vars = net.variables;
  const yTrain = tf.tensor1d(train.labels, 'int32');
  const yTest = test ? tf.tensor1d(test.labels, 'int32') : undefined;
  const order = rng(seed, 'fit-batches');
  let perm = order.permutation(n);
  let at = 0;
  let xb: tf.Tensor2D | undefined;
  let yb: tf.Tensor1D | undefined;
  const nextBatch = () => {
    if (batch === n) {
      xb = train.x;
      yb = yTrain;
      return;
    }
    tf.dispose([xb!, yb!].filter(Boolean));
    if (at + batch > n) {
      perm = order.permutation(n);
      at = 0;
    }
    const idx = tf.tensor1d(Int32Array.from(perm.slice(at, at + batch)), 'int32');
    at += batch;
    xb = tf.keep(tf.gather(train.x, idx));
    yb = tf.keep(tf.gather(yTrain, idx));
    idx.dispose();
  };
  const loss = () => crossEntropy(net.apply(xb!), yb!);
  const sim = o.delay !== undefined ? new DelayedGradients(optimizer, vars, { delay: o.delay, seed }) : undefined;
  const records: FitRecord[] = [];
  const stepLosses: number[] = [];
  let diverged = false;
  let sum = 0;
  let count = 0;
  const measure = (step: number) => {
    const run = () => {
      const tr = evaluate(net, train, yTrain);
      const te = test ? evaluate(net, test, yTest!) : undefined;
      return { tr, te };
    };
    const { tr, te } = optimizer.withEvalParams ? optimizer.withEvalParams(run) : run();
    const rec: FitRecord = { step, loss: count ? sum / count : tr.loss, trainLoss: tr.loss, trainAccuracy: tr.accuracy, ...(te ? { testAccuracy: te.accuracy, testLoss: te.loss } : {}) };
    sum = 0;
    count = 0;
    records.push(rec);
    o.onEval?.(rec);
    return rec;
  };
  try {
    for (let step = 1; step <= steps; step++) {
      nextBatch();
      const v = sim ? sim.step(loss) : optimizer.step(loss, vars);
      stepLosses.push(v);
      o.onStep?.(step, v);
      if (!Number.isFinite(v)) {
        diverged = true;
        break;
      }
      sum += v;
      count++;
      if (step % evalEvery === 0 || step === steps) {
        const rec = measure(step);
        if (!Number.isFinite(rec.trainLoss)) {
          diverged = true;
          break;
        }
      }
    }
    if (!diverged && o.atEnd) {
      const cb = () => o.atEnd!(net, () => tf.tidy(() => crossEntropy(net.apply(train.x), yTrain)));
      if (optimizer.withEvalParams) optimizer.withEvalParams(cb);
      else cb();
    }
    const last = records[records.length - 1];
    return {
      records,
      diverged,
      trainLoss: diverged || !last ? (diverged ? Infinity : NaN) : last.trainLoss,
      trainAccuracy: diverged || !last ? 0 : last.trainAccuracy,
      testAccuracy: test ? (diverged || !last ? 0 : last.testAccuracy!) : NaN,
      stepLosses,
      seconds: (Date.now() - t0) / 1000,
    };
  } finally {
    if (batch !== n) tf.dispose([xb!, yb!].filter(Boolean));
    sim?.dispose();
    tf.dispose([yTrain, ...(yTest ? [yTest] : [])]);
    net.dispose();
  }
}
