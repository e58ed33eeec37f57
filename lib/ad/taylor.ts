/**
 * Input derivatives of networks for PDE residuals: u, du/dx_i, d2u/dx_i dx_j at N points.
 *
 * Two methods, same result:
 * - 'taylor' (MLPs only, the default for them): pushes the derivatives forward through
 *   the layers with the network, in one pass. With h' = dh/dx_i and h'' = d2h/dx_i dx_j,
 *   a dense layer maps them linearly (z' = h' W, no bias) and an activation s gives
 *     a' = s'(z) z',   a'' = s''(z) z'_i z'_j + s'(z) z''.
 *   s, s', s'' come from one evaluation of the activation (one sigmoid for tanh). The result is
 *   built from ordinary TF.js ops, so the loss can be back-propagated to the parameters.
 * - 'nested': reverse mode through `tf.grad`, for any model: one backward pass for all
 *   first derivatives and one per distinct i among the second-derivative pairs.
 */
import * as tf from '../backend/tf.js';
import { Mlp } from '../nn/mlp.js';
import { gradients } from './core.js';

type Tensor = tf.Tensor;

export interface DerivativeRequest {
  /** Input dimensions i for du/dx_i. */
  first?: number[];
  /** Pairs [i, j] for d2u/dx_i dx_j (i = j for pure second derivatives). */
  second?: Array<[number, number]>;
}

export interface InputDerivatives {
  /** u(x): [N, out]. */
  u: tf.Tensor2D;
  /** first[k] = du/dx_{request.first[k]}: [N, out]. */
  first: tf.Tensor2D[];
  /** second[k] = d2u/dx_i dx_j for request.second[k]: [N, out]. */
  second: tf.Tensor2D[];
  /** du/dx_i for a requested i. */
  d(i: number): tf.Tensor2D;
  /** d2u/dx_i dx_j for a requested pair (in either order). */
  d2(i: number, j: number): tf.Tensor2D;
}

export type InputModel = Mlp | ((x: tf.Tensor2D) => tf.Tensor2D);

export interface InputDerivativeOptions {
  /** 'taylor' (MLPs; the default for them) or 'nested' (any model; the default for functions). */
  method?: 'taylor' | 'nested';
}

function checkRequest(request: DerivativeRequest, inputDim: number): { first: number[]; second: Array<[number, number]> } {
  const first = request.first ?? [];
  const second = request.second ?? [];
  const checkDim = (i: number, where: string) => {
    if (!Number.isInteger(i) || i < 0 || i >= inputDim) {
      throw new Error(`ad.inputDerivatives: ${where} = ${i} is not an input dimension (0..${inputDim - 1})`);
    }
  };
  first.forEach((i, k) => checkDim(i, `first[${k}]`));
  second.forEach((pair, k) => {
    if (!Array.isArray(pair) || pair.length !== 2) throw new Error(`ad.inputDerivatives: second[${k}] must be a pair [i, j]`);
    checkDim(pair[0], `second[${k}][0]`);
    checkDim(pair[1], `second[${k}][1]`);
  });
  return { first, second };
}

function result(u: tf.Tensor2D, first: number[], firstTensors: tf.Tensor2D[], second: Array<[number, number]>, secondTensors: tf.Tensor2D[]): InputDerivatives {
  return {
    u,
    first: firstTensors,
    second: secondTensors,
    d(i) {
      const k = first.indexOf(i);
      if (k < 0) throw new Error(`InputDerivatives.d(${i}): du/dx_${i} was not requested (first: [${first}])`);
      return firstTensors[k];
    },
    d2(i, j) {
      const k = second.findIndex(([a, b]) => (a === i && b === j) || (a === j && b === i));
      if (k < 0) throw new Error(`InputDerivatives.d2(${i}, ${j}): not requested (second: ${JSON.stringify(second)})`);
      return secondTensors[k];
    },
  };
}

/** Derivatives of the model's output with respect to its inputs (see the module comment). */
export function inputDerivatives(
  model: InputModel, x: tf.Tensor2D, request: DerivativeRequest, options: InputDerivativeOptions = {},
): InputDerivatives {
  if (!(x instanceof tf.Tensor) || x.rank !== 2) throw new Error('ad.inputDerivatives: x must be a [N, inputDim] tensor');
  const method = options.method ?? (model instanceof Mlp ? 'taylor' : 'nested');
  const { first, second } = checkRequest(request, x.shape[1]);
  if (method === 'taylor') {
    if (!(model instanceof Mlp)) throw new Error("ad.inputDerivatives: method 'taylor' needs an nn.Mlp; use method 'nested' for other models");
    return taylorMlp(model, x, first, second);
  }
  if (method !== 'nested') throw new Error(`ad.inputDerivatives: method must be 'taylor' or 'nested', got '${method as string}'`);
  const f = model instanceof Mlp ? (t: tf.Tensor2D) => model.apply(t) : model;
  return nested(f, x, first, second);
}

/** A batch of values with derivative channels; null stands for an all-zero channel. */
interface Jet { value: Tensor; first: Tensor[]; second: Array<Tensor | null> }

/** Row i of a matrix, [1, cols]. */
const row = (m: Tensor, i: number) => tf.slice(m, [i, 0], [1, m.shape[1] as number]);

/**
 * A dense layer applied to a jet: one product per channel, the bias on the value only.
 * (Stacking the channels into one product needs a split afterwards, which costs more
 * than the products on the wasm backend.)
 */
function denseJet(jet: Jet, W: Tensor, b: Tensor): Jet {
  const times = (t: Tensor) => tf.matMul(t as tf.Tensor2D, W as tf.Tensor2D);
  return {
    value: tf.add(times(jet.value), b),
    first: jet.first.map(times),
    second: jet.second.map((t) => (t === null ? null : times(t))),
  };
}

/** The first dense layer on the raw input: dz/dx_i is row i of W, and no second derivative. */
function inputLayerJet(x: Tensor, W: Tensor, b: Tensor, dims: number[], pairs: Array<[number, number]>): Jet {
  return {
    value: tf.add(tf.matMul(x as tf.Tensor2D, W as tf.Tensor2D), b),
    first: dims.map((i) => row(W, i)),
    second: pairs.map(() => null),
  };
}

function activationJet(net: Mlp, jet: Jet, dims: number[], pairs: Array<[number, number]>): Jet {
  const [s, s1, s2] = net.activation.jet(jet.value, pairs.length > 0 ? 2 : 1);
  const first = jet.first.map((t) => tf.mul(s1, t));
  const second = pairs.map(([i, j], k) => {
    const zi = jet.first[dims.indexOf(i)];
    const zj = jet.first[dims.indexOf(j)];
    const curvature = tf.mul(s2, i === j ? tf.square(zi) : tf.mul(zi, zj));
    const z2 = jet.second[k];
    return z2 === null ? curvature : tf.add(curvature, tf.mul(s1, z2));
  });
  return { value: s, first, second };
}

function taylorMlp(net: Mlp, x: tf.Tensor2D, first: number[], second: Array<[number, number]>): InputDerivatives {
  if (x.shape[1] !== net.inputDim) throw new Error(`ad.inputDerivatives: x must have shape [N, ${net.inputDim}], got [${x.shape}]`);
  // Channels for every dimension that a first or a second derivative needs.
  const dims = [...new Set([...first, ...second.flat()])].sort((a, b) => a - b);
  const pairs = second.map(([i, j]) => [Math.min(i, j), Math.max(i, j)] as [number, number]);
  const n = x.shape[0];
  const layers = net.layers;
  const out = tf.tidy(() => {
    let jet: Jet;
    if (net.embedding === null) {
      jet = inputLayerJet(x, layers[0].W, layers[0].b, dims, pairs);
    } else {
      const e = net.embedding.jet(x, dims, pairs);
      jet = denseJet({ value: e.value, first: e.first, second: e.second }, layers[0].W, layers[0].b);
    }
    for (let l = 1; l < layers.length; l++) {
      jet = activationJet(net, jet, dims, pairs);
      jet = denseJet(jet, layers[l].W, layers[l].b);
    }
    const full = (t: Tensor | null) =>
      (t === null ? tf.zeros([n, net.outputDim]) : t.shape[0] === n ? t : tf.tile(t, [n, 1])) as tf.Tensor2D;
    return {
      u: jet.value as tf.Tensor2D,
      first: first.map((i) => full(jet.first[dims.indexOf(i)])),
      second: jet.second.map(full),
    };
  });
  return result(out.u, first, out.first, second, out.second);
}

function nested(f: (x: tf.Tensor2D) => tf.Tensor2D, x: tf.Tensor2D, first: number[], second: Array<[number, number]>): InputDerivatives {
  const out = tf.tidy(() => {
    const u = f(x);
    if (u.rank !== 2 || u.shape[0] !== x.shape[0]) {
      throw new Error(`ad.inputDerivatives: the model must map [N, d] to [N, out], got [${u.shape}]`);
    }
    const outputs = u.shape[1];
    const column = (t: Tensor, j: number) => tf.slice(t, [0, j], [t.shape[0] as number, 1]);
    // For each output k: g_k = d u_k / dx ([N, d], rows independent) and h_{k,i} = d (g_k)_i / dx.
    const firstCols: Tensor[][] = first.map(() => []);
    const secondCols: Tensor[][] = second.map(() => []);
    for (let k = 0; k < outputs; k++) {
      const gradOf = (t: tf.Tensor2D) => gradients(() => tf.sum(column(f(t), k)), [t]).grads[0];
      const g = gradOf(x);
      first.forEach((i, m) => firstCols[m].push(column(g, i)));
      const needed = [...new Set(second.map(([i]) => i))];
      for (const i of needed) {
        const h = gradients(() => tf.sum(column(gradOf(x), i)), [x]).grads[0];
        second.forEach(([a, b], m) => { if (a === i) secondCols[m].push(column(h, b)); });
      }
    }
    const join = (cols: Tensor[]) => (cols.length === 1 ? cols[0] : tf.concat(cols, 1)) as tf.Tensor2D;
    return { u, first: firstCols.map(join), second: secondCols.map(join) };
  });
  return result(out.u, first, out.first, second, out.second);
}
