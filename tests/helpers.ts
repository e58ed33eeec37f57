/** Shared test utilities: locating the repository, reading committed fixtures, numeric comparison. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { packageRoot } from '../kernel/paths.js';

/** The repository root (the folder whose package.json names `optilab`), from source or from dist/. */
export function repoRoot(): string {
  return packageRoot;
}

/** Parses `tests/fixtures/<name>` (JSON written by a committed `tests/fixtures/gen_*.py` script). */
export function readFixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(join(repoRoot(), 'tests', 'fixtures', name), 'utf8')) as T;
}

export interface Tolerance { rtol?: number; atol?: number }

/**
 * Asserts |actual - expected| <= atol + rtol * |expected| elementwise, naming the
 * first offending index and both values so a failure says what went wrong.
 */
export function assertClose(
  actual: ArrayLike<number> | number,
  expected: ArrayLike<number> | number,
  { rtol = 1e-5, atol = 1e-6 }: Tolerance = {},
  label = 'value',
): void {
  const a = typeof actual === 'number' ? [actual] : Array.from(actual);
  const e = typeof expected === 'number' ? [expected] : Array.from(expected);
  assert.equal(a.length, e.length, `${label}: length ${a.length} != expected ${e.length}`);
  for (let i = 0; i < a.length; i++) {
    const ok = Number.isNaN(e[i]) ? Number.isNaN(a[i]) : Math.abs(a[i] - e[i]) <= atol + rtol * Math.abs(e[i]);
    if (!ok) {
      assert.fail(`${label}[${i}]: got ${a[i]}, expected ${e[i]} (rtol ${rtol}, atol ${atol})`);
    }
  }
}

/** One `publish` call seen by a recording sink. */
export interface Published {
  data: Record<string, unknown> & { 'text/plain': string };
  metadata: Record<string, unknown>;
  displayId: string | undefined;
  update: boolean;
}

/**
 * A display sink that records what is published (as the kernel's sink would
 * send it), installed with `setDisplaySink(sink)`; `settle()` waits for tracked work.
 */
export function recordingSink() {
  const published: Published[] = [];
  const work: Promise<unknown>[] = [];
  let clears = 0;
  return {
    published,
    get clears() {
      return clears;
    },
    publish(data: Published['data'], metadata: Record<string, unknown>, displayId: string | undefined, update: boolean) {
      published.push({ data, metadata, displayId, update });
    },
    clearOutput() {
      clears++;
    },
    track(p: Promise<unknown>) {
      work.push(p);
    },
    async settle() {
      await Promise.all(work);
    },
  };
}
