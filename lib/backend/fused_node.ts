/**
 * One node on TF.js's tape whose forward and backward passes are computed outside TF.js's
 * ops (WebAssembly kernels, host loops), with the same function written in TF.js ops as
 * the fallback wherever a derivative of the backward pass is needed:
 * - under a nested tape (gradient depth > 1) the op-by-op function runs instead;
 * - if an outer tape records this node's backward pass (a gradient of a gradient taken
 *   through it), the backward is taken through the op-by-op function, so it stays
 *   differentiable.
 * Otherwise `backward` gives each input's gradient directly. Used by the fused jets of
 * MLPs (lib/ad/fused_jet.ts) and the fused softmax cross-entropy (lib/nn/losses.ts).
 */
import * as tf from './tf.js';

type Tensor = tf.Tensor;

interface EngineInternals {
  state: { gradientDepth: number };
  isTapeOn(): boolean;
  runKernelFunc(p: {
    forwardFunc: (backend: unknown, save: (tensors: Tensor[]) => void) => Tensor[];
    backwardsFunc: (dys: Tensor | Tensor[], saved: Tensor[]) => Record<string, () => Tensor>;
    inputs: Record<string, Tensor>;
  }): Tensor | Tensor[];
}

const engine = () => tf.engine() as unknown as EngineInternals;

/** Whether a fused node would take the op-by-op path now (a nested tape records). */
export function nestedTape(): boolean {
  return engine().state.gradientDepth > 1;
}

export interface FusedNodeSpec {
  inputs: Tensor[];
  /** The outputs, computed without TF.js's tape. */
  forward: () => Tensor[];
  /** The gradient of each input given the outputs' adjoints (lazily, one closure per input). */
  backward: (dys: Tensor[]) => Array<() => Tensor>;
  /** The same function in differentiable TF.js ops. */
  opByOp: (inputs: Tensor[]) => Tensor[];
}

export function fusedNode(spec: FusedNodeSpec): Tensor[] {
  if (nestedTape()) return spec.opByOp(spec.inputs);
  const inputs: Record<string, Tensor> = {};
  spec.inputs.forEach((t, i) => { inputs[i] = t; });
  const outs = engine().runKernelFunc({
    forwardFunc: (_backend, save) => {
      save(spec.inputs);
      return spec.forward();
    },
    backwardsFunc: (dys, saved) => {
      const g = Array.isArray(dys) ? dys : [dys];
      const grads: Record<string, () => Tensor> = {};
      if (engine().isTapeOn()) {
        // an outer tape records this backward pass: take it op by op, so that it is differentiable
        saved.forEach((_, i) => {
          grads[i] = () => {
            const { grads: all } = tf.engine().gradients(
              () => tf.addN(spec.opByOp(saved).map((o, c) => tf.sum(tf.mul(o, g[c])))) as tf.Scalar, saved, undefined, true);
            return all[i] ?? tf.zerosLike(saved[i]);
          };
        });
        return grads;
      }
      spec.backward(g).forEach((f, i) => { grads[i] = f; });
      return grads;
    },
    inputs,
  });
  return Array.isArray(outs) ? outs : [outs];
}
