/**
 * The protocol thread's handles on its two worker threads: the executor (runs cells)
 * and the checker (TypeScript). Both are restarted when they die; the kernel never does.
 */
import { Worker } from 'node:worker_threads';
import inspector from 'node:inspector';
import { totalmem } from 'node:os';
import { FLAG, INPUT, type FromExecutor, type RunRequest, type ToExecutor } from '../executor/messages.js';
import type { CheckerRequest, CheckerResponse } from '../checker/worker.js';
import type { ErrorContent } from '../checker/errors.js';

export type Done = Extract<FromExecutor, { type: 'done' }>;

/**
 * Stops a worker's running JavaScript without ending the worker: V8's
 * Runtime.terminateExecution, sent through the inspector's NodeWorker domain. A
 * terminated execution cannot be caught by the code it stops, and state (globals)
 * survives. When the worker is idle, the termination hits its next execution instead,
 * which is why callers follow it with ping/pong.
 */
class Terminator {
  private session: inspector.Session | undefined;
  private readonly sessions = new Map<number, string>();
  private nextId = 1;

  private ensure(): inspector.Session {
    if (this.session) return this.session;
    const s = new inspector.Session();
    s.connect();
    s.on('NodeWorker.attachedToWorker', (e: any) => {
      const threadId = workerThreadId(e.params.workerInfo.title);
      if (threadId !== undefined) this.sessions.set(threadId, e.params.sessionId);
    });
    s.on('NodeWorker.detachedFromWorker', (e: any) => {
      for (const [id, sid] of this.sessions) if (sid === e.params.sessionId) this.sessions.delete(id);
    });
    s.post('NodeWorker.enable', { waitForDebuggerOnStart: false });
    this.session = s;
    return s;
  }

  /** Call before starting workers so that they are attached. */
  watch(): void {
    this.ensure();
  }

  terminate(threadId: number): boolean {
    const s = this.ensure();
    const sessionId = this.sessions.get(threadId);
    if (!sessionId) return false;
    s.post('NodeWorker.sendMessageToWorker', { sessionId, message: JSON.stringify({ id: this.nextId++, method: 'Runtime.terminateExecution' }) });
    return true;
  }
}

/**
 * The thread id of a worker the inspector attached to, read from the title Node gives it
 * (`[worker <threadId>] <name>`). `workerInfo.workerId` is not the thread id but the
 * inspector's own counter in attach order, and the executor and the checker attach in
 * either order: keyed by it, an interrupt could stop the idle checker instead of the cell.
 */
export function workerThreadId(title: string): number | undefined {
  const match = /^\[worker (\d+)\]/.exec(title);
  return match ? Number(match[1]) : undefined;
}

const terminator = new Terminator();

/**
 * The executor's JavaScript heap limit in MB: OPTILAB_EXECUTOR_HEAP_MB, else 60% of the
 * machine's memory (at least 1 GB). Past it the executor thread ends (its cell reports
 * ExecutorExited) and a fresh one starts; the kernel lives on.
 */
export function executorHeapMb(env: NodeJS.ProcessEnv = process.env): number {
  const fallback = Math.max(1024, Math.floor((totalmem() / 2 ** 20) * 0.6));
  const raw = env.OPTILAB_EXECUTOR_HEAP_MB;
  if (raw === undefined || raw === '') return fallback;
  const mb = Number(raw);
  if (!Number.isInteger(mb) || mb < 64) {
    process.stderr.write(`[optilab kernel] OPTILAB_EXECUTOR_HEAP_MB must be an integer >= 64, got '${raw}'; using ${fallback}\n`);
    return fallback;
  }
  return mb;
}

export interface ExecutorOptions {
  notebookDir: string;
  packageRoot: string;
}

export class ExecutorHost {
  private worker!: Worker;
  private readonly runs = new Map<number, (done: Done) => void>();
  private pongs = new Map<number, () => void>();
  private pingCounter = 0;
  private barrier: Promise<void> = Promise.resolve();
  private exitReason = '';
  private stopping = false;
  readonly inputBuffer = new SharedArrayBuffer(INPUT.HEADER_BYTES + INPUT.CAPACITY);
  /** Flags the worker sets (see FLAG): read before interrupting it. */
  private flags = new Int32Array(new SharedArrayBuffer(4 * FLAG.COUNT));
  private readonly inputState = new Int32Array(this.inputBuffer, 0, 2);
  /** Resolves when the current worker has loaded and can run cells. */
  ready!: Promise<void>;

  constructor(
    private readonly opts: ExecutorOptions,
    private readonly onMessage: (m: Exclude<FromExecutor, Done | { type: 'pong' | 'ready' }>) => void,
    /** The worker died; `reason` says why. A fresh one is already starting. */
    /** `failed`: the cells whose runs ended with the ExecutorExited error (they report the loss themselves). */
    private readonly onExit: (reason: string, failed: number[]) => void,
  ) {
    terminator.watch();
    this.start();
  }

  private start(): void {
    this.exitReason = '';
    this.flags = new Int32Array(new SharedArrayBuffer(4 * FLAG.COUNT));
    const heapMb = executorHeapMb();
    const worker = new Worker(new URL('../executor/worker.js', import.meta.url), {
      workerData: { ...this.opts, inputBuffer: this.inputBuffer, flagsBuffer: this.flags.buffer },
      // import.meta.resolve(specifier, parent) resolves cell imports from the notebook's folder.
      execArgv: ['--experimental-import-meta-resolve'],
      resourceLimits: { maxOldGenerationSizeMb: heapMb },
      name: 'optilab-executor',
    });
    this.worker = worker;
    let markReady!: () => void;
    this.ready = new Promise((r) => (markReady = r));
    worker.on('message', (m: FromExecutor) => {
      if (m.type === 'ready') markReady();
      else if (m.type === 'done') {
        const resolve = this.runs.get(m.ctx);
        this.runs.delete(m.ctx);
        resolve?.(m);
      } else if (m.type === 'pong') {
        for (const [n, resolve] of this.pongs) if (n <= m.n) resolve();
      } else this.onMessage(m);
    });
    worker.on('error', (e: any) => {
      this.exitReason =
        e?.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `it ran out of memory (the heap limit is ${heapMb} MB)`
          : `an error escaped the executor: ${e?.stack ?? e}`;
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker || this.stopping) return;
      const reason = this.exitReason || (code === 0 ? 'the cell called process.exit()' : `the cell called process.exit(${code})`);
      const error: ErrorContent = {
        ename: 'ExecutorExited',
        evalue: `The executor stopped: ${reason}. All variables were lost; a fresh executor has started.`,
        traceback: [`ExecutorExited: the executor stopped: ${reason}.`, 'All variables were lost; a fresh executor has started. Re-run the cells this one needs.'],
      };
      const failed = [...this.runs.keys()];
      for (const [ctx, resolve] of this.runs) resolve({ type: 'done', ctx, error });
      this.runs.clear();
      for (const resolve of this.pongs.values()) resolve();
      this.pongs.clear();
      this.start();
      this.onExit(reason, failed);
    });
  }

  post(m: ToExecutor): void {
    this.worker.postMessage(m);
  }

  /** Runs a cell; resolves with its outcome (also when the worker dies running it). */
  async run(req: RunRequest): Promise<Done> {
    await this.barrier;
    await this.ready;
    return new Promise((resolve) => {
      this.runs.set(req.ctx, resolve);
      this.post(req);
    });
  }

  /** Waits until the worker answers a ping (every earlier message was handled). */
  private sync(timeoutMs: number): Promise<boolean> {
    const n = ++this.pingCounter;
    ++this.pingCounter;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pongs.delete(n);
        resolve(false);
      }, timeoutMs);
      this.pongs.set(n, () => {
        clearTimeout(timer);
        this.pongs.delete(n);
        resolve(true);
      });
      // Two pings: if the worker was idle, the pending termination is spent on the first.
      this.post({ type: 'ping', n });
      this.post({ type: 'ping', n: n + 1 });
    });
  }

  /**
   * Interrupts the cell running in context `ctx`: stops its JavaScript, releases an
   * input() it waits in, and tells the worker the context is cancelled. The outcome of
   * the run is no longer awaited (the caller reports the interruption). A worker that
   * does not come back within `graceMs` (stuck in native code) is replaced.
   */
  async interrupt(ctx: number, graceMs = 5000): Promise<void> {
    this.runs.delete(ctx);
    let release!: () => void;
    this.barrier = new Promise((r) => (release = r));
    // Stopping the library's module evaluation midway would break it for the session: let it finish (seconds at most).
    for (let waited = 0; Atomics.load(this.flags, FLAG.LIBRARY_LOADING) && waited < 30_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    if (Atomics.load(this.flags, FLAG.ASYNC_HOOKS)) {
      // Terminating inside a hooked promise continuation aborts the process: restart instead.
      this.exitReason = 'the interrupted code had enabled async hooks (AsyncLocalStorage or async_hooks), which cannot be stopped safely';
      await this.worker.terminate();
      release();
      return;
    }
    terminator.terminate(this.worker.threadId);
    this.answerInput(false, 'input() was interrupted');
    const ok = await this.sync(graceMs);
    if (ok) this.post({ type: 'interrupted', ctx });
    else {
      this.exitReason = `it did not stop within ${graceMs / 1000} s of the interrupt (stuck outside JavaScript)`;
      await this.worker.terminate();
    }
    release();
  }

  /** Answers the input() the worker is blocked in. */
  answerInput(ok: boolean, text: string): void {
    const bytes = Buffer.from(text, 'utf8').subarray(0, INPUT.CAPACITY);
    new Uint8Array(this.inputBuffer, INPUT.HEADER_BYTES).set(bytes);
    Atomics.store(this.inputState, INPUT.LENGTH, bytes.length);
    Atomics.store(this.inputState, INPUT.STATE, ok ? INPUT.ANSWERED : INPUT.FAILED);
    Atomics.notify(this.inputState, INPUT.STATE);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.worker.terminate();
  }
}

export interface CheckerOptions {
  notebookDir: string;
  packageRoot: string;
  libTypes: string;
}

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
type Pending = { resolve: (v: any) => void; reject: (e: Error) => void };

export class CheckerHost {
  private worker!: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private stopping = false;
  /** Value names the preload makes global (from optilab's exports). */
  preloadNames: string[] = [];
  ready!: Promise<void>;

  constructor(private readonly opts: CheckerOptions, private readonly onRestart: (reason: string) => void) {
    this.start();
  }

  private start(): void {
    const worker = new Worker(new URL('../checker/worker.js', import.meta.url), { workerData: this.opts, name: 'optilab-checker' });
    this.worker = worker;
    let markReady!: () => void;
    this.ready = new Promise((r) => (markReady = r));
    worker.on('message', (m: CheckerResponse) => {
      if ('ready' in m) {
        this.preloadNames = m.preloadNames;
        markReady();
        return;
      }
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.error !== undefined) p?.reject(new Error(m.error));
      else p?.resolve(m.result);
    });
    let why = '';
    worker.on('error', (e) => (why = String((e as Error)?.stack ?? e)));
    worker.on('exit', (code) => {
      if (this.worker !== worker || this.stopping) return;
      const reason = why || `exit code ${code}`;
      for (const p of this.pending.values()) p.reject(new Error(`the type checker stopped (${reason})`));
      this.pending.clear();
      this.start();
      this.onRestart(reason);
    });
  }

  call<T>(req: WithoutId<CheckerRequest>): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...req, id });
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.worker.terminate();
  }
}
