/**
 * Driving a notebook the way a user does, in JupyterLab 4 or Notebook 7 (both build their
 * notebook from the same widgets): menus, the toolbar, the keyboard. Every check reads what
 * the page shows, not the kernel's messages.
 */
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';

/** Generous limits: the test machines are small and shared, and a kernel may be loading TF.js. */
const LONG = 180_000;
// Functions passed to page.waitForFunction run in the page; this file is compiled without the DOM library.
declare const document: { querySelector(s: string): { getAttribute(n: string): string | null } | null; querySelectorAll(s: string): Iterable<{ textContent: string | null }> };
const SHORT = 60_000;

export class NotebookPage {
  constructor(readonly page: Page) {}

  get cells(): Locator {
    return this.page.locator('.jp-NotebookPanel:visible .jp-Notebook .jp-Cell');
  }

  get codeCells(): Locator {
    return this.page.locator('.jp-NotebookPanel:visible .jp-Notebook .jp-CodeCell');
  }

  /** Waits until the notebook is shown and its kernel (by display name) is idle. */
  async waitForKernel(displayName: string): Promise<void> {
    await this.page.locator('.jp-NotebookPanel:visible .jp-Notebook').first().waitFor({ timeout: LONG });
    await this.page.locator('.jp-NotebookPanel:visible .jp-KernelName').filter({ hasText: displayName }).first().waitFor({ timeout: LONG });
    await this.waitIdle();
  }

  /** Waits until the kernel status in the toolbar says idle. */
  async waitIdle(timeout = LONG): Promise<void> {
    await this.page.waitForFunction(
      () => {
        const status = document.querySelector('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator');
        return status?.getAttribute('data-status') === 'idle';
      },
      undefined,
      { timeout },
    );
  }

  /** Clicks a top-level menu, then one of its items (by their visible labels). */
  async menu(top: string, item: string): Promise<void> {
    await this.page.locator('.lm-MenuBar-itemLabel', { hasText: new RegExp(`^${top}$`) }).click();
    await this.page.locator('.lm-Menu-itemLabel', { hasText: new RegExp(`^${item}$`) }).first().click();
  }

  /** Run > Run All Cells, then waits until every code cell has an execution count. */
  async runAll(timeout = LONG): Promise<void> {
    await this.menu('Run', 'Run All Cells');
    await this.page.waitForFunction(
      () => {
        const prompts = [...document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell .jp-InputArea-prompt')].map((p) => p.textContent ?? '');
        return prompts.length > 0 && prompts.every((p) => /\[\d+\]/.test(p));
      },
      undefined,
      { timeout },
    );
    await this.waitIdle(timeout);
  }

  /** The execution prompt of a cell (`[3]:`, `[*]:`). */
  prompt(cell: Locator): Promise<string> {
    return cell.locator('.jp-InputArea-prompt').innerText();
  }

  /** Appends an empty code cell below the last one and puts the cursor in it. */
  async appendCell(): Promise<Locator> {
    const n = await this.cells.count();
    await this.cells.nth(n - 1).locator('.jp-InputArea-prompt, .jp-InputPrompt').first().click();
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('b');
    const cell = this.cells.nth(n);
    await cell.waitFor({ timeout: SHORT });
    await cell.locator('.cm-content').click();
    return cell;
  }

  /** Types `code` into a new cell at the end; returns that cell (not run yet). */
  async typeCell(code: string): Promise<Locator> {
    const cell = await this.appendCell();
    const lines = code.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (i > 0) {
        await this.page.keyboard.press('Enter');
        // The editor indents a new line after `{`; start each line at column 0.
        await this.page.keyboard.press('Shift+Home');
        await this.page.keyboard.press('Delete');
      }
      await this.page.keyboard.type(lines[i]);
    }
    await this.page.waitForFunction(
      ([el, want]) => (el as unknown as { innerText: string }).innerText.replace(/\u00a0/g, ' ').trim() === want,
      [await cell.locator('.cm-content').elementHandle(), code.trim()] as const,
      { timeout: SHORT },
    );
    return cell;
  }

  /** Types `code` into a new cell at the end and runs it (Shift+Enter); returns the cell. */
  async runCell(code: string, opts: { wait?: boolean } = {}): Promise<Locator> {
    const cell = await this.typeCell(code);
    await this.page.keyboard.press('Shift+Enter');
    if (opts.wait ?? true) {
      await cell.locator('.jp-InputArea-prompt').filter({ hasText: /\[\d+\]/ }).waitFor({ timeout: LONG });
    }
    return cell;
  }

  /** The text of a cell's outputs as shown. */
  outputText(cell: Locator): Promise<string> {
    return cell.locator('.jp-OutputArea').innerText();
  }
}

/** What the checks found, for the report. */
export interface Observed {
  chartElement: string;
  progressText: string;
  completions: string[];
  interruptText: string;
  afterInterrupt: string;
  typeErrorText: string;
}

/** The tour's outputs after Run All: the chart drawn by the frontend's Vega-Lite renderer, and the progress bar. */
export async function checkTourOutputs(nb: NotebookPage, chartCell: Locator): Promise<Pick<Observed, 'chartElement' | 'progressText'>> {
  // JupyterLab picks the richest renderer it has: its vega extension, not the SVG the kernel sends along.
  const vega = chartCell.locator('.jp-RenderedVegaLite');
  await vega.waitFor({ timeout: SHORT });
  const drawn = vega.locator('canvas.marks, svg.marks').first();
  await drawn.waitFor({ timeout: SHORT });
  const box = await drawn.boundingBox();
  const chartElement = await drawn.evaluate((el) => `${el.tagName.toLowerCase()}.${el.getAttribute('class') ?? ''}`);
  assert.ok(box && box.width > 100 && box.height > 100, `the chart drawn by the vega renderer has no size: ${chartElement} ${JSON.stringify(box)}`);

  const bars = nb.page.locator('.jp-NotebookPanel:visible .optilab-progress');
  assert.equal(await bars.count(), 1, 'the training cell shows one progress bar (updated in place)');
  const progressText = (await bars.first().innerText()).replace(/\s+/g, ' ').trim();
  assert.match(progressText, /\b100%/, `the progress bar did not reach 100%: ${progressText}`);
  return { chartElement: `${chartElement} ${Math.round(box.width)}x${Math.round(box.height)}`, progressText };
}

/** Tab after `optim.` opens the completer with `adamw` among its items; `whileShown` runs while it is open. */
export async function checkCompletion(nb: NotebookPage, whileShown: () => Promise<unknown>): Promise<string[]> {
  await nb.typeCell('optim.');
  await nb.page.keyboard.press('Tab');
  const completer = nb.page.locator('.jp-Completer');
  await completer.waitFor({ state: 'visible', timeout: SHORT });
  await completer.locator('.jp-Completer-item').first().waitFor({ timeout: SHORT });
  const items = (await completer.locator('.jp-Completer-item .jp-Completer-match').allInnerTexts()).map((s) => s.trim());
  await whileShown();
  assert.ok(items.includes('adamw'), `completions after optim.: ${items.join(', ')}`);
  await nb.page.keyboard.press('Escape');
  return items;
}

/** The stop button interrupts `while (true) {}`; a later cell still sees a variable of an earlier one. */
export async function checkInterrupt(nb: NotebookPage, earlier: { code: string; expect: RegExp }): Promise<Pick<Observed, 'interruptText' | 'afterInterrupt'>> {
  const loop = await nb.runCell('while (true) {}', { wait: false });
  await loop.locator('.jp-InputArea-prompt').filter({ hasText: '[*]' }).waitFor({ timeout: SHORT });
  // Let the loop really spin before stopping it.
  await nb.page.waitForTimeout(1500);
  assert.match(await nb.prompt(loop), /\[\*\]/, 'the endless loop is still running');
  await nb.page.locator('.jp-NotebookPanel:visible [data-command="notebook:interrupt-kernel"]').first().click();
  const error = loop.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]');
  await error.first().waitFor({ timeout: SHORT });
  const interruptText = (await error.first().innerText()).trim();
  assert.match(interruptText, /Interrupted/, `the interrupted cell shows: ${interruptText}`);
  await nb.waitIdle();
  const after = await nb.runCell(earlier.code);
  const afterInterrupt = (await nb.outputText(after)).trim();
  assert.match(afterInterrupt, earlier.expect, `after the interrupt, ${earlier.code} shows: ${afterInterrupt}`);
  return { interruptText, afterInterrupt };
}

/** A type error on a cell's second line is shown with its code, the line number and the code line. */
export async function checkTypeError(nb: NotebookPage): Promise<string> {
  const cell = await nb.runCell('const fine = 1;\nconst wrong: string = fine;');
  const error = cell.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]');
  await error.first().waitFor({ timeout: SHORT });
  const text = (await error.first().innerText()).trim();
  assert.match(text, /TS2322: Type 'number' is not assignable to type 'string'/, text);
  assert.match(text, /line 2, column 7/, text);
  assert.match(text, /-> 2 \| const wrong: string = fine;/, text);
  return text;
}
