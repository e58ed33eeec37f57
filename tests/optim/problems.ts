/** The test problems of tests/fixtures/gen_optim.py, rebuilt in TF.js from the fixture's data. */
import assert from 'node:assert/strict';
import { tf, optim } from '../../lib/index.js';
import { readFixture } from '../helpers.js';

export interface Problem {
  params: Record<string, tf.Variable>;
  loss: () => tf.Scalar;
  dispose(): void;
}

interface ProblemData {
  rosenbrock: { init: { xy: number[] } };
  lsq: { init: { w: number[][]; b: number[] }; x: number[][]; y: number[][] };
}

let counter = 0;
let data: ProblemData | undefined;

export function problemData(): ProblemData {
  data ??= readFixture<{ problems: ProblemData }>('optim_torch.json').problems;
  return data;
}

/** Rosenbrock's function (1 - x)^2 + 100 (y - x^2)^2 of xy = [x, y], times `sign`. */
export function rosenbrockLoss(xy: tf.Variable, sign = 1): () => tf.Scalar {
  return () =>
    tf.tidy(() => {
      const x = tf.slice(xy, 0, 1);
      const y = tf.slice(xy, 1, 1);
      const f = tf.add(tf.square(tf.sub(1, x)), tf.mul(100, tf.square(tf.sub(y, tf.square(x)))));
      return tf.mul(tf.sum(f), sign) as tf.Scalar;
    });
}

/** A fresh instance of a problem; variables get unique names. */
export function makeProblem(name: 'rosenbrock' | 'lsq', maximize = false): Problem {
  const d = problemData();
  const id = counter++;
  const sign = maximize ? -1 : 1;
  if (name === 'rosenbrock') {
    const xy = tf.variable(tf.tensor1d(d.rosenbrock.init.xy), true, `rosen${id}/xy`);
    return { params: { xy }, loss: rosenbrockLoss(xy, sign), dispose: () => xy.dispose() };
  }
  const w = tf.variable(tf.tensor2d(d.lsq.init.w), true, `lsq${id}/w`);
  const b = tf.variable(tf.tensor1d(d.lsq.init.b), true, `lsq${id}/b`);
  const X = tf.keep(tf.tensor2d(d.lsq.x));
  const Y = tf.keep(tf.tensor2d(d.lsq.y));
  const loss = () => tf.tidy(() => tf.mul(tf.mean(tf.square(tf.sub(tf.add(tf.matMul(X, w), b), Y))), sign) as tf.Scalar);
  return { params: { w, b }, loss, dispose: () => tf.dispose([w, b, X, Y]) };
}

/** Parameter values keyed like the fixture (short names without the instance prefix). */
export function snapshot(p: Problem): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(p.params)) out[k] = Array.from(v.dataSync());
  return out;
}

/** Every factory the fixtures name. */
export const FACTORIES: Record<string, (config: any) => tf.Optimizer> = optim as unknown as Record<string, (config: any) => tf.Optimizer>;

/** A small LayersModel trained with compile/fit and `optimizer` for 30 epochs: the loss stays finite and decreases. */
export async function assertTrainsLayersModel(name: string, optimizer: tf.Optimizer): Promise<void> {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 8, inputShape: [3], activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
      tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }),
    ],
  });
  model.compile({ optimizer, loss: 'meanSquaredError' });
  const x = tf.tensor2d([[0, 1, 2], [1, 0, -1], [2, 1, 0], [-1, 2, 1], [0.5, -0.5, 1], [1, 1, 1]]);
  const y = tf.tensor2d([[1], [0], [2], [1], [0.5], [1.5]]);
  const h = await model.fit(x, y, { epochs: 30, batchSize: 6, verbose: 0 });
  const losses = h.history.loss as number[];
  assert.ok(losses.every(Number.isFinite), `${name}: non-finite loss ${losses}`);
  assert.ok(losses[losses.length - 1] < losses[0], `${name}: loss did not decrease: ${losses[0]} -> ${losses[losses.length - 1]}`);
  model.optimizer.dispose();
  model.dispose();
  tf.dispose([x, y]);
}

/**
 * `steps` optimizer steps on the least-squares problem (after two warm-up steps that create the
 * state) leave TF.js's tensor count unchanged; with `evalParams`, so does evaluating at the
 * optimizer's evaluation point. The optimizer is disposed.
 */
export function assertNoTensorLeaks(opt: optim.OptilabOptimizer, steps: number, { evalParams = false } = {}): void {
  const p = makeProblem('lsq');
  const vars = Object.values(p.params);
  opt.step(p.loss, vars);
  opt.step(p.loss, vars);
  const before = tf.memory().numTensors;
  for (let i = 0; i < steps; i++) opt.step(p.loss, vars);
  if (evalParams) (opt as optim.TransformOptimizer).withEvalParams(() => p.loss().dispose());
  assert.equal(tf.memory().numTensors, before);
  opt.dispose();
  p.dispose();
}
