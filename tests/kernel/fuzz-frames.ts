/**
 * Messages for fuzzing the wire protocol: the committed corpus (tests/kernel/fuzz-corpus.json)
 * turned into frames, a seeded generator of random and mutated messages, and an oracle that
 * decides from the protocol's rules alone (not from the kernel's code) whether a message
 * must be accepted.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encode, makeHeader, Signer, DELIMITER, type Header, type JSONObject } from '../../kernel/protocol/wire.js';
import { repoRoot } from '../helpers.js';

export type Expect = 'dropped' | 'executed' | 'executed-once' | 'reply-ok' | 'reply-error' | 'ignored' | 'disconnected';

type Edit =
  | { set: 'signature'; to: 'empty' | 'zeros' | 'other-key' | 'truncate' | 'not-hex' | 'upper' | 'append' | 'other-message'; text?: string }
  | { set: 'delimiter' | BodyName; text?: string; bytes?: number[]; json?: JSONObject; resign?: boolean }
  | { drop: 'delimiter' | 'signature' | BodyName }
  | { swap: [BodyName, BodyName] }
  | { identities: number | string[] }
  | { append: string[] }
  | { 'replace-all': string[] };

export interface CorpusCase {
  name: string;
  channel: 'shell' | 'control';
  message: { msg_type: string; content: JSONObject };
  /** Header fields to override before signing (null deletes the field). */
  header?: Record<string, unknown>;
  /** Bytes of padding added to the metadata before signing. */
  pad?: number;
  edits?: Edit[];
  /** How often the frames are sent (2: a replay). */
  send?: number;
  /** Edits applied to the replayed copy. */
  replay_edits?: Edit[];
  expect: Expect;
  /** Text the kernel's log must contain after the case. */
  log?: string;
  /** A pattern the error reply's evalue must match. */
  evalue?: string;
  /** The defect this case exposed when it was found. */
  found?: string;
}

export function readCorpus(): CorpusCase[] {
  return JSON.parse(readFileSync(join(repoRoot(), 'tests', 'kernel', 'fuzz-corpus.json'), 'utf8')).cases;
}

/** The statement a case's code runs: it records the case's number in the kernel. */
export const hitStatement = (hit: number) => `(globalThis as any).fuzzHits.push(${hit})`;

function substitute(value: unknown, hit: number): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$HIT/g, hitStatement(hit)).replace(/\$FILL\((\d+)\)/g, (_, n) => 'x'.repeat(Number(n)));
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, hit));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, hit)]));
  return value;
}

const BODY = ['header', 'parent_header', 'metadata', 'content'] as const;
type BodyName = (typeof BODY)[number];

/** A message as named slots, so edits can say which frame they change. */
interface Slots {
  identities: Buffer[];
  delimiter?: Buffer;
  signature?: Buffer;
  body: Partial<Record<BodyName, Buffer>>;
  buffers: Buffer[];
  replaced?: Buffer[];
}

function flatten(s: Slots): Buffer[] {
  if (s.replaced) return s.replaced;
  const body = BODY.map((n) => s.body[n]).filter((b): b is Buffer => b !== undefined);
  return [...s.identities, ...(s.delimiter ? [s.delimiter] : []), ...(s.signature ? [s.signature] : []), ...body, ...s.buffers];
}

const bodyFrames = (s: Slots) => BODY.map((n) => s.body[n] ?? Buffer.alloc(0));

function applyEdits(s: Slots, edits: readonly Edit[], signer: Signer): void {
  for (const e of edits) {
    if ('set' in e && e.set === 'signature') {
      const good = s.signature?.toString('latin1') ?? '';
      const sig: Record<typeof e.to, () => string> = {
        empty: () => '',
        zeros: () => '0'.repeat(64),
        'other-key': () => new Signer('not-the-key').sign(bodyFrames(s)),
        truncate: () => good.slice(0, 63),
        'not-hex': () => 'g'.repeat(64),
        upper: () => good.toUpperCase(),
        append: () => good + (e.text ?? ''),
        'other-message': () => signer.sign([...bodyFrames(s).slice(0, 3), Buffer.from('{"code":"1"}')]),
      };
      s.signature = Buffer.from(sig[e.to](), 'latin1');
    } else if ('set' in e) {
      const frame = e.bytes ? Buffer.from(e.bytes) : e.json ? Buffer.from(JSON.stringify(e.json)) : Buffer.from(e.text ?? '', 'utf8');
      if (e.set === 'delimiter') s.delimiter = frame;
      else s.body[e.set] = frame;
      if (e.resign) s.signature = Buffer.from(signer.sign(bodyFrames(s)), 'latin1');
    } else if ('drop' in e) {
      if (e.drop === 'delimiter') s.delimiter = undefined;
      else if (e.drop === 'signature') s.signature = undefined;
      else delete s.body[e.drop];
    } else if ('swap' in e) {
      const [a, b] = e.swap;
      [s.body[a], s.body[b]] = [s.body[b], s.body[a]];
    } else if ('identities' in e) {
      const ids = typeof e.identities === 'number' ? Array.from({ length: e.identities }, (_, i) => `id-${i}`) : e.identities;
      s.identities.push(...ids.map((x) => Buffer.from(x, 'latin1')));
    } else if ('append' in e) s.buffers.push(...e.append.map((x) => Buffer.from(x, 'latin1')));
    else s.replaced = e['replace-all'].map((x) => Buffer.from(x, 'latin1'));
  }
}

/** The frames of a corpus case (and of its replay), signed with `signer`. */
export function corpusFrames(c: CorpusCase, signer: Signer, hit: number, session = 'fuzz'): { header: Header; frames: Buffer[]; replay?: Buffer[] } {
  const header: Record<string, unknown> = { ...makeHeader(c.message.msg_type, session) };
  for (const [k, v] of Object.entries(c.header ?? {})) {
    if (v === null) delete header[k];
    else header[k] = v;
  }
  const content = substitute(c.message.content, hit) as JSONObject;
  const metadata = c.pad ? { padding: 'x'.repeat(c.pad) } : {};
  const encoded = encode({ header: header as Header, parent_header: {}, metadata, content }, signer);
  const slots: Slots = { identities: [], delimiter: encoded[0], signature: encoded[1], body: Object.fromEntries(BODY.map((n, i) => [n, encoded[2 + i]])), buffers: [] };
  applyEdits(slots, c.edits ?? [], signer);
  const frames = flatten(slots);
  let replay: Buffer[] | undefined;
  if ((c.send ?? 1) > 1) {
    const again: Slots = { ...slots, identities: [...slots.identities], body: { ...slots.body }, buffers: [...slots.buffers] };
    applyEdits(again, c.replay_edits ?? [], signer);
    replay = flatten(again);
  }
  return { header: header as Header, frames, replay };
}

// ---------------------------------------------------------------- the oracle
/**
 * Whether a receiver with `key` must accept `frames`, by the protocol alone: the first
 * `<IDS|MSG>` frame ends the identities; five frames follow; the signature is the
 * lowercase hex HMAC-SHA256 of the next four frames; those are JSON objects; the header
 * names msg_type and msg_id; and the signature was not seen before (`seen` is updated as
 * a receiver would, once a signature is verified).
 */
export function mustAccept(frames: readonly Buffer[], key: string, seen: Set<string>): boolean {
  const d = frames.findIndex((f) => f.toString('latin1') === DELIMITER);
  if (d < 0 || frames.length < d + 6) return false;
  const h = createHmac('sha256', key);
  for (const f of frames.slice(d + 2, d + 6)) h.update(f);
  const signature = frames[d + 1].toString('latin1');
  if (signature !== h.digest('hex')) return false;
  if (seen.has(signature)) return false;
  seen.add(signature);
  const parsed = frames.slice(d + 2, d + 6).map((f) => {
    try {
      return JSON.parse(f.toString('utf8'));
    } catch {
      return undefined;
    }
  });
  if (!parsed.every((p) => p !== null && typeof p === 'object' && !Array.isArray(p))) return false;
  return typeof parsed[0].msg_type === 'string' && typeof parsed[0].msg_id === 'string';
}

// ---------------------------------------------------------------- the generator
/** A small seeded generator (mulberry32), so every run fuzzes with the same messages. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Message types the random messages use (never shutdown_request: a valid one would end the kernel under test). */
export const FUZZ_TYPES = [
  'execute_request',
  'kernel_info_request',
  'complete_request',
  'inspect_request',
  'is_complete_request',
  'history_request',
  'comm_info_request',
  'comm_msg',
  'comm_close',
  'interrupt_request',
  'no_such_request',
  'status',
];

export class Fuzzer {
  private readonly sent: Buffer[][] = [];
  constructor(private readonly rand: () => number, private readonly key: string) {}

  private int(n: number): number {
    return Math.floor(this.rand() * n);
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }

  /** A random JSON value: the wrong types a field might carry. */
  value(depth = 0): unknown {
    const kinds = depth > 2 ? 5 : 7;
    switch (this.int(kinds)) {
      case 0:
        return null;
      case 1:
        return this.rand() < 0.5;
      case 2:
        return this.pick([0, -1, 1.5, 2 ** 53, -0, 1e308, 7]);
      case 3:
        return this.pick(['', 'x', '🎉', '\u0000', 'Math.', 'tail', '<IDS|MSG>']);
      case 4:
        return this.int(1000);
      case 5:
        return Array.from({ length: this.int(3) }, () => this.value(depth + 1));
      default:
        return Object.fromEntries(Array.from({ length: this.int(3) }, (_, i) => [`k${i}`, this.value(depth + 1)]));
    }
  }

  private content(msgType: string, hit: number): JSONObject {
    const content: JSONObject = {};
    if (msgType === 'execute_request') Object.assign(content, { code: hitStatement(hit), stop_on_error: false, allow_stdin: false });
    if (msgType.startsWith('comm_')) content.comm_id = 'fuzz-comm';
    for (const field of ['code', 'cursor_pos', 'silent', 'n', 'hist_access_type', 'detail_level', 'data', 'target_name']) {
      if (this.rand() < 0.2) content[field] = this.value();
    }
    return content;
  }

  /** A valid message, then 0 to 3 random mutations; sometimes a replay of an earlier message. */
  message(hit: number): { frames: Buffer[]; msgType: string; hit: number } {
    if (this.sent.length && this.rand() < 0.05) return { frames: this.pick(this.sent), msgType: 'replay', hit: -1 };
    const msgType = this.pick(FUZZ_TYPES);
    const signer = new Signer(this.rand() < 0.9 ? this.key : this.rand() < 0.5 ? 'wrong' : '');
    const frames: Buffer[] = encode({ header: makeHeader(msgType, 'fuzz'), parent_header: {}, metadata: {}, content: this.content(msgType, hit) }, signer);
    const mutations = this.rand() < 0.15 ? 0 : 1 + this.int(3);
    for (let m = 0; m < mutations; m++) this.mutate(frames);
    this.sent.push(frames);
    return { frames, msgType, hit };
  }

  private randomBytes(n: number): Buffer {
    return Buffer.from(Array.from({ length: n }, () => this.int(256)));
  }

  private mutate(frames: Buffer[]): void {
    const i = this.int(frames.length);
    switch (this.int(10)) {
      case 0: // flip one byte
        if (frames[i].length) {
          const f = Buffer.from(frames[i]);
          f[this.int(f.length)] ^= 1 + this.int(255);
          frames[i] = f;
        }
        return;
      case 1: // truncate
        frames[i] = frames[i].subarray(0, this.int(frames[i].length + 1));
        return;
      case 2: // delete
        if (frames.length > 1) frames.splice(i, 1);
        return;
      case 3: // duplicate
        frames.splice(i, 0, frames[i]);
        return;
      case 4: // insert a random frame
        frames.splice(i, 0, this.randomBytes(this.int(40)));
        return;
      case 5: {
        // swap two frames
        const j = this.int(frames.length);
        [frames[i], frames[j]] = [frames[j], frames[i]];
        return;
      }
      case 6: // identities (unsigned: the message stays valid)
        frames.unshift(...Array.from({ length: 1 + this.int(3) }, () => this.randomBytes(1 + this.int(8))));
        return;
      case 7: {
        // re-spell the signature
        const d = frames.findIndex((f) => f.toString('latin1') === DELIMITER);
        if (d >= 0 && d + 1 < frames.length) {
          const sig = frames[d + 1].toString('latin1');
          frames[d + 1] = Buffer.from(this.rand() < 0.5 ? sig.toUpperCase() : sig + this.pick(['z', ' ', '0', '\n']), 'latin1');
        }
        return;
      }
      case 8: {
        // re-sign whatever the body is now (a signed but odd message)
        const d = frames.findIndex((f) => f.toString('latin1') === DELIMITER);
        if (d >= 0 && d + 6 <= frames.length) frames[d + 1] = Buffer.from(new Signer(this.key).sign(frames.slice(d + 2, d + 6)), 'latin1');
        return;
      }
      default: // replace with random bytes
        frames[i] = this.randomBytes(this.int(64));
    }
  }
}
