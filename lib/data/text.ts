/**
 * A character-level corpus for small language models: Ambrose Bierce's "The
 * Devil's Dictionary" (1911, public domain), about 380,000 characters, stored in
 * `datasets/text/` with a checksum and its provenance.
 *
 *   const lm = data.charText({ context: 64 });          // the training split
 *   lm.vocabSize                                        // distinct characters
 *   const { x, y } = lm.batch(32, data.rng(0));         // int32 [32, 64] each; y is x shifted by one
 *   lm.decode(lm.encode('A cynic'))
 */
import * as tf from '../backend/tf.js';
import { readDataset, type DatasetHeader } from './files.js';
import { Rng, rng } from './random.js';

interface TextHeader extends DatasetHeader {
  title: string;
  author: string;
  characters: number;
}

let corpus: { text: string; header: TextHeader } | undefined;

function loadCorpus(): { text: string; header: TextHeader } {
  if (!corpus) {
    const { header, bytes } = readDataset<TextHeader>('text', 'devils_dictionary.json');
    corpus = { text: bytes.toString('utf8'), header };
  }
  return corpus;
}

export interface CharTextOptions {
  /** Characters of context per example (default 64). */
  context?: number;
  /** 'train' (the first 90%, default), 'val' (the last 10%) or 'all'. */
  split?: 'train' | 'val' | 'all';
  /** Share of the text at its end kept for validation (default 0.1). */
  valFraction?: number;
  /** Targets: 'sequence' (y[b, t] is the character after x[b, t]; default) or 'next' (y[b] is the character after the window). */
  target?: 'sequence' | 'next';
}

export interface CharBatch {
  /** int32 [batch, context] character ids. */
  x: tf.Tensor2D;
  /** int32 [batch, context] ('sequence') or [batch] ('next') target ids. */
  y: tf.Tensor;
}

export class CharText {
  /** The split's text. */
  readonly text: string;
  /** The characters, sorted; a character's id is its index here. Shared by all splits. */
  readonly vocab: string[];
  /** The split's text as ids. */
  readonly ids: Int32Array;
  readonly context: number;
  readonly target: 'sequence' | 'next';
  readonly title: string;
  readonly license: string;
  private readonly index: Map<string, number>;

  constructor(text: string, vocab: string[], context: number, target: 'sequence' | 'next', title: string, license: string) {
    this.text = text;
    this.vocab = vocab;
    this.index = new Map(vocab.map((c, i) => [c, i]));
    this.context = context;
    this.target = target;
    this.title = title;
    this.license = license;
    this.ids = this.encode(text);
  }

  get vocabSize(): number {
    return this.vocab.length;
  }

  /** Number of windows (start positions with a full context and a target). */
  get numWindows(): number {
    return Math.max(0, this.ids.length - this.context);
  }

  /** Ids of a string; a character outside the vocabulary is an error that names it. */
  encode(s: string): Int32Array {
    const out = new Int32Array(s.length);
    for (let i = 0; i < s.length; i++) {
      const id = this.index.get(s[i]);
      if (id === undefined) throw new RangeError(`charText.encode: character ${JSON.stringify(s[i])} at ${i} is not in the vocabulary`);
      out[i] = id;
    }
    return out;
  }

  /** The string of ids (an array, typed array or int tensor). */
  decode(ids: ArrayLike<number> | tf.Tensor): string {
    const values = ids instanceof tf.Tensor ? (ids.dataSync() as ArrayLike<number>) : ids;
    let s = '';
    for (let i = 0; i < values.length; i++) {
      const c = this.vocab[values[i]];
      if (c === undefined) throw new RangeError(`charText.decode: id ${values[i]} at ${i} is outside 0..${this.vocab.length - 1}`);
      s += c;
    }
    return s;
  }

  /** The window starting at `start`: x = ids[start, start+context), y its targets. */
  window(start: number): { x: Int32Array; y: Int32Array } {
    if (!Number.isInteger(start) || start < 0 || start >= this.numWindows) {
      throw new RangeError(`charText.window: start must be an integer in [0, ${this.numWindows}), got ${start}`);
    }
    const x = this.ids.slice(start, start + this.context);
    const y = this.target === 'sequence' ? this.ids.slice(start + 1, start + this.context + 1) : this.ids.slice(start + this.context, start + this.context + 1);
    return { x, y };
  }

  /** A batch of windows at the given start positions. */
  batchAt(starts: ArrayLike<number>): CharBatch {
    const b = starts.length, t = this.context;
    const x = new Int32Array(b * t);
    const yLen = this.target === 'sequence' ? t : 1;
    const y = new Int32Array(b * yLen);
    for (let i = 0; i < b; i++) {
      const w = this.window(starts[i]);
      x.set(w.x, i * t);
      y.set(w.y, i * yLen);
    }
    return {
      x: tf.tensor2d(x, [b, t], 'int32'),
      y: this.target === 'sequence' ? tf.tensor2d(y, [b, t], 'int32') : tf.tensor1d(y, 'int32'),
    };
  }

  /** A batch of `size` windows at random positions, drawn from `random` (an Rng, or a seed for a fresh one). */
  batch(size: number, random: Rng | number): CharBatch {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`charText.batch: size must be a positive integer, got ${size}`);
    if (this.numWindows === 0) throw new RangeError(`charText.batch: the split has ${this.ids.length} characters, fewer than context + 1`);
    const r = typeof random === 'number' ? rng(random) : random;
    return this.batchAt(Array.from({ length: size }, () => r.int(this.numWindows)));
  }

  /**
   * One pass over non-overlapping windows (starts 0, context, 2*context, ...),
   * shuffled by `seed`, in batches of `size` (the last one may be smaller).
   */
  *batches(size: number, options: { seed?: number; shuffle?: boolean } = {}): Generator<CharBatch> {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`charText.batches: size must be a positive integer, got ${size}`);
    const starts = Int32Array.from({ length: Math.ceil(this.numWindows / this.context) }, (_, i) => i * this.context);
    if (options.shuffle ?? true) rng(options.seed ?? 0, 'charText-batches').shuffle(starts);
    for (let i = 0; i < starts.length; i += size) yield this.batchAt(starts.subarray(i, i + size));
  }
}

/** The character corpus, split and windowed (see `CharText`). */
export function charText(options: CharTextOptions = {}): CharText {
  const { context = 64, split = 'train', valFraction = 0.1, target = 'sequence' } = options;
  if (!Number.isInteger(context) || context < 1) throw new RangeError(`charText: context must be a positive integer, got ${context}`);
  if (!['train', 'val', 'all'].includes(split)) throw new TypeError(`charText: split must be 'train', 'val' or 'all', got ${JSON.stringify(split)}`);
  if (typeof valFraction !== 'number' || !(valFraction > 0 && valFraction < 1)) throw new RangeError(`charText: valFraction must be in (0, 1), got ${valFraction}`);
  if (target !== 'sequence' && target !== 'next') throw new TypeError(`charText: target must be 'sequence' or 'next', got ${JSON.stringify(target)}`);
  const { text, header } = loadCorpus();
  const vocab = [...new Set(text)].sort();
  const cut = Math.floor(text.length * (1 - valFraction));
  const part = split === 'train' ? text.slice(0, cut) : split === 'val' ? text.slice(cut) : text;
  return new CharText(part, vocab, context, target, `${header.title}, ${header.author}`, header.license);
}
