/**
 * Headless Chromium for the browser tests: Debian's `chromium` (apt) driven by playwright-core,
 * which downloads no browser of its own. The flags keep Chromium off the network: without
 * them it opens many background connections that a closed network refuses.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot } from '../helpers.js';

/** Where screenshots go (ignored by git). */
export const ARTIFACTS = join(repoRoot(), 'tests', 'browser', 'artifacts');

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The Chromium to drive: $OPTILAB_CHROMIUM, else the first one installed; throws naming what to install. */
export function chromiumPath(): string {
  const given = process.env.OPTILAB_CHROMIUM;
  if (given) {
    if (!existsSync(given)) throw new Error(`OPTILAB_CHROMIUM=${given}: no such file`);
    return given;
  }
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found) throw new Error(`no Chromium found (looked for ${CANDIDATES.join(', ')}); install it with: apt-get install chromium`);
  return found;
}

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches headless Chromium with a fresh, empty profile (playwright makes one per launch and removes it on close). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_FLAGS, timeout: 120_000 });
}

/** Saves a full-page screenshot as tests/browser/artifacts/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
