/**
 * Derivative transformations in the style of JAX, on TF.js's tape.
 *
 * Every function takes `x` as one tensor or a list of tensors (variables included) and
 * returns derivatives with the same structure. Unlike `tf.grad`, a function that does
 * not depend on an input gets a zero derivative instead of an error (the third
 * derivative of x^2 is 0, not a failure). Everything runs inside `tf.tidy`: only the
 * returned tensors survive.
 *
 * Forward mode (`jvp`) is the double-VJP trick: J t = d/du <J^T u, t>, computed by
 * differentiating a VJP with respect to its cotangent u. It costs one probing forward
 * pass (for the output's shape), a forward and a backward pass recorded on the tape,
 * and the backward pass of that backward pass: about 4 to 5 forward passes' work.
 * Reverse-over-reverse `hvp` costs about the same.
 */
import * as tf from '../backend/tf.js';
import { resolveRng, type Rng } from '../backend/random.js';
import { checkFunction, checkTensor, describeValue } from '../backend/args.js';

type Tensor = tf.Tensor;
/** One tensor or a list of tensors; derivatives come back in the same structure. */
export type Tensors = Tensor | Tensor[];

/** The k-th unit vector of length n, reshaped to `shape`. */
export function basisTensor(k: number, n: number, shape: number[] = [n]): Tensor {
  const e = new Float32Array(n);
  e[k] = 1;
  return tf.tensor(e, shape);
}

const asList = (x: Tensors): Tensor[] => (Array.isArray(x) ? x : [x]);
const like = <T extends Tensors>(x: T, list: Tensor[]): T => (Array.isArray(x) ? list : list[0]) as T;

function checkInputs(x: Tensors, who: string): Tensor[] {
  const list = asList(x);
  if (list.length === 0) throw new Error(`${who}: x is an empty list; pass a tensor or a non-empty list of tensors`);
  list.forEach((t, i) => {
    if (!(t instanceof tf.Tensor)) throw new Error(`${who}: x${Array.isArray(x) ? `[${i}]` : ''} must be a tf.Tensor`);
    if (t.dtype !== 'float32') throw new Error(`${who}: x${Array.isArray(x) ? `[${i}]` : ''} must be float32, got ${t.dtype}`);
  });
  return list;
}

function checkScalar(y: Tensor, who: string): Tensor {
  if (!(y instanceof tf.Tensor)) throw new Error(`${who}: f must return a tf.Tensor`);
  if (y.rank !== 0) {
    throw new Error(`${who}: f must return a scalar (rank-0) tensor, got shape [${y.shape}]; reduce it (tf.sum / tf.mean) or use ad.vjp`);
  }
  return y;
}

/** The tape: value of f and d(<dy, f>)/d xs, zeros for inputs f does not depend on. */
export function gradients(f: () => Tensor, xs: Tensor[], dy?: Tensor): { value: Tensor; grads: Tensor[] } {
  checkFunction('ad.gradients', 'f', f, 'a function () => tf.Tensor');
  if (!Array.isArray(xs)) throw new TypeError(`ad.gradients: xs must be an array of tf.Tensor, got ${describeValue(xs)}`);
  xs.forEach((x, i) => checkTensor('ad.gradients', `xs[${i}]`, x));
  if (dy !== undefined) checkTensor('ad.gradients', 'dy', dy);
  const { value, grads } = tf.engine().gradients(f, xs, dy, true);
  return { value, grads: grads.map((g, i) => g ?? tf.zeros(xs[i].shape)) };
}

const dotAll = (as: Tensor[], bs: Tensor[]): Tensor =>
  tf.addN(as.map((a, i) => tf.sum(tf.mul(a, bs[i]))));

function checkTangents(x: Tensor[], v: Tensors, who: string, name: string): Tensor[] {
  const vs = asList(v);
  if (vs.length !== x.length) throw new Error(`${who}: ${name} has ${vs.length} tensors, x has ${x.length}`);
  vs.forEach((t, i) => {
    if (!tf.util.arraysEqual(t.shape, x[i].shape)) {
      throw new Error(`${who}: ${name}${vs.length > 1 ? `[${i}]` : ''} has shape [${t.shape}], x has [${x[i].shape}]`);
    }
  });
  return vs;
}

/** grad(f)(x) = df/dx for scalar f. */
export function grad<T extends Tensors>(f: (x: T) => Tensor): (x: T) => T {
  return (x) => {
    const xs = checkInputs(x, 'ad.grad');
    return tf.tidy(() => like(x, gradients(() => checkScalar(f(x), 'ad.grad'), xs).grads));
  };
}

/** valueAndGrad(f)(x) = { value: f(x), grad: df/dx } for scalar f. */
export function valueAndGrad<T extends Tensors>(f: (x: T) => Tensor): (x: T) => { value: tf.Scalar; grad: T } {
  return (x) => {
    const xs = checkInputs(x, 'ad.valueAndGrad');
    return tf.tidy(() => {
      const { value, grads } = gradients(() => checkScalar(f(x), 'ad.valueAndGrad'), xs);
      return { value: value as tf.Scalar, grad: like(x, grads) };
    });
  };
}

/** Vector-Jacobian product: { value: f(x), vjp: J^T v } with v shaped like f(x). */
export function vjp<T extends Tensors>(f: (x: T) => Tensor, x: T, v: Tensor): { value: Tensor; vjp: T } {
  const xs = checkInputs(x, 'ad.vjp');
  return tf.tidy(() => {
    const { value, grads } = gradients(() => {
      const y = f(x);
      if (!tf.util.arraysEqual(y.shape, v.shape)) {
        throw new Error(`ad.vjp: v has shape [${v.shape}], f(x) has [${y.shape}]`);
      }
      return y;
    }, xs, v);
    return { value, vjp: like(x, grads) };
  });
}

/** Jacobian-vector product (forward mode by double VJP): { value: f(x), jvp: J t }. */
export function jvp<T extends Tensors>(f: (x: T) => Tensor, x: T, t: T): { value: Tensor; jvp: Tensor } {
  const xs = checkInputs(x, 'ad.jvp');
  const ts = checkTangents(xs, t, 'ad.jvp', 't');
  return tf.tidy(() => {
    const value = f(x);
    const u = tf.zerosLike(value);
    const { grads } = gradients(() => dotAll(gradients(() => f(x), xs, u).grads, ts), [u]);
    return { value, jvp: grads[0] };
  });
}

/** Hessian-vector product H v of scalar f (reverse over reverse). */
export function hvp<T extends Tensors>(f: (x: T) => Tensor, x: T, v: T): T {
  const xs = checkInputs(x, 'ad.hvp');
  const vs = checkTangents(xs, v, 'ad.hvp', 'v');
  return tf.tidy(() =>
    like(x, gradients(() => dotAll(gradients(() => checkScalar(f(x), 'ad.hvp'), xs).grads, vs), xs).grads));
}

/** Dense Hessian of scalar f with respect to one tensor x (n HVPs); shape [...x.shape, ...x.shape]. */
export function hessian(f: (x: Tensor) => Tensor, x: Tensor): Tensor {
  checkInputs(x, 'ad.hessian');
  return tf.tidy(() => {
    const n = x.size;
    const rows = [...Array(n).keys()].map((i) =>
      tf.reshape(hvp(f, x, basisTensor(i, n, x.shape)), [n]));
    return tf.reshape(tf.stack(rows), [...x.shape, ...x.shape]);
  });
}

export interface HutchinsonOptions {
  /** Number of Rademacher probe vectors (default 16). */
  samples?: number;
  /** Seed or generator for the probes (default: the library generator). */
  seed?: number | Rng;
}

function rademacherLike(xs: Tensor[], rng: Rng): Tensor[] {
  return xs.map((t) => tf.tensor(Float32Array.from(rng.rademacherArray(t.size)), t.shape));
}

/** Hutchinson estimate of the Hessian diagonal: mean over probes z of z * (H z). */
export function hessianDiag<T extends Tensors>(f: (x: T) => Tensor, x: T, options: HutchinsonOptions = {}): T {
  const xs = checkInputs(x, 'ad.hessianDiag');
  const samples = options.samples ?? 16;
  if (!Number.isInteger(samples) || samples < 1) throw new Error(`ad.hessianDiag: samples must be a positive integer, got ${samples}`);
  const rng = resolveRng(options.seed);
  return tf.tidy(() => {
    let sum = xs.map((t) => tf.zerosLike(t));
    for (let s = 0; s < samples; s++) {
      const z = rademacherLike(xs, rng);
      const hz = asList(hvp(f, x, like(x, z)));
      sum = sum.map((acc, i) => tf.add(acc, tf.mul(z[i], hz[i])));
    }
    return like(x, sum.map((acc) => tf.div(acc, samples)));
  });
}

export interface JacobianOptions {
  /**
   * Rows of x are independent samples (f maps x[n] to f(x)[n] alone): return one
   * Jacobian per sample, shape [N, ...outShape, ...inShape], using one backward pass per
   * output entry of a sample instead of one per output entry overall.
   */
  perSample?: boolean;
}

/**
 * Jacobian of f at x by reverse mode, one VJP per output entry: shape
 * [...f(x).shape, ...x.shape] (a list x gives one such tensor per input).
 */
export function jacobian<T extends Tensors>(f: (x: T) => Tensor, x: T, options: JacobianOptions = {}): T {
  const xs = checkInputs(x, 'ad.jacobian');
  return tf.tidy(() => {
    const y = f(x);
    if (options.perSample) {
      const n = y.shape[0];
      if (y.rank < 1 || xs.some((t) => t.rank < 1 || t.shape[0] !== n)) {
        throw new Error(`ad.jacobian: perSample needs f(x) and every x with the same leading (sample) dimension; got f(x) [${y.shape}], x ${xs.map((t) => `[${t.shape}]`).join(' ')}`);
      }
      const outShape = y.shape.slice(1);
      const m = y.size / n;
      const columns = [...Array(m).keys()].map((k) => {
        const cotangent = tf.tile(basisTensor(k, m, [1, ...outShape]), [n, ...outShape.map(() => 1)]);
        return asList(vjp(f, x, cotangent).vjp);
      });
      return like(x, xs.map((t, i) => tf.reshape(tf.stack(columns.map((c) => c[i]), 1), [n, ...outShape, ...t.shape.slice(1)])));
    }
    const m = y.size;
    const rows = [...Array(m).keys()].map((k) => asList(vjp(f, x, basisTensor(k, m, y.shape)).vjp));
    return like(x, xs.map((t, i) => tf.reshape(tf.stack(rows.map((r) => r[i])), [...y.shape, ...t.shape])));
  });
}

/** Concatenates tensors into one flat vector. */
export function flatten(xs: Tensors): tf.Tensor1D {
  return tf.tidy(() => tf.concat(asList(xs).map((t) => tf.reshape(t, [t.size])), 0) as tf.Tensor1D);
}

/** Splits a flat vector back into tensors shaped like `shapes` (the inverse of flatten). */
export function unflatten(flat: Tensor, shapes: Tensors | number[][]): Tensor[] {
  const list = (Array.isArray(shapes) ? shapes : [shapes]).map((s) => (s instanceof tf.Tensor ? s.shape : s));
  const sizes = list.map((s) => s.reduce((a, b) => a * b, 1));
  const total = sizes.reduce((a, b) => a + b, 0);
  if (flat.size !== total) throw new Error(`ad.unflatten: flat has ${flat.size} entries, the shapes need ${total}`);
  return tf.tidy(() => tf.split(tf.reshape(flat, [total]), sizes).map((t, i) => tf.reshape(t, list[i])));
}
