/**
 * How often nested TF.js derivatives agree with JAX, with TF.js's stock gradient
 * registry and with optilab's: first to third derivatives of every op case in
 * tests/fixtures/derivatives.json, on the wasm backend.
 *
 *   npx tsc -b && node dist/bench/derivative_accuracy.js
 *
 * Each registry runs in its own process (the registry is process-wide).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../tests/helpers.js';
import type { Expr } from '../tests/ad/expression.js';

interface OpCase { name: string; expr: Expr; x: number[]; d1: number[]; d2: number[]; d3: number[]; backends?: string[] }
type Outcome = 'match' | 'wrong' | 'threw';

async function measure(registry: 'stock' | 'optilab'): Promise<Record<string, Outcome[]>> {
  let tf: typeof import('../lib/backend/tf.js');
  if (registry === 'stock') {
    tf = await import('../lib/backend/tf.js');
    await import('@tensorflow/tfjs-backend-wasm');
    tf.env().set('PROD', true);
    await tf.setBackend('wasm');
  } else {
    tf = (await import('../lib/index.js')).tf;
    await (await import('../lib/index.js')).useBackend('wasm');
  }
  const { evaluate } = await import('../tests/ad/expression.js');
  const fixture = JSON.parse(readFileSync(join(repoRoot(), 'tests/fixtures/derivatives.json'), 'utf8')).ops;
  const { w0, w1, w2 } = fixture;
  const out: Record<string, Outcome[]> = {};
  for (const c of fixture.cases as OpCase[]) {
    if (c.backends && !c.backends.includes('wasm')) continue; // needs a kernel wasm lacks
    const outcomes: Outcome[] = [];
    tf.tidy(() => {
      const x = tf.tensor1d(c.x);
      const [c0, c1, c2] = [w0, w1, w2].map((w: number[]) => tf.tensor1d(w));
      const g1 = tf.grad((t: any) => tf.sum(tf.mul(c0, evaluate(c.expr, t))));
      const g2 = tf.grad((t: any) => tf.sum(tf.mul(c1, g1(t))));
      const g3 = tf.grad((t: any) => tf.sum(tf.mul(c2, g2(t))));
      [g1, g2, g3].forEach((g, k) => {
        const expected = [c.d1, c.d2, c.d3][k];
        try {
          const got = g(x).dataSync();
          const scale = Math.max(1, ...expected.map(Math.abs));
          const ok = expected.every((e, i) => Math.abs(got[i] - e) <= 1e-4 * (k + 1) * Math.abs(e) + 2e-5 * (k + 1) * scale);
          outcomes.push(ok ? 'match' : 'wrong');
        } catch (e) {
          // A derivative that is identically zero has no gradient path in TF.js: not a failure of the registry.
          outcomes.push(/Cannot compute gradient of y=f\(x\)/.test((e as Error).message) && expected.every((v) => v === 0) ? 'match' : 'threw');
        }
      });
    });
    out[c.name] = outcomes;
  }
  return out;
}

const registryArg = process.argv[2];
if (registryArg === 'stock' || registryArg === 'optilab') {
  process.stdout.write(JSON.stringify(await measure(registryArg)));
} else {
  const self = fileURLToPath(import.meta.url);
  const results = Object.fromEntries((['stock', 'optilab'] as const).map((r) => {
    const run = spawnSync(process.execPath, [self, r], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`${r} run failed: ${run.stderr}`);
    return [r, JSON.parse(run.stdout) as Record<string, Outcome[]>];
  }));
  const names = Object.keys(results.optilab);
  const tally = (r: string, order: number, what: Outcome) => names.filter((n) => results[r][n][order] === what).length;
  console.log(`derivatives of ${names.length} op cases vs JAX float64 (wasm backend)`);
  console.log('registry  order  match  wrong  threw');
  for (const r of ['stock', 'optilab']) {
    for (let order = 0; order < 3; order++) {
      console.log(`${r.padEnd(8)}  ${order + 1}      ${String(tally(r, order, 'match')).padStart(5)}  ${String(tally(r, order, 'wrong')).padStart(5)}  ${String(tally(r, order, 'threw')).padStart(5)}`);
    }
  }
  const broken = names.filter((n) => results.stock[n].some((o) => o !== 'match'));
  console.log(`stock failures: ${broken.map((n) => `${n}[${results.stock[n].map((o) => o[0]).join('')}]`).join(' ')}`);
}
