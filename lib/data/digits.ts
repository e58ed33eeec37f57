/**
 * The digits data set: 1797 8x8 grey-level images of handwritten digits 0-9
 * (the UCI "Optical Recognition of Handwritten Digits" test set, as shipped by
 * scikit-learn), stored in `datasets/digits/` with a checksum.
 *
 *   const { train, test } = data.digits({ seed: 0 });     // stratified 80/20 split
 *   train.x  // float32 [1437, 64], pixels scaled to [0, 1]
 *   train.y  // int32 [1437] labels (or float32 [1437, 10] with oneHot: true)
 */
import * as tf from '../backend/tf.js';
import { readDataset, type DatasetHeader } from './files.js';
import { checkSeed, rng } from './random.js';

export interface DigitsHeader extends DatasetHeader {
  n: number;
  features: number;
  image_shape: [number, number];
  pixel_max: number;
  classes: number;
}

/** The raw data: pixels 0..16 (row-major n x 64) and labels, as stored. */
export interface DigitsRaw {
  pixels: Uint8Array;
  labels: Uint8Array;
  n: number;
  features: number;
  header: DigitsHeader;
}

let raw: DigitsRaw | undefined;

/** Loads and checks the stored data (once per process). */
export function digitsRaw(): DigitsRaw {
  if (raw) return raw;
  const { header, bytes } = readDataset<DigitsHeader>('digits', 'digits.json');
  const { n, features } = header;
  if (bytes.length !== n * features + n) throw new Error(`digits: expected ${n * features + n} bytes, found ${bytes.length}`);
  const all = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  raw = { pixels: all.slice(0, n * features), labels: all.slice(n * features), n, features, header };
  return raw;
}

export interface DigitsSplit {
  /** float32 [n, 64], pixels / 16. */
  x: tf.Tensor2D;
  /** int32 [n] labels, or float32 [n, 10] one-hot. */
  y: tf.Tensor;
  /** The labels as numbers. */
  labels: Int32Array;
  /** Row indices into the stored data set. */
  indices: Int32Array;
  n: number;
}

export interface DigitsOptions {
  /** Seed of the split (default 0). */
  seed?: number;
  /** Share of each class held out for testing (default 0.2). */
  testFraction?: number;
  /** One-hot float32 labels instead of int32 class indices. */
  oneHot?: boolean;
}

export const DIGIT_CLASSES = 10;

/**
 * Train and test indices: each class is shuffled and `testFraction` of it held
 * out (a stratified split, so both parts keep the class balance), then each part
 * is shuffled so batches mix classes.
 */
export function digitsSplitIndices(seed = 0, testFraction = 0.2): { train: Int32Array; test: Int32Array } {
  checkSeed(seed);
  if (typeof testFraction !== 'number' || !(testFraction > 0 && testFraction < 1)) {
    throw new RangeError(`digits: testFraction must be in (0, 1), got ${testFraction}`);
  }
  const { labels, n } = digitsRaw();
  const r = rng(seed, 'digits-split');
  const train: number[] = [];
  const test: number[] = [];
  for (let c = 0; c < DIGIT_CLASSES; c++) {
    const members: number[] = [];
    for (let i = 0; i < n; i++) if (labels[i] === c) members.push(i);
    r.shuffle(members);
    const nTest = Math.round(members.length * testFraction);
    test.push(...members.slice(0, nTest));
    train.push(...members.slice(nTest));
  }
  return { train: r.shuffle(Int32Array.from(train)), test: r.shuffle(Int32Array.from(test)) };
}

function makeSplit(indices: Int32Array, oneHot: boolean): DigitsSplit {
  const { pixels, labels: allLabels, features, header } = digitsRaw();
  const n = indices.length;
  const x = new Float32Array(n * features);
  const labels = new Int32Array(n);
  indices.forEach((row, i) => {
    for (let j = 0; j < features; j++) x[i * features + j] = pixels[row * features + j] / header.pixel_max;
    labels[i] = allLabels[row];
  });
  let y: tf.Tensor;
  if (oneHot) {
    const hot = new Float32Array(n * DIGIT_CLASSES);
    labels.forEach((c, i) => (hot[i * DIGIT_CLASSES + c] = 1));
    y = tf.tensor2d(hot, [n, DIGIT_CLASSES]);
  } else y = tf.tensor1d(labels, 'int32');
  return { x: tf.tensor2d(x, [n, features]), y, labels, indices, n };
}

/** Loads the digits as tensors: `{train, test}`, or one part with `split`. */
export function digits(options: DigitsOptions & { split: 'train' | 'test' | 'all' }): DigitsSplit;
export function digits(options?: DigitsOptions): { train: DigitsSplit; test: DigitsSplit; classes: number };
export function digits(options: DigitsOptions & { split?: 'train' | 'test' | 'all' } = {}) {
  const { seed = 0, testFraction = 0.2, oneHot = false, split } = options;
  if (split !== undefined && !['train', 'test', 'all'].includes(split)) {
    throw new TypeError(`digits: split must be 'train', 'test' or 'all', got ${JSON.stringify(split)}`);
  }
  if (split === 'all') return makeSplit(Int32Array.from({ length: digitsRaw().n }, (_, i) => i), oneHot);
  const parts = digitsSplitIndices(seed, testFraction);
  if (split !== undefined) return makeSplit(parts[split], oneHot);
  return { train: makeSplit(parts.train, oneHot), test: makeSplit(parts.test, oneHot), classes: DIGIT_CLASSES };
}
