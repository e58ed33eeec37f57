/**
 * A small client for the Jupyter wire protocol: starts a kernel process with a fresh
 * connection file, sends requests, and collects the IOPub messages of each request
 * until the kernel reports idle for it. The runner and the tests drive kernels with it.
 *
 *   const k = await KernelClient.start({ cwd: notebookDir });
 *   const { reply, outputs } = await k.execute('1 + 1');
 *   await k.shutdown();
 */
import { Dealer, Subscriber } from 'zeromq';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode, encode, makeHeader, Signer, type Header, type JSONObject, type Message } from '../protocol/wire.js';
import { endpoint, newConnectionInfo, writeConnectionFile, type ConnectionInfo } from '../protocol/connection.js';
import { cliPath } from '../paths.js';

export class KernelDiedError extends Error {}
export class TimeoutError extends Error {}

export interface StartOptions {
  /** The kernel's working directory (the notebook's folder). */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** The kernel command; `{connection_file}` is replaced. Default: this package's kernel. */
  argv?: string[];
  startupTimeoutMs?: number;
  /** The address the kernel binds to, written into its connection file (default 127.0.0.1). */
  ip?: string;
}

export interface ExecuteOptions {
  silent?: boolean;
  storeHistory?: boolean;
  allowStdin?: boolean;
  stopOnError?: boolean;
  userExpressions?: Record<string, string>;
  /** Rejects with TimeoutError when the reply and idle have not both arrived in time. */
  timeoutMs?: number;
  /** Each IOPub message of this execution as it arrives. */
  onOutput?: (msg: Message) => void;
  /** Answers input requests; without it, input requests get an empty answer. */
  onInput?: (prompt: string, password: boolean) => string | Promise<string>;
}

export type RequestOptions = { channel?: 'shell' | 'control'; timeoutMs?: number } & Pick<ExecuteOptions, 'onOutput' | 'onInput'>;

export interface RequestResult {
  /** The reply; for messages without one (comm_open, comm_msg, comm_close), undefined. */
  reply: Message;
  /** IOPub messages with this request as parent, busy to idle (status messages excluded). */
  iopub: Message[];
}

/** Shell messages that get no reply: the kernel's idle status ends them. */
const NO_REPLY = new Set(['comm_open', 'comm_msg', 'comm_close']);

interface Collector {
  messages: Message[];
  reply?: Message;
  expectsReply: boolean;
  idle: boolean;
  done: () => void;
  fail: (e: Error) => void;
  onOutput?: (msg: Message) => void;
  onInput?: ExecuteOptions['onInput'];
}

export class KernelClient {
  readonly signer: Signer;
  private readonly session = randomUUID();
  private readonly identity = `optilab-client-${randomUUID()}`;
  private shell!: Dealer;
  private control!: Dealer;
  private stdin!: Dealer;
  private iopub!: Subscriber;
  private readonly collectors = new Map<string, Collector>();
  private readonly sendQueues = new Map<Dealer, Promise<void>>();
  private stderrChunks: string[] = [];
  private closed = false;
  process!: ChildProcess;
  /** Resolves when the kernel process exits. */
  exited!: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exitStatus: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** Every IOPub message, whatever its parent (late output, broadcasts). */
  onIOPub?: (msg: Message) => void;

  private constructor(readonly connection: ConnectionInfo, private readonly dir: string, private readonly opts: StartOptions) {
    this.signer = new Signer(connection.key, connection.signature_scheme);
  }

  get connectionFile(): string {
    return join(this.dir, 'kernel.json');
  }

  /** Starts a kernel and waits until it answers kernel_info on shell and publishes on IOPub. */
  static async start(opts: StartOptions = {}): Promise<KernelClient> {
    const info = await newConnectionInfo(opts.ip);
    const dir = mkdtempSync(join(tmpdir(), 'optilab-kernel-'));
    const client = new KernelClient(info, dir, opts);
    writeConnectionFile(client.connectionFile, info);
    client.spawn();
    client.connect();
    try {
      await client.waitForReady(opts.startupTimeoutMs ?? 30000);
    } catch (e) {
      await client.close(true);
      throw e;
    }
    return client;
  }

  private spawn(): void {
    const argv = (this.opts.argv ?? [process.execPath, cliPath, 'kernel', '--connection-file', '{connection_file}']).map((a) =>
      a === '{connection_file}' ? this.connectionFile : a,
    );
    this.stderrChunks = [];
    const child = spawn(argv[0], argv.slice(1), { cwd: this.opts.cwd, env: this.opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.process = child;
    this.exitStatus = undefined;
    const keep = (chunk: Buffer) => {
      this.stderrChunks.push(chunk.toString('utf8'));
      if (this.stderrChunks.length > 200) this.stderrChunks.splice(0, 100);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.exited = new Promise((resolve) =>
      child.on('exit', (code, signal) => {
        this.exitStatus = { code, signal };
        const log = this.logTail(600).trim();
        const why = new KernelDiedError(`the kernel process exited (${signal ? `signal ${signal}` : `code ${code}`})${log ? `; its last output:\n${log}` : ''}`);
        for (const c of this.collectors.values()) c.fail(why);
        this.collectors.clear();
        resolve({ code, signal });
      }),
    );
  }

  /** The kernel's recent stdout/stderr (its log), for failure reports. */
  logTail(chars = 4000): string {
    return this.stderrChunks.join('').slice(-chars);
  }

  get alive(): boolean {
    return this.exitStatus === undefined;
  }

  private connect(): void {
    const c = this.connection;
    this.shell = new Dealer({ routingId: this.identity, linger: 0 });
    this.control = new Dealer({ linger: 0 });
    // The kernel addresses input requests to the identity of the shell request's sender.
    this.stdin = new Dealer({ routingId: this.identity, linger: 0 });
    // Never drop output on this side: zeromq's default would discard beyond 1,000 unread messages.
    this.iopub = new Subscriber({ linger: 0, receiveHighWaterMark: 0 });
    this.shell.connect(endpoint(c, 'shell'));
    this.control.connect(endpoint(c, 'control'));
    this.stdin.connect(endpoint(c, 'stdin'));
    this.iopub.connect(endpoint(c, 'iopub'));
    this.iopub.subscribe();
    void this.listen(this.shell, (m) => this.onReply(m));
    void this.listen(this.control, (m) => this.onReply(m));
    void this.listen(this.stdin, (m) => this.onStdin(m));
    void this.listen(this.iopub, (m) => this.onIOPubMessage(m));
  }

  private async listen(sock: Dealer | Subscriber, handle: (m: Message) => void): Promise<void> {
    try {
      for await (const frames of sock) {
        try {
          handle(decode(frames, this.signer));
        } catch {
          // A message we cannot verify is not from our kernel: ignore it.
        }
      }
    } catch {
      // socket closed
    }
  }

  private onReply(m: Message): void {
    const c = this.collectors.get(String(m.parent_header.msg_id));
    if (!c) return;
    c.reply = m;
    if (c.idle) c.done();
  }

  private onIOPubMessage(m: Message): void {
    this.onIOPub?.(m);
    const c = this.collectors.get(String(m.parent_header.msg_id));
    if (!c) return;
    if (m.header.msg_type === 'status') {
      if (m.content.execution_state === 'idle') {
        c.idle = true;
        if (c.reply || !c.expectsReply) c.done();
      }
      return;
    }
    c.messages.push(m);
    c.onOutput?.(m);
  }

  private async onStdin(m: Message): Promise<void> {
    if (m.header.msg_type !== 'input_request') return;
    const c = this.collectors.get(String(m.parent_header.msg_id));
    let value = '';
    try {
      value = c?.onInput ? await c.onInput(String(m.content.prompt ?? ''), !!m.content.password) : '';
    } catch {
      value = '';
    }
    this.sendOn(this.stdin, encode({ header: makeHeader('input_reply', this.session), parent_header: m.header, metadata: {}, content: { status: 'ok', value } }, this.signer));
  }

  private sendOn(sock: Dealer, frames: Buffer[]): void {
    // zeromq.js allows one send in flight per socket.
    const prev = this.sendQueues.get(sock) ?? Promise.resolve();
    this.sendQueues.set(
      sock,
      prev.then(() => sock.send(frames)).catch(() => undefined),
    );
  }

  /** Sends frames as they are (tests use this for malformed or badly signed messages). */
  sendRaw(channel: 'shell' | 'control' | 'stdin', frames: Buffer[]): void {
    this.sendOn(channel === 'shell' ? this.shell : channel === 'control' ? this.control : this.stdin, frames);
  }

  /** A signed message ready for `sendRaw`, and its header. */
  message(msgType: string, content: JSONObject, metadata: JSONObject = {}): { header: Header; frames: Buffer[] } {
    const header = makeHeader(msgType, this.session);
    return { header, frames: encode({ header, parent_header: {}, metadata, content }, this.signer) };
  }

  /** Sends a request and resolves with its reply and IOPub messages once the kernel is idle again. */
  request(msgType: string, content: JSONObject, options: RequestOptions = {}): Promise<RequestResult> {
    const { header, frames } = this.message(msgType, content);
    return this.exchange(header, frames, options);
  }

  /**
   * Sends prepared frames for the request `header` (tests use it for odd but signed
   * messages) and collects its reply and IOPub messages as `request` does. `expectsReply:
   * false` ends at the kernel's idle status.
   */
  exchange(header: Header, frames: Buffer[], options: RequestOptions & { expectsReply?: boolean } = {}): Promise<RequestResult> {
    if (!this.alive) return Promise.reject(new KernelDiedError('the kernel is not running'));
    const msgType = header.msg_type;
    return new Promise<RequestResult>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (fn: () => void) => {
        if (timer) clearTimeout(timer);
        this.collectors.delete(header.msg_id);
        fn();
      };
      const c: Collector = {
        messages: [],
        expectsReply: options.expectsReply ?? !NO_REPLY.has(msgType),
        idle: false,
        done: () => finish(() => resolve({ reply: c.reply!, iopub: c.messages })),
        fail: (e) => finish(() => reject(e)),
        onOutput: options.onOutput,
        onInput: options.onInput,
      };
      this.collectors.set(header.msg_id, c);
      if (options.timeoutMs !== undefined) {
        timer = setTimeout(() => c.fail(new TimeoutError(`${msgType}: no reply and idle within ${options.timeoutMs} ms`)), options.timeoutMs);
      }
      this.sendOn(options.channel === 'control' ? this.control : this.shell, frames);
    });
  }

  execute(code: string, o: ExecuteOptions = {}): Promise<RequestResult> {
    return this.request(
      'execute_request',
      {
        code,
        silent: o.silent ?? false,
        store_history: o.storeHistory ?? !o.silent,
        user_expressions: o.userExpressions ?? {},
        allow_stdin: o.allowStdin ?? !!o.onInput,
        stop_on_error: o.stopOnError ?? true,
      },
      { timeoutMs: o.timeoutMs, onOutput: o.onOutput, onInput: o.onInput },
    );
  }

  private async waitForReady(timeoutMs: number): Promise<void> {
    const end = Date.now() + timeoutMs;
    // Subscriptions reach the publisher asynchronously: repeat kernel_info until its status arrives on IOPub too.
    while (Date.now() < end) {
      if (!this.alive) throw new KernelDiedError(`the kernel exited during start-up:\n${this.logTail()}`);
      try {
        await this.request('kernel_info_request', {}, { timeoutMs: Math.min(1000, Math.max(1, end - Date.now())) });
        return;
      } catch (e) {
        if (e instanceof KernelDiedError) throw new KernelDiedError(`the kernel exited during start-up:\n${this.logTail()}`);
      }
    }
    throw new TimeoutError(`the kernel did not answer within ${timeoutMs} ms:\n${this.logTail()}`);
  }

  /** interrupt_request on the control channel. */
  interrupt(timeoutMs = 10000): Promise<RequestResult> {
    return this.request('interrupt_request', {}, { channel: 'control', timeoutMs });
  }

  /** Asks the kernel to shut down, then starts a fresh process on the same connection (as Jupyter's restart does). */
  async restart(timeoutMs = 30000): Promise<void> {
    await this.request('shutdown_request', { restart: true }, { channel: 'control', timeoutMs: 10000 }).catch(() => undefined);
    await this.waitForExit(5000);
    this.spawn();
    await this.waitForReady(timeoutMs);
  }

  private async waitForExit(ms: number): Promise<void> {
    if (!this.alive) return;
    const t = setTimeout(() => this.process.kill('SIGKILL'), ms);
    await this.exited;
    clearTimeout(t);
  }

  /** Stops the kernel without asking. */
  kill(): void {
    if (this.alive) this.process.kill('SIGKILL');
  }

  /** Asks the kernel to shut down (killing it if it does not), and closes the sockets. */
  async shutdown(): Promise<void> {
    if (this.alive) await this.request('shutdown_request', { restart: false }, { channel: 'control', timeoutMs: 5000 }).catch(() => undefined);
    await this.close(false);
  }

  private async close(kill: boolean): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (kill) this.kill();
    await this.waitForExit(5000);
    for (const s of [this.shell, this.control, this.stdin, this.iopub]) s?.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
