/** zeromq sockets with a send queue: zeromq.js allows one send in flight per socket. */
import type { Socket } from 'zeromq';

type Sendable = Socket & { send(frames: Buffer[]): Promise<void> };

export class SocketWriter {
  private queue: Buffer[][] = [];
  private sending = false;
  private queuedBytes = 0;
  private closed = false;

  constructor(private readonly socket: Sendable, private readonly onError: (e: unknown) => void) {}

  /** Bytes waiting to be sent (output floods are measured against this). */
  get backlog(): number {
    return this.queuedBytes;
  }

  send(frames: Buffer[]): void {
    if (this.closed) return;
    this.queue.push(frames);
    this.queuedBytes += frames.reduce((a, f) => a + f.length, 0);
    if (!this.sending) void this.drain();
  }

  private async drain(): Promise<void> {
    this.sending = true;
    while (this.queue.length && !this.closed) {
      const frames = this.queue.shift()!;
      this.queuedBytes -= frames.reduce((a, f) => a + f.length, 0);
      try {
        await this.socket.send(frames);
      } catch (e) {
        this.onError(e);
      }
    }
    this.sending = false;
  }

  /** Resolves when everything queued so far has been handed to zeromq. */
  async flush(timeoutMs = 2000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while ((this.queue.length || this.sending) && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
  }

  close(): void {
    this.closed = true;
    this.queue = [];
  }
}
