/** Two-player games: the play loop, bilinear games, the GAN test bed and its coverage metric. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, optim, games, data } from '../../lib/index.js';

const vals = (t: tf.Tensor) => Array.from(t.dataSync());

test('games.play: alternating gradient descent-ascent stays bounded on a bilinear game where simultaneous GDA spirals out', () => {
  const run = (order: 'simultaneous' | 'alternating') => {
    const g = games.bilinear({ dim: 4, seed: 1 });
    const d0 = g.distanceToEquilibrium();
    games.play(g, [optim.sgd({ lr: 0.1 }), optim.sgd({ lr: 0.1 })], { steps: 300, order });
    const d = g.distanceToEquilibrium() / d0;
    g.dispose();
    return d;
  };
  const sim = run('simultaneous');
  const alt = run('alternating');
  assert.ok(sim > 2, `simultaneous: ${sim}`);
  assert.ok(alt < 2 && alt > 0.5, `alternating: ${alt}`);
  const lin = games.bilinear({ dim: 3, seed: 2, linearTerms: true });
  lin.x.assign(tf.tensor1d(lin.equilibrium.x));
  lin.y.assign(tf.tensor1d(lin.equilibrium.y));
  const { grads } = tf.variableGrads(lin.losses[0], [lin.x]);
  vals(grads[lin.x.name]).forEach((v) => assert.ok(Math.abs(v) < 1e-5, 'the gradient vanishes at the equilibrium'));
  tf.dispose(Object.values(grads));
  lin.dispose();
});

test('ganGame: losses are finite, each step draws a new batch, coverage counts modes', () => {
  const g = games.ganGame({ seed: 0, hidden: 16, batch: 64 });
  const r = games.play(g, [optim.adam({ lr: 1e-3 }), optim.adam({ lr: 1e-3 })], {
    steps: 20,
    record: () => ({ modes: g.coverage(500).modes }),
    every: 10,
  });
  assert.equal(r.steps, 20);
  assert.ok(r.records.every((rec) => Number.isFinite(rec.modes)));
  const perfect = new Float32Array(g.mixture.centers.flatMap((c) => [c[0], c[1]]));
  assert.deepEqual(games.coverage(perfect, g.mixture), { modes: 8, quality: 1, counts: new Array(8).fill(1) });
  g.dispose();
});

test('energyDistance: 2|a - b| between point masses, zero for equal sets, a hand-computed case, the GAN distance shrinks to the data', () => {
  assert.ok(Math.abs(games.energyDistance([0, 0], [3, 4]) - 10) < 1e-12);
  assert.equal(games.energyDistance([1, 2, 3, 4], [1, 2, 3, 4]), 0);
  // X = {(0,0), (1,0)}, Y = {(0,0)}: 2 * 0.5 - 0.5 - 0
  assert.ok(Math.abs(games.energyDistance([0, 0, 1, 0], [0, 0]) - 0.5) < 1e-12);
  assert.throws(() => games.energyDistance([0, 0, 1], [0, 0]), { message: /energyDistance: x and y must hold a positive even number of coordinates/ });
  const g = games.ganGame({ seed: 0, std: 0.1 });
  const perfect = g.mixture.sample(400, data.rng(7));
  const far = perfect.map((v) => v + 1);
  assert.ok(games.energyDistance(perfect, g.mixture.sample(400, data.rng(8))) < 0.05);
  assert.ok(games.energyDistance(far, g.mixture.sample(400, data.rng(8))) > 0.5);
  assert.ok(Number.isFinite(g.distance(200)) && g.distance(200) > 0);
  g.dispose();
});

test('play stops a run as diverged when divergedWhen says so, and validates its options', () => {
  const g = games.bilinear({ dim: 2, seed: 0 });
  const r = games.play(g, [optim.sgd({ lr: 0.5 }), optim.sgd({ lr: 0.5 })], { steps: 500, every: 5, divergedWhen: () => g.distanceToEquilibrium() > 100 });
  assert.ok(r.diverged && r.steps < 500, `stopped at ${r.steps}`);
  assert.throws(() => games.play(g, [optim.sgd({ lr: 0.1 }), optim.sgd({ lr: 0.1 })], { steps: 5, order: 'together' as never }), { message: "play: order must be 'simultaneous' or 'alternating', got 'together'" });
  g.dispose();
});

test('the bilinear game has singular values equal to scale and no tensor leaks', () => {
  const before = tf.memory().numTensors;
  const g = games.bilinear({ dim: 4, seed: 5, scale: 2 });
  const AtA = g.A[0].map((_, j) => g.A[0].map((__, k) => g.A.reduce((s, row) => s + row[j] * row[k], 0)));
  AtA.forEach((row, j) => row.forEach((v, k) => assert.ok(Math.abs(v - (j === k ? 4 : 0)) < 1e-9)));
  games.play(g, [optim.sgd({ lr: 0.01 }), optim.sgd({ lr: 0.01 })], { steps: 10, order: 'alternating' });
  assert.ok(Number.isFinite(g.value()));
  g.dispose();
  // optimizers of this test keep their states; everything else is freed
  assert.ok(tf.memory().numTensors - before <= 4, `${tf.memory().numTensors - before} tensors left`);
});
