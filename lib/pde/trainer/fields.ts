/**
 * From a network (and an optional exact output transform) to the named fields a
 * residual or condition reads: outputs, input coordinates and the derivatives it
 * listed, all [N, 1]. Network derivatives come from `ad.inputDerivatives` (Taylor mode
 * for MLPs: one forward pass carries u, u_x, u_xx). With a transform
 * u = A(x) + B(x) N(x), the product rule combines N's jet with the jets of A and B,
 * which do not depend on the parameters and are computed once per point set.
 */
import * as tf from '../../backend/tf.js';
import { inputDerivatives, type InputDerivatives } from '../../ad/taylor.js';
import type { Mlp } from '../../nn/mlp.js';
import { type DerivativeName, type Fields, type HardConstraint, parseDerivative } from '../zoo/problem.js';

type T = tf.Tensor2D;

/** Which input derivatives to compute for a set of derivative names. */
export interface FieldPlan {
  derivatives: DerivativeName[];
  first: number[];
  second: Array<[number, number]>;
}

export function planFields(names: string[], outputs: string[], inputs: string[], owner: string): FieldPlan {
  const derivatives = [...new Set(names)].map((n) => parseDerivative(n, outputs, inputs, owner));
  const first = new Set<number>();
  const second: Array<[number, number]> = [];
  for (const d of derivatives) {
    if (d.inputs.length === 1) first.add(d.inputs[0]);
    else {
      const [i, j] = [Math.min(...d.inputs), Math.max(...d.inputs)];
      if (!second.some(([a, b]) => a === i && b === j)) second.push([i, j]);
      // the product rule of a transform needs the first derivatives of both
      first.add(i);
      first.add(j);
    }
  }
  return { derivatives, first: [...first].sort((a, b) => a - b), second };
}

/** The jets of a transform's offset and factor at fixed points (kept; dispose with the point set). */
export interface TransformJets { A: InputDerivatives | null; B: InputDerivatives }

export function transformJets(hard: HardConstraint, x: T, plan: FieldPlan): TransformJets {
  const request = { first: plan.first, second: plan.second };
  const jet = (f: (x: T) => T) => {
    const r = inputDerivatives(f, x, request, { method: 'nested' });
    tf.keep(r.u);
    r.first.forEach((t) => tf.keep(t));
    r.second.forEach((t) => tf.keep(t));
    return r;
  };
  return { A: hard.offset ? jet(hard.offset) : null, B: jet(hard.factor) };
}

export function disposeJets(j: TransformJets | null | undefined): void {
  if (!j) return;
  for (const r of [j.A, j.B]) if (r) tf.dispose([r.u, ...r.first, ...r.second]);
}

/** The network output (and requested derivatives) with the transform applied, [N, outputs] each. */
export function outputJet(net: Mlp, x: T, plan: FieldPlan, jets: TransformJets | null): { u: T; d: (i: number) => T; d2: (i: number, j: number) => T } {
  const needs = plan.first.length > 0 || plan.second.length > 0;
  const N: InputDerivatives | null = needs ? inputDerivatives(net, x, { first: plan.first, second: plan.second }) : null;
  const n = N ? N.u : net.apply(x);
  if (jets === null) {
    return { u: n, d: (i) => N!.d(i), d2: (i, j) => N!.d2(i, j) };
  }
  const { A, B } = jets;
  const withOffset = (t: T, a: T | undefined) => (a === undefined ? t : (tf.add(t, a) as T));
  return {
    u: withOffset(tf.mul(B.u, n) as T, A?.u),
    // u_i = A_i + B_i N + B N_i
    d: (i) => withOffset(tf.add(tf.mul(B.d(i), n), tf.mul(B.u, N!.d(i))) as T, A?.d(i)),
    // u_ij = A_ij + B_ij N + B_i N_j + B_j N_i + B N_ij
    d2: (i, j) => withOffset(
      tf.addN([tf.mul(B.d2(i, j), n), tf.mul(B.d(i), N!.d(j)), tf.mul(B.d(j), N!.d(i)), tf.mul(B.u, N!.d2(i, j))]) as T,
      A?.d2(i, j),
    ),
  };
}

const column = (t: T, k: number) => (t.shape[1] === 1 ? t : (tf.slice(t, [0, k], [t.shape[0], 1]) as T));

/** The named fields at points x, as a record that names what is missing when a key is not there. */
export function computeFields(net: Mlp, x: T, plan: FieldPlan, jets: TransformJets | null, outputs: string[], inputs: string[], owner: string): Fields {
  const jet = outputJet(net, x, plan, jets);
  const fields: Fields = {};
  outputs.forEach((o, k) => { fields[o] = outputs.length === 1 ? jet.u : column(jet.u, k); });
  inputs.forEach((name, i) => { fields[name] = column(x, i); });
  for (const d of plan.derivatives) {
    const t = d.inputs.length === 1 ? jet.d(d.inputs[0]) : jet.d2(d.inputs[0], d.inputs[1]);
    fields[d.name] = outputs.length === 1 ? t : column(t, d.output);
  }
  return new Proxy(fields, {
    get(target, key) {
      if (typeof key === 'string' && !(key in target)) {
        throw new Error(`${owner}: field '${key}' is not available; available: ${Object.keys(target).join(', ')} (list every derivative the residual reads in its derivatives)`);
      }
      return (target as Record<string | symbol, unknown>)[key];
    },
  });
}
