/**
 * The workbench as its users see it: headless Chromium opens notebooks/tour.ipynb in
 * JupyterLab 4 and in Notebook 7, runs every cell with the optilab kernel, and checks what the
 * page shows (the chart drawn by the frontend's vega renderer, the progress bar, Tab
 * completion, the stop button, a type error). The notebook JupyterLab saved is then exported
 * with nbconvert and the HTML is opened with the network cut off.
 *
 * Run with `npm run test:browser` (not part of `npm test`). The server is started by `optilab lab`,
 * what `npm start` runs, with temporary Jupyter folders; JupyterLab and Notebook 7 come from
 * `.venv-jupyter` (installed with pip on first use), the browser from Debian's `chromium`
 * package. Screenshots: tests/browser/artifacts/.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { findOrInstallJupyter } from '../../kernel/lab.js';
import { cliPath } from '../../kernel/paths.js';
import { injectParameters } from '../../kernel/runner/parameters.js';
import { readNotebook, writeNotebook } from '../../kernel/runner/notebook.js';
import { repoRoot } from '../helpers.js';
import { svgOutputsOf } from '../notebooks/nbconvert-html.js';
import { jupyterEnv, startJupyter, type JupyterEnv, type RunningJupyter } from '../kernel/jupyter-env.js';
import { ARTIFACTS, launchChromium, screenshot } from './chromium.js';
import { checkCompletion, checkInterrupt, checkTourOutputs, checkTypeError, NotebookPage, type Observed } from './notebook-page.js';

const KERNEL_DISPLAY_NAME = 'TypeScript (optilab)';
/** The tour in SMOKE mode (as `optilab run --smoke` injects it): 30 training steps, the whole code path. */
const TOUR_PARAMETERS = { SMOKE: true };
/** What a cell after the interrupt must still see: `steps` comes from the tour's third cell. */
const EARLIER_VARIABLE = { code: '`steps = ${steps}, losses recorded: ${history.length}`', expect: /steps = 30, losses recorded: 4/ };

async function waitFor(ok: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The output bundle of the tour's chart cell in a notebook as saved on disk. */
function chartBundle(nb: { cells: { cell_type: string; source: string | string[]; outputs?: { data?: Record<string, unknown> }[] }[] }): Record<string, unknown> | undefined {
  const chart = nb.cells.find((c) => c.cell_type === 'code' && ([] as string[]).concat(c.source).join('').includes('plot.line(curve'));
  return chart?.outputs?.find((o) => o.data?.['application/vnd.vegalite.v5+json'])?.data;
}

let jenv: JupyterEnv;
let root: string;
let jupyter: string;
let server: RunningJupyter;
let browser: Browser;
const observed: Record<string, unknown> = {};
const offNetwork: string[] = [];

before(async () => {
  jupyter = await findOrInstallJupyter();
  jenv = jupyterEnv();
  root = join(jenv.root, 'notebooks');
  for (const ui of ['lab', 'notebook7']) {
    mkdirSync(join(root, ui), { recursive: true });
    writeNotebook(join(root, ui, 'tour.ipynb'), injectParameters(readNotebook(join(repoRoot(), 'notebooks', 'tour.ipynb')), TOUR_PARAMETERS));
  }
  // JupyterLab's own settings for this run: no news or update checks (no network here, and no pop-ups over the page).
  const settings = join(jenv.root, 'lab-settings');
  mkdirSync(join(settings, '@jupyterlab', 'apputils-extension'), { recursive: true });
  writeFileSync(join(settings, '@jupyterlab', 'apputils-extension', 'notification.jupyterlab-settings'), JSON.stringify({ fetchNews: 'false', checkForUpdates: false }));
  const env = { ...jenv.env, JUPYTERLAB_SETTINGS_DIR: settings, JUPYTERLAB_WORKSPACES_DIR: join(jenv.root, 'lab-workspaces') };
  // Started as `npm start` starts it (optilab lab: kernelspec, then JupyterLab), on a copy of the tour.
  // One server: it also serves Notebook 7's interface (/tree, /notebooks), the notebook package being installed.
  server = await startJupyter({ command: [process.execPath, cliPath, 'lab'], args: ['--notebook-dir', root], root, env, tokenFromOutput: /\/lab\?token=([0-9a-f]+)/ });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (server) {
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'jupyter-server.log'), server.log());
  }
  jenv?.cleanup();
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, 'observed.json'), JSON.stringify({ ...observed, requestsOffTheMachine: offNetwork }, null, 1));
});

/** A page that may reach only the Jupyter server: anything else is recorded and refused. */
async function localPage(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.route((url) => !url.href.startsWith(server.url), (route) => {
    offNetwork.push(route.request().url());
    return route.abort();
  });
  return page;
}

/** The five checks of the tour, in the interface at `path` (a URL path under the server) showing `file` (under the root). */
async function checkTour(name: string, path: string, file: string, t: { diagnostic(m: string): void }): Promise<Observed> {
  const page = await localPage();
  const started = Date.now();
  const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
  try {
    await page.goto(`${server.url}${path}?token=${server.token}`);
    const nb = new NotebookPage(page);
    await nb.waitForKernel(KERNEL_DISPLAY_NAME);
    t.diagnostic(`${name}: notebook open, kernel idle after ${seconds()} s`);
    await nb.runAll();
    t.diagnostic(`${name}: Run All Cells done after ${seconds()} s`);
    const chartCell = nb.codeCells.filter({ hasText: 'plot.line(curve' });
    await chartCell.scrollIntoViewIfNeeded();
    await screenshot(page, `${name}-1-chart`);
    const outputs = await checkTourOutputs(nb, chartCell);
    await chartCell.locator('.jp-OutputArea').screenshot({ path: join(ARTIFACTS, `${name}-chart-output.png`) });

    const completions = await checkCompletion(nb, async () => screenshot(page, `${name}-2-completion`));
    const interrupt = await checkInterrupt(nb, EARLIER_VARIABLE);
    await screenshot(page, `${name}-3-interrupt`);
    const typeErrorText = await checkTypeError(nb);
    await screenshot(page, `${name}-4-type-error`);
    t.diagnostic(`${name}: all checks passed after ${seconds()} s`);
    // Save (as a user would before sharing it); the export test reads the file.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+s');
    await waitFor(() => chartBundle(JSON.parse(readFileSync(join(root, file), 'utf8'))) !== undefined, 60_000, `${file} saved with its outputs`);
    return { ...outputs, completions, ...interrupt, typeErrorText };
  } catch (e) {
    await screenshot(page, `${name}-failed`).catch(() => undefined);
    throw e;
  } finally {
    await page.close();
  }
}

test('JupyterLab 4: the tour runs with the optilab kernel; chart, progress, completion, interrupt, type error', { timeout: 600_000 }, async (t) => {
  observed.jupyterlab = await checkTour('jupyterlab', 'lab/tree/lab/tour.ipynb', 'lab/tour.ipynb', t);
});

test('Notebook 7: the same checks in its single-document interface', { timeout: 600_000 }, async (t) => {
  const version = spawnSync(jupyter, ['notebook', '--version'], { encoding: 'utf8' }).stdout?.trim();
  assert.match(version ?? '', /^7\./, `expected Notebook 7 next to JupyterLab (${jupyter} notebook --version says: ${version})`);
  observed.notebook7 = await checkTour('notebook7', 'notebooks/notebook7/tour.ipynb', 'notebook7/tour.ipynb', t);
});

test('the notebook JupyterLab saved carries an SVG of the chart, and its nbconvert HTML shows it offline', { timeout: 300_000 }, async () => {
  // JupyterLab saved the executed tour (the checks above ran in it); read it from disk as GitHub or nbconvert would.
  const saved = join(root, 'lab', 'tour.ipynb');
  const bundle = chartBundle(JSON.parse(readFileSync(saved, 'utf8')));
  assert.ok(bundle, 'the saved chart cell has its Vega-Lite output');
  const svg = ([] as string[]).concat((bundle['image/svg+xml'] as string | string[]) ?? []).join('');
  assert.match(svg, /^<svg[\s\S]*<\/svg>\s*$/, 'the saved chart output carries image/svg+xml next to the Vega-Lite spec');

  const html = join(dirname(saved), 'tour.html');
  const r = spawnSync(jupyter, ['nbconvert', '--to', 'html', '--output', 'tour.html', saved], { env: jenv.env, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const refused: string[] = [];
  await page.route((url) => url.protocol !== 'file:', (route) => {
    refused.push(route.request().url());
    return route.abort();
  });
  try {
    await page.goto(pathToFileURL(html).href);
    const index = svgOutputsOf(readFileSync(html, 'utf8')).findIndex((svg) => svg.includes('sin(3x) and the fitted network'));
    assert.ok(index >= 0, 'the exported page has the chart as an SVG output');
    // nbconvert 7 writes SVG outputs as <img src="data:image/svg+xml;base64,...">; older ones inline <svg>.
    const drawn = page.locator('.jp-OutputArea-output[data-mime-type="image/svg+xml"]').nth(index).locator('img, svg').first();
    await drawn.waitFor({ timeout: 30_000 });
    const loaded = await drawn.evaluate((el) => el.tagName.toLowerCase() !== 'img' || ((el as unknown as { complete: boolean; naturalWidth: number }).complete && (el as unknown as { naturalWidth: number }).naturalWidth > 0));
    assert.ok(loaded, 'the chart image loaded without the network');
    const box = await drawn.boundingBox();
    assert.ok(box && box.width > 100 && box.height > 100, `the exported chart is not visible (${JSON.stringify(box)})`);
    await drawn.scrollIntoViewIfNeeded();
    await screenshot(page, 'nbconvert-html-offline');
    observed.nbconvertHtml = { chartBox: box, requestsRefused: refused };
  } finally {
    await page.close();
  }
});
