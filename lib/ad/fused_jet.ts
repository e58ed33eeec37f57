/**
 * The fused Taylor-mode jet of a tanh MLP: the same values and parameter gradients as
 * the op-by-op path in ./taylor.ts, computed by the WebAssembly SIMD kernels of
 * ./simd/jet.wat as one node on TF.js's tape. A PINN step then costs two kernel calls
 * (the jet forward, and its backward when the loss is differentiated) instead of ~300
 * TF.js ops, with no temporaries on the TF.js side.
 *
 * Layout: points are processed in tiles of TILE rows, every channel of a tile
 * contiguous ([channel][row][width], widths padded to multiples of 4 with zeros, which
 * tanh keeps at zero). Channel 0 is the value, then one channel per first-derivative
 * direction, then one per second-derivative pair. The forward leaves each layer's
 * pre-activations Z and activations A in the module's memory; the backward reuses them
 * when no other fused forward ran in between, and recomputes them from its own copy of
 * the inputs and weights otherwise.
 *
 * Used by `inputDerivatives` for nn.Mlp with tanh and no input embedding, and by
 * `Mlp.apply` (the value channel alone) for tanh and relu MLPs, unless the
 * jet is being differentiated twice (a nested tape): the kernels' backward is not
 * itself differentiable, so there the op-by-op path runs (and a fused node met by an
 * outer tape back-propagates through the op-by-op path too).
 */
import * as tf from '../backend/tf.js';
import type { Mlp } from '../nn/mlp.js';
import { fusedNode, nestedTape } from '../backend/fused_node.js';
import { JET_WASM_BASE64 } from './simd/jet_wasm.js';

type Tensor = tf.Tensor;

interface JetKernels {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  gemm(A: number, B: number, bias: number, C: number, M: number, K: number, N: number): void;
  gemm_tn(A: number, G: number, D: number, M: number, K: number, N: number): void;
  colsum(G: number, db: number, M: number, N: number): void;
  tanh(Z: number, T: number, n: number): void;
  mul_s1(T: number, X: number, O: number, n: number): void;
  pair(T: number, Zi: number, Zj: number, Zq: number, O: number, n: number): void;
  pair0(T: number, Zi: number, Zj: number, O: number, n: number): void;
  acc2(S: number, X: number, Y: number, n: number): void;
  acc3(S: number, X: number, Y: number, V: number, n: number): void;
  back0(T: number, G: number, S2: number, S3: number, O: number, n: number): void;
  back1(T: number, G: number, X: number, O: number, n: number): void;
  relu(Z: number, A: number, n: number): void;
  relu_back(Z: number, G: number, O: number, n: number): void;
  transpose(S: number, D: number, rows: number, cols: number): void;
}

const wasm = (globalThis as unknown as {
  WebAssembly: { Module: new (bytes: Uint8Array) => unknown; Instance: new (module: unknown) => { exports: unknown } };
}).WebAssembly;

function instantiate(): JetKernels | null {
  try {
    return new wasm.Instance(new wasm.Module(Buffer.from(JET_WASM_BASE64, 'base64'))).exports as JetKernels;
  } catch {
    return null; // no WebAssembly SIMD in this runtime: the op-by-op path is used
  }
}

const kernels = instantiate();

/** Rows of points per tile: a tile's working set stays in the core's L2 cache. */
const TILE = 64;
const pad4 = (n: number) => (n + 3) & ~3;

/** Whether `OPTILAB_FUSED_JET=0` turned the fused path off (for comparisons). */
const disabled = () => process.env.OPTILAB_FUSED_JET === '0';

/**
 * Whether the fused jet can serve this network at this many points: tanh for any jet, relu
 * for the value alone (`channels` 1: a plain forward pass), no input embedding, no nested
 * tape, and activations that fit in MAX_BYTES.
 */
export function canFuse(net: Mlp, channels: number, points: number): boolean {
  const act = net.activation.name;
  return kernels !== null && !disabled() && (act === 'tanh' || (act === 'relu' && channels === 1)) && net.embedding === null && !nestedTape()
    && new Layout(net.sizes, channels, points).bytes <= MAX_BYTES;
}

/** The module's memory only grows: batches whose activations would need more take the op-by-op path. */
const MAX_BYTES = 256 * 1024 * 1024;

/** Byte offsets of every buffer of one computation in the module's memory. */
class Layout {
  readonly widths: number[];
  readonly tiles: number;
  readonly W: number[] = [];
  readonly WT: number[] = [];
  readonly b: number[] = [];
  readonly dW: number[] = [];
  readonly db: number[] = [];
  /** Input jet, output jet and its adjoint: [tile][channel][row][width]. */
  readonly X: number;
  readonly out: number;
  readonly outBar: number;
  /** Per hidden layer: pre-activations Z and activations A (channel 0 of A is tanh(Z_0)). */
  readonly Z: number[] = [];
  readonly A: number[] = [];
  /** Adjoint of the first layer's value channel, [tile][row][width 1], and dx from it, [tile][row][width 0]. */
  readonly G0: number;
  /** One tile's scratch: adjoints of A and of Z, sums S2, S3, cross terms. */
  readonly Abar: number;
  readonly Zbar: number;
  readonly S2: number;
  readonly S3: number;
  readonly cross: number;
  readonly dX: number;
  readonly bytes: number;
  /** End of the packed weights (W, W^T, b of every layer), which start at 0. */
  readonly weightsEnd: number;

  constructor(sizes: readonly number[], readonly channels: number, readonly n: number) {
    this.widths = sizes.map(pad4);
    this.tiles = Math.ceil(n / TILE);
    let at = 0;
    const take = (floats: number) => { const p = at; at += floats * 4; return p; };
    const w = this.widths;
    const L = w.length - 1;
    for (let l = 0; l < L; l++) {
      this.W.push(take(w[l] * w[l + 1]));
      this.WT.push(take(w[l] * w[l + 1]));
      this.b.push(take(w[l + 1]));
    }
    this.weightsEnd = at;
    for (let l = 0; l < L; l++) {
      this.dW.push(take(w[l] * w[l + 1]));
      this.db.push(take(w[l + 1]));
    }
    const block = (width: number) => this.tiles * channels * TILE * width;
    this.X = take(block(w[0]));
    for (let l = 1; l < L; l++) {
      this.Z.push(take(block(w[l])));
      this.A.push(take(block(w[l])));
    }
    this.out = take(block(w[L]));
    this.outBar = take(block(w[L]));
    const wide = Math.max(...w);
    this.Abar = take(channels * TILE * wide);
    this.Zbar = take(channels * TILE * wide);
    this.S2 = take(TILE * wide);
    this.S3 = take(TILE * wide);
    this.cross = take(TILE * wide);
    this.G0 = take(this.tiles * TILE * w[1]);
    this.dX = take(this.tiles * TILE * w[0]);
    this.bytes = at;
  }

  /** Byte offset of channel c of tile t in a [tile][channel][row][width] buffer. */
  at(base: number, width: number, t: number, c = 0): number {
    return base + ((t * this.channels + c) * TILE * width) * 4;
  }
}

function heap(bytes: number): Float32Array {
  const k = kernels!;
  const have = k.memory.buffer.byteLength;
  if (have < bytes) k.memory.grow(Math.ceil((bytes - have) / 65536));
  return new Float32Array(k.memory.buffer);
}

/** The structure of a jet: which first-derivative directions and which pairs (as channel indices). */
interface JetShape {
  /** relu instead of tanh (value channel only). */
  relu: boolean;
  dims: number[];
  /** Per pair q: the channels of its two directions (1 + index in dims). */
  pairs: Array<[number, number]>;
}

/** The computation whose activations currently fill the module's memory, and the one whose gradients do. */
let resident: object | null = null;
let gradientsOf: object | null = null;

/** Counts of fused forwards, backwards, and backwards that had to recompute their forward (for tests). */
export const fusedJetStats = { forwards: 0, backwards: 0, recomputed: 0 };

/** Writes a network snapshot's padded weights (and their transposes) and the input jet into memory. */
function load(layout: Layout, weights: Float32Array, x: Float32Array, d: number, shape: JetShape): Float32Array {
  const mem = heap(layout.bytes);
  mem.set(weights, 0);
  const widths = layout.widths;
  for (let l = 0; l + 1 < widths.length; l++) kernels!.transpose(layout.W[l], layout.WT[l], widths[l], widths[l + 1]);
  const w0 = layout.widths[0];
  const X = mem.subarray(layout.X / 4, layout.X / 4 + layout.tiles * layout.channels * TILE * w0);
  X.fill(0);
  for (let t = 0; t < layout.tiles; t++) {
    const value = (layout.at(layout.X, w0, t) - layout.X) / 4;
    const rows = Math.min(TILE, layout.n - t * TILE);
    for (let r = 0; r < rows; r++) for (let j = 0; j < d; j++) X[value + r * w0 + j] = x[(t * TILE + r) * d + j];
    // first-derivative channels: dx/dx_i is the unit vector e_i in every row
    shape.dims.forEach((i, k) => {
      const ch = (layout.at(layout.X, w0, t, 1 + k) - layout.X) / 4;
      for (let r = 0; r < TILE; r++) X[ch + r * w0 + i] = 1;
    });
  }
  return mem;
}

/** Packs a network's parameters as [W_l, (room for W_l^T), b_l] per layer, zero-padded. */
function packWeights(net: Mlp, layout: Layout): Float32Array {
  const packed = new Float32Array(layout.weightsEnd / 4);
  const w = layout.widths;
  net.layers.forEach((layer, l) => {
    const [fanIn, fanOut] = layer.W.shape;
    const Wv = layer.W.dataSync() as Float32Array;
    const W = layout.W[l] / 4;
    if (fanOut === w[l + 1]) packed.set(Wv, W);
    else for (let i = 0; i < fanIn; i++) packed.set(Wv.subarray(i * fanOut, (i + 1) * fanOut), W + i * w[l + 1]);
    packed.set(layer.b.dataSync() as Float32Array, layout.b[l] / 4);
  });
  return packed;
}

/** The forward pass of every tile: fills X..out and the per-layer Z and A. */
function forwardPass(layout: Layout, shape: JetShape): void {
  const k = kernels!;
  const w = layout.widths;
  const L = w.length - 1;
  const C = layout.channels;
  const D = shape.dims.length;
  for (let t = 0; t < layout.tiles; t++) {
    let input = layout.at(layout.X, w[0], t);
    for (let l = 0; l < L; l++) {
      const width = w[l + 1];
      const Z = l < L - 1 ? layout.Z[l] : layout.out;
      const z = (c: number) => layout.at(Z, width, t, c);
      // value rows get the bias, derivative rows do not
      k.gemm(input, layout.W[l], layout.b[l], z(0), TILE, w[l], width);
      if (C > 1) k.gemm(input + TILE * w[l] * 4, layout.W[l], 0, z(1), (C - 1) * TILE, w[l], width);
      if (l === L - 1) break;
      const a = (c: number) => layout.at(layout.A[l], width, t, c);
      const n = TILE * width;
      if (shape.relu) {
        k.relu(z(0), a(0), n);
        input = a(0);
        continue;
      }
      k.tanh(z(0), a(0), n);
      for (let c = 1; c <= D; c++) k.mul_s1(a(0), z(c), a(c), n);
      shape.pairs.forEach(([i, j], q) => {
        const c = 1 + D + q;
        // after the first layer the second-derivative channels of Z are zero
        if (l === 0) k.pair0(a(0), z(i), z(j), a(c), n);
        else k.pair(a(0), z(i), z(j), z(c), a(c), n);
      });
      input = a(0);
    }
  }
}

/**
 * The backward pass: from the output adjoints (in outBar) to dW, db of every layer, and
 * the first layer's value adjoints from which `inputGradient` gives dx.
 */
function backwardPass(layout: Layout, shape: JetShape): void {
  const k = kernels!;
  const w = layout.widths;
  const L = w.length - 1;
  const C = layout.channels;
  const D = shape.dims.length;
  const mem = heap(layout.bytes);
  mem.fill(0, layout.weightsEnd / 4, layout.X / 4);
  for (let t = 0; t < layout.tiles; t++) {
    let G = layout.at(layout.outBar, w[L], t);
    for (let l = L - 1; l >= 0; l--) {
      const width = w[l + 1];
      const input = l === 0 ? layout.at(layout.X, w[0], t) : layout.at(layout.A[l - 1], w[l], t);
      k.gemm_tn(input, G, layout.dW[l], C * TILE, w[l], width);
      k.colsum(G, layout.db[l], TILE, width);
      if (l === 0) {
        // kept for dx, which only a gradient with respect to the points needs (see inputGradient)
        mem.copyWithin(layout.G0 / 4 + t * TILE * width, G / 4, G / 4 + TILE * width);
        break;
      }
      // adjoints of the previous layer's activations, then through tanh's jet
      const prev = w[l];
      const n = TILE * prev;
      k.gemm(G, layout.WT[l], 0, layout.Abar, C * TILE, width, prev);
      const ab = (c: number) => layout.Abar + c * n * 4;
      const zb = (c: number) => layout.Zbar + c * n * 4;
      const z = (c: number) => layout.at(layout.Z[l - 1], prev, t, c);
      const T = layout.at(layout.A[l - 1], prev, t, 0);
      G = layout.Zbar;
      if (C === 1) {
        // a plain forward pass: the value channel's adjoint alone
        if (shape.relu) k.relu_back(z(0), ab(0), zb(0), n);
        else k.mul_s1(T, ab(0), zb(0), n);
        continue;
      }
      const secondZ = l - 1 > 0; // the second-derivative channels of the first layer's Z are zero
      mem.fill(0, layout.S2 / 4, layout.S2 / 4 + n);
      mem.fill(0, layout.S3 / 4, layout.S3 / 4 + n);
      for (let c = 1; c <= D; c++) k.acc2(layout.S2, ab(c), z(c), n);
      shape.pairs.forEach(([i, j], q) => {
        const c = 1 + D + q;
        if (secondZ) k.acc2(layout.S2, ab(c), z(c), n);
        k.acc3(layout.S3, ab(c), z(i), z(j), n);
      });
      k.back0(T, ab(0), layout.S2, layout.S3, zb(0), n);
      for (let c = 1; c <= D; c++) {
        const touching = shape.pairs.map((p, q) => [p, q] as const).filter(([[i, j]]) => i === c || j === c);
        if (touching.length === 0) {
          k.mul_s1(T, ab(c), zb(c), n);
          continue;
        }
        mem.fill(0, layout.cross / 4, layout.cross / 4 + n);
        for (const [[i, j], q] of touching) {
          const cq = 1 + D + q;
          if (i === c) k.acc2(layout.cross, ab(cq), z(j), n);
          if (j === c) k.acc2(layout.cross, ab(cq), z(i), n);
        }
        k.back1(T, ab(c), layout.cross, zb(c), n);
      }
      shape.pairs.forEach((_, q) => k.mul_s1(T, ab(1 + D + q), zb(1 + D + q), n));
    }
  }
}

/** dx of the loss after `backwardPass`: x enters through the value channel only (the derivative channels of the input are constants). */
function inputGradient(layout: Layout, d: number): Float32Array {
  const w = layout.widths;
  kernels!.gemm(layout.G0, layout.WT[0], 0, layout.dX, layout.tiles * TILE, w[1], w[0]);
  const mem = heap(layout.bytes);
  const dx = new Float32Array(layout.n * d);
  const base = layout.dX / 4;
  for (let r = 0; r < layout.n; r++) for (let j = 0; j < d; j++) dx[r * d + j] = mem[base + r * w[0] + j];
  return dx;
}

/** Reads rows [0, n) and columns [0, cols) of channel c of a tiled buffer into a host array. */
function gather(mem: Float32Array, layout: Layout, base: number, width: number, c: number, cols: number): Float32Array {
  const out = new Float32Array(layout.n * cols);
  for (let t = 0; t < layout.tiles; t++) {
    const from = layout.at(base, width, t, c) / 4;
    const rows = Math.min(TILE, layout.n - t * TILE);
    for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) out[(t * TILE + r) * cols + j] = mem[from + r * width + j];
  }
  return out;
}

/** Writes host arrays [n, cols] into channel c of a tiled buffer (padding left at zero). */
function scatter(mem: Float32Array, layout: Layout, base: number, width: number, c: number, cols: number, values: ArrayLike<number>): void {
  for (let t = 0; t < layout.tiles; t++) {
    const to = layout.at(base, width, t, c) / 4;
    const rows = Math.min(TILE, layout.n - t * TILE);
    for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) mem[to + r * width + j] = values[(t * TILE + r) * cols + j];
  }
}

/**
 * The jet [u, du/dx_i for i in dims, d2u/dx_i dx_j for each pair] of a tanh MLP at x,
 * each [N, out], as one differentiable node. `generic` computes the same jet op by op
 * (used when an outer tape differentiates the backward pass).
 */
export function fusedJet(
  net: Mlp, x: tf.Tensor2D, dims: number[], pairs: Array<[number, number]>,
  generic: (x: tf.Tensor2D) => Tensor[],
): Tensor[] {
  const n = x.shape[0];
  const d = net.inputDim;
  const m = net.outputDim;
  const shape: JetShape = { relu: net.activation.name === 'relu', dims, pairs: pairs.map(([i, j]) => [1 + dims.indexOf(i), 1 + dims.indexOf(j)]) };
  const C = 1 + dims.length + pairs.length;
  const layout = new Layout(net.sizes, C, n);
  const wL = layout.widths[layout.widths.length - 1];
  // the computation's own copy of its inputs, for a backward after another fused forward
  const weights = packWeights(net, layout);
  const points = x.dataSync() as Float32Array;
  const token = {};
  const run = () => {
    load(layout, weights, points, d, shape);
    forwardPass(layout, shape);
    resident = token;
    gradientsOf = null;
  };

  const forward = () => {
    fusedJetStats.forwards++;
    run();
    const mem = heap(layout.bytes);
    return Array.from({ length: C }, (_, c) => tf.tensor2d(gather(mem, layout, layout.out, wL, c, m), [n, m]));
  };

  const backward = (g: Tensor[]) => {
    let host: { dW: Float32Array[]; db: Float32Array[]; dx?: Float32Array } | null = null;
    /** Leaves this computation's backward pass in the module's memory. */
    const fill = () => {
      if (resident !== token) {
        fusedJetStats.recomputed++;
        run();
      }
      const mem = heap(layout.bytes);
      mem.fill(0, layout.outBar / 4, layout.outBar / 4 + layout.tiles * C * TILE * wL);
      g.forEach((t, c) => scatter(mem, layout, layout.outBar, wL, c, m, t.dataSync()));
      backwardPass(layout, shape);
      gradientsOf = token;
    };
    const compute = () => {
      if (host) return host;
      fusedJetStats.backwards++;
      fill();
      const mem = heap(layout.bytes);
      const w = layout.widths;
      const dW = net.layers.map((layer, l) => {
        const [fanIn, fanOut] = layer.W.shape;
        const base = layout.dW[l] / 4;
        if (fanOut === w[l + 1]) return mem.slice(base, base + fanIn * fanOut);
        const out = new Float32Array(fanIn * fanOut);
        for (let i = 0; i < fanIn; i++) out.set(mem.subarray(base + i * w[l + 1], base + i * w[l + 1] + fanOut), i * fanOut);
        return out;
      });
      const db = net.layers.map((layer, l) => mem.slice(layout.db[l] / 4, layout.db[l] / 4 + layer.b.shape[0]));
      host = { dW, db };
      return host;
    };
    return [
      () => {
        // only a gradient with respect to the points needs dx
        const h = compute();
        if (h.dx === undefined) {
          if (gradientsOf !== token) fill();
          h.dx = inputGradient(layout, d);
        }
        return tf.tensor2d(h.dx, [n, d]);
      },
      ...net.layers.flatMap((layer, l) => [
        () => tf.tensor2d(compute().dW[l], layer.W.shape),
        () => tf.tensor1d(compute().db[l]),
      ]),
    ];
  };

  return fusedNode({ inputs: [x, ...net.variables], forward, backward, opByOp: (inputs) => generic(inputs[0] as tf.Tensor2D) });
}
