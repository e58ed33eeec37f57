/** Helpers for driving a kernel in tests: run a cell and pick its outputs apart. */
import { KernelClient, type ExecuteOptions } from '../../kernel/client/index.js';
import type { Message } from '../../kernel/protocol/wire.js';

export interface CellRun {
  reply: Message;
  outputs: Message[];
  status: string;
  stdout: string;
  stderr: string;
  /** text/plain of the execute_result, if any. */
  result: string | undefined;
  errors: Message[];
  ofType(type: string): Message[];
}

export async function runCell(k: KernelClient, code: string, opts: ExecuteOptions = {}): Promise<CellRun> {
  const { reply, iopub } = await k.execute(code, { timeoutMs: 60_000, ...opts });
  const outputs = iopub.filter((m) => m.header.msg_type !== 'execute_input');
  const ofType = (t: string) => outputs.filter((m) => m.header.msg_type === t);
  const stream = (name: string) =>
    ofType('stream')
      .filter((m) => m.content.name === name)
      .map((m) => m.content.text)
      .join('');
  return {
    reply,
    outputs,
    status: reply.content.status,
    stdout: stream('stdout'),
    stderr: stream('stderr'),
    result: ofType('execute_result')[0]?.content.data['text/plain'],
    errors: ofType('error'),
    ofType,
  };
}

/** Resolves when `predicate` holds for an IOPub message of the running cell (e.g. it printed "started"). */
export function outputSignal(predicate: (m: Message) => boolean): { onOutput: (m: Message) => void; seen: Promise<void> } {
  let resolve!: () => void;
  const seen = new Promise<void>((r) => (resolve = r));
  return { onOutput: (m) => predicate(m) && resolve(), seen };
}

export const printed = (text: string) => (m: Message) => m.header.msg_type === 'stream' && String(m.content.text).includes(text);
