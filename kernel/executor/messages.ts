/**
 * Messages between the kernel's protocol thread and the executor thread. Every output
 * names the context (`ctx`) it belongs to: the execution or comm request that caused
 * it, which the protocol thread maps to the Jupyter parent header.
 */
import type { ErrorContent } from '../checker/errors.js';

export type Bundle = Record<string, unknown>;

export interface CommPayload {
  commId: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  buffers: Uint8Array[];
}

export interface RunRequest {
  type: 'run';
  ctx: number;
  /** How messages name the cell, e.g. "In [3]". */
  label: string;
  /** The script's file name in stack traces; unique per run. */
  filename: string;
  /** The cell's TypeScript, for source lines in tracebacks. */
  source: string;
  js: string;
  sourceMap: string;
  declares: string[];
  needsLibrary: boolean;
}

export type ToExecutor =
  | RunRequest
  | { type: 'ping'; n: number }
  | { type: 'interrupted'; ctx: number }
  | { type: 'preload' }
  | ({ type: 'comm_open'; ctx: number; targetName: string } & CommPayload)
  | ({ type: 'comm_msg'; ctx: number } & CommPayload)
  | ({ type: 'comm_close'; ctx: number } & CommPayload);

export type FromExecutor =
  | { type: 'ready' }
  | { type: 'stream'; ctx: number; name: 'stdout' | 'stderr'; text: string }
  | { type: 'display'; ctx: number; data: Bundle; metadata: Bundle; displayId?: string; update: boolean }
  | { type: 'clear'; ctx: number; wait: boolean }
  | { type: 'done'; ctx: number; result?: { data: Bundle; metadata: Bundle }; error?: ErrorContent }
  | { type: 'async_error'; ctx: number; error: ErrorContent }
  | { type: 'input'; ctx: number; prompt: string; password: boolean }
  | { type: 'pong'; n: number }
  | ({ type: 'comm_open'; ctx: number; targetName: string } & CommPayload)
  | ({ type: 'comm_msg'; ctx: number } & CommPayload)
  | ({ type: 'comm_close'; ctx: number } & CommPayload)
  | { type: 'comm_done'; ctx: number; known: boolean };

/** Int32 slots of the flags the executor shares with the protocol thread. */
export const FLAG = {
  /** 1 once code in the executor enabled async hooks: terminating it then is unsafe. */
  ASYNC_HOOKS: 0,
  /** 1 while the library's modules load: terminating would leave them broken for the session. */
  LIBRARY_LOADING: 1,
  COUNT: 2,
} as const;

/** Layout of the shared buffer the executor blocks on while waiting for input(). */
export const INPUT = {
  /** Int32 slots: [state, byteLength]. */
  STATE: 0,
  LENGTH: 1,
  HEADER_BYTES: 16,
  CAPACITY: 1 << 20,
  /** state values */
  WAITING: 0,
  ANSWERED: 1,
  FAILED: 2,
} as const;
