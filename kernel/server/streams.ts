/**
 * Coalesces the executor's stdout/stderr writes into few `stream` messages: a flood of
 * small writes becomes messages of up to 64 KB, at most about one per 50 ms, in order,
 * with nothing lost. A write after a quiet spell goes out at once (a progress line
 * should not wait, and should not be lost if the process dies right after). Call
 * `flush()` before publishing any other output of a cell so the order is kept.
 */
const MAX_CHUNK = 64 * 1024;
const INTERVAL_MS = 50;

export class StreamCoalescer {
  private chunks: { ctx: number; name: 'stdout' | 'stderr'; text: string }[] = [];
  private bytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private lastFlush = 0;

  constructor(private readonly publish: (ctx: number, name: 'stdout' | 'stderr', text: string) => void) {}

  add(ctx: number, name: 'stdout' | 'stderr', text: string): void {
    const last = this.chunks[this.chunks.length - 1];
    if (last && last.ctx === ctx && last.name === name && last.text.length < MAX_CHUNK) last.text += text;
    else this.chunks.push({ ctx, name, text });
    this.bytes += text.length;
    if (this.bytes >= MAX_CHUNK || (!this.timer && Date.now() - this.lastFlush >= INTERVAL_MS)) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), INTERVAL_MS);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.lastFlush = Date.now();
    const chunks = this.chunks;
    this.chunks = [];
    this.bytes = 0;
    for (const c of chunks) this.publish(c.ctx, c.name, c.text);
  }
}
