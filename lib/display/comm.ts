/**
 * Comms: message channels between notebook code and the frontend (the Jupyter comm
 * protocol that widgets use). Library code registers a target that the frontend can
 * open, or opens a comm to a frontend target:
 *
 *   comm.registerTarget('echo', (c, open) => c.onMsg((m) => c.send(m.data)));
 *   const c = comm.open('my.frontend.target', { hello: 1 });
 *   c.send({ step: 3 }); c.close();
 *
 * Inside the optilab kernel, a transport carries the messages; outside a kernel,
 * `open` throws (there is no frontend to talk to).
 */

export type CommData = Record<string, unknown>;

export interface CommMessage {
  data: CommData;
  metadata: Record<string, unknown>;
  buffers: Uint8Array[];
}

export interface SendOptions {
  metadata?: Record<string, unknown>;
  buffers?: Uint8Array[];
}

/** Where comm traffic goes: the kernel installs one. */
export interface CommTransport {
  open(commId: string, targetName: string, data: CommData, options: SendOptions): void;
  send(commId: string, data: CommData, options: SendOptions): void;
  close(commId: string, data: CommData, options: SendOptions): void;
}

type Handler = (msg: CommMessage) => void | Promise<void>;

export class Comm {
  private msgHandlers: Handler[] = [];
  private closeHandlers: Handler[] = [];
  private isClosed = false;

  constructor(readonly commId: string, readonly targetName: string) {}

  get closed(): boolean {
    return this.isClosed;
  }

  /** Sends `data` to the frontend side of this comm. */
  send(data: CommData = {}, options: SendOptions = {}): void {
    if (this.isClosed) throw new Error(`comm ${this.commId} (${this.targetName}) is closed; cannot send`);
    requireTransport('send').send(this.commId, data, options);
  }

  /** Closes the comm on both sides. */
  close(data: CommData = {}, options: SendOptions = {}): void {
    if (this.isClosed) return;
    this.isClosed = true;
    comms.delete(this.commId);
    requireTransport('close').close(this.commId, data, options);
  }

  /** Calls `handler` for each message from the frontend. */
  onMsg(handler: Handler): this {
    this.msgHandlers.push(handler);
    return this;
  }

  /** Calls `handler` when the frontend closes the comm. */
  onClose(handler: Handler): this {
    this.closeHandlers.push(handler);
    return this;
  }

  /** @internal the kernel delivers a frontend message. */
  async receive(msg: CommMessage): Promise<void> {
    for (const h of this.msgHandlers) await h(msg);
  }

  /** @internal the frontend closed the comm. */
  async closedByPeer(msg: CommMessage): Promise<void> {
    this.isClosed = true;
    comms.delete(this.commId);
    for (const h of this.closeHandlers) await h(msg);
  }
}

/** Called when the frontend opens a comm to a registered target. */
export type TargetHandler = (comm: Comm, open: CommMessage) => void | Promise<void>;

const targets = new Map<string, TargetHandler>();
const comms = new Map<string, Comm>();
let transport: CommTransport | null = null;

function requireTransport(action: string): CommTransport {
  if (!transport) throw new Error(`comm.${action}: comms need a Jupyter frontend; this code is not running in the optilab kernel`);
  return transport;
}

/** Lets the frontend open comms to `targetName`; `handler` receives each new comm. */
export function registerTarget(targetName: string, handler: TargetHandler): void {
  if (typeof targetName !== 'string' || targetName === '') throw new Error('comm.registerTarget: targetName must be a non-empty string');
  if (typeof handler !== 'function') throw new Error('comm.registerTarget: handler must be a function (comm, openMessage) => void');
  targets.set(targetName, handler);
}

export function unregisterTarget(targetName: string): void {
  targets.delete(targetName);
}

let counter = 0;
/** Opens a comm to the frontend target `targetName`. */
export function open(targetName: string, data: CommData = {}, options: SendOptions = {}): Comm {
  if (typeof targetName !== 'string' || targetName === '') throw new Error('comm.open: targetName must be a non-empty string');
  const t = requireTransport('open');
  const commId = `optilab-comm-${Date.now().toString(36)}-${(counter++).toString(36)}`;
  const c = new Comm(commId, targetName);
  comms.set(commId, c);
  t.open(commId, targetName, data, options);
  return c;
}

/** The open comms, by id. */
export function openComms(): ReadonlyMap<string, Comm> {
  return comms;
}

/** Kernel side: installs (or, with null, removes) the transport. */
export function setCommTransport(next: CommTransport | null): void {
  transport = next;
}

/** Kernel side: the frontend opened a comm. False when no target of that name is registered. */
export async function deliverOpen(commId: string, targetName: string, msg: CommMessage): Promise<boolean> {
  const handler = targets.get(targetName);
  if (!handler) return false;
  const c = new Comm(commId, targetName);
  comms.set(commId, c);
  await handler(c, msg);
  return true;
}

/** Kernel side: a message for an open comm (ignored when the comm is unknown, as the protocol asks). */
export async function deliverMessage(commId: string, msg: CommMessage): Promise<void> {
  await comms.get(commId)?.receive(msg);
}

/** Kernel side: the frontend closed a comm. */
export async function deliverClose(commId: string, msg: CommMessage): Promise<void> {
  await comms.get(commId)?.closedByPeer(msg);
}
