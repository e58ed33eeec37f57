/**
 * optilab's gradient registry: importing optilab makes every TF.js gradient right to
 * any order of nesting (`tf.grad`, `tf.grads`, `tf.valueAndGrads`, `tf.variableGrads`,
 * `tf.customGrad`), or makes it raise a clear error where it cannot be.
 *
 * Steps, in order:
 * 1. take ownership of every gradient TF.js registered (the tfjs-layers Node bundle
 *    registers the full stock set when `./tf.js` loads it), wrapping each so that a
 *    kernel missing from the active backend is reported by name with the fix;
 * 2. register optilab's rewritten gradients on top (see the files next to this one);
 * 3. guard the registry against later copies of TF.js re-registering the stock set;
 * 4. patch `customGrad` so custom ops stay connected under nested tapes;
 * 5. make every gradient a tape node hands to the backward pass a tensor it owns alone.
 */
import * as tf from '../tf.js';
import { installGradients, registeredGradientKernels, type GradConfig } from './registry.js';
import { elementwiseGradients } from './elementwise.js';
import { binaryGradients } from './binary.js';
import { reductionGradients } from './reductions.js';
import { structuralGradients } from './structural.js';
import { convGradients } from './conv.js';
import { refusedGradients } from './refused.js';
import { batchMatMulGradient } from './matmul.js';
import { batchNormGradient } from './normalization.js';
import { installCustomGradPatch } from './custom_grad.js';
import { installOwnedGradientsPatch } from './owned_gradients.js';

export { GRADIENT_CATALOG, type GradientEntry, type GradientStatus } from './catalog.js';
export { registeredGradientKernels, isOptilabGradient, stockGradient, recordingHigherOrder } from './registry.js';

/** Rewrites TF.js's "kernel K not registered for backend B" errors into one that says what to do. */
function explainMissingKernel(error: unknown, kernelName: string): unknown {
  const message = (error as Error)?.message ?? '';
  const missing = /(?:Cannot find registered kernel|Kernel) '(\w+)' (?:for|not registered for) backend '(\w+)'/.exec(message);
  if (missing === null) return error;
  const [, kernel, backend] = missing;
  return new Error(
    `optilab: the gradient of ${kernelName} needs the TF.js kernel ${kernel}, which the ${backend} backend ` +
      `does not have. Run this computation on the cpu backend: await useBackend('cpu') (or OPTILAB_BACKEND=cpu).`,
    { cause: error });
}

function withClearErrors(config: GradConfig): GradConfig {
  const { gradFunc, kernelName } = config;
  return {
    ...config,
    gradFunc: (dy, saved, attrs) => {
      let grads: ReturnType<typeof gradFunc>;
      try {
        grads = gradFunc(dy, saved, attrs);
      } catch (error) {
        throw explainMissingKernel(error, kernelName);
      }
      const wrapped: typeof grads = {};
      for (const [name, thunk] of Object.entries(grads)) {
        wrapped[name] = () => {
          try {
            return thunk();
          } catch (error) {
            throw explainMissingKernel(error, kernelName);
          }
        };
      }
      return wrapped;
    },
  };
}

const REWRITTEN: readonly GradConfig[] = [
  ...elementwiseGradients,
  ...binaryGradients,
  ...reductionGradients,
  ...structuralGradients,
  ...convGradients,
  ...refusedGradients,
  batchMatMulGradient,
  batchNormGradient,
];

function install(): void {
  const rewritten = new Set(REWRITTEN.map((c) => c.kernelName));
  const stockKept = registeredGradientKernels()
    .filter((name) => !rewritten.has(name))
    .map((name) => tf.getGradient(name));
  installGradients([...stockKept, ...REWRITTEN].map(withClearErrors));
  installCustomGradPatch();
  installOwnedGradientsPatch();
}

install();
