/**
 * `loadDataset(name, { split, n })`: a registered data set as TF.js tensors
 * (float32, leading sample axis) plus an arquero table of per-sample
 * metadata. Non-shipped data sets are generated on first use, checked
 * against the manifest's checksum and cached.
 */
import '../../backend/index.js';
import * as tf from '../../backend/tf.js';
import * as aq from 'arquero';
import { existsSync } from 'node:fs';
import { datasetSpec, DATASETS } from './registry.js';
import { type DatasetHeader } from './format.js';
import { readDataset, generateBytes, writeDataset, datasetPath, readManifest } from './store.js';
import { sha256 } from './format.js';

export type Split = 'train' | 'test' | 'all';

export interface LoadOptions {
  /** Which samples: the first nTrain ('train'), the last nTest ('test') or all (default 'train'). */
  split?: Split;
  /** Keep only the first n samples of the split. */
  n?: number;
  /** Generate a missing non-shipped data set (default true). */
  generate?: boolean;
  /** Progress while generating: (done, total). Default: a line on stderr every 10%. */
  onProgress?: (done: number, total: number) => void;
}

export interface OperatorDataset {
  name: string;
  split: Split;
  /** The default input (e.g. u0, permeability a, vorticity frames). */
  x: tf.Tensor;
  /** The default output. */
  y: tf.Tensor;
  /** Every stored array for the selected samples, by name. */
  fields: Record<string, tf.Tensor>;
  /** Grid coordinates (x, y, t, ...). */
  coords: Record<string, number[]>;
  /** One row per sample: sample, seed, split ('train' | 'test') and generator parameters. */
  meta: aq.ColumnTable;
  /** Description, parameters and checksum of the file. */
  info: { description: string; params: Record<string, unknown>; nTrain: number; nTest: number; sha256: string; path: string };
  /** Frees the tensors. */
  dispose(): void;
}

function ensureGenerated(name: string, opts: LoadOptions): void {
  const spec = datasetSpec(name);
  const path = datasetPath(spec);
  if (existsSync(path)) return;
  if (spec.shipped) throw new Error(`data set '${name}' should ship with optilab but ${path} is missing; run \`npm run datasets -- generate ${name}\``);
  if (opts.generate === false) throw new Error(`data set '${name}' has not been generated yet (${path}); call loadDataset without { generate: false } or run \`npm run datasets -- generate ${name}\``);
  let last = -1;
  const progress =
    opts.onProgress ??
    ((done: number, all: number) => {
      const tenth = Math.floor((10 * done) / all);
      if (tenth !== last) {
        last = tenth;
        process.stderr.write(`generating ${name}: ${done}/${all} samples\n`);
      }
    });
  const bytes = generateBytes(name, { onProgress: progress });
  const digest = sha256(bytes);
  const entry = readManifest()[name];
  if (entry && entry.sha256 !== digest) {
    throw new Error(
      `generated data set '${name}' has SHA-256 ${digest} but datasets/manifest.json records ${entry.sha256}: ` +
        `this machine's floating-point results differ from the recorded run, so nothing was cached`,
    );
  }
  try {
    writeDataset(spec, bytes, path);
  } catch (e) {
    throw new Error(`data set '${name}' was generated but could not be cached at ${path} (${(e as Error).message}); set OPTILAB_DATASETS_DIR to a writable folder`);
  }
}

/** Loads a registered data set (see `DATASETS`) as tensors plus a metadata table. */
export async function loadDataset(name: string, opts: LoadOptions = {}): Promise<OperatorDataset> {
  const split = opts.split ?? 'train';
  if (!['train', 'test', 'all'].includes(split)) throw new Error(`loadDataset: split must be 'train', 'test' or 'all', got '${split}'`);
  if (opts.n !== undefined && !(Number.isInteger(opts.n) && opts.n >= 1)) throw new Error(`loadDataset: n must be a positive integer, got ${opts.n}`);
  ensureGenerated(name, opts);
  const { header, arrays, sha256: digest, path } = readDataset(name);
  const total = header.nTrain + header.nTest;
  let start = split === 'test' ? header.nTrain : 0;
  let end = split === 'train' ? header.nTrain : total;
  if (opts.n !== undefined) {
    if (opts.n > end - start) throw new Error(`loadDataset: n = ${opts.n} exceeds the ${end - start} samples of the '${split}' split of ${name}`);
    end = start + opts.n;
  }
  const count = end - start;
  const fields: Record<string, tf.Tensor> = {};
  for (const e of header.arrays) {
    const per = e.shape.slice(1).reduce((a, b) => a * b, 1);
    fields[e.name] = tf.tensor(arrays[e.name].subarray(start * per, end * per), [count, ...e.shape.slice(1)], 'float32');
  }
  const meta = metaTable(header, start, end);
  return {
    name,
    split,
    x: fields[header.input],
    y: fields[header.output],
    fields,
    coords: header.coords,
    meta,
    info: { description: header.description, params: header.params, nTrain: header.nTrain, nTest: header.nTest, sha256: digest, path },
    dispose() {
      for (const t of Object.values(fields)) t.dispose();
    },
  };
}

function metaTable(header: DatasetHeader, start: number, end: number): aq.ColumnTable {
  const cols: Record<string, unknown[]> = {};
  for (const [k, v] of Object.entries(header.sampleMeta)) {
    const part = v.slice(start, end);
    cols[k] = k === 'split' ? part.map((s) => (s === 0 ? 'train' : 'test')) : part;
  }
  return aq.table(cols);
}

/** Names and one-line descriptions of the registered data sets. */
export function listDatasets(): { name: string; description: string; shipped: boolean; nTrain: number; nTest: number }[] {
  return Object.values(DATASETS).map((s) => ({ name: s.name, description: s.description, shipped: s.shipped, nTrain: s.nTrain, nTest: s.nTest }));
}
