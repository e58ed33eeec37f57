/**
 * The float64 network path of lib/teng against JAX float64 (tests/fixtures/gen_teng.py),
 * against central finite differences, and against the TF.js float32 `nn.mlp`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, nn, ad, linalg, teng, Rng } from '../../lib/index.js';
import { readFixture, assertClose } from '../helpers.js';

const fx = readFixture('teng.json');
const F64 = { rtol: 1e-10, atol: 1e-12 };
const column = (rows: number[][], j: number) => rows.map((r) => r[j]);

function periodicNet() {
  const c = fx.periodic.config;
  const net = teng.network({ inputDim: c.inputDim, hidden: c.hidden, embedding: { kind: 'periodic', nodesPerDim: c.nodesPerDim, period: c.period } });
  net.setParams(fx.periodic.params);
  return net;
}

function sinusoidalNet() {
  const c = fx.sinusoidal.config;
  const net = teng.network({ inputDim: c.inputDim, hidden: c.hidden, embedding: { kind: 'sinusoidal', A: c.A, C: c.C } });
  net.setParams(fx.sinusoidal.params);
  return net;
}

for (const [name, make] of [['periodic', periodicNet], ['sinusoidal', sinusoidalNet]] as const) {
  test(`${name} network: u, u_i, u_ii and parameter Jacobians match JAX float64 to 1e-10`, () => {
    const f = fx[name];
    const net = make();
    assert.equal(net.paramCount, f.params.length);
    const dims = [...Array(net.inputDim).keys()];
    const tr = net.trace(linalg.Matrix.from(f.points), { first: dims, second: dims });
    assertClose(tr.u, f.u, F64, 'u');
    for (const d of dims) {
      assertClose(tr.derivative(d), column(f.first, d), F64, `u_${d}`);
      assertClose(tr.secondDerivative(d), column(f.second, d), F64, `u_${d}${d}`);
    }
    assertClose(tr.jacobian().data, f.jacobian.flat(), F64, 'd u / d theta');
    const combo = tr.jacobian({ cotangent: { u: f.c0, first: dims.map((d) => column(f.c1, d)), second: dims.map((d) => column(f.c2, d)) } });
    assertClose(combo.data, f.jacobian_combo.flat(), F64, 'd (c0 u + c1 . grad u + c2 . diag Hessian) / d theta');
  });
}

test('the heat, Allen–Cahn and Burgers operators match the official code’s local operators', () => {
  const f = fx.periodic;
  const net = periodicNet();
  const ops = { heat: teng.heat(2, f.D), allen_cahn: teng.allenCahn(2, f.D), burgers: teng.burgers(2, f.D) };
  for (const [key, op] of Object.entries(ops)) {
    const tr = net.trace(linalg.Matrix.from(f.points), op.request());
    assertClose(op.apply(tr), f.operators[key], F64, `${key} L u`);
  }
});

test('one natural-gradient update on a parameter subset matches jnp.linalg.lstsq', () => {
  const f = fx.periodic;
  const net = periodicNet();
  const tr = net.trace(linalg.Matrix.from(f.points));
  const J = tr.jacobian({ columns: f.update.subset });
  const sqrtW = Math.sqrt((2 * Math.PI) ** 2 / f.points.length);
  const A = new linalg.Matrix(J.rows, J.cols, J.data.map((v) => v * sqrtW));
  const b = f.update.target.map((t: number, i: number) => (t - tr.u[i]) * sqrtW);
  for (const method of ['qr', 'svd'] as const) {
    assertClose(linalg.lstsq(A, b, { method }).x.data, f.update.delta, { rtol: 1e-8, atol: 1e-11 }, `${method} update`);
  }
});

test('Jacobians of u and of a linearised operator agree with central finite differences', () => {
  const rng = new Rng(11);
  const nets = [
    teng.network({ inputDim: 2, hidden: [6, 5], embedding: { kind: 'periodic', nodesPerDim: 2, period: 2 * Math.PI }, seed: 3 }),
    teng.Float64Mlp.periodicSinusoidal(2, [6, 5], { period: [null, 2 * Math.PI], harmonics: 2 }, { seed: 4, activation: 'sin' }),
    teng.network({ inputDim: 2, hidden: [6], seed: 5 }),
  ];
  for (const net of nets) {
    const n = 5;
    const X = new linalg.Matrix(n, 2, rng.uniformArray(2 * n, 0, 2 * Math.PI));
    const req = { first: [0, 1], second: [0, 1] };
    const c = { u: rng.normalArray(n), first: [rng.normalArray(n), rng.normalArray(n)], second: [rng.normalArray(n), rng.normalArray(n)] };
    const combo = (tr: teng.Trace) => Float64Array.from({ length: n }, (_, r) =>
      c.u[r] * tr.u[r] + c.first[0][r] * tr.first[0][r] + c.first[1][r] * tr.first[1][r] + c.second[0][r] * tr.second[0][r] + c.second[1][r] * tr.second[1][r]);
    const base = net.params.slice();
    const J = net.trace(X, req).jacobian({ cotangent: c });
    const P = net.paramCount;
    const h = 1e-6;
    const fd = new Float64Array(n * P);
    for (let p = 0; p < P; p++) {
      const plus = base.slice(); plus[p] += h; net.setParams(plus);
      const a = combo(net.trace(X, req));
      const minus = base.slice(); minus[p] -= h; net.setParams(minus);
      const b = combo(net.trace(X, req));
      for (let r = 0; r < n; r++) fd[r * P + p] = (a[r] - b[r]) / (2 * h);
    }
    net.setParams(base);
    assertClose(J.data, fd, { rtol: 1e-6, atol: 1e-7 }, `${net.embedding.kind} Jacobian vs finite differences`);
    // the vector-Jacobian product is the column sum of the same Jacobian
    const g = net.trace(X, req).vjp(c);
    const sums = Array.from({ length: P }, (_, p) => J.data.reduce((s, v, i) => (i % P === p ? s + v : s), 0));
    assertClose(g, sums, { rtol: 1e-12, atol: 1e-12 }, 'vjp');
  }
});

test('a Float64Mlp copied from nn.mlp matches the TF.js float32 forward pass, input derivatives and parameter Jacobian', () => {
  const mlp = nn.mlp({ sizes: [2, 12, 10, 1], periodic: { period: 2 * Math.PI, harmonics: 2 }, seed: 9 });
  const net = teng.Float64Mlp.fromMlp(mlp);
  assert.equal(net.paramCount, mlp.paramCount);
  const rng = new Rng(2);
  const n = 16;
  const X = new linalg.Matrix(n, 2, rng.uniformArray(2 * n, 0, 2 * Math.PI));
  const x32 = tf.tensor2d(Float32Array.from(X.data), [n, 2]);
  const F32 = { rtol: 2e-4, atol: 2e-5 };
  const tr = net.trace(X, { first: [0, 1], second: [0, 1] });
  assertClose(tr.u, mlp.apply(x32).dataSync(), F32, 'u');
  const d = ad.inputDerivatives(mlp, x32, { first: [0, 1], second: [[0, 0], [1, 1]] }, { method: 'taylor' });
  assertClose(tr.derivative(0), d.d(0).dataSync(), F32, 'u_x');
  assertClose(tr.derivative(1), d.d(1).dataSync(), F32, 'u_y');
  assertClose(tr.secondDerivative(0), d.d2(0, 0).dataSync(), { rtol: 1e-3, atol: 1e-4 }, 'u_xx');
  assertClose(tr.secondDerivative(1), d.d2(1, 1).dataSync(), { rtol: 1e-3, atol: 1e-4 }, 'u_yy');
  const Jtf = mlp.parameterJacobian(x32);
  assertClose(tr.jacobian().data, Jtf.dataSync(), F32, 'parameter Jacobian');
  Jtf.dispose();
  for (const t of [d.u, ...d.first, ...d.second]) t.dispose();
  x32.dispose();
  mlp.dispose();
});

test('bad arguments get errors that name them', () => {
  assert.throws(() => teng.network({ inputDim: 0, hidden: [3] }), /inputDim/);
  assert.throws(() => teng.network({ inputDim: 2, hidden: [3], activation: 'relu' as never }), /activation/);
  const net = teng.network({ inputDim: 2, hidden: [3], seed: 0 });
  assert.throws(() => net.trace(new linalg.Matrix(3, 1)), /2 columns/);
  assert.throws(() => net.trace(new linalg.Matrix(3, 2), { second: [2] }), /second dims/);
  const tr = net.trace(new linalg.Matrix(3, 2));
  assert.throws(() => tr.jacobian({ columns: [99] }), /columns/);
  net.addToParams(new Float64Array(net.paramCount));
  assert.throws(() => tr.jacobian(), /changed after this trace/);
});
