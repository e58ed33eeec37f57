/**
 * What others see of an executed notebook without our kernel or a network: the .ipynb
 * carries the chart as image/svg+xml (GitHub shows it), and `jupyter nbconvert --to html`
 * puts that SVG in the page (nbconvert 7 as a data: URI image), with nothing to fetch.
 * The nbconvert is the one next to the JupyterLab `npm start` uses (.venv-jupyter, or a
 * `jupyter` on PATH); without one the test is skipped. Debian bookworm's nbconvert 6.5
 * is not used: it sanitises SVG outputs down to their text, so its pages have no charts.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers.js';
import { jupyterEnv, type JupyterEnv } from '../kernel/jupyter-env.js';
import { cliPath } from '../../kernel/paths.js';
import { findJupyter } from '../../kernel/lab.js';
import { svgOutputsOf } from './nbconvert-html.js';

const CHART_TITLE = 'sin(3x) and the fitted network';
const jupyter = findJupyter();
const missing = jupyter ? undefined : "no JupyterLab to export with: 'npx optilab lab --install' installs it (with nbconvert)";

let jenv: JupyterEnv;
let dir: string;
let executed: string;

before(() => {
  jenv = jupyterEnv();
  dir = mkdtempSync(join(tmpdir(), 'optilab-export-'));
  const run = spawnSync(process.execPath, [cliPath, 'run', '--smoke', '--report', dir, 'notebooks/tour.ipynb'], { cwd: repoRoot(), env: jenv.env, encoding: 'utf8', timeout: 240_000 });
  assert.equal(run.status, 0, run.stderr);
  executed = join(dir, 'notebooks', 'notebooks', 'tour.ipynb');
});

after(() => {
  jenv?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the executed .ipynb carries the chart as image/svg+xml next to the Vega-Lite spec', () => {
  const nb = JSON.parse(readFileSync(executed, 'utf8'));
  const charts = nb.cells.flatMap((c: any) => c.outputs ?? []).filter((o: any) => o.data?.['application/vnd.vegalite.v5+json']?.title === CHART_TITLE || o.data?.['application/vnd.vegalite.v5+json']?.title?.text === CHART_TITLE);
  assert.equal(charts.length, 1, 'one output holds the chart');
  const svg = [].concat(charts[0].data['image/svg+xml']).join('');
  assert.match(svg, /^<svg[\s\S]*<\/svg>\s*$/);
  assert.ok(svg.includes(CHART_TITLE), 'the SVG is the chart (it has its title)');
  assert.match(svg, /<path[^>]*\sd="M/, 'the SVG has drawn marks');
});

test('nbconvert --to html puts the chart in the page as SVG, with nothing to fetch', { skip: missing, timeout: 120_000 }, () => {
  const r = spawnSync(jupyter!, ['nbconvert', '--to', 'html', '--output-dir', dir, '--output', 'tour', executed], { env: jenv.env, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const html = readFileSync(join(dir, 'tour.html'), 'utf8');
  const svgOutputs = svgOutputsOf(html);
  const chart = svgOutputs.find((svg) => svg.includes(CHART_TITLE));
  assert.ok(chart, `no SVG output in the page has the chart (${svgOutputs.length} SVG outputs)`);
  assert.match(chart, /<path[^>]*\sd="M/, 'the inline SVG has drawn marks');
  // No script, image or stylesheet of the chart points off the page: it shows offline.
  assert.doesNotMatch(chart, /(?:href|src)="(?:https?:)?\/\//, 'the chart refers to nothing outside the page');
  assert.doesNotMatch(html, /<script[^>]+src="[^"]*vega/i, 'the page does not load vega to draw the chart');
});
