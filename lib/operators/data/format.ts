/**
 * The on-disk format of a generated data set: one gzip file holding
 *   "OPTILABD" | uint32 LE header length | header JSON (UTF-8, space-padded to 8 bytes) | arrays
 * where the arrays are little-endian float32, concatenated in header order.
 * The SHA-256 of the uncompressed bytes identifies the content (gzip output
 * may differ between zlib versions; the payload does not).
 */
import { createHash } from 'node:crypto';
import { gzipSync, gunzipSync } from 'node:zlib';

const MAGIC = 'OPTILABD';

export interface ArrayEntry {
  name: string;
  dtype: 'float32';
  /** Leading axis is the sample axis. */
  shape: number[];
  byteOffset: number;
  byteLength: number;
}

export interface DatasetHeader {
  format: 'optilab-dataset';
  version: 1;
  name: string;
  description: string;
  /** Generator parameters (everything needed to regenerate). */
  params: Record<string, unknown>;
  nTrain: number;
  nTest: number;
  /** Names of the default input and output arrays. */
  input: string;
  output: string;
  /** Grid coordinates shared by all samples (x, y, t, ...). */
  coords: Record<string, number[]>;
  /** Per-sample metadata columns (sample index, seed, parameters), length nTrain + nTest. */
  sampleMeta: Record<string, number[]>;
  arrays: ArrayEntry[];
}

export interface DatasetPayload {
  header: DatasetHeader;
  arrays: Record<string, Float32Array>;
}

/** Serialises header and arrays to the uncompressed byte layout (array offsets are filled in). */
export function encodeDataset(header: Omit<DatasetHeader, 'arrays'>, arrays: { name: string; shape: number[]; data: Float32Array }[]): Uint8Array {
  let offset = 0;
  const entries: ArrayEntry[] = arrays.map(({ name, shape, data }) => {
    const count = shape.reduce((a, b) => a * b, 1);
    if (count !== data.length) throw new Error(`encodeDataset: array '${name}' has ${data.length} values but shape [${shape}]`);
    const e: ArrayEntry = { name, dtype: 'float32', shape, byteOffset: offset, byteLength: data.byteLength };
    offset += data.byteLength;
    return e;
  });
  let json = JSON.stringify({ ...header, arrays: entries });
  const pad = (8 - ((MAGIC.length + 4 + Buffer.byteLength(json)) % 8)) % 8;
  json += ' '.repeat(pad);
  const headerBytes = Buffer.from(json, 'utf8');
  const start = MAGIC.length + 4 + headerBytes.length;
  const out = new Uint8Array(start + offset);
  out.set(Buffer.from(MAGIC, 'latin1'), 0);
  new DataView(out.buffer).setUint32(MAGIC.length, headerBytes.length, true);
  out.set(headerBytes, MAGIC.length + 4);
  for (let i = 0; i < arrays.length; i++) {
    const dst = new DataView(out.buffer, start + entries[i].byteOffset, entries[i].byteLength);
    const src = arrays[i].data;
    for (let j = 0; j < src.length; j++) dst.setFloat32(4 * j, src[j], true);
  }
  return out;
}

/** Parses the uncompressed byte layout. */
export function decodeDataset(bytes: Uint8Array): DatasetPayload {
  const magic = Buffer.from(bytes.subarray(0, MAGIC.length)).toString('latin1');
  if (magic !== MAGIC) throw new Error(`decodeDataset: not an optilab data set (magic '${magic}')`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = view.getUint32(MAGIC.length, true);
  const header = JSON.parse(Buffer.from(bytes.subarray(MAGIC.length + 4, MAGIC.length + 4 + len)).toString('utf8')) as DatasetHeader;
  if (header.format !== 'optilab-dataset' || header.version !== 1) throw new Error(`decodeDataset: unsupported format ${header.format} v${header.version}`);
  const start = MAGIC.length + 4 + len;
  const arrays: Record<string, Float32Array> = {};
  for (const e of header.arrays) {
    const n = e.byteLength / 4;
    const a = new Float32Array(n);
    const dv = new DataView(bytes.buffer, bytes.byteOffset + start + e.byteOffset, e.byteLength);
    for (let j = 0; j < n; j++) a[j] = dv.getFloat32(4 * j, true);
    arrays[e.name] = a;
  }
  return { header, arrays };
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** gzip at a fixed level (the checksum is over the uncompressed bytes, so the level only affects size). */
export function compress(bytes: Uint8Array): Buffer {
  return gzipSync(bytes, { level: 9 });
}

export function decompress(bytes: Uint8Array): Buffer {
  return gunzipSync(bytes);
}
