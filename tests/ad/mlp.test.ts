/**
 * Input derivatives of MLPs (Taylor mode and nested reverse mode) against JAX, against
 * each other, and through a Burgers PINN loss to the parameters; the closed-form
 * per-sample parameter Jacobian against JAX.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, nn, ad, useBackend, Rng } from '../../lib/index.js';
import { readFixture, assertClose } from '../helpers.js';

type Layers = Array<{ W: number[][]; b: number[] }>;
const fixture = readFixture('derivatives.json');
const REQUEST = { first: [0, 1], second: [[0, 0], [1, 1], [0, 1]] as Array<[number, number]> };

function derivativesOf(net: nn.Mlp, x: tf.Tensor2D, method: 'taylor' | 'nested') {
  return tf.tidy(() => {
    const r = ad.inputDerivatives(net, x, REQUEST, { method });
    const all = { u: r.u, u_x: r.d(0), u_y: r.d(1), u_xx: r.d2(0, 0), u_yy: r.d2(1, 1), u_xy: r.d2(1, 0) };
    return Object.fromEntries(Object.entries(all).map(([k, t]) => [k, Array.from(t.dataSync())]));
  });
}

for (const backend of ['wasm', 'cpu'] as const) {
  test(`MLP input derivatives match JAX for every activation, Taylor and nested (${backend})`, async () => {
    await useBackend(backend);
    const { points, cases } = fixture.mlp_inputs as { points: number[][]; cases: Array<Record<string, any>> };
    const x = tf.tensor2d(points);
    for (const c of cases) {
      const net = nn.mlp({ sizes: [2, 8, 8, 1], activation: c.activation });
      net.setLayers(c.params as Layers);
      for (const method of ['taylor', 'nested'] as const) {
        const got = derivativesOf(net, x, method);
        for (const key of ['u', 'u_x', 'u_y', 'u_xx', 'u_yy', 'u_xy']) {
          assertClose(got[key], c[key], { rtol: 1e-4, atol: 1e-5 }, `${c.activation} ${method} ${key}`);
        }
      }
      net.dispose();
    }
    x.dispose();
  });
}

test('Taylor mode equals nested reverse mode with embeddings and several outputs', async () => {
  await useBackend('wasm');
  const x = tf.tensor2d([[0.1, -0.4, 0.7], [0.9, 0.2, -0.3], [-0.6, 0.5, 0.05], [0.3, 0.3, 0.3]]);
  const request = { first: [2, 0], second: [[2, 2], [0, 1], [1, 1]] as Array<[number, number]> };
  const configs: nn.MlpConfig[] = [
    { sizes: [3, 16, 16, 2], activation: 'tanh', seed: 1 },
    { sizes: [3, 12, 3], activation: 'gelu', fourier: { features: 6, scale: 1.5 }, seed: 2 },
    { sizes: [3, 12, 12, 1], activation: 'sin', periodic: { period: [2 * Math.PI, null, 1.5], harmonics: 2 }, seed: 3 },
    { sizes: [3, 2], seed: 4 },
  ];
  for (const config of configs) {
    const net = nn.mlp(config);
    const [taylor, nested] = (['taylor', 'nested'] as const).map((method) => tf.tidy(() => {
      const r = ad.inputDerivatives(net, x, request, { method });
      return [r.u, ...r.first, ...r.second].map((t) => Array.from(t.dataSync()));
    }));
    taylor.forEach((values, k) => assertClose(values, nested[k], { rtol: 1e-4, atol: 1e-5 }, `${JSON.stringify(config)} channel ${k}`));
    net.dispose();
  }
  x.dispose();
});

test('a periodic embedding makes the network periodic in that input', () => {
  const net = nn.mlp({ sizes: [2, 8, 1], periodic: { period: [2, null] }, seed: 5 });
  const u = tf.tidy(() => Array.from(net.apply(tf.tensor2d([[0.3, 0.1], [2.3, 0.1], [0.3, 0.4]])).dataSync()));
  assertClose(u[1], u[0], { rtol: 1e-5, atol: 1e-6 }, 'u(x + period)');
  assert.ok(Math.abs(u[2] - u[0]) > 1e-4, 'the non-periodic input still matters');
  net.dispose();
});

/** The Burgers residual loss mean (u_t + u u_x - nu u_xx)^2 with inputs (t, x), through Taylor mode. */
function burgersLoss(net: nn.Mlp, points: tf.Tensor2D, nu: number): tf.Scalar {
  const r = ad.inputDerivatives(net, points, { first: [0, 1], second: [[1, 1]] });
  const residual = tf.sub(tf.add(r.d(0), tf.mul(r.u, r.d(1))), tf.mul(nu, r.d2(1, 1)));
  return tf.mean(tf.square(residual));
}

for (const backend of ['wasm', 'cpu'] as const) {
  test(`Burgers PINN loss and its parameter gradient match JAX (${backend})`, async () => {
    await useBackend(backend);
    const { nu, params, points, loss, grads } = fixture.burgers as { nu: number; params: Layers; points: number[][]; loss: number; grads: Layers };
    const net = nn.mlp({ sizes: [2, 32, 32, 32, 1], activation: 'tanh' });
    net.setLayers(params);
    const x = tf.tensor2d(points);
    const { value, grads: got } = tf.variableGrads(() => burgersLoss(net, x, nu), net.variables);
    assertClose(value.dataSync()[0], loss, { rtol: 1e-4, atol: 1e-7 }, 'loss');
    const expected = grads.flatMap((g) => [g.W.flat(), g.b]);
    const scale = Math.max(...expected.flat().map(Math.abs));
    net.variables.forEach((v, i) => {
      assertClose(got[v.name].dataSync(), expected[i], { rtol: 1e-3, atol: 1e-4 * scale }, `grad of variable ${i}`);
    });
    tf.dispose([value, ...Object.values(got), x]);
    net.dispose();
  });
}

test('the closed-form per-sample parameter Jacobian matches JAX and ad.jacobian', async () => {
  await useBackend('wasm');
  const { params, points, jacobian } = fixture.jacobians.mlp as { params: Layers; points: number[][]; jacobian: number[][] };
  const net = nn.mlp({ sizes: [2, 8, 8, 1], activation: 'tanh' });
  net.setLayers(params);
  const x = tf.tensor2d(points);
  const closed = net.parameterJacobian(x);
  assert.deepEqual(closed.shape, [points.length, net.paramCount]);
  assertClose(closed.dataSync(), jacobian.flat(), { rtol: 1e-4, atol: 1e-5 }, 'closed-form Jacobian');
  const generic = ad.jacobian(() => tf.reshape(net.apply(x), [points.length]), net.variables as tf.Tensor[]);
  const flat = tf.concat(generic.map((g) => tf.reshape(g, [points.length, g.size / points.length])), 1);
  assertClose(flat.dataSync(), jacobian.flat(), { rtol: 1e-4, atol: 1e-5 }, 'reverse-mode Jacobian');
  tf.dispose([x, closed, flat, ...generic]);
  net.dispose();
});

test('MLP parameters round-trip through the flat vector, and bad input is refused by name', () => {
  const net = nn.mlp({ sizes: [3, 5, 2], seed: 9 });
  assert.equal(net.paramCount, 3 * 5 + 5 + 5 * 2 + 2);
  const flat = net.getFlat();
  const changed = flat.map((v, i) => v + i * 1e-3);
  net.setFlat(changed);
  assertClose(net.getFlat(), changed, { rtol: 0, atol: 1e-7 });
  assert.throws(() => net.setFlat([1, 2]), /expected 32 values, got 2/);
  assert.throws(() => net.apply(tf.zeros([4, 2]) as tf.Tensor2D), /input must have shape \[N, 3\]/);
  assert.throws(() => nn.mlp({ sizes: [2, 4, 1], activation: 'swishy' as never }), /unknown name 'swishy'/);
  assert.throws(() => nn.mlp({ sizes: [2] }), /mlp.sizes/);
  assert.throws(() => ad.inputDerivatives(net, tf.zeros([4, 3]) as tf.Tensor2D, { first: [3] }), /first\[0\] = 3 is not an input dimension/);
  net.dispose();
});

test('the same seed gives the same network', () => {
  const a = nn.mlp({ sizes: [2, 6, 1], seed: 42, fourier: { features: 3, scale: 2 } });
  const b = nn.mlp({ sizes: [2, 6, 1], seed: 42, fourier: { features: 3, scale: 2 } });
  const c = nn.mlp({ sizes: [2, 6, 1], seed: 43, fourier: { features: 3, scale: 2 } });
  assert.deepEqual(a.getFlat(), b.getFlat());
  assert.deepEqual(a.embedding!.A.dataSync(), b.embedding!.A.dataSync());
  assert.notDeepEqual(a.getFlat(), c.getFlat());
  [a, b, c].forEach((n) => n.dispose());
});

test('restores the default backend', async () => {
  await useBackend();
});

test('the Taylor-mode loss can be differentiated twice with respect to the parameters', async () => {
  await useBackend('wasm');
  const x = tf.tensor2d([[0.1, -0.3], [0.5, 0.2], [-0.7, 0.9]]);
  for (const activation of ['tanh', 'gelu', 'sin'] as const) {
    const net = nn.mlp({ sizes: [2, 5, 5, 1], activation, seed: 21 });
    const params = net.variables as tf.Tensor[];
    const loss = (method: 'taylor' | 'nested') => () => {
      const r = ad.inputDerivatives(net, x, { first: [0], second: [[1, 1], [0, 1]] }, { method });
      return tf.mean(tf.add(tf.square(r.d2(1, 1)), tf.mul(r.d(0), tf.add(r.u, r.d2(0, 1))))) as tf.Scalar;
    };
    const rng = new Rng(4);
    const v = params.map((p) => tf.tensor(Float32Array.from(rng.normalArray(p.size)), p.shape));
    const [taylor, nested] = (['taylor', 'nested'] as const).map((method) =>
      tf.tidy(() => (ad.hvp(loss(method), params, v) as tf.Tensor[]).flatMap((t) => Array.from(t.dataSync()))));
    const scale = Math.max(...nested.map(Math.abs));
    assertClose(taylor, nested, { rtol: 1e-3, atol: 1e-4 * scale }, `${activation} H v`);
    tf.dispose(v);
    net.dispose();
  }
  x.dispose();
});
