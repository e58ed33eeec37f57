/**
 * The executor: a worker thread that runs cells. The protocol thread stays free for
 * heartbeats, interrupts and control messages; `process.exit()` or a heap overflow in
 * a cell ends only this thread, and the kernel starts a fresh one.
 *
 * Output is attributed to a context: the running cell, or for a timer callback the
 * cell that set the timer. (AsyncLocalStorage would track promises too, but it
 * installs async hooks, and terminating an execution inside a hooked promise
 * continuation aborts the whole process; so the executor uses no async hooks, and
 * refuses to terminate when a cell installed some.)
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createRequire, isBuiltin, syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inspect, promisify } from 'node:util';
import vm from 'node:vm';
import { setDisplaySink, DisplayHandle, mimeBundle, type MimeBundle } from '../../lib/display/index.js';
import * as comm from '../../lib/display/comm.js';
import { errorContent, installStackFormatter, registerScript } from './traceback.js';
import { FLAG, INPUT, type Bundle, type FromExecutor, type RunRequest, type ToExecutor } from './messages.js';
import type { ErrorContent } from '../checker/errors.js';

interface Options {
  notebookDir: string;
  packageRoot: string;
  inputBuffer: SharedArrayBuffer;
  /** Flags read by the protocol thread before it interrupts (see FLAG). */
  flagsBuffer: SharedArrayBuffer;
}

const port = parentPort!;
const opts = workerData as Options;
const flags = new Int32Array(opts.flagsBuffer, 0, FLAG.COUNT);
const post = (m: FromExecutor) => port.postMessage(m);

// ---------------------------------------------------------------- contexts
/** The context output belongs to: the latest cell, or the cell whose timer is firing. */
let activeCtx = 0;
const currentCtx = () => activeCtx;
/** Contexts whose request was interrupted: their timers no longer fire. */
const cancelled = new Set<number>();

// ---------------------------------------------------------------- output
/**
 * Every write goes to the protocol thread at once, which coalesces them: a buffer here
 * could not be flushed while a cell runs a long synchronous loop, and a line printed
 * before such a loop must show up while it runs.
 */
function capture(name: 'stdout' | 'stderr', text: string): void {
  if (text) post({ type: 'stream', ctx: currentCtx(), name, text });
}

function hookStream(stream: NodeJS.WriteStream, name: 'stdout' | 'stderr'): void {
  stream.write = ((chunk: unknown, encoding?: unknown, cb?: unknown) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString(typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    capture(name, text);
    const done = typeof encoding === 'function' ? encoding : cb;
    if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
    return true;
  }) as typeof stream.write;
}
hookStream(process.stdout, 'stdout');
hookStream(process.stderr, 'stderr');

// ---------------------------------------------------------------- cells' state
interface CellState {
  ctx: number;
  tracked: Set<Promise<unknown>>;
  finished: boolean;
}
const running = new Map<number, CellState>();

function finish(state: CellState, outcome: { result?: { data: Bundle; metadata: Bundle }; error?: ErrorContent }): void {
  if (state.finished) return;
  state.finished = true;
  ownErrorHandlers(); // the cell may have imported a package that installed its own
  running.delete(state.ctx);
  if (!cancelled.has(state.ctx)) post({ type: 'done', ctx: state.ctx, ...outcome });
}

/** Waits for work the cell handed to `display` (rendering) until none is left; rethrows its first failure. */
async function settle(state: CellState): Promise<void> {
  while (state.tracked.size) {
    const work = [...state.tracked];
    state.tracked.clear();
    const results = await Promise.allSettled(work);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
}

// ---------------------------------------------------------------- display and comms
/** JSON-safe bundle values: bytes become base64, as Jupyter expects for binary MIME types. */
function jsonBundle(bundle: Record<string, unknown>): Bundle {
  const out: Bundle = {};
  for (const [k, v] of Object.entries(bundle)) out[k] = v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v;
  return out;
}

function safePost(m: FromExecutor): void {
  try {
    post(m);
  } catch {
    // A bundle that cannot be cloned (functions inside): send its JSON form.
    post(JSON.parse(JSON.stringify(m)));
  }
}

setDisplaySink({
  publish(data, metadata, displayId, update) {
    safePost({ type: 'display', ctx: currentCtx(), data: jsonBundle(data), metadata: metadata as Bundle, displayId, update });
  },
  clearOutput(wait) {
    post({ type: 'clear', ctx: currentCtx(), wait });
  },
  track(work) {
    const state = running.get(currentCtx());
    if (state) state.tracked.add(work);
    // Untracked work (after its cell finished) still must not fail silently.
    else work.catch((e) => reportAsyncError(e));
  },
});

const commOut = (type: 'comm_open' | 'comm_msg' | 'comm_close', commId: string, data: Record<string, unknown>, o: comm.SendOptions, targetName?: string) => {
  safePost({ type, ctx: currentCtx(), commId, data, metadata: o.metadata ?? {}, buffers: o.buffers ?? [], targetName: targetName ?? '' } as FromExecutor);
};
comm.setCommTransport({
  open: (id, target, data, o) => commOut('comm_open', id, data, o, target),
  send: (id, data, o) => commOut('comm_msg', id, data, o),
  close: (id, data, o) => commOut('comm_close', id, data, o),
});

async function handleComm(m: Extract<ToExecutor, { type: 'comm_open' | 'comm_msg' | 'comm_close' }>): Promise<void> {
  activeCtx = m.ctx;
  {
    const msg: comm.CommMessage = { data: m.data, metadata: m.metadata, buffers: m.buffers };
    let known = true;
    try {
      if (m.type === 'comm_open') known = await comm.deliverOpen(m.commId, m.targetName, msg);
      else if (m.type === 'comm_msg') await comm.deliverMessage(m.commId, msg);
      else await comm.deliverClose(m.commId, msg);
    } catch (e) {
      const err = errorContent(e, `Error in the comm handler (${m.type}):`);
      capture('stderr', err.traceback.join('\n') + '\n');
    }
    post({ type: 'comm_done', ctx: m.ctx, known });
  }
}

// ---------------------------------------------------------------- input()
const inputState = new Int32Array(opts.inputBuffer, 0, 2);
const inputBytes = new Uint8Array(opts.inputBuffer, INPUT.HEADER_BYTES);

/** Blocks until the frontend answers an input request (the protocol thread writes the answer). */
function input(promptText = '', options: { password?: boolean } = {}): string {
  Atomics.store(inputState, INPUT.STATE, INPUT.WAITING);
  post({ type: 'input', ctx: currentCtx(), prompt: String(promptText), password: !!options.password });
  Atomics.wait(inputState, INPUT.STATE, INPUT.WAITING);
  const text = Buffer.from(inputBytes.slice(0, Atomics.load(inputState, INPUT.LENGTH))).toString('utf8');
  if (Atomics.load(inputState, INPUT.STATE) !== INPUT.ANSWERED) throw new Error(text);
  return text;
}
Object.defineProperty(globalThis, 'input', { value: input, writable: true, configurable: true });
Object.defineProperty(globalThis, 'prompt', {
  value: (message = '', defaultValue = '') => input(message) || defaultValue,
  writable: true,
  configurable: true,
});

// ---------------------------------------------------------------- modules
const notebookParent = pathToFileURL(join(opts.notebookDir, '__notebook__.js')).href;
const packageParent = pathToFileURL(join(opts.packageRoot, '__optilab__.js')).href;
const libraryUrl = new URL('../../lib/index.js', import.meta.url).href;

/** Resolves an import from the notebook's folder, then from optilab's own dependencies. */
function resolveSpecifier(spec: string): string {
  if (spec === 'optilab') return libraryUrl;
  if (isBuiltin(spec)) return spec;
  try {
    return import.meta.resolve(spec, notebookParent);
  } catch (e) {
    if (spec.startsWith('.') || spec.startsWith('/')) throw e;
    return import.meta.resolve(spec, packageParent);
  }
}

const cellRequire = createRequire(notebookParent);
const cellApi = {
  import: (spec: string, options?: ImportCallOptions) => import(resolveSpecifier(String(spec)), options),
  require: (spec: string) => {
    try {
      return cellRequire(spec);
    } catch {
      return createRequire(packageParent)(spec);
    }
  },
  meta: { url: notebookParent, dirname: opts.notebookDir, filename: join(opts.notebookDir, '__notebook__.js'), resolve: resolveSpecifier },
};

// ---------------------------------------------------------------- library preload
const userNames = new Set<string>();
let library: Promise<Record<string, unknown>> | undefined;

/** Loads optilab once and defines its exports as globals (names a cell declared stay the cell's). */
function loadLibrary(): Promise<Record<string, unknown>> {
  if (library) return library;
  Atomics.store(flags, FLAG.LIBRARY_LOADING, 1);
  library = import(libraryUrl).then(
    (ns: Record<string, unknown>) => {
      Atomics.store(flags, FLAG.LIBRARY_LOADING, 0);
      for (const [name, value] of Object.entries(ns)) {
        if (!userNames.has(name)) Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
      }
      ownErrorHandlers();
      return ns;
    },
    (e) => {
      Atomics.store(flags, FLAG.LIBRARY_LOADING, 0);
      library = undefined; // let a later cell try again
      throw e;
    },
  );
  return library;
}

function predeclare(name: string): void {
  userNames.add(name);
  if (!Object.prototype.hasOwnProperty.call(globalThis, name)) {
    Object.defineProperty(globalThis, name, { value: undefined, writable: true, configurable: true, enumerable: false });
  }
}

// ---------------------------------------------------------------- interrupts
/**
 * Timer callbacks run in the context of the cell that set them (their output and
 * errors belong to it), and never run once that cell was interrupted, so its pending
 * awaits on timers stay abandoned.
 */
function guardTimers(): void {
  const wrap = <F extends (cb: (...a: any[]) => void, ...rest: any[]) => any>(original: F, clear?: (t: any) => void): F => {
    const guarded = function (this: unknown, cb: (...a: any[]) => void, ...rest: any[]) {
      if (typeof cb !== 'function') return original.call(this, cb, ...rest);
      const owner = activeCtx;
      let handle: any;
      handle = original.call(
        this,
        function (this: unknown, ...args: any[]) {
          if (cancelled.has(owner)) {
            clear?.(handle);
            return;
          }
          const outer = activeCtx;
          activeCtx = owner;
          try {
            return cb.apply(this, args);
          } catch (e) {
            reportAsyncError(e);
          } finally {
            activeCtx = outer;
          }
        },
        ...rest,
      );
      return handle;
    } as F;
    const custom = (original as any)[promisify.custom];
    if (custom) (guarded as any)[promisify.custom] = custom;
    return guarded;
  };
  globalThis.setTimeout = wrap(globalThis.setTimeout);
  globalThis.setInterval = wrap(globalThis.setInterval, clearInterval);
  globalThis.setImmediate = wrap(globalThis.setImmediate);
}
guardTimers();

/**
 * A terminated execution can leave TF.js mid-scope (inside tidy, a gradient tape or a
 * kernel). Closes the open scopes (freeing their tensors) and resets the counters, so
 * later cells see a clean engine.
 */
async function repairTensorFlow(): Promise<void> {
  if (!library) return;
  const tf = (await library.catch(() => undefined))?.tf as any;
  const engine = tf?.engine?.();
  const state = engine?.state;
  if (!state) return;
  while (state.scopeStack?.length) {
    try {
      engine.endScope(null);
    } catch {
      state.scopeStack.pop();
      state.activeScope = state.scopeStack[state.scopeStack.length - 1] ?? null;
    }
  }
  state.activeScope = null;
  state.gradientDepth = 0;
  state.kernelDepth = 0;
  state.activeTape = null;
  state.numDataMovesStack = [];
  state.profiling = false;
}

// ---------------------------------------------------------------- errors after the fact
function reportAsyncError(e: unknown): void {
  const ctx = currentCtx();
  if (cancelled.has(ctx)) return;
  const state = running.get(ctx);
  if (state && !state.finished) {
    finish(state, { error: errorContent(e) });
    return;
  }
  post({ type: 'async_error', ctx, error: errorContent(e) });
}
process.on('uncaughtException', reportAsyncError);
process.on('unhandledRejection', reportAsyncError);

/**
 * Keeps the kernel's error handlers the only process-level ones. Some packages install
 * handlers that rethrow (TF.js's wasm backend, built with Emscripten, adds
 * `unhandledRejection: reason => { throw reason }`), which would turn any unhandled
 * rejection into the executor's death after the kernel had already reported it.
 */
function ownErrorHandlers(): void {
  for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
    for (const listener of process.listeners(event as 'uncaughtException')) {
      if (listener !== reportAsyncError) process.removeListener(event, listener);
    }
  }
}

// ---------------------------------------------------------------- running a cell
const WRAP_PREFIX = `(async function (__optilab) { "use strict"; `;

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as any).then === 'function';
}

async function resultBundle(value: unknown): Promise<{ data: Bundle; metadata: Bundle } | undefined> {
  if (isThenable(value)) value = await value;
  if (value === undefined || value instanceof DisplayHandle) return undefined;
  const bundle: MimeBundle = typeof value === 'string' ? { 'text/plain': inspect(value) } : await mimeBundle(value);
  return { data: jsonBundle(bundle), metadata: {} };
}

async function run(m: RunRequest): Promise<void> {
  const state: CellState = { ctx: m.ctx, tracked: new Set(), finished: false };
  running.set(m.ctx, state);
  activeCtx = m.ctx;
  {
    try {
      if (m.needsLibrary) await loadLibrary();
      m.declares.forEach(predeclare);
      registerScript(m.filename, { label: m.label, source: m.source, map: m.sourceMap, prefix: WRAP_PREFIX.length });
      // import() in a cell is rewritten to the cell API (see checker/transform.ts), so no loader hook is needed here.
      const fn = new vm.Script(`${WRAP_PREFIX}${m.js}\n})`, { filename: m.filename }).runInThisContext();
      const box = (await fn.call(undefined, cellApi)) as [unknown] | undefined;
      await settle(state);
      const result = box ? await resultBundle(box[0]) : undefined;
      await settle(state);
      finish(state, { result });
    } catch (e) {
      finish(state, { error: errorContent(e) });
    }
  }
}

/** Notes in the shared buffer when code here enables async hooks (see the top of this file). */
function watchAsyncHooks(): void {
  const mark = () => Atomics.store(flags, FLAG.ASYNC_HOOKS, 1);
  const hooks = createRequire(import.meta.url)('node:async_hooks');
  const createHook = hooks.createHook;
  hooks.createHook = (callbacks: unknown) => {
    const hook = createHook(callbacks);
    const enable = hook.enable;
    hook.enable = function (this: unknown) {
      mark();
      return enable.call(this);
    };
    return hook;
  };
  for (const method of ['run', 'enterWith']) {
    const original = hooks.AsyncLocalStorage.prototype[method];
    hooks.AsyncLocalStorage.prototype[method] = function (this: unknown, ...args: unknown[]) {
      mark();
      return original.apply(this, args);
    };
  }
  syncBuiltinESMExports();
}
watchAsyncHooks();
installStackFormatter();

port.on('message', (m: ToExecutor) => {
  switch (m.type) {
    case 'run':
      void run(m);
      break;
    case 'ping':
      post({ type: 'pong', n: m.n });
      break;
    case 'interrupted': {
      cancelled.add(m.ctx);
      const state = running.get(m.ctx);
      if (state) {
        state.finished = true;
        running.delete(m.ctx);
      }
      void repairTensorFlow();
      break;
    }
    case 'preload':
      loadLibrary().catch(() => undefined);
      break;
    case 'comm_open':
    case 'comm_msg':
    case 'comm_close':
      void handleComm(m);
      break;
  }
});

post({ type: 'ready' });
