/**
 * The kernel's protocol thread: Jupyter messaging 5.3 over zeromq. It binds the five
 * channels, verifies every incoming signature, and dispatches requests. Cells are
 * checked by the checker thread and run by the executor thread; this thread only
 * routes messages, so heartbeats, interrupts and shutdowns are always answered.
 */
import { Publisher, Reply, Router } from 'zeromq';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { decode, encode, makeHeader, Signer, WireError, PROTOCOL_VERSION, type Header, type JSONObject, type Message } from '../protocol/wire.js';
import { endpoint, type ConnectionInfo } from '../protocol/connection.js';
import { SocketWriter } from './sockets.js';
import { StreamCoalescer } from './streams.js';
import { History } from './history.js';
import { invalidRequest, replyType } from './requests.js';
import { CheckerHost, ExecutorHost, type Done } from './workers.js';
import type { FromExecutor } from '../executor/messages.js';
import type { ErrorContent } from '../checker/errors.js';
import type { CompiledCell, CompileFailure } from '../checker/service.js';
import type { Completion, Inspection } from '../checker/assist.js';
import { libTypes, packageRoot, packageVersion } from '../paths.js';

const log = (...parts: unknown[]): void => void process.stderr.write(`[optilab kernel] ${parts.join(' ')}\n`);

/** `Math.floor?` or `?Math.floor`: a help request, not code (a trailing `?` is never valid TypeScript). */
const HELP_REQUEST = /^\s*(?:([\p{L}_$][\p{L}\p{N}_$.]*)\?|\?([\p{L}_$][\p{L}\p{N}_$.]*))\s*$/u;

/**
 * Incoming messages larger than this many MB are refused (comm buffers of widgets stay far
 * below the default); OPTILAB_MAX_MESSAGE_MB sets another limit.
 */
export function maxIncomingBytes(env: NodeJS.ProcessEnv = process.env): number {
  const mb = Number(env.OPTILAB_MAX_MESSAGE_MB || 512);
  if (!(mb > 0)) {
    log(`OPTILAB_MAX_MESSAGE_MB must be a positive number, got '${env.OPTILAB_MAX_MESSAGE_MB}'; using 512`);
    return 512 * 2 ** 20;
  }
  return Math.round(mb * 2 ** 20);
}

/** Output beyond this backlog is dropped with a note, so an endless print loop cannot exhaust memory. */
const MAX_OUTPUT_BACKLOG = 64 * 1024 * 1024;

/** The TypeScript version cells are checked with (read once; the checker thread loads TypeScript itself). */
let tsVersionCache: string | undefined;
function typescriptVersion(): string {
  if (tsVersionCache === undefined) {
    try {
      tsVersionCache = String(JSON.parse(readFileSync(createRequire(import.meta.url).resolve('typescript/package.json'), 'utf8')).version);
    } catch {
      tsVersionCache = 'unknown';
    }
  }
  return tsVersionCache;
}

/** Jupyter counts cursor positions in code points; JavaScript strings in UTF-16 units. */
export function codePointsToUtf16(text: string, cursor: number): number {
  let units = 0;
  let points = 0;
  for (const ch of text) {
    if (points >= cursor) break;
    units += ch.length;
    points++;
  }
  return units;
}

export function utf16ToCodePoints(text: string, offset: number): number {
  return [...text.slice(0, offset)].length;
}

interface Context {
  request: Message;
  /** Whether the request's frontend accepts input_request (execute only). */
  allowStdin: boolean;
}

interface Execution {
  ctx: number;
  /** How messages name the cell: "In [3]". */
  label: string;
  phase: 'checking' | 'running';
  interrupted: boolean;
  finish: (done: Done) => void;
}

export interface KernelOptions {
  notebookDir: string;
}

export class Kernel {
  private readonly signer: Signer;
  private readonly session = randomUUID();
  private readonly shell = new Router();
  private readonly control = new Router();
  private readonly stdin = new Router();
  private readonly iopub = new Publisher();
  private readonly hb = new Reply();
  private readonly writers: Record<'shell' | 'control' | 'stdin' | 'iopub', SocketWriter>;
  private readonly history = new History();
  private readonly executor: ExecutorHost;
  private readonly checker: CheckerHost;
  private readonly contexts = new Map<number, Context>();
  private readonly comms = new Map<string, string>();
  private readonly shellQueue: Message[] = [];
  private shellBusy = false;
  /** The shell request being handled, and whether it was answered. */
  private shellRequest: { msg: Message; replied: boolean } | undefined;
  private executionCount = 0;
  private nextCtx = 1;
  private cellNo = 0;
  private current: Execution | undefined;
  private pendingInput: { ctx: number; msgId: string } | undefined;
  /** Notes for the next execution: errors from async work of finished cells, executor restarts. */
  private deferredNotes: string[] = [];
  private droppedOutput = 0;
  private readonly streams = new StreamCoalescer((ctx, name, text) => this.publishStream(ctx, name, text));
  private closing = false;

  constructor(private readonly info: ConnectionInfo, opts: KernelOptions) {
    this.signer = new Signer(info.key, info.signature_scheme);
    const onSendError = (e: unknown) => log('send failed:', (e as Error)?.message ?? e);
    this.writers = {
      shell: new SocketWriter(this.shell, onSendError),
      control: new SocketWriter(this.control, onSendError),
      stdin: new SocketWriter(this.stdin, onSendError),
      iopub: new SocketWriter(this.iopub, onSendError),
    };
    this.checker = new CheckerHost({ notebookDir: opts.notebookDir, packageRoot, libTypes }, (why) => log('the type checker restarted:', why));
    this.executor = new ExecutorHost(
      { notebookDir: opts.notebookDir, packageRoot },
      (m) => this.onExecutorMessage(m),
      (reason, failed) => this.onExecutorExit(reason, failed),
    );
  }

  async start(): Promise<void> {
    for (const s of [this.shell, this.control, this.stdin, this.iopub, this.hb]) s.linger = 0;
    // zeromq drops IOPub messages silently beyond this queue per subscriber (default 1,000); output is coalesced, so this is rarely near.
    this.iopub.sendHighWaterMark = 10_000;
    // A peer sending a larger message is disconnected by zeromq before it reaches JavaScript.
    const maxBytes = maxIncomingBytes();
    for (const s of [this.shell, this.control, this.stdin, this.hb]) s.maxMessageSize = maxBytes;
    await Promise.all([
      this.shell.bind(endpoint(this.info, 'shell')),
      this.control.bind(endpoint(this.info, 'control')),
      this.stdin.bind(endpoint(this.info, 'stdin')),
      this.iopub.bind(endpoint(this.info, 'iopub')),
      this.hb.bind(endpoint(this.info, 'hb')),
    ]);
    this.publish('status', { execution_state: 'starting' }, {});
    void this.receive(this.shell, 'shell', (m) => this.enqueueShell(m));
    void this.receive(this.control, 'control', (m) => this.handleControl(m));
    void this.receive(this.stdin, 'stdin', (m) => this.handleStdin(m));
    void this.heartbeat();
    // Load the library in the executor once start-up work is out of the way.
    void Promise.all([this.checker.ready, this.executor.ready]).then(() => setTimeout(() => this.executor.post({ type: 'preload' }), 1500).unref());
    process.on('SIGINT', () => this.interrupt());
    process.on('SIGTERM', () => void this.shutdown(0));
  }

  // ------------------------------------------------------------------ wire
  private async receive(sock: Router, name: string, handle: (m: Message) => void | Promise<void>): Promise<void> {
    try {
      for await (const frames of sock) {
        let msg: Message;
        try {
          msg = decode(frames, this.signer);
        } catch (e) {
          if (e instanceof WireError) log(`dropped a message on ${name}: ${e.message}`);
          else log(`dropped a message on ${name}:`, e);
          continue;
        }
        try {
          await handle(msg);
        } catch (e) {
          log(`error handling ${msg.header.msg_type} on ${name}:`, (e as Error)?.stack ?? e);
        }
      }
    } catch (e) {
      if (!this.closing) log(`${name} socket failed:`, e);
    }
  }

  private async heartbeat(): Promise<void> {
    try {
      for await (const frames of this.hb) await this.hb.send(frames);
    } catch (e) {
      if (!this.closing) log('heartbeat socket failed:', e);
    }
  }

  private send(channel: 'shell' | 'control' | 'stdin', request: Message, msgType: string, content: JSONObject, metadata: JSONObject = {}): void {
    const frames = encode(
      { identities: request.identities, header: makeHeader(msgType, this.session, 'kernel'), parent_header: request.header, metadata, content },
      this.signer,
    );
    if (this.shellRequest?.msg === request) this.shellRequest.replied = true;
    this.writers[channel].send(frames);
  }

  private publish(msgType: string, content: JSONObject, parent: Partial<Header>, metadata: JSONObject = {}): void {
    const frames = encode(
      { identities: [Buffer.from(`kernel.${this.session}.${msgType}`)], header: makeHeader(msgType, this.session, 'kernel'), parent_header: parent, metadata, content },
      this.signer,
    );
    this.writers.iopub.send(frames);
  }

  private status(state: 'busy' | 'idle', parent: Header): void {
    this.publish('status', { execution_state: state }, parent);
  }

  // ------------------------------------------------------------------ shell
  /** Shell requests are handled one at a time, in order, as frontends expect. */
  private enqueueShell(msg: Message): void {
    this.shellQueue.push(msg);
    if (!this.shellBusy) void this.drainShell();
  }

  private async drainShell(): Promise<void> {
    this.shellBusy = true;
    while (this.shellQueue.length) {
      const msg = this.shellQueue.shift()!;
      this.status('busy', msg.header);
      this.shellRequest = { msg, replied: false };
      try {
        await this.handleShell(msg);
      } catch (e) {
        log(`error handling ${msg.header.msg_type}:`, (e as Error)?.stack ?? e);
        // A frontend waits for the reply: a failure in the kernel's own code still gets one.
        const reply = replyType(msg.header.msg_type);
        if (reply && !this.shellRequest.replied) {
          const evalue = `the kernel failed to handle this ${msg.header.msg_type}: ${(e as Error)?.message ?? e}`;
          const counted = msg.header.msg_type === 'execute_request' ? { execution_count: this.executionCount } : {};
          this.send('shell', msg, reply, { status: 'error', ename: 'KernelError', evalue, traceback: [`KernelError: ${evalue}`], ...counted }, { status: 'error' });
        }
      }
      this.status('idle', msg.header);
    }
    this.shellRequest = undefined;
    this.shellBusy = false;
  }

  /** Answers a request whose content has a field of the wrong type with an error naming it; true when refused. */
  private refuseInvalid(msg: Message, channel: 'shell' | 'control'): boolean {
    const why = invalidRequest(msg.header.msg_type, msg.content);
    if (!why) return false;
    log(`refused a ${msg.header.msg_type} on ${channel}: ${why}`);
    const reply = replyType(msg.header.msg_type);
    if (reply) {
      const counted = msg.header.msg_type === 'execute_request' ? { execution_count: this.executionCount } : {};
      this.send(channel, msg, reply, { status: 'error', ename: 'InvalidRequest', evalue: why, traceback: [`InvalidRequest: ${why}`], ...counted }, { status: 'error' });
    }
    return true;
  }

  private async handleShell(msg: Message): Promise<void> {
    const c = msg.content;
    if (this.refuseInvalid(msg, 'shell')) return;
    switch (msg.header.msg_type) {
      case 'execute_request':
        return this.execute(msg);
      case 'kernel_info_request':
        return this.send('shell', msg, 'kernel_info_reply', this.kernelInfo());
      case 'complete_request':
        return this.complete(msg);
      case 'inspect_request':
        return this.inspect(msg);
      case 'is_complete_request': {
        const r = await this.checker.call<{ status: string; indent?: string }>({ method: 'isComplete', code: String(c.code ?? '') });
        return this.send('shell', msg, 'is_complete_reply', r.status === 'incomplete' ? { status: r.status, indent: r.indent ?? '' } : { status: r.status });
      }
      case 'history_request':
        return this.send('shell', msg, 'history_reply', { status: 'ok', history: this.history.query(c) });
      case 'comm_info_request': {
        const comms: Record<string, { target_name: string }> = {};
        for (const [id, target] of this.comms) if (!c.target_name || c.target_name === target) comms[id] = { target_name: target };
        return this.send('shell', msg, 'comm_info_reply', { status: 'ok', comms });
      }
      case 'comm_open':
      case 'comm_msg':
      case 'comm_close':
        return this.commFromFrontend(msg);
      case 'shutdown_request':
        return this.shutdownRequest(msg, 'shell');
      case 'interrupt_request':
        this.interrupt();
        return this.send('shell', msg, 'interrupt_reply', { status: 'ok' });
      default:
        log(`unknown message type on shell: ${msg.header.msg_type}`);
    }
  }

  private kernelInfo(): JSONObject {
    const tsVersion = typescriptVersion();
    return {
      status: 'ok',
      protocol_version: PROTOCOL_VERSION,
      implementation: 'optilab',
      implementation_version: packageVersion(),
      language_info: {
        name: 'typescript',
        version: tsVersion,
        mimetype: 'text/typescript',
        file_extension: '.ts',
        pygments_lexer: 'typescript',
        codemirror_mode: 'text/typescript',
        nbconvert_exporter: 'script',
      },
      banner: `optilab ${packageVersion()}: TypeScript ${tsVersion} on Node.js ${process.version}, with tf, the optilab library, display, plot and claim preloaded`,
      help_links: [{ text: 'optilab', url: 'https://github.com/optilab/optilab#readme' }],
      debugger: false,
    };
  }

  // ------------------------------------------------------------------ execute
  private newContext(request: Message, allowStdin = false): number {
    const ctx = this.nextCtx++;
    this.contexts.set(ctx, { request, allowStdin });
    // Late output may still name old contexts; keep the recent ones.
    if (this.contexts.size > 2000) this.contexts.delete(this.contexts.keys().next().value!);
    return ctx;
  }

  private async execute(msg: Message): Promise<void> {
    const c = msg.content;
    const code = typeof c.code === 'string' ? c.code : '';
    const silent = !!c.silent;
    const storeHistory = silent ? false : c.store_history !== false;
    if (storeHistory) this.executionCount++;
    const count = this.executionCount;
    if (!silent) this.publish('execute_input', { code, execution_count: count }, msg.header);
    if (storeHistory) this.history.add(count, code);
    this.flushDeferredNotes(msg.header);

    const help = code.match(HELP_REQUEST);
    if (help) {
      // `name?` (or `?name`) pages the type and documentation of `name`, as IPython does.
      const expr = help[1] ?? help[2];
      const page = await this.inspection(expr, [...expr].length);
      this.send('shell', msg, 'execute_reply', {
        status: 'ok',
        execution_count: count,
        user_expressions: {},
        payload: [{ source: 'page', data: page.found ? page.data : { 'text/plain': `No type information for ${expr}` }, start: 0 }],
      });
      return;
    }

    const ctx = this.newContext(msg, !!c.allow_stdin);
    const done = await this.runCode(code, ctx, silent ? 'silent cell' : `In [${count}]`);

    const userExpressions: JSONObject = {};
    if (done.error === undefined && c.user_expressions && typeof c.user_expressions === 'object') {
      for (const [name, expr] of Object.entries(c.user_expressions as Record<string, unknown>)) {
        const r = await this.runCode(String(expr), this.newContext(msg), 'user expression');
        userExpressions[name] = r.error ? { status: 'error', ...r.error } : { status: 'ok', data: r.result?.data ?? { 'text/plain': 'undefined' }, metadata: r.result?.metadata ?? {} };
      }
    }

    this.streams.flush(); // the cell's text comes before its result or error
    if (done.error) {
      if (!silent) this.publish('error', done.error, msg.header);
      this.send('shell', msg, 'execute_reply', { status: 'error', execution_count: count, ...done.error, user_expressions: {}, payload: [] }, { status: 'error' });
      if (c.stop_on_error !== false) this.abortQueuedExecutions();
      return;
    }
    if (done.result && !silent) {
      this.publish('execute_result', { execution_count: count, data: done.result.data, metadata: done.result.metadata }, msg.header);
      if (storeHistory && typeof done.result.data['text/plain'] === 'string') this.history.setOutput(count, done.result.data['text/plain']);
    }
    this.send('shell', msg, 'execute_reply', { status: 'ok', execution_count: count, user_expressions: userExpressions, payload: [] }, { status: 'ok' });
  }

  /** Checks and runs one piece of code; the outcome is an error or an optional result. */
  private async runCode(code: string, ctx: number, label: string): Promise<Done> {
    if (code.trim() === '') return { type: 'done', ctx };
    return new Promise<Done>((resolve) => {
      const exec: Execution = { ctx, label, phase: 'checking', interrupted: false, finish: resolve };
      this.current = exec;
      const cellNo = ++this.cellNo;
      // A cell that mentions the library: start loading it while the checker works.
      if (this.checker.preloadNames.some((n) => new RegExp(`\\b${n}\\b`).test(code))) this.executor.post({ type: 'preload' });
      this.checker
        .call<CompiledCell | CompileFailure>({ method: 'compile', code, label, cellNo })
        .then(async (compiled) => {
          if (exec.interrupted) return;
          if (!compiled.ok) return resolve({ type: 'done', ctx, error: compiled.error });
          exec.phase = 'running';
          void this.checker.call({ method: 'commit', cellNo }).catch(() => undefined);
          const done = await this.executor.run({
            type: 'run',
            ctx,
            label,
            filename: `optilab-cell-${cellNo}`,
            source: code,
            js: compiled.js,
            sourceMap: compiled.sourceMap,
            declares: compiled.declares,
            needsLibrary: compiled.needsLibrary,
          });
          if (!exec.interrupted) resolve(done);
        })
        .catch((e) => resolve({ type: 'done', ctx, error: { ename: 'KernelError', evalue: String((e as Error)?.message ?? e), traceback: [String((e as Error)?.stack ?? e)] } }));
    }).finally(() => {
      if (this.current?.ctx === ctx) this.current = undefined;
      if (this.pendingInput?.ctx === ctx) this.pendingInput = undefined;
    });
  }

  /** After a failed cell with stop_on_error, the executions already queued are not run. */
  private abortQueuedExecutions(): void {
    const kept: Message[] = [];
    for (const m of this.shellQueue) {
      if (m.header.msg_type !== 'execute_request') {
        kept.push(m);
        continue;
      }
      this.status('busy', m.header);
      const error = { ename: 'ExecutionAborted', evalue: 'not run: an earlier cell failed', traceback: ['ExecutionAborted: not run because an earlier cell failed'] };
      this.send('shell', m, 'execute_reply', { status: 'error', execution_count: this.executionCount, ...error, user_expressions: {}, payload: [] }, { status: 'error' });
      this.status('idle', m.header);
    }
    this.shellQueue.length = 0;
    this.shellQueue.push(...kept);
  }

  /** Interrupts the running cell (SIGINT or interrupt_request); its variables stay. */
  interrupt(): void {
    const exec = this.current;
    if (!exec || exec.interrupted) return;
    exec.interrupted = true;
    const error: ErrorContent = {
      ename: 'Interrupted',
      evalue: `${exec.label} was interrupted; variables defined before the interruption are kept`,
      traceback: [`Interrupted: ${exec.label} was interrupted while ${exec.phase === 'checking' ? 'being type-checked' : 'running'}.`, 'Variables defined before the interruption are kept.'],
    };
    if (exec.phase === 'running') void this.executor.interrupt(exec.ctx);
    exec.finish({ type: 'done', ctx: exec.ctx, error });
  }

  private flushDeferredNotes(parent: Header): void {
    if (this.deferredNotes.length === 0) return;
    this.publish('stream', { name: 'stderr', text: this.deferredNotes.join('\n') + '\n' }, parent);
    this.deferredNotes = [];
  }

  // ------------------------------------------------------------------ executor output
  private parentOf(ctx: number): Partial<Header> {
    return this.contexts.get(ctx)?.request.header ?? {};
  }

  private publishStream(ctx: number, name: 'stdout' | 'stderr', text: string): void {
    if (this.writers.iopub.backlog > MAX_OUTPUT_BACKLOG) {
      this.droppedOutput += text.length;
      return;
    }
    if (this.droppedOutput) {
      text = `[optilab: ${this.droppedOutput} characters of output were dropped because the frontend could not keep up]\n` + text;
      this.droppedOutput = 0;
    }
    this.publish('stream', { name, text }, this.parentOf(ctx));
  }

  private onExecutorMessage(m: Exclude<FromExecutor, Done | { type: 'pong' | 'ready' }>): void {
    if (m.type === 'stream') return this.streams.add(m.ctx, m.name, m.text);
    // Anything else a cell outputs comes after the text it printed before.
    this.streams.flush();
    const parent = this.parentOf(m.ctx);
    switch (m.type) {
      case 'display':
        return this.publish(m.update ? 'update_display_data' : 'display_data', { data: m.data, metadata: m.metadata, transient: m.displayId ? { display_id: m.displayId } : {} }, parent);
      case 'clear':
        return this.publish('clear_output', { wait: m.wait }, parent);
      case 'async_error': {
        const note = [`Error in asynchronous work of an earlier cell, after it finished:`, ...m.error.traceback].join('\n');
        log(note);
        if (this.current) this.publish('stream', { name: 'stderr', text: note + '\n' }, this.parentOf(this.current.ctx));
        else this.deferredNotes.push(note);
        return;
      }
      case 'input':
        return this.requestInput(m.ctx, m.prompt, m.password);
      case 'comm_open':
        this.comms.set(m.commId, m.targetName);
        return this.publish('comm_open', { comm_id: m.commId, target_name: m.targetName, data: m.data }, parent, m.metadata);
      case 'comm_msg':
        return this.publish('comm_msg', { comm_id: m.commId, data: m.data }, parent, m.metadata);
      case 'comm_close':
        this.comms.delete(m.commId);
        return this.publish('comm_close', { comm_id: m.commId, data: m.data }, parent, m.metadata);
      case 'comm_done':
        return this.commWaiters.get(m.ctx)?.(m.known);
    }
  }

  private onExecutorExit(reason: string, failed: number[]): void {
    const note = `The executor stopped (${reason}); a fresh one has started and all variables were lost.`;
    log(note);
    this.comms.clear();
    void this.checker.call({ method: 'reset' }).catch(() => undefined);
    // A cell that did not run in the executor that went (one queued behind an interrupted cell) is told at once.
    if (this.current && !failed.includes(this.current.ctx)) this.publish('stream', { name: 'stderr', text: note + '\n' }, this.parentOf(this.current.ctx));
    else if (!this.current) this.deferredNotes.push(note);
  }

  // ------------------------------------------------------------------ stdin
  private requestInput(ctx: number, prompt: string, password: boolean): void {
    const context = this.contexts.get(ctx);
    if (!context || this.current?.ctx !== ctx) {
      return this.executor.answerInput(false, 'input() can only be called while its cell is running');
    }
    if (!context.allowStdin) {
      return this.executor.answerInput(false, 'input() needs a frontend that accepts input; this execution was sent with allow_stdin=false');
    }
    const frames = encode(
      { identities: context.request.identities, header: makeHeader('input_request', this.session, 'kernel'), parent_header: context.request.header, metadata: {}, content: { prompt, password } },
      this.signer,
    );
    this.pendingInput = { ctx, msgId: context.request.header.msg_id };
    this.writers.stdin.send(frames);
  }

  private handleStdin(msg: Message): void {
    if (msg.header.msg_type !== 'input_reply') {
      log(`unexpected ${msg.header.msg_type} on stdin`);
      return;
    }
    const pending = this.pendingInput;
    if (!pending || this.current?.ctx !== pending.ctx) return; // answered too late: the cell is gone
    this.pendingInput = undefined;
    const why = invalidRequest('input_reply', msg.content);
    if (why) {
      log(`refused an input_reply: ${why}`);
      this.executor.answerInput(false, `the frontend sent an invalid answer (${why})`);
    } else if (msg.content.status === 'error') this.executor.answerInput(false, 'the frontend declined the input request');
    else this.executor.answerInput(true, String(msg.content.value ?? ''));
  }

  // ------------------------------------------------------------------ complete / inspect
  private async complete(msg: Message): Promise<void> {
    const code = String(msg.content.code ?? '');
    const pos = codePointsToUtf16(code, Number(msg.content.cursor_pos ?? [...code].length));
    try {
      const r = await this.checker.call<Completion>({ method: 'complete', code, pos });
      this.send('shell', msg, 'complete_reply', {
        status: 'ok',
        matches: r.matches,
        cursor_start: utf16ToCodePoints(code, r.cursor_start),
        cursor_end: utf16ToCodePoints(code, r.cursor_end),
        metadata: {
          _jupyter_types_experimental: r.types.map((t) => ({ ...t, start: utf16ToCodePoints(code, t.start), end: utf16ToCodePoints(code, t.end) })),
        },
      });
    } catch (e) {
      this.send('shell', msg, 'complete_reply', { status: 'error', ename: 'CompletionError', evalue: String((e as Error).message), traceback: [], matches: [], cursor_start: 0, cursor_end: 0, metadata: {} });
    }
  }

  /** Type and documentation at a cursor position (in code points) as a MIME bundle. */
  private async inspection(code: string, cursor: number, detail = 0): Promise<{ found: boolean; data: JSONObject }> {
    const r = await this.checker.call<Inspection>({ method: 'inspect', code, pos: codePointsToUtf16(code, cursor), detail });
    const data: JSONObject = {};
    if (r.found) {
      data['text/plain'] = r.documentation ? `${r.signature}\n\n${r.documentation}` : r.signature;
      data['text/markdown'] = '```typescript\n' + r.signature + '\n```' + (r.documentation ? `\n\n${r.documentation}` : '');
    }
    return { found: r.found, data };
  }

  private async inspect(msg: Message): Promise<void> {
    const code = String(msg.content.code ?? '');
    try {
      const r = await this.inspection(code, Number(msg.content.cursor_pos ?? [...code].length), Number(msg.content.detail_level ?? 0));
      this.send('shell', msg, 'inspect_reply', { status: 'ok', found: r.found, data: r.data, metadata: {} });
    } catch (e) {
      this.send('shell', msg, 'inspect_reply', { status: 'error', ename: 'InspectionError', evalue: String((e as Error).message), traceback: [], found: false, data: {}, metadata: {} });
    }
  }

  // ------------------------------------------------------------------ comms
  private readonly commWaiters = new Map<number, (known: boolean) => void>();

  private async commFromFrontend(msg: Message): Promise<void> {
    const c = msg.content;
    const commId = String(c.comm_id ?? '');
    const ctx = this.newContext(msg);
    const payload = { ctx, commId, data: (c.data ?? {}) as Record<string, unknown>, metadata: msg.metadata, buffers: msg.buffers.map((b) => new Uint8Array(b)) };
    const known = await new Promise<boolean>((resolve) => {
      this.commWaiters.set(ctx, resolve);
      if (msg.header.msg_type === 'comm_open') this.executor.post({ type: 'comm_open', targetName: String(c.target_name ?? ''), ...payload });
      else this.executor.post({ type: msg.header.msg_type as 'comm_msg' | 'comm_close', ...payload });
    });
    this.commWaiters.delete(ctx);
    this.streams.flush();
    if (msg.header.msg_type === 'comm_open') {
      if (known) this.comms.set(commId, String(c.target_name));
      // An open to an unknown target is answered with a close, as the protocol asks.
      else this.publish('comm_close', { comm_id: commId, data: {} }, msg.header);
    } else if (msg.header.msg_type === 'comm_close') this.comms.delete(commId);
  }

  // ------------------------------------------------------------------ control
  private async handleControl(msg: Message): Promise<void> {
    this.status('busy', msg.header);
    if (this.refuseInvalid(msg, 'control')) return this.status('idle', msg.header);
    switch (msg.header.msg_type) {
      case 'kernel_info_request':
        this.send('control', msg, 'kernel_info_reply', this.kernelInfo());
        break;
      case 'interrupt_request':
        this.interrupt();
        this.send('control', msg, 'interrupt_reply', { status: 'ok' });
        break;
      case 'shutdown_request':
        this.status('idle', msg.header);
        return this.shutdownRequest(msg, 'control');
      default:
        log(`unknown message type on control: ${msg.header.msg_type}`);
    }
    this.status('idle', msg.header);
  }

  private async shutdownRequest(msg: Message, channel: 'shell' | 'control'): Promise<void> {
    const restart = !!msg.content.restart;
    this.send(channel, msg, 'shutdown_reply', { status: 'ok', restart });
    this.publish('shutdown_reply', { status: 'ok', restart }, msg.header);
    await this.shutdown(0);
  }

  async shutdown(code: number): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.interrupt();
    this.streams.flush();
    await Promise.all(Object.values(this.writers).map((w) => w.flush()));
    await Promise.allSettled([this.executor.stop(), this.checker.stop()]);
    for (const s of [this.shell, this.control, this.stdin, this.iopub, this.hb]) s.close();
    process.exit(code);
  }
}
