/**
 * First to third derivatives of every supported op, nested with plain `tf.grad`, against
 * JAX float64 (tests/fixtures/gen_derivatives.py), on the wasm and the cpu backend.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, ad, useBackend } from '../../lib/index.js';
import { readFixture, assertClose } from '../helpers.js';
import { evaluate, type Expr } from './expression.js';

interface OpCase { name: string; expr: Expr; x: number[]; value: number; d1: number[]; d2: number[]; d3: number[]; backends?: string[] }
const { w0, w1, w2, cases } = readFixture<{ ops: { w0: number[]; w1: number[]; w2: number[]; cases: OpCase[] } }>('derivatives.json').ops;

type Grad = (f: (t: tf.Tensor) => tf.Tensor) => (t: tf.Tensor) => tf.Tensor;

/**
 * g0 = sum(w0 f(x)); d_{k+1} = grad sum(w_k d_k): the same contractions as the fixture,
 * nested with `grad` (tf.grad or ad.grad). An order whose derivative does not depend on
 * x at all makes tf.grad throw by design ("Cannot compute gradient of y=f(x)"); that
 * order is returned as null.
 */
function nestedDerivatives(grad: Grad, expr: Expr, xs: number[]): Array<number[] | null> {
  const out: Array<number[] | null> = [];
  tf.tidy(() => {
    const x = tf.tensor1d(xs);
    const [c0, c1, c2] = [w0, w1, w2].map((w) => tf.tensor1d(w));
    const g0 = (t: tf.Tensor) => tf.sum(tf.mul(c0, evaluate(expr, t)));
    const g1 = grad(g0);
    const g2 = grad((t: tf.Tensor) => tf.sum(tf.mul(c1, g1(t))));
    const g3 = grad((t: tf.Tensor) => tf.sum(tf.mul(c2, g2(t))));
    for (const g of [g0, g1, g2, g3]) {
      try {
        out.push(Array.from(g(x).dataSync()));
      } catch (e) {
        if (!/Cannot compute gradient of y=f\(x\)/.test((e as Error).message)) throw e;
        out.push(null);
      }
    }
  });
  return out;
}

/**
 * float32 tolerance: the k-th derivative goes through about 3k float32 ops, each off by
 * up to ~1e-7 relative; errors are measured against the size of the whole vector so that
 * an entry that cancels to near 0 is not held to a relative bound.
 */
function tolerance(expected: number[], order: number) {
  const scale = Math.max(1, ...expected.map(Math.abs));
  return { rtol: 1e-4 * order, atol: 2e-5 * order * scale };
}

const GRADS: Record<string, Grad> = { 'tf.grad': tf.grad as Grad, 'ad.grad': ad.grad as Grad };

for (const backend of ['wasm', 'cpu'] as const) for (const [gradName, grad] of Object.entries(GRADS)) {
  test(`nested ${gradName} matches JAX to third order on every op (${backend})`, async () => {
    await useBackend(backend);
    const failures: string[] = [];
    for (const c of cases) {
      if (c.backends && !c.backends.includes(backend)) continue;
      let got: Array<number[] | null>;
      try {
        got = nestedDerivatives(grad, c.expr, c.x);
      } catch (e) {
        failures.push(`${c.name}: threw ${(e as Error).message}`);
        continue;
      }
      const expected = [[c.value], c.d1, c.d2, c.d3];
      for (let order = 0; order <= 3; order++) {
        const value = got[order];
        if (value === null) {
          // Only tf.grad may refuse, and only where the derivative is identically zero.
          if (gradName !== 'tf.grad' || expected[order].some((v) => v !== 0)) failures.push(`${c.name} d${order}: no gradient path`);
          break;
        }
        try {
          assertClose(value, expected[order], tolerance(expected[order], Math.max(order, 1)), `${c.name} d${order}`);
        } catch (e) {
          failures.push((e as Error).message);
        }
      }
    }
    assert.deepEqual(failures, [], `${failures.length} mismatches:\n${failures.join('\n')}`);
  });
}

test('restores the default backend', async () => {
  await useBackend();
});
