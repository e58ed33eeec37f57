import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generative as g } from '../../lib/index.js';
import { assertClose } from '../helpers.js';

test('without momentum the real stability intervals are those of Adams-Bashforth 1-4: 2, 1, 6/11, 3/10', () => {
  const expected = [2, 1, 6 / 11, 3 / 10];
  for (let k = 1; k <= 4; k++) {
    for (const variant of ['hb', 'ghvb'] as const) {
      assertClose(g.realStabilityInterval({ order: k, beta: 1, variant }, { step: 1e-3 }), expected[k - 1], { atol: 2e-3 }, `AB${k} ${variant}`);
    }
  }
});

test('heavy-ball momentum enlarges the stability interval: AB1 + HB reaches 2 (2 - beta) / beta; GHVB grows too', () => {
  for (const beta of [0.8, 0.5, 0.3]) {
    assertClose(g.realStabilityInterval({ order: 1, beta }, { step: 1e-3 }), (2 * (2 - beta)) / beta, { atol: 2e-3 });
    for (let k = 2; k <= 4; k++) {
      const plain = g.realStabilityInterval({ order: k, beta: 1 }, { step: 1e-3 });
      assert.ok(g.realStabilityInterval({ order: k, beta }, { step: 1e-3 }) > 1.2 * plain, `HB AB${k} beta ${beta}`);
      assert.ok(g.realStabilityInterval({ order: k, beta, variant: 'ghvb' }, { step: 1e-3 }) > 1.05 * plain, `GHVB AB${k} beta ${beta}`);
    }
  }
  const region = g.stabilityRegion({ order: 2, beta: 0.5 }, { resolution: 11 });
  assert.equal(region.radius.length, 11);
  assert.ok(region.radius[5][10] > 0); // z = 1: unstable for every method (growth), radius > 1
  assert.ok(g.spectralRadius([1, 0], { order: 2, beta: 0.5 }) > 1);
});
