/**
 * Rendering inside the process: Vega-Lite compiles the spec to Vega, and Vega's
 * headless View (renderer 'none', no DOM, no canvas) draws it to an SVG string.
 * vega and vega-lite are loaded on first use (dynamic import), so importing the
 * library stays fast. PNG goes through @resvg/resvg-js when it is installed.
 */
import type { VegaLiteSpec } from './spec.js';

type VegaModule = typeof import('vega');
type VegaLiteModule = typeof import('vega-lite');

let modules: Promise<{ vega: VegaModule; vl: VegaLiteModule }> | undefined;

/** Loads vega and vega-lite once. */
export function loadVega(): Promise<{ vega: VegaModule; vl: VegaLiteModule }> {
  modules ??= Promise.all([import('vega'), import('vega-lite')]).then(([vega, vl]) => ({ vega, vl }));
  return modules;
}

/** A logger for vega and vega-lite that collects warnings instead of printing them. */
function collectingLogger(warnings: string[]) {
  let level = 2; // vega's Warn
  const logger = {
    level(l?: number) {
      if (l === undefined) return level;
      level = l;
      return logger;
    },
    error(...args: unknown[]) {
      throw new Error(args.map(String).join(' '));
    },
    warn(...args: unknown[]) {
      warnings.push(args.map(String).join(' '));
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
  };
  return logger;
}

export interface Compiled {
  /** The Vega spec Vega-Lite produced. */
  vega: object;
  /** Warnings from compiling and running (an empty list for a clean chart). */
  warnings: string[];
}

/** Compiles a Vega-Lite spec to Vega, collecting warnings. */
export async function compileSpec(spec: VegaLiteSpec): Promise<Compiled> {
  const { vl } = await loadVega();
  const warnings: string[] = [];
  const result = vl.compile(spec as never, { logger: collectingLogger(warnings) as never });
  return { vega: result.spec, warnings };
}

export interface SvgResult {
  svg: string;
  warnings: string[];
}

/** Renders a Vega-Lite spec to SVG on a white background (scale 1 = CSS pixels). */
export async function renderSvg(spec: VegaLiteSpec, scale = 1): Promise<SvgResult> {
  const { vega } = await loadVega();
  const { vega: vgSpec, warnings } = await compileSpec(spec);
  const view = new vega.View(vega.parse(vgSpec as never), {
    renderer: 'none',
    logger: collectingLogger(warnings) as never,
  });
  try {
    // Transparent charts turn unreadable on dark viewers (GitHub dark mode): the static image gets a background.
    if (!('background' in spec)) view.background('white');
    const svg = compactSvg(await view.toSVG(scale));
    return { svg, warnings };
  } finally {
    view.finalize();
  }
}

/**
 * Rounds coordinates in geometry attributes to 2 decimals (a hundredth of a
 * pixel): Vega writes full float precision, which makes dense charts several
 * times larger than they need to be in a saved notebook.
 */
export function compactSvg(svg: string): string {
  return svg.replace(/ (d|transform|x|y|x1|x2|y1|y2|width|height)="([^"]*)"/g, (_, name: string, value: string) =>
    ` ${name}="${value.replace(/-?\d+\.\d{3,}(e-?\d+)?/g, (num) => String(Math.round(Number(num) * 100) / 100))}"`,
  );
}

/** Font families used when rasterising, so text never falls back to a serif face. */
const PNG_FONTS = { defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' };

type Resvg = { Resvg: new (svg: string, opts: object) => { render(): { asPng(): Uint8Array } } };
let resvg: Promise<Resvg | null> | undefined;

/** True when PNG output is available (the optional @resvg/resvg-js package is installed). */
export async function pngAvailable(): Promise<boolean> {
  return (await loadResvg()) !== null;
}

function loadResvg(): Promise<Resvg | null> {
  const name = '@resvg/resvg-js';
  resvg ??= import(name).then(
    (m) => (m.default ?? m) as Resvg,
    () => null,
  );
  return resvg;
}

/** Rasterises an SVG string to PNG bytes at `scale` (2 = crisp on high-density screens). */
export async function svgToPng(svg: string, scale = 2): Promise<Uint8Array> {
  const mod = await loadResvg();
  if (mod === null) {
    throw new Error('PNG output needs the optional package @resvg/resvg-js: npm install @resvg/resvg-js');
  }
  const r = new mod.Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, ...PNG_FONTS },
  });
  return r.render().asPng();
}
