/**
 * Frees the tensors notebook code can no longer reach.
 *
 * TF.js frees a tensor's memory only when `dispose()` (or `tf.tidy`) says so: a cell like
 * `tf.matMul(a, b).sum()` leaks its intermediates for the whole session. Deciding from the
 * code which tensors a cell "keeps" is unsafe: a tensor can hide in an object, an array, a
 * closure, a class instance, optimizer state or a timer callback. The garbage collector
 * already knows which objects are reachable, so the executor asks it: every tensor object
 * TF.js creates is registered with a FinalizationRegistry, and when the collector finds one
 * unreachable its data is released (once per object, like `dispose()`). A tensor that user
 * code can still reach is never freed; `tf.Variable`s are held by TF.js's own registry and
 * are never freed this way; a tensor disposed explicitly is unregistered first.
 *
 * The collector runs when V8 decides, and V8 does not see the memory tensors hold in
 * WebAssembly, so after each cell a full collection is forced once the engine has grown by
 * more than a threshold since the last one. Set OPTILAB_TENSOR_GC=off to keep TF.js's own
 * behaviour (nothing freed without dispose).
 */
import { fullGc } from '../gc.js';

/** What is needed to release a tensor after its object is gone (the fields `disposeTensor` reads). */
interface Released {
  dataId: object;
  dtype: string;
  size: number;
}

interface Engine {
  state: { tensorInfo: WeakMap<object, unknown>; numBytes: number; numTensors: number };
  trackTensor(t: unknown, backend: unknown): void;
  disposeTensor(t: Released): void;
}

interface TfLike {
  engine(): unknown;
  Variable: abstract new (...args: any[]) => unknown;
}

/** Growth of the engine since the last forced collection that triggers the next one. */
const GROWTH_BYTES = 32 * 2 ** 20;
const GROWTH_TENSORS = 5000;

export class TensorCollector {
  /** Tensors released because they became unreachable, since start. */
  freed = 0;
  private baseline: { bytes: number; tensors: number } | undefined;
  private readonly registry: FinalizationRegistry<Released | (() => void)>;

  constructor(private readonly engine: Engine, Variable: TfLike['Variable']) {
    const dispose = engine.disposeTensor;
    this.registry = new FinalizationRegistry((held) => {
      if (typeof held === 'function') return held();
      // Already gone when the engine was reset or the data released by other means.
      if (!engine.state.tensorInfo.has(held.dataId)) return;
      dispose.call(engine, held);
      this.freed++;
    });
    const track = engine.trackTensor;
    const registry = this.registry;
    engine.trackTensor = function (this: Engine, t: any, backend: unknown) {
      track.call(this, t, backend);
      // Variables live in the engine's registry until disposed; their data id changes on assign().
      if (!(t instanceof Variable)) registry.register(t, { dataId: t.dataId, dtype: t.dtype, size: t.size }, t);
    };
    engine.disposeTensor = function (this: Engine, t: Released) {
      registry.unregister(t);
      return dispose.call(this, t);
    };
  }

  /** After a cell: forces a collection when the engine grew past the threshold since the last one. */
  afterCell(): void {
    const { numBytes, numTensors } = this.engine.state;
    if (!this.baseline) {
      this.baseline = { bytes: numBytes, tensors: numTensors };
      return;
    }
    if (numBytes - this.baseline.bytes > GROWTH_BYTES || numTensors - this.baseline.tensors > GROWTH_TENSORS) {
      fullGc();
      // Finalizers run after this task; the next cell records the new baseline.
      this.baseline = undefined;
    }
  }

  /** Collects now and resolves once the finalizers of everything found unreachable have run. */
  async collect(): Promise<number> {
    const before = this.freed;
    const done = new Promise<void>((resolve) => this.addSentinel(resolve));
    fullGc();
    await Promise.race([done, new Promise((r) => setTimeout(r, 2000))]);
    this.baseline = undefined;
    return this.freed - before;
  }

  /** An object that dies at once; its finalizer runs in the same clean-up as the tensors found with it. */
  private addSentinel(resolve: () => void): void {
    this.registry.register({}, resolve);
  }
}

/** Starts freeing unreachable tensors in this thread, unless OPTILAB_TENSOR_GC=off. */
export function collectUnreachableTensors(tf: TfLike): TensorCollector | undefined {
  if (/^(off|0|false|no)$/i.test(process.env.OPTILAB_TENSOR_GC ?? '')) return undefined;
  return new TensorCollector(tf.engine() as Engine, tf.Variable);
}
