/**
 * Vega-Lite spec plumbing: the schema and theme every chart carries, and
 * transformations that walk unit, layer, facet and concat specs alike (so
 * `.logY()` or `.width()` mean the same thing whatever the chart's structure).
 * Only Vega-Lite 5 features are used: JupyterLab renders with its bundled VL5.
 */
import { fieldRef, type FieldType } from './data.js';

/** A Vega-Lite spec as plain JSON. */
export type VegaLiteSpec = Record<string, any>;

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

/** A sans-serif stack: Helvetica/Arial where present, DejaVu Sans on Linux, then the generic family. */
export const FONT = 'Helvetica Neue, Helvetica, Arial, DejaVu Sans, Liberation Sans, sans-serif';

/** The theme: Vega-Lite's defaults with a sans-serif font and a wider default plot. */
export const CONFIG = {
  font: FONT,
  view: { continuousWidth: 400, continuousHeight: 250 },
  title: { anchor: 'start', fontSize: 14, fontWeight: 600, offset: 8 },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 500, gridColor: '#e8e8e8' },
  // labels up to 260 px (Vega's default cuts them at 160, e.g. 'sgd + clipping, lr 0.03')
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 500, labelLimit: 260 },
  header: { labelFontSize: 12, titleFontSize: 12 },
};

/** Adds `$schema` and the theme (a spec's own config wins). */
export function topLevel(spec: VegaLiteSpec): VegaLiteSpec {
  const { $schema: _, config, ...rest } = spec;
  return { $schema: SCHEMA, ...rest, config: { ...CONFIG, ...(config ?? {}) } };
}

/** Removes what only a top-level spec carries, for use inside a composition. */
export function inner(spec: VegaLiteSpec): VegaLiteSpec {
  const { $schema: _s, config: _c, ...rest } = spec;
  return rest;
}

export function clone<T>(x: T): T {
  return structuredClone(x);
}

/** Kinds of spec, by their operator. */
export function kindOf(spec: VegaLiteSpec): 'unit' | 'layer' | 'facet' | 'concat' | 'repeat' {
  if ('layer' in spec) return 'layer';
  if ('facet' in spec) return 'facet';
  if ('repeat' in spec) return 'repeat';
  if ('hconcat' in spec || 'vconcat' in spec || 'concat' in spec) return 'concat';
  return 'unit';
}

/** The sub-specs of a composed spec (none for a unit). */
function children(spec: VegaLiteSpec): VegaLiteSpec[] {
  switch (kindOf(spec)) {
    case 'layer':
      return spec.layer;
    case 'facet':
    case 'repeat':
      return [spec.spec];
    case 'concat':
      return spec.hconcat ?? spec.vconcat ?? spec.concat;
    default:
      return [];
  }
}

/** Calls `fn` on every unit spec (a spec with a mark), in place. */
export function forEachUnit(spec: VegaLiteSpec, fn: (unit: VegaLiteSpec) => void): void {
  if (kindOf(spec) === 'unit') fn(spec);
  else for (const c of children(spec)) forEachUnit(c, fn);
}

/** Calls `fn` on every spec that carries an encoding: units, and layers whose children share one. */
function forEachEncoded(spec: VegaLiteSpec, fn: (s: VegaLiteSpec) => void): void {
  if (spec.encoding) fn(spec);
  for (const c of children(spec)) forEachEncoded(c, fn);
}

/**
 * The specs that own a plot's width and height: a unit or layer at the top, the
 * inner spec of a facet, every child of a concatenation.
 */
export function forEachSized(spec: VegaLiteSpec, fn: (s: VegaLiteSpec) => void): void {
  const k = kindOf(spec);
  if (k === 'unit' || k === 'layer') fn(spec);
  else for (const c of children(spec)) forEachSized(c, fn);
}

export type PositionChannel = 'x' | 'y';

/** A log scale that ends at the data, not at the enclosing powers of ten (which can waste half the plot). */
export const LOG_SCALE = { type: 'log', nice: false };

/** Merges scale properties into every quantitative or temporal encoding of `channel`. */
export function setScale(spec: VegaLiteSpec, channel: PositionChannel | 'color', props: Record<string, unknown>): number {
  let count = 0;
  forEachEncoded(spec, (unit) => {
    const enc = unit.encoding?.[channel];
    if (enc && (enc.type === 'quantitative' || enc.type === 'temporal')) {
      enc.scale = { ...(enc.scale ?? {}), ...props };
      count++;
    }
  });
  return count;
}

/** Sets the axis title of `channel` on every unit that encodes it. */
export function setAxisTitle(spec: VegaLiteSpec, channel: PositionChannel, title: string): void {
  forEachEncoded(spec, (unit) => {
    const enc = unit.encoding?.[channel];
    if (enc) enc.title = title;
  });
}

/** A field definition for an encoding channel. */
export function enc(field: string, type: FieldType, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { field: fieldRef(field), type, ...extra };
}

const FACET_WIDTH = 220;
const FACET_HEIGHT = 150;

/**
 * Wraps a unit or layer spec in a facet operator: one small multiple per value of
 * `field`, wrapped into `columns` columns. Data moves to the top (facets split it).
 */
export function facetSpec(spec: VegaLiteSpec, field: string, type: FieldType, columns?: number): VegaLiteSpec {
  const k = kindOf(spec);
  if (k !== 'unit' && k !== 'layer') {
    throw new TypeError(`facet: only single or layered charts can be faceted, this chart is a ${k}`);
  }
  const { data, title, $schema: _s, config, width, height, ...rest } = spec;
  if (data === undefined) throw new TypeError('facet: the chart has no top-level data to split');
  // Small multiples default to a smaller panel than a single chart.
  const sized: VegaLiteSpec = { ...rest, width: width ?? FACET_WIDTH, height: height ?? FACET_HEIGHT };
  // Panels are discrete: a numeric field (guidance scales, step counts) gets one panel per value, in numeric order.
  const out: VegaLiteSpec = { data, facet: enc(field, type === 'quantitative' ? 'ordinal' : type), spec: sized };
  if (columns !== undefined) out.columns = columns;
  if (title !== undefined) out.title = title;
  if (config !== undefined) out.config = config;
  return out;
}
