/** Schedules against optax 0.2, torch.optim.lr_scheduler and closed forms (fixture optim_schedules.json). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { optim } from '../../lib/index.js';
import { readFixture, assertClose } from '../helpers.js';

interface ScheduleCase {
  type: string;
  options: Record<string, unknown>;
  source: string;
  values: number[];
}

const { schedules } = readFixture<{ schedules: ScheduleCase[] }>('optim_schedules.json');

for (const c of schedules) {
  test(`schedule ${c.type} ${JSON.stringify(c.options)} matches ${c.source}`, () => {
    const s = optim.schedules.scheduleFromSpec({ type: c.type, options: c.options });
    // optax evaluates in float32
    assertClose(c.values.map((_, t) => s(t)), c.values, { rtol: 2e-6, atol: 1e-7 }, `${c.type} at step`);
  });
}

test('every schedule factory is covered by the fixture', () => {
  const covered = new Set(schedules.map((c) => c.type));
  const factories = ['constant', 'piecewiseConstant', 'stepDecay', 'exponentialDecay', 'polynomial', 'linear', 'cosineDecay',
    'cosineWarmRestarts', 'joinSchedules', 'warmupCosineDecay', 'linearWarmup', 'oneCycle', 'inverseSqrt', 'warmupStableDecay'];
  for (const f of factories) assert.ok(covered.has(f), `no reference values for ${f}`);
});

test('schedules carry a spec that rebuilds them', () => {
  const s = optim.schedules.warmupCosineDecay({ initValue: 0, peakValue: 1, warmupSteps: 3, decaySteps: 10 });
  const t = optim.schedules.scheduleFromSpec(JSON.parse(JSON.stringify(s.spec)));
  for (let i = 0; i < 12; i++) assert.equal(t(i), s(i));
});

test('schedule options are validated with the argument named', () => {
  assert.throws(() => optim.schedules.cosineDecay({ initValue: 1, decaySteps: 0 }), /cosineDecay: decaySteps must be an integer in \[1, inf\), got 0/);
  assert.throws(() => optim.schedules.stepDecay({ initValue: 1, stepSize: 2, gamma: -1 }), /stepDecay: gamma must be in \[0, inf\), got -1/);
  assert.throws(() => optim.schedules.warmupStableDecay({ peakValue: 1, totalSteps: 10, warmupSteps: 4, decaySteps: 8 }), /decaySteps must be an integer in \[0, 6\], got 8/);
  assert.throws(() => optim.schedules.linear({ initValue: 0, endValue: 1, transitionSteps: 5, steps: 3 } as never), /linear: unknown option 'steps'/);
  assert.throws(() => optim.schedules.scheduleFromSpec({ type: 'nope', options: {} }), /unknown schedule type 'nope'/);
});
