/**
 * A chart: an immutable Vega-Lite spec with chainable adjustments, a display
 * bundle (Vega-Lite for JupyterLab, SVG rendered here for static viewers, text),
 * and `save()` to files.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DISPLAY, type MimeBundle } from '../display/index.js';
import { inferType, type Row } from './data.js';
import { compileSpec, renderSvg, svgToPng, type Compiled } from './render.js';
import {
  clone, facetSpec, LOG_SCALE, forEachSized, forEachUnit, kindOf, setAxisTitle, setScale, topLevel,
  type PositionChannel, type VegaLiteSpec,
} from './spec.js';

export const VEGALITE_MIME = 'application/vnd.vegalite.v5+json';

/** Rendering options for every chart's display bundle. */
export const renderOptions = {
  /** Add `image/png` (needs @resvg/resvg-js) to display bundles; `OPTILAB_PLOT_PNG=1` turns it on. */
  png: process.env.OPTILAB_PLOT_PNG === '1',
  /** Pixel density of PNG output. */
  pngScale: 2,
};

export class Chart {
  readonly #spec: VegaLiteSpec;
  /** A short description, the chart's `text/plain` form. */
  readonly description: string;

  constructor(spec: VegaLiteSpec, description = 'Vega-Lite chart') {
    this.#spec = topLevel(spec);
    this.description = description;
  }

  /** The Vega-Lite spec (a copy: charts do not change). */
  get spec(): VegaLiteSpec {
    return clone(this.#spec);
  }

  toJSON(): VegaLiteSpec {
    return this.spec;
  }

  toString(): string {
    return `<Chart: ${this.description}>`;
  }

  /** A copy of this chart with `edit` applied to a copy of its spec. */
  private with(edit: (spec: VegaLiteSpec) => void, description = this.description): Chart {
    const spec = this.spec;
    edit(spec);
    return new Chart(spec, description);
  }

  /** Sets the title (and optional subtitle). */
  title(text: string, subtitle?: string): Chart {
    return this.with((s) => (s.title = subtitle === undefined ? text : { text, subtitle }));
  }

  /** Sets the plot width in pixels (of each panel, for faceted or concatenated charts). */
  width(px: number): Chart {
    checkPixels(px, 'width');
    return this.with((s) => forEachSized(s, (u) => (u.width = px)));
  }

  /** Sets the plot height in pixels (of each panel, for faceted or concatenated charts). */
  height(px: number): Chart {
    checkPixels(px, 'height');
    return this.with((s) => forEachSized(s, (u) => (u.height = px)));
  }

  size(width: number, height: number): Chart {
    return this.width(width).height(height);
  }

  /** Logarithmic x axis (`false` turns it back to linear). */
  logX(on = true): Chart {
    return this.scale('x', on ? LOG_SCALE : { type: 'linear', nice: true });
  }

  /** Logarithmic y axis (`false` turns it back to linear). */
  logY(on = true): Chart {
    return this.scale('y', on ? LOG_SCALE : { type: 'linear', nice: true });
  }

  /** Merges Vega-Lite scale properties into the quantitative x, y or color scale: `.scale('y', {domain: [0, 1]})`. */
  scale(channel: PositionChannel | 'color', props: Record<string, unknown>): Chart {
    return this.with((s) => {
      if (setScale(s, channel, props) === 0) {
        throw new TypeError(`Chart.scale: this chart has no quantitative or temporal '${channel}' encoding to adjust`);
      }
    });
  }

  xTitle(title: string): Chart {
    return this.with((s) => setAxisTitle(s, 'x', title));
  }

  yTitle(title: string): Chart {
    return this.with((s) => setAxisTitle(s, 'y', title));
  }

  /** Small multiples: one panel per value of `field`, `columns` per row. */
  facet(field: string, options: { columns?: number; type?: 'nominal' | 'ordinal' | 'quantitative' } = {}): Chart {
    const rows = (this.#spec.data?.values ?? []) as Row[];
    const type = options.type ?? inferType(rows, field, true);
    return new Chart(facetSpec(this.spec, field, type, options.columns), `${this.description}, faceted by ${field}`);
  }

  /** Pan and zoom with the mouse in JupyterLab (bound scales; the static SVG is unaffected). */
  interactive(): Chart {
    return this.with((s) => {
      let first: VegaLiteSpec | undefined;
      forEachUnit(s, (u) => (first ??= u));
      if (kindOf(s) !== 'unit' && kindOf(s) !== 'layer') {
        throw new TypeError('Chart.interactive: only single or layered charts can bind their scales');
      }
      first!.params = [...(first!.params ?? []), { name: 'zoom', select: 'interval', bind: 'scales' }];
    });
  }

  /** Merges top-level Vega-Lite properties (`background`, `padding`, `config`, ...). */
  properties(props: VegaLiteSpec): Chart {
    return this.with((s) => Object.assign(s, props));
  }

  /** Vega-Lite's compilation to Vega, with any warnings. */
  compile(): Promise<Compiled> {
    return compileSpec(this.#spec);
  }

  /** The chart as an SVG string, rendered in this process. */
  async toSVG(scale = 1): Promise<string> {
    return (await renderSvg(this.#spec, scale)).svg;
  }

  /** The chart as PNG bytes (needs the optional @resvg/resvg-js package). */
  async toPNG(scale = renderOptions.pngScale): Promise<Uint8Array> {
    return svgToPng(await this.toSVG(), scale);
  }

  /**
   * Writes the chart to `path`: `.svg`, `.png`, or `.json` / `.vl.json` (the
   * Vega-Lite spec). Creates missing folders. Resolves to the path.
   */
  async save(path: string): Promise<string> {
    const lower = path.toLowerCase();
    let content: string | Uint8Array;
    if (lower.endsWith('.svg')) content = await this.toSVG();
    else if (lower.endsWith('.png')) content = await this.toPNG();
    else if (lower.endsWith('.json')) content = JSON.stringify(this.#spec, null, 2) + '\n';
    else throw new TypeError(`Chart.save: unsupported file type for '${path}'; use .svg, .png, .vl.json or .json`);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
    return path;
  }

  /** The display bundle: the spec for JupyterLab, an SVG for static viewers, and text. */
  async [DISPLAY](): Promise<MimeBundle> {
    const { svg, warnings } = await renderSvg(this.#spec);
    for (const w of new Set(warnings)) console.warn(`plot: ${w}`);
    const bundle: MimeBundle = { 'text/plain': this.toString(), [VEGALITE_MIME]: this.spec, 'image/svg+xml': svg };
    if (renderOptions.png) bundle['image/png'] = Buffer.from(await svgToPng(svg, renderOptions.pngScale)).toString('base64');
    return bundle;
  }

  /** The bundle without the SVG: what live charts send while a loop runs (JupyterLab draws the spec itself). */
  specBundle(): MimeBundle {
    return { 'text/plain': this.toString(), [VEGALITE_MIME]: this.spec };
  }
}

function checkPixels(px: unknown, name: string): void {
  if (typeof px !== 'number' || !Number.isFinite(px) || px <= 0) {
    throw new TypeError(`Chart.${name}: expected a positive number of pixels, got ${String(px)}`);
  }
}
