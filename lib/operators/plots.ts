/**
 * The figure every operator-learning comparison shows: reference, prediction
 * and error side by side as heatmaps, the first two on one colour scale and
 * the error on a diverging one centred on 0.
 *
 *   display(operators.compareFields(pred, truth, { x: [0, 1], xTitle: 'x', yTitle: 'test sample' }));
 */
import * as tf from '../backend/tf.js';
import { heatmap, hconcat, type Chart } from '../plot/index.js';

export interface CompareFieldsOptions {
  /** Extents of the columns (x) and rows (y) of the fields (default the indices). */
  x?: [number, number];
  y?: [number, number];
  xTitle?: string;
  yTitle?: string;
  /** Panel titles (default 'reference', 'prediction', 'error'). */
  titles?: [string, string, string];
  /** Panel size in pixels (default 180 x 160). */
  width?: number;
  height?: number;
}

function rows(field: tf.Tensor | number[][], name: string): number[][] {
  if (field instanceof tf.Tensor) {
    if (field.rank !== 2) throw new Error(`compareFields: ${name} must be a 2-D field [rows, columns], got shape [${field.shape.join(', ')}]`);
    return field.arraySync() as number[][];
  }
  if (!Array.isArray(field) || !field.every((r) => Array.isArray(r) || ArrayBuffer.isView(r))) throw new TypeError(`compareFields: ${name} must be a 2-D tensor or an array of rows`);
  return field.map((r) => Array.from(r));
}

/** Reference | prediction | error (prediction - reference) heatmaps of two 2-D fields. */
export function compareFields(prediction: tf.Tensor | number[][], reference: tf.Tensor | number[][], opts: CompareFieldsOptions = {}): Chart {
  const p = rows(prediction, 'prediction');
  const r = rows(reference, 'reference');
  if (p.length !== r.length || p[0].length !== r[0].length) {
    throw new Error(`compareFields: prediction is ${p.length} x ${p[0].length} but reference is ${r.length} x ${r[0].length}`);
  }
  const err = p.map((row, i) => row.map((v, j) => v - r[i][j]));
  let lo = Infinity;
  let hi = -Infinity;
  for (const row of [...p, ...r]) for (const v of row) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const [tRef, tPred, tErr] = opts.titles ?? ['reference', 'prediction', 'error'];
  const common = { x: opts.x, y: opts.y, xTitle: opts.xTitle, yTitle: opts.yTitle, width: opts.width ?? 180, height: opts.height ?? 160 };
  return hconcat(
    heatmap(r, { ...common, title: tRef, domain: [lo, hi] }),
    heatmap(p, { ...common, title: tPred, domain: [lo, hi] }),
    heatmap(err, { ...common, title: tErr, diverging: true, colorTitle: 'error' }),
  ).properties({ resolve: { scale: { color: 'independent' } } });
}
