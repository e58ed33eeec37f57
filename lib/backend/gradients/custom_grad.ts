/**
 * `tf.customGrad` that stays right under nested differentiation.
 *
 * TF.js runs a custom op's forward function with the tape off, so the tensors it
 * `save`s are not connected to the op's inputs on the tape: an outer derivative that
 * differentiates the custom gradient treats them as constants (a silently wrong number;
 * this is what broke Hessian-vector products through `tf.losses.softmaxCrossEntropy`
 * and `tf.logSoftmax`). Its gradient function may also close over input tensors that
 * have been disposed by the time it runs (`tf.logSigmoid` of an intermediate throws).
 *
 * The patched engine method also saves the op's inputs, and when the gradient runs
 * under an outer tape (or an input is gone) it re-runs the forward function on those
 * saved inputs with the tape on, and calls the gradient function that this second run
 * returns: its saved tensors and its closure are then connected to the inputs. First-
 * order gradients take the original path and cost nothing extra.
 *
 * TF.js's fused ops (`tf.fused.matMul`, `conv2d`, `depthwiseConv2d`) are left alone:
 * under a tape they fuse only linear activations, whose gradient uses the saved inputs
 * alone, and their forward functions refer to tensors that no longer exist.
 */
import * as tf from '../tf.js';
import { recordingHigherOrder } from './registry.js';

type Tensor = tf.Tensor;
type Save = (tensors: Tensor[]) => void;
type CustomResult = { value: Tensor; gradFunc: (dy: Tensor, saved: Tensor[]) => Tensor | Tensor[] };
type CustomFunc = (...args: Array<Tensor | Save>) => CustomResult;

const PATCHED = Symbol.for('optilab.customGradPatched');

function connectedCustomOp(f: CustomFunc): CustomFunc {
  return (...args) => {
    const save = args.pop() as Save;
    const inputs = args as Tensor[];
    let ownSaved: Tensor[] = [];
    const result = f(...inputs, (tensors: Tensor[]) => { ownSaved = tensors; });
    save([...ownSaved, ...inputs]);
    const count = ownSaved.length;
    return {
      value: result.value,
      gradFunc: (dy, saved) => {
        const needsRerun = (recordingHigherOrder() && count > 0) || inputs.some((t) => t.isDisposed);
        if (!needsRerun) return result.gradFunc(dy, saved.slice(0, count));
        const savedInputs = saved.slice(count);
        let fresh: Tensor[] = [];
        let rerun: CustomResult;
        try {
          rerun = f(...savedInputs, (tensors: Tensor[]) => { fresh = tensors; });
        } catch (e) {
          throw new Error(
            'optilab: cannot differentiate this tf.customGrad op again: re-running its forward function on its ' +
              'saved inputs failed. Compute everything inside f from the arguments f receives. ' +
              `(${(e as Error).message})`, { cause: e });
        }
        return rerun.gradFunc(dy, fresh);
      },
    };
  };
}

/** Installs the patched `customGrad` on the TF.js engine (once). */
export function installCustomGradPatch(): void {
  const engine = tf.engine() as unknown as {
    customGrad: (f: CustomFunc) => (...args: Tensor[]) => Tensor;
    state: { activeScope: { name: string } | null };
    [PATCHED]?: boolean;
  };
  if (engine[PATCHED]) return;
  engine[PATCHED] = true;
  const original = engine.customGrad.bind(engine);
  engine.customGrad = (f: CustomFunc) => {
    const scope = engine.state.activeScope?.name ?? '';
    if (scope.startsWith('fused')) return original(f);
    return original(connectedCustomOp(f));
  };
}
