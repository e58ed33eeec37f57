/**
 * The Jupyter wire format (messaging protocol 5.3): framing, HMAC-SHA256 signing and
 * verification. Pure functions shared by the kernel and the client.
 *
 *   [identities..., '<IDS|MSG>', signature, header, parent_header, metadata, content, buffers...]
 *
 * The signature is the hex HMAC of the four JSON frames with the connection key; an
 * empty key disables signing (as in jupyter_client).
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

export const PROTOCOL_VERSION = '5.3';
export const DELIMITER = '<IDS|MSG>';

export interface Header {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
  [key: string]: unknown;
}

export type JSONObject = Record<string, any>;

/** A decoded message. `identities` are the routing frames before the delimiter. */
export interface Message<C extends JSONObject = JSONObject> {
  identities: Buffer[];
  header: Header;
  parent_header: Partial<Header> & JSONObject;
  metadata: JSONObject;
  content: C;
  buffers: Buffer[];
}

/** Signs and verifies with one key; remembers recent signatures so a replayed message is refused. */
export class Signer {
  private readonly key: Buffer;
  private readonly seen = new Set<string>();
  private readonly order: string[] = [];

  constructor(key: string, scheme = 'hmac-sha256', private readonly historySize = 65536) {
    if (scheme !== 'hmac-sha256') {
      throw new Error(`signature_scheme: '${scheme}' is not supported; expected 'hmac-sha256'`);
    }
    this.key = Buffer.from(key, 'utf8');
  }

  get enabled(): boolean {
    return this.key.length > 0;
  }

  sign(frames: readonly (Buffer | string)[]): string {
    if (!this.enabled) return '';
    const h = createHmac('sha256', this.key);
    for (const f of frames) h.update(f);
    return h.digest('hex');
  }

  /** Constant-time check of `signature` over the four JSON frames. */
  verify(signature: Buffer, frames: readonly Buffer[]): boolean {
    if (!this.enabled) return true;
    const expected = Buffer.from(this.sign(frames), 'hex');
    const given = Buffer.from(signature.toString('latin1'), 'hex');
    // Compare fixed-length digests only: a wrong length or non-hex text fails without early exit on content.
    if (given.length !== expected.length) return false;
    return timingSafeEqual(given, expected);
  }

  /** Records a verified signature; false when it was seen before (a replayed message). */
  remember(signature: string): boolean {
    if (!this.enabled) return true;
    if (this.seen.has(signature)) return false;
    this.seen.add(signature);
    this.order.push(signature);
    if (this.order.length > this.historySize) {
      // Drop the oldest tenth at once, as jupyter_client's digest history does.
      for (const old of this.order.splice(0, Math.ceil(this.historySize / 10))) this.seen.delete(old);
    }
    return true;
  }
}

/** Why an incoming message was refused. */
export class WireError extends Error {}

function parseJsonFrame(frame: Buffer, name: string): JSONObject {
  let value: unknown;
  try {
    value = JSON.parse(frame.toString('utf8'));
  } catch {
    throw new WireError(`${name} frame is not valid JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new WireError(`${name} frame is not a JSON object`);
  }
  return value as JSONObject;
}

/**
 * Decodes and verifies one multipart message. Any number of identity frames may
 * precede the delimiter. Throws WireError when the framing, the signature or the
 * header is wrong, or when the message replays an earlier signature.
 */
export function decode(frames: readonly Buffer[], signer: Signer): Message {
  const delim = frames.findIndex((f) => f.length === DELIMITER.length && f.toString('latin1') === DELIMITER);
  if (delim < 0) throw new WireError('no <IDS|MSG> delimiter');
  if (frames.length < delim + 6) throw new WireError(`too few frames after the delimiter (${frames.length - delim - 1}, need 5)`);
  const signature = frames[delim + 1];
  const body = frames.slice(delim + 2, delim + 6);
  if (signer.enabled) {
    if (signature.length === 0) throw new WireError('missing signature');
    if (!signer.verify(signature, body)) throw new WireError('invalid signature');
    if (!signer.remember(signature.toString('latin1'))) throw new WireError('replayed message (duplicate signature)');
  }
  const header = parseJsonFrame(body[0], 'header') as Header;
  if (typeof header.msg_type !== 'string' || typeof header.msg_id !== 'string') {
    throw new WireError('header lacks msg_type or msg_id');
  }
  return {
    identities: frames.slice(0, delim),
    header,
    parent_header: parseJsonFrame(body[1], 'parent_header'),
    metadata: parseJsonFrame(body[2], 'metadata'),
    content: parseJsonFrame(body[3], 'content'),
    buffers: frames.slice(delim + 6),
  };
}

/** Encodes a message into frames, signing it. */
export function encode(
  msg: Pick<Message, 'header' | 'parent_header' | 'metadata' | 'content'> & { identities?: Buffer[]; buffers?: (Buffer | Uint8Array)[] },
  signer: Signer,
): Buffer[] {
  const body = [msg.header, msg.parent_header, msg.metadata, msg.content].map((part) => Buffer.from(JSON.stringify(part), 'utf8'));
  return [
    ...(msg.identities ?? []),
    Buffer.from(DELIMITER, 'latin1'),
    Buffer.from(signer.sign(body), 'latin1'),
    ...body,
    ...(msg.buffers ?? []).map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength)),
  ];
}

/** A fresh header for a message of `msgType` in `session`. */
export function makeHeader(msgType: string, session: string, username = 'optilab'): Header {
  return {
    msg_id: randomUUID(),
    session,
    username,
    date: new Date().toISOString(),
    msg_type: msgType,
    version: PROTOCOL_VERSION,
  };
}
