/**
 * The TF.js engine as optilab sets it up. Importing optilab, before any user code runs:
 * - installs the gradient registry (./gradients: right to any order of nesting),
 *   the chained tensor methods (./chained.ts) and the kernels the wasm backend lacks for
 *   derivatives (./wasm_kernels.ts), and silences TF.js's banners;
 * - picks a backend:
 *   1. `OPTILAB_BACKEND` (wasm | cpu | tensorflow) when set, or
 *   2. `@tensorflow/tfjs-node(-gpu)` when installed (optional, never required), else
 *   3. `wasm` (SIMD, ships inside the npm package), falling back to `cpu`.
 * Randomness: ./random.ts (`seed`, `rng`, `Rng`, `resolveRng`).
 */
import * as tf from './tf.js';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import './gradients/index.js';
import { installChainedOps } from './chained.js';
import { registerWasmKernels } from './wasm_kernels.js';
export { seed, rng, Rng, resolveRng } from './random.js';

export type BackendName = 'wasm' | 'cpu' | 'tensorflow';
const KNOWN: readonly BackendName[] = ['wasm', 'cpu', 'tensorflow'];

installChainedOps();
registerWasmKernels();

// TF.js prints a "you are running in Node.js" banner and other notices unless PROD is set.
tf.env().set('PROD', true);

async function tryNativeBackend(): Promise<boolean> {
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      await import(pkg);
      if (await tf.setBackend('tensorflow')) return true;
    } catch {
      // not installed: the optional native backend is absent, which is the normal case
    }
  }
  return false;
}

/** Selects a backend; returns its name. Throws a clear error for an unknown or unusable name. */
export async function useBackend(name?: string): Promise<BackendName> {
  const wanted = name ?? process.env.OPTILAB_BACKEND;
  if (wanted !== undefined && wanted !== '') {
    if (!KNOWN.includes(wanted as BackendName)) {
      throw new Error(`OPTILAB_BACKEND: unknown backend '${wanted}'; expected one of ${KNOWN.join(', ')}`);
    }
    if (wanted === 'tensorflow') {
      if (!(await tryNativeBackend())) {
        throw new Error(`OPTILAB_BACKEND=tensorflow: @tensorflow/tfjs-node is not installed (it needs internet access at install time)`);
      }
    } else if (!(await tf.setBackend(wanted))) {
      throw new Error(`OPTILAB_BACKEND=${wanted}: the backend failed to initialise`);
    }
  } else if (!(await tryNativeBackend())) {
    if (!(await tf.setBackend('wasm'))) await tf.setBackend('cpu');
  }
  await tf.ready();
  return tf.getBackend() as BackendName;
}

/** The backend in use. */
export function backendName(): BackendName {
  return tf.getBackend() as BackendName;
}

// Importing optilab initialises the backend, so `import { tf } from 'optilab'` is ready to use.
await useBackend();
