/**
 * Executing one notebook through a kernel, cell by cell, with a per-cell timeout
 * (interrupt, then kill). The kernel is this package's, started over the wire protocol,
 * or one started on a Jupyter server (`optilab run --server`): both record outputs and
 * claims here the same way. Outputs are recorded as they arrive, so a notebook that fails,
 * hangs or kills its kernel keeps what it produced, and the reason is reported.
 */
import { dirname } from 'node:path';
import { KernelClient, KernelDiedError } from '../client/index.js';
import type { JSONObject } from '../protocol/wire.js';
import { sourceOf, tagsOf, type Cell, type Notebook, type Output } from './notebook.js';

export const CLAIM_MIME = 'application/vnd.optilab.claim+json';

export interface Claim {
  text: string;
  measured: unknown;
  holds: boolean;
  /** Set when the claim output is malformed (no text, or a verdict that is not a boolean). */
  error?: string;
}

export interface NotebookRun {
  ok: boolean;
  seconds: number;
  /** Why the notebook failed (the cell and the error), else null. */
  error: string | null;
  claims: Claim[];
  /** The notebook with its outputs. */
  executed: Notebook;
}

/** An IOPub message, as far as outputs need it. */
export interface OutputMessage {
  header: { msg_type: string };
  content: JSONObject;
}

/** What the runner needs of a kernel; `KernelClient` and `ServerKernel` both provide it. */
export interface RunnerKernel {
  /** Resolves with the execute_reply once the kernel is idle again; rejects with KernelDiedError when the kernel dies. */
  execute(code: string, o: { allowStdin: boolean; stopOnError: boolean; onOutput: (m: OutputMessage) => void }): Promise<{ reply: { content: JSONObject } }>;
  interrupt(timeoutMs: number): Promise<unknown>;
  /** Stops the kernel without asking. */
  kill(): void;
  shutdown(): Promise<void>;
}

/** Starts the kernel that runs the notebook at `path`. */
export type KernelStarter = (path: string) => Promise<RunnerKernel>;

export interface ExecuteOptions {
  /** Per-cell limit in seconds. */
  timeoutSeconds: number;
  /** The local kernel's environment (ignored when `startKernel` is given). */
  env?: NodeJS.ProcessEnv;
  /** Seconds to wait for an interrupted cell before killing the kernel. */
  interruptGraceSeconds?: number;
  /** Default: this package's kernel, started in the notebook's folder. */
  startKernel?: KernelStarter;
}

/** Turns IOPub messages into a cell's nbformat outputs, applying display updates and clears. */
class OutputRecorder {
  private clearPending = false;
  constructor(
    private readonly cell: Cell,
    private readonly byDisplayId: Map<string, Output[]>,
  ) {}

  private push(out: Output, displayId?: string): void {
    if (this.clearPending) {
      this.cell.outputs = [];
      this.clearPending = false;
    }
    const outputs = (this.cell.outputs ??= []);
    const last = outputs[outputs.length - 1];
    if (out.output_type === 'stream' && last?.output_type === 'stream' && last.name === out.name) last.text += out.text;
    else outputs.push(out);
    if (displayId) this.byDisplayId.set(displayId, [...(this.byDisplayId.get(displayId) ?? []), out]);
  }

  record(m: OutputMessage): void {
    const c = m.content;
    switch (m.header.msg_type) {
      case 'stream':
        return this.push({ output_type: 'stream', name: c.name, text: c.text });
      case 'display_data':
        return this.push({ output_type: 'display_data', data: c.data, metadata: c.metadata ?? {} }, c.transient?.display_id);
      case 'update_display_data':
        for (const out of this.byDisplayId.get(c.transient?.display_id) ?? []) {
          out.data = c.data;
          out.metadata = c.metadata ?? {};
        }
        return;
      case 'execute_result':
        return this.push({ output_type: 'execute_result', execution_count: c.execution_count, data: c.data, metadata: c.metadata ?? {} });
      case 'error':
        return this.push({ output_type: 'error', ename: c.ename, evalue: c.evalue, traceback: c.traceback });
      case 'clear_output':
        if (c.wait) this.clearPending = true;
        else this.cell.outputs = [];
        return;
    }
  }
}

/** The claims in a notebook's outputs, validated. */
export function collectClaims(nb: Notebook): Claim[] {
  const claims: Claim[] = [];
  for (const cell of nb.cells) {
    for (const out of cell.outputs ?? []) {
      const payload = out.data?.[CLAIM_MIME];
      if (payload === undefined) continue;
      const claim: Claim = { text: String(payload?.text ?? ''), measured: payload?.measured ?? null, holds: payload?.holds === true };
      if (typeof payload?.text !== 'string' || payload.text === '') claim.error = 'the claim has no text';
      else if (typeof payload?.holds !== 'boolean') claim.error = `the verdict is ${JSON.stringify(payload?.holds)}, not true or false`;
      else if (payload.error) claim.error = String(payload.error);
      claims.push(claim);
    }
  }
  return claims;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs every code cell of `nb` (a copy is returned with outputs) in a fresh kernel (by default started in the notebook's folder). */
export async function executeNotebook(nb: Notebook, path: string, opts: ExecuteOptions): Promise<NotebookRun> {
  const executed: Notebook = structuredClone(nb);
  const started = Date.now();
  const seconds = () => (Date.now() - started) / 1000;
  const fail = (error: string): NotebookRun => ({ ok: false, seconds: seconds(), error, claims: collectClaims(executed), executed });

  const start = opts.startKernel ?? ((p: string) => KernelClient.start({ cwd: dirname(p), env: opts.env }));
  let kernel: RunnerKernel;
  try {
    kernel = await start(path);
  } catch (e) {
    return fail(`the kernel did not start: ${(e as Error).message}`);
  }
  const byDisplayId = new Map<string, Output[]>();
  let position = 0; // the cell's place in the notebook as its author wrote it (injected cells not counted)
  try {
    for (const cell of executed.cells) {
      const injected = tagsOf(cell).includes('injected-parameters');
      if (!injected) position++;
      if (cell.cell_type !== 'code') continue;
      cell.outputs = [];
      cell.execution_count = null;
      const code = sourceOf(cell);
      if (code.trim() === '') continue;
      const recorder = new OutputRecorder(cell, byDisplayId);
      const where = injected ? 'the injected parameters cell' : `cell ${position}`;
      const running = kernel.execute(code, { allowStdin: false, stopOnError: true, onOutput: (m) => recorder.record(m) });
      running.catch(() => undefined);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), opts.timeoutSeconds * 1000)));
      let outcome: Awaited<typeof running> | 'timeout';
      try {
        outcome = await Promise.race([running, timedOut]);
      } catch (e) {
        clearTimeout(timer);
        if (e instanceof KernelDiedError) return fail(`${where}: the kernel died (${e.message.replace(/^the kernel( process)? /, '')})`);
        throw e;
      }
      clearTimeout(timer);
      if (outcome === 'timeout') {
        await kernel.interrupt(5000).catch(() => undefined);
        const grace = opts.interruptGraceSeconds ?? 10;
        const settled = await Promise.race([running.then(() => true, () => true), sleep(grace * 1000).then(() => false)]);
        if (!settled) kernel.kill();
        return fail(`${where}: timed out after ${opts.timeoutSeconds} s (${settled ? 'interrupted' : `killed: no answer ${grace} s after the interrupt`})`);
      }
      cell.execution_count = outcome.reply.content.execution_count ?? null;
      if (outcome.reply.content.status !== 'ok') {
        const { ename, evalue } = outcome.reply.content;
        return fail(`${where}: ${ename}: ${evalue}`);
      }
    }
  } finally {
    await kernel.shutdown().catch(() => kernel.kill());
  }
  const claims = collectClaims(executed);
  const bad = claims.find((c) => c.error);
  return { ok: true, seconds: seconds(), error: bad ? `claim "${bad.text}": ${bad.error}` : null, claims, executed };
}
