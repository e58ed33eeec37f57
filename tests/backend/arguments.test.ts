/**
 * Public functions refuse a wrong argument at the call, naming the function, the
 * argument, what is accepted and what was passed (before the checks these failed deep
 * inside with "Cannot read properties of undefined (reading 'rank')" and the like).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, nn, operators, linalg, curvature, ad, data, generative, experiments } from '../../lib/index.js';

const net = (x: tf.Tensor2D) => x;

test('each function names the argument, what it accepts and what it got', () => {
  const logits = tf.zeros([2, 3]);
  const labels = tf.tensor1d([0, 1], 'int32');
  const m = linalg.Matrix.from([[4, 1], [1, 3]]);
  const cases: [string, () => unknown, RegExp][] = [
    ['nn.crossEntropy', () => nn.crossEntropy([[0, 1]] as never, labels), /crossEntropy: logits must be a tf\.Tensor of shape \[batch, classes\], got an array of length 1 \(wrap numbers with tf\.tensor\)$/],
    ['nn.crossEntropy', () => nn.crossEntropy(logits, undefined as never), /crossEntropy: labels must be a tf\.Tensor of shape \[batch\] of class indices, got undefined$/],
    ['nn.accuracy', () => nn.accuracy(logits, [0, 1] as never), /accuracy: labels must be a tf\.Tensor .*, got an array of length 2/],
    ['operators.mseLoss', () => operators.mseLoss(undefined as never, logits), /mseLoss: pred must be a tf\.Tensor of shape \[batch, \.\.\.\], got undefined$/],
    ['operators.relativeL2Loss', () => operators.relativeL2Loss(logits, 3 as never), /relativeL2Loss: y must be a tf\.Tensor .*, got the number 3$/],
    ['operators.errorSummary', () => operators.errorSummary(logits, new Float32Array(6) as never), /errorSummary: y must be .*got a Float32Array/],
    ['linalg.matmul', () => linalg.matmul([[1]] as never, m), /linalg\.matmul: a must be a linalg\.Matrix \(linalg\.Matrix\.from\(rows\)\), got an array of length 1$/],
    ['linalg.matvec', () => linalg.matvec(m, ['1', 2] as never), /linalg\.matvec: x must be an array of numbers, got entry 0 is the string '1'$/],
    ['linalg.norm', () => linalg.norm(undefined as never), /linalg\.norm: a \(a linalg\.Matrix or numbers\) must be an array of numbers, got undefined$/],
    ['linalg.choleskySolve', () => linalg.choleskySolve(undefined as never, [1, 2]), /linalg\.choleskySolve: L must be the linalg\.Matrix that linalg\.cholesky returned, got undefined$/],
    ['curvature.ntkGram', () => curvature.ntkGram(undefined as never), /ntkGram: J1 must be a tf\.Tensor of shape \[N1, P\], got undefined$/],
    ['curvature.gaussNewton', () => curvature.gaussNewton(logits as tf.Tensor2D, [1, 2] as never), /gaussNewton: weights must be a tf\.Tensor of shape \[2\] \(one per row of J\) or a number, got an array of length 2/],
    ['ad.gradients', () => ad.gradients(() => tf.sum(logits), logits as never), /ad\.gradients: xs must be an array of tf\.Tensor, got a float32 tensor of shape \[2, 3\]$/],
    ['ad.gradients', () => ad.gradients(tf.sum(logits) as never, [logits]), /ad\.gradients: f must be a function \(\) => tf\.Tensor, got a float32 tensor of shape \[\]$/],
    ['data.stats', () => data.stats([1, undefined, 3] as never), /stats: values must be an array of numbers, got entry 1 is undefined$/],
    ['data.summarize', () => data.summarize(undefined as never), /summarize: records must be an array \(e\.g\. from runSeeds\), got undefined$/],
    ['data.finals', () => data.finals({} as never), /finals: records must be an array .*got an object \(Object\)$/],
    ['generative.flowMatchingLoss', () => generative.flowMatchingLoss(net, tf.zeros([4]) as never, tf.zeros([4, 2])), /flowMatchingLoss: x0 must be a tf\.Tensor of shape \[n, d\], got a float32 tensor of shape \[4\]$/],
    ['generative.edmLoss', () => generative.edmLoss(undefined as never, tf.zeros([4, 2])), /edmLoss: net must be a network .*, got undefined$/],
    ['generative.diffusionLoss', () => generative.diffusionLoss(net, 'vp' as never, tf.zeros([4, 2])), /diffusionLoss: path must be a GaussianPath \(e\.g\. generative\.vpPath\(\)\), got the string 'vp'$/],
    ['nn.mlp', () => nn.mlp(undefined as never), /nn\.mlp: config must be an options object such as \{ sizes: \[2, 32, 1\] \}, got undefined$/],
    ['nn.mlp', () => nn.mlp([2, 32, 1] as never), /nn\.mlp: config must be an options object .*, got an array of length 3$/],
    ['experiments.train', () => experiments.train(undefined as never), /train: options must be an options object such as \{ variables, loss, optimizer, steps \}, got undefined$/],
  ];
  for (const [name, call, message] of cases) assert.throws(call, message, name);
  const disposed = tf.zeros([2, 3]);
  disposed.dispose();
  assert.throws(() => nn.crossEntropy(disposed, labels), /logits must be .*, got a float32 tensor of shape \[2, 3\] \(disposed\)/);
  tf.dispose([logits, labels]);
});
