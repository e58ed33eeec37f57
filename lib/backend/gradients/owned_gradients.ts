/**
 * Every gradient a tape node hands to the engine is a tensor the engine owns alone.
 *
 * TF.js's backward pass keeps one running gradient per tensor: the first gradient that
 * reaches tensor x is stored as is, and each later one replaces the sum by a new tensor
 * and disposes the old sum. That is only safe when every gradient is a fresh tensor. A
 * gradient function that returns its incoming dy unchanged (optilab's Add, Sub and
 * batch-norm offset gradients skip the no-op reshape when no broadcasting happened;
 * a `tf.customGrad` op may return dy, or one tensor for two inputs) stores the same
 * tensor under two keys: under a + b, a's and b's running gradients are then one
 * tensor, and the first further gradient that reaches a disposes b's before b's own
 * producer reads it ("Cannot read properties of undefined (reading 'backend')"). PDE
 * residuals that add columns of several derivative fields hit this in every step.
 *
 * The patch wraps the gradient of every tape node (registered kernels, `customGrad`
 * ops and `runKernelFunc` nodes alike): a thunk whose result is one of the node's
 * incoming gradients, one of its inputs or saved tensors, or a tensor another thunk of
 * the same node already returned, returns a clone instead (a new handle on the same
 * data: no copy).
 */
import * as tf from '../tf.js';

type Tensor = tf.Tensor;
type Thunks = Record<string, () => Tensor>;
interface TapeNode {
  inputs: Record<string, Tensor>;
  saved?: Tensor[];
  gradient?: (dys: Array<Tensor | null>) => Thunks;
}
interface PatchableEngine {
  addTapeNode: (...args: unknown[]) => void;
  state: { activeTape: TapeNode[] | null };
  [PATCHED]?: boolean;
}

const PATCHED = Symbol.for('optilab.ownedGradientsPatched');

function owningGradient(node: TapeNode, gradient: NonNullable<TapeNode['gradient']>): TapeNode['gradient'] {
  return (dys) => {
    const thunks = gradient(dys);
    const handedOut: Tensor[] = [];
    // Tensors someone else already holds: incoming gradients, the op's inputs and saved
    // tensors, and what another thunk of this node returned.
    const held = (g: Tensor) =>
      dys.includes(g) || handedOut.includes(g) || (node.saved?.includes(g) ?? false) || Object.values(node.inputs).includes(g);
    const owned: Thunks = {};
    for (const [name, thunk] of Object.entries(thunks)) {
      owned[name] = () => {
        const g = thunk();
        if (held(g)) return tf.clone(g);
        handedOut.push(g);
        return g;
      };
    }
    return owned;
  };
}

/** Installs the wrapper on the TF.js engine's tape (once). */
export function installOwnedGradientsPatch(): void {
  const engine = tf.engine() as unknown as PatchableEngine;
  if (engine[PATCHED]) return;
  engine[PATCHED] = true;
  const original = engine.addTapeNode.bind(engine);
  engine.addTapeNode = (...args: unknown[]) => {
    original(...args);
    const tape = engine.state.activeTape;
    const node = tape?.[tape.length - 1];
    if (node?.gradient !== undefined) node.gradient = owningGradient(node, node.gradient);
  };
}
