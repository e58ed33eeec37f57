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
import { canFuse, fusedJet } from './fused_jet.js';

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
  /**
   * Taylor mode for a tanh MLP without input embedding runs as one fused WebAssembly
   * node (./fused_jet.ts) unless this is false (or OPTILAB_FUSED_JET=0); same values and
   * gradients, several times faster. Other MLPs always take the op-by-op path.
   */
  fused?: boolean;
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
    return taylorMlp(model, x, first, second, options.fused ?? true);
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

type TapeFunctions = {
  forwardFunc: (backend: unknown, save: (tensors: Tensor[]) => void) => Tensor[];
  backwardsFunc: (dys: Tensor | Tensor[], saved: Tensor[]) => Record<string, () => Tensor>;
  inputs: Record<string, Tensor>;
};

/** Sums a gradient broadcast along rows back to a [1, w] row when the input was one. */
function reduceTo(g: Tensor, shape: number[]): Tensor {
  return g.shape[0] === shape[0] ? g : tf.sum(g, 0, true);
}

/**
 * The activation applied to a jet, as one node on the tape with a hand-written backward
 * pass (TF.js's customGrad allows a single output; the engine's kernel-function path
 * allows several). Forward, with s, s1, s2 the activation and its derivatives at z:
 *   a = s(z),  da_k = s1 dz_k,  d2a_q = s2 dz_i dz_j + s1 d2z_q   (pair q = (i, j)).
 * Backward, with adjoints A, dA_k, d2A_q and s3 the third derivative:
 *   zbar     = s1 A + s2 (sum_k dA_k dz_k + sum_q d2A_q d2z_q) + s3 sum_q d2A_q dz_i dz_j
 *   dzbar_k  = s1 dA_k + s2 sum_q d2A_q (dz_j [i = k] + dz_i [j = k])
 *   d2zbar_q = s1 d2A_q
 * The backward reads only the node's saved inputs, so when an outer tape records it (a
 * derivative of this derivative) everything stays connected.
 */
function activationJet(net: Mlp, jet: Jet, dims: number[], pairs: Array<[number, number]>): Jet {
  const act = net.activation;
  const m = jet.first.length;
  const pairIdx = pairs.map(([i, j]) => [dims.indexOf(i), dims.indexOf(j)] as [number, number]);
  const secondPresent = jet.second.map((t) => t !== null);
  const inputList = [jet.value, ...jet.first, ...jet.second.filter((t): t is Tensor => t !== null)];
  const inputs: Record<string, Tensor> = {};
  inputList.forEach((t, i) => { inputs[i] = t; });
  /** Splits a flat input list back into (z, dz, d2z with nulls). */
  const unpack = (list: Tensor[]) => {
    let k = 1 + m;
    return { z: list[0], d1: list.slice(1, 1 + m), d2: secondPresent.map((p) => (p ? list[k++] : null)) };
  };
  const product = (d1: Tensor[], i: number, j: number) => (i === j ? tf.square(d1[i]) : tf.mul(d1[i], d1[j]));
  const addTo = (acc: Tensor | null, t: Tensor) => (acc === null ? t : tf.add(acc, t));
  const forwardFunc: TapeFunctions['forwardFunc'] = (_backend, save) => {
    save(inputList);
    const { z, d1, d2 } = unpack(inputList);
    const [s, s1, s2] = act.jet(z, pairs.length > 0 ? 2 : 1);
    const first = d1.map((t) => tf.mul(s1, t));
    const second = pairIdx.map(([i, j], q) => {
      const curvature = tf.mul(s2, product(d1, i, j));
      const z2 = d2[q];
      return z2 === null ? curvature : tf.add(curvature, tf.mul(s1, z2));
    });
    return [s, ...first, ...second];
  };
  const backwardsFunc: TapeFunctions['backwardsFunc'] = (dys, saved) => {
    const g = Array.isArray(dys) ? dys : [dys];
    const { z, d1, d2 } = unpack(saved);
    const [, s1, s2, s3] = act.jet(z, pairs.length > 0 ? 3 : 2);
    const gFirst = g.slice(1, 1 + m);
    const gSecond = g.slice(1 + m);
    let bySecond: Tensor | null = null;
    let byThird: Tensor | null = null;
    gFirst.forEach((gk, k) => { bySecond = addTo(bySecond, tf.mul(gk, d1[k])); });
    pairIdx.forEach(([i, j], q) => {
      const z2 = d2[q];
      if (z2 !== null) bySecond = addTo(bySecond, tf.mul(gSecond[q], z2));
      byThird = addTo(byThird, tf.mul(gSecond[q], product(d1, i, j)));
    });
    const grads: Record<string, () => Tensor> = {
      0: () => {
        let zBar = tf.mul(s1, g[0]);
        if (bySecond !== null) zBar = tf.add(zBar, tf.mul(s2, bySecond));
        if (byThird !== null) zBar = tf.add(zBar, tf.mul(s3, byThird));
        return zBar;
      },
    };
    d1.forEach((t, k) => {
      grads[1 + k] = () => {
        let cross: Tensor | null = null;
        pairIdx.forEach(([i, j], q) => {
          if (i === k) cross = addTo(cross, tf.mul(gSecond[q], d1[j]));
          if (j === k) cross = addTo(cross, tf.mul(gSecond[q], d1[i]));
        });
        const bar = tf.mul(s1, gFirst[k]);
        return reduceTo(cross === null ? bar : tf.add(bar, tf.mul(s2, cross)), t.shape);
      };
    });
    let input = 1 + m;
    secondPresent.forEach((present, q) => {
      if (present) grads[input++] = () => tf.mul(s1, gSecond[q]);
    });
    return grads;
  };
  const engine = tf.engine() as unknown as { runKernelFunc(p: TapeFunctions): Tensor | Tensor[] };
  const outs = engine.runKernelFunc({ forwardFunc, backwardsFunc, inputs });
  const list = Array.isArray(outs) ? outs : [outs];
  return { value: list[0], first: list.slice(1, 1 + m), second: list.slice(1 + m) };
}

/** The jet [u, du/dx_i for i in dims, d2u/dx_i dx_j for each pair], each [N, out], op by op. */
function jetTensors(net: Mlp, x: tf.Tensor2D, dims: number[], pairs: Array<[number, number]>): Tensor[] {
  const n = x.shape[0];
  const layers = net.layers;
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
  return [jet.value, ...jet.first.map(full), ...jet.second.map(full)];
}

function taylorMlp(net: Mlp, x: tf.Tensor2D, first: number[], second: Array<[number, number]>, fused: boolean): InputDerivatives {
  if (x.shape[1] !== net.inputDim) throw new Error(`ad.inputDerivatives: x must have shape [N, ${net.inputDim}], got [${x.shape}]`);
  // Channels for every dimension that a first or a second derivative needs.
  const dims = [...new Set([...first, ...second.flat()])].sort((a, b) => a - b);
  const pairs = second.map(([i, j]) => [Math.min(i, j), Math.max(i, j)] as [number, number]);
  const out = tf.tidy(() => {
    const jet = fused && x.dtype === 'float32' && canFuse(net, 1 + dims.length + pairs.length, x.shape[0])
      ? fusedJet(net, x, dims, pairs, (xs) => jetTensors(net, xs, dims, pairs))
      : jetTensors(net, x, dims, pairs);
    return {
      u: jet[0] as tf.Tensor2D,
      first: first.map((i) => jet[1 + dims.indexOf(i)] as tf.Tensor2D),
      second: jet.slice(1 + dims.length) as tf.Tensor2D[],
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
