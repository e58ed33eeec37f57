/**
 * Fused Adam/AdamW step for the wasm backend: one pass over each tensor
 * computes the new parameters and moments in place-free fashion (new output
 * buffers, so TF.js tensors stay immutable), instead of ~15 separate TF.js ops
 * and their temporaries. The arithmetic is the same float32 operation sequence
 * as the composite chain, so both paths agree (tests compare them).
 *
 * Falls back to the composite chain (returns null) on other backends or when a
 * tensor is not float32 or not resident in the wasm heap.
 */
import * as tf from '../../backend/tf.js';
import { type GradientTransformation, withFusedApply } from '../transform.js';
import { valueAt } from '../schedules.js';
import type { AdamFamilyOptions } from '../adam.js';
import { assemble, add, div, get, load, max, mul, set, sqrt, store, type KernelSpec, type Stmt } from './wasm_asm.js';

// WebAssembly is a Node global; the project's TypeScript lib settings do not declare it.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
const WA = (globalThis as unknown as { WebAssembly: {
  Memory: abstract new (...args: never[]) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
} }).WebAssembly;

interface WasmBackendLike {
  wasm: { asm?: { memory?: WasmMemory } };
  dataIdMap: { has(id: object): boolean; get(id: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
}

type AdamKernel = (...args: number[]) => number;

function adamSpec(name: string, amsgrad: boolean): KernelSpec {
  const body: Stmt[] = [
    set('g0', load('g')),
    set('w', load('p')),
    // maximize (sign = -1) and the coupled L2 term
    set('gt', add(mul(get('g0'), get('sign')), mul(get('w'), get('l2')))),
    set('mt', add(mul(load('m'), get('b1')), mul(get('gt'), get('omb1')))),
    store('mOut', get('mt')),
    set('vt', add(mul(load('v'), get('b2')), mul(mul(get('gt'), get('gt')), get('omb2')))),
    store('vOut', get('vt')),
  ];
  if (amsgrad) body.push(set('vt', max(load('vmax'), get('vt'))), store('vmaxOut', get('vt')));
  body.push(
    set('u', div(div(get('mt'), get('bc1')), add(sqrt(div(get('vt'), get('bc2'))), get('eps')))),
    set('u', add(get('u'), mul(get('w'), get('wd')))),
    store('pOut', add(get('w'), mul(get('u'), get('negLr')))),
  );
  return {
    name,
    pointers: ['p', 'g', 'm', 'v', 'vmax', 'pOut', 'mOut', 'vOut', 'vmaxOut'],
    scalars: ['b1', 'omb1', 'b2', 'omb2', 'bc1', 'bc2', 'eps', 'negLr', 'sign', 'l2', 'wd'],
    work: ['g0', 'w', 'gt', 'mt', 'vt', 'u'],
    body,
    accumulate: mul(get('g0'), (e) => (e.mode === 'simd' ? e.op(0xfd, 0x0c, ...new Array(16).fill(0)) : e.op(0x43, 0, 0, 0, 0))),
  };
}

let moduleBytes: Uint8Array | undefined;
const instances = new WeakMap<WasmMemory, { adam: AdamKernel; adamAms: AdamKernel }>();

function kernelsFor(memory: WasmMemory) {
  let k = instances.get(memory);
  if (!k) {
    moduleBytes ??= assemble([adamSpec('adam', false), adamSpec('adam_ams', true)]);
    const instance = new WA.Instance(new WA.Module(moduleBytes), { env: { memory } });
    const ex = instance.exports as Record<string, AdamKernel>;
    k = { adam: ex.adam, adamAms: ex.adam_ams };
    instances.set(memory, k);
  }
  return k;
}

/** The wasm backend when it is active and exposes its memory; undefined otherwise. */
function wasmBackend(): WasmBackendLike | undefined {
  if (tf.getBackend() !== 'wasm') return undefined;
  const b = tf.backend() as unknown as WasmBackendLike;
  return b.wasm?.asm?.memory instanceof WA.Memory ? b : undefined;
}

/** The Adam-family options plus AMSGrad; the mask is absent (masked decay takes the composite path). */
export type FusedAdamOptions = Omit<AdamFamilyOptions, 'mask'> & { amsgrad: boolean };

interface AdamSlot {
  count: number;
  mu: Record<string, tf.Tensor>;
  nu: Record<string, tf.Tensor>;
  nuMax?: Record<string, tf.Tensor>;
}

/**
 * Attaches the fused path to the chain built by `buildAdam`, whose state layout
 * is [negate {}]? [L2 {}]? adam [decay {}]? lr{count}.
 */
export function fusedAdam(transform: GradientTransformation, o: FusedAdamOptions): GradientTransformation {
  const adamIndex = (o.maximize ? 1 : 0) + (!o.decoupled && o.weightDecay !== 0 ? 1 : 0);
  return withFusedApply(transform, (grads, state, params) => {
    const backend = wasmBackend();
    if (!backend) return null;
    const s = state as unknown[];
    const a = s[adamIndex] as AdamSlot;
    const lrState = s[s.length - 1] as { count: number };
    const g = grads as Record<string, tf.Tensor>;
    const p = params as Record<string, tf.Tensor>;
    const names = Object.keys(p);
    const offset = (t: tf.Tensor | undefined) => {
      if (!t || t.dtype !== 'float32' || !backend.dataIdMap.has(t.dataId)) return undefined;
      return backend.dataIdMap.get(t.dataId)!.memoryOffset;
    };
    for (const n of names) {
      const ts = [p[n], g[n], a.mu[n], a.nu[n], ...(o.amsgrad ? [a.nuMax![n]] : [])];
      if (ts.some((t) => offset(t) === undefined)) return null;
    }
    const kernels = kernelsFor(backend.wasm.asm!.memory!);
    const count = a.count + 1;
    const bc1 = 1 - o.b1 ** count;
    const bc2 = 1 - o.b2 ** count;
    const lr = valueAt(o.lr, lrState.count);
    const l2 = o.decoupled ? 0 : o.weightDecay;
    const wd = o.decoupled ? o.weightDecay : 0;
    const alloc = (like: tf.Tensor) => tf.engine().makeTensorFromTensorInfo(backend.makeOutput(like.shape, 'float32'));
    const newP: Record<string, tf.Tensor> = {};
    const mu: Record<string, tf.Tensor> = {};
    const nu: Record<string, tf.Tensor> = {};
    const nuMax: Record<string, tf.Tensor> = {};
    const nonFinite: string[] = [];
    for (const n of names) {
      newP[n] = alloc(p[n]);
      mu[n] = alloc(p[n]);
      nu[n] = alloc(p[n]);
      if (o.amsgrad) nuMax[n] = alloc(p[n]);
      const flag = (o.amsgrad ? kernels.adamAms : kernels.adam)(
        offset(p[n])!, offset(g[n])!, offset(a.mu[n])!, offset(a.nu[n])!, o.amsgrad ? offset(a.nuMax![n])! : 0,
        offset(newP[n])!, offset(mu[n])!, offset(nu[n])!, o.amsgrad ? offset(nuMax[n])! : 0,
        p[n].size * 4,
        o.b1, 1 - o.b1, o.b2, 1 - o.b2, bc1, bc2, o.eps, -lr, o.maximize ? -1 : 1, l2, wd,
      );
      if (!Number.isFinite(flag)) nonFinite.push(n);
    }
    const next = s.map((x, i) =>
      i === adamIndex ? { count, mu, nu, ...(o.amsgrad ? { nuMax } : {}) } : i === s.length - 1 ? { count: lrState.count + 1 } : x,
    );
    return { params: newP, state: next, nonFinite } as ReturnType<NonNullable<GradientTransformation['fusedApply']>>;
  });
}
