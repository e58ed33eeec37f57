/**
 * Where data sets live and how they are produced, written, read and checked.
 *
 * - `datasets/manifest.json` (committed) records, per data set, the file name,
 *   the SHA-256 of its uncompressed bytes and whether it is shipped.
 * - Shipped files sit in `datasets/<name>/`; the others are generated on first
 *   use into the same place (gitignored) or into `$OPTILAB_DATASETS_DIR`.
 * - Every read is checked against the manifest's checksum.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DatasetSpec, datasetSpec, sampleSeed } from './registry.js';
import { type DatasetPayload, encodeDataset, decodeDataset, sha256, compress, decompress } from './format.js';

export interface ManifestEntry {
  file: string;
  sha256: string;
  /** Uncompressed size in bytes. */
  bytes: number;
  shipped: boolean;
  samples: number;
}

export type Manifest = Record<string, ManifestEntry>;

/** The package root: the nearest folder above this module whose package.json is named optilab. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'optilab') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('optilab data sets: cannot find the package root (package.json named optilab)');
    dir = up;
  }
}

/** The committed data folder (shipped files and the manifest). */
export function shippedDir(): string {
  return join(packageRoot(), 'datasets');
}

/** Where generated (non-shipped) files go: $OPTILAB_DATASETS_DIR or the data folder itself. */
export function cacheDir(): string {
  return process.env.OPTILAB_DATASETS_DIR || shippedDir();
}

export function manifestPath(): string {
  return join(shippedDir(), 'manifest.json');
}

export function readManifest(): Manifest {
  const p = manifestPath();
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as Manifest) : {};
}

export function writeManifest(m: Manifest): void {
  const sorted: Manifest = {};
  for (const k of Object.keys(m).sort()) sorted[k] = m[k];
  writeFileSync(manifestPath(), JSON.stringify(sorted, null, 2) + '\n');
}

export function fileName(name: string): string {
  return join(name, `${name}.f32.gz`);
}

/** Full path of a data set's file (shipped folder or cache). */
export function datasetPath(spec: DatasetSpec): string {
  return join(spec.shipped ? shippedDir() : cacheDir(), fileName(spec.name));
}

export interface GenerateOptions {
  /** Generate only these global sample indices (default all nTrain + nTest). */
  indices?: number[];
  /** Called after each sample with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Runs a data set's generator and returns the uncompressed bytes (the
 * checksummed payload). With `indices`, only those samples are produced (the
 * header then describes that subset; useful for spot checks).
 */
export function generateBytes(name: string, opts: GenerateOptions = {}): Uint8Array {
  const spec = datasetSpec(name);
  const total = spec.nTrain + spec.nTest;
  const indices = opts.indices ?? Array.from({ length: total }, (_, i) => i);
  for (const i of indices) {
    if (!Number.isInteger(i) || i < 0 || i >= total) throw new Error(`generate ${name}: sample index ${i} is outside 0..${total - 1}`);
  }
  const sample = spec.sampler();
  const sizes = Object.fromEntries(Object.entries(spec.sampleShapes).map(([k, s]) => [k, s.reduce((a, b) => a * b, 1)]));
  const data: Record<string, Float32Array> = {};
  for (const k of Object.keys(sizes)) data[k] = new Float32Array(indices.length * sizes[k]);
  const meta: Record<string, number[]> = { sample: [], seed: [], split: [] };
  indices.forEach((i, row) => {
    const seed = sampleSeed(spec.seed, i);
    const s = sample(i, seed);
    for (const k of Object.keys(sizes)) {
      const a = s.arrays[k];
      if (!a || a.length !== sizes[k]) throw new Error(`generate ${name}: sample ${i} array '${k}' has ${a?.length} values, expected ${sizes[k]}`);
      data[k].set(a, row * sizes[k]);
    }
    meta.sample.push(i);
    meta.seed.push(seed);
    meta.split.push(i < spec.nTrain ? 0 : 1);
    for (const [k, v] of Object.entries(s.meta)) (meta[k] ??= []).push(v);
    opts.onProgress?.(row + 1, indices.length);
  });
  const nTrain = indices.filter((i) => i < spec.nTrain).length;
  return encodeDataset(
    {
      format: 'optilab-dataset',
      version: 1,
      name: spec.name,
      description: spec.description,
      params: { ...spec.params, seed: spec.seed },
      nTrain,
      nTest: indices.length - nTrain,
      input: spec.input,
      output: spec.output,
      coords: spec.coords(),
      sampleMeta: meta,
    },
    Object.keys(sizes).map((k) => ({ name: k, shape: [indices.length, ...spec.sampleShapes[k]], data: data[k] })),
  );
}

/** Writes a generated payload gzip-compressed (atomically) and returns its checksum. */
export function writeDataset(spec: DatasetSpec, bytes: Uint8Array, path = datasetPath(spec)): string {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, compress(bytes));
  renameSync(tmp, path);
  return sha256(bytes);
}

/** Reads a data set file, checking its checksum against the manifest (throws on mismatch). */
export function readDataset(name: string, { verify = true }: { verify?: boolean } = {}): DatasetPayload & { sha256: string; path: string } {
  const spec = datasetSpec(name);
  const path = datasetPath(spec);
  if (!existsSync(path)) {
    throw new Error(`data set '${name}' is not at ${path}; run \`npm run datasets -- generate ${name}\` (or loadDataset generates it on first use)`);
  }
  const bytes = decompress(readFileSync(path));
  const digest = sha256(bytes);
  const entry = readManifest()[name];
  if (verify && entry && entry.sha256 !== digest) {
    throw new Error(
      `data set '${name}' at ${path} has SHA-256 ${digest}, but datasets/manifest.json records ${entry.sha256}. ` +
        `Regenerate it with \`npm run datasets -- generate ${name}\`, or pass { verify: false } to load it anyway.`,
    );
  }
  return { ...decodeDataset(bytes), sha256: digest, path };
}
