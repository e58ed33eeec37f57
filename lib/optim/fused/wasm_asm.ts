/**
 * A minimal WebAssembly assembler for fused elementwise kernels. A kernel is
 * written once as expressions over float32 values and compiled twice: a
 * 4-lane SIMD loop (f32x4) over the bulk and a scalar f32 loop over the tail,
 * with identical IEEE float32 arithmetic, so results match TF.js's own wasm ops
 * operation for operation.
 *
 * The module imports the memory of TF.js's wasm backend, so kernels read and
 * write tensor buffers in place, with no copies.
 */

export type Mode = 'simd' | 'scalar';

/** Writes one value onto the wasm stack in the given mode. */
export type Expr = (e: Emitter) => void;

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const SIMD = (op: number) => [0xfd, ...uleb(op)];

const BINARY: Record<string, { simd: number[]; scalar: number[] }> = {
  add: { simd: SIMD(0xe4), scalar: [0x92] },
  sub: { simd: SIMD(0xe5), scalar: [0x93] },
  mul: { simd: SIMD(0xe6), scalar: [0x94] },
  div: { simd: SIMD(0xe7), scalar: [0x95] },
  min: { simd: SIMD(0xe8), scalar: [0x96] },
  max: { simd: SIMD(0xe9), scalar: [0x97] },
};
const UNARY: Record<string, { simd: number[]; scalar: number[] }> = {
  abs: { simd: SIMD(0xe0), scalar: [0x8b] },
  neg: { simd: SIMD(0xe1), scalar: [0x8c] },
  sqrt: { simd: SIMD(0xe3), scalar: [0x91] },
};

/** Emits the code of one loop body; knows the mode and where locals live. */
export class Emitter {
  readonly code: number[] = [];
  constructor(
    readonly mode: Mode,
    private readonly locals: Map<string, number>,
    private readonly indexLocal: number,
  ) {}
  local(name: string): number {
    const i = this.locals.get(name);
    if (i === undefined) throw new Error(`wasm_asm: unknown local '${name}'`);
    return i;
  }
  op(...bytes: number[]): void {
    this.code.push(...bytes);
  }
  /** Address of element i of the buffer whose byte offset is in pointer local `ptr`. */
  address(ptr: string): void {
    this.op(0x20, ...uleb(this.local(ptr)), 0x20, ...uleb(this.indexLocal), 0x6a);
  }
}

/** The value of a float local (in SIMD mode, its splatted vector). */
export const get =
  (name: string): Expr =>
  (e) =>
    e.op(0x20, ...uleb(e.local(e.mode === 'simd' ? `${name}#v` : name)));

/** Loads element(s) from the buffer whose pointer is in local `ptr`. */
export const load =
  (ptr: string): Expr =>
  (e) => {
    e.address(ptr);
    if (e.mode === 'simd') e.op(...SIMD(0x00), 0x00, 0x00);
    else e.op(0x2a, 0x02, 0x00);
  };

export const bin =
  (name: keyof typeof BINARY, a: Expr, b: Expr): Expr =>
  (e) => {
    a(e);
    b(e);
    e.op(...BINARY[name][e.mode]);
  };

export const un =
  (name: keyof typeof UNARY, a: Expr): Expr =>
  (e) => {
    a(e);
    e.op(...UNARY[name][e.mode]);
  };

export const add = (a: Expr, b: Expr) => bin('add', a, b);
export const sub = (a: Expr, b: Expr) => bin('sub', a, b);
export const mul = (a: Expr, b: Expr) => bin('mul', a, b);
export const div = (a: Expr, b: Expr) => bin('div', a, b);
export const max = (a: Expr, b: Expr) => bin('max', a, b);
export const sqrt = (a: Expr) => un('sqrt', a);
export const neg = (a: Expr) => un('neg', a);

/** A statement of the loop body. */
export type Stmt = { kind: 'set'; name: string; value: Expr } | { kind: 'store'; ptr: string; value: Expr };

/** Sets a work local (a vector in SIMD mode, a float in scalar mode). */
export const set = (name: string, value: Expr): Stmt => ({ kind: 'set', name, value });
/** Stores into the buffer whose pointer is in local `ptr`. */
export const store = (ptr: string, value: Expr): Stmt => ({ kind: 'store', ptr, value });

export interface KernelSpec {
  name: string;
  /** Pointer parameters (byte offsets into the shared memory). */
  pointers: string[];
  /** float32 scalar parameters, splatted once before the SIMD loop. */
  scalars: string[];
  /** Work values assigned in the body. */
  work: string[];
  body: Stmt[];
  /**
   * Value accumulated over all elements and returned (as the sum of lanes); used
   * to detect non-finite input: accumulate x * 0.
   */
  accumulate?: Expr;
}

/**
 * Compiles kernels into one module exporting `name(ptr..., nBytes, scalar...) -> f32`
 * and importing `env.memory`.
 */
export function assemble(kernels: KernelSpec[]): Uint8Array {
  const types: number[][] = [];
  const codes: number[][] = [];
  for (const k of kernels) {
    const params = [...k.pointers.map(() => I32), I32, ...k.scalars.map(() => F32)];
    types.push([0x60, ...uleb(params.length), ...params, 0x01, F32]);
    codes.push(compileKernel(k));
  }
  const section = (id: number, payload: number[]) => [id, ...uleb(payload.length), ...payload];
  const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
  const str = (s: string) => [...uleb(s.length), ...Array.from(Buffer.from(s, 'utf8'))];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    // import env.memory: memory with min 0 pages, no max (compatible with any memory)
    ...section(2, vec([[...str('env'), ...str('memory'), 0x02, 0x00, 0x00]])),
    ...section(3, vec(kernels.map((_, i) => uleb(i)))),
    ...section(7, vec(kernels.map((k, i) => [...str(k.name), 0x00, ...uleb(i)]))),
    ...section(10, vec(codes.map((c) => [...uleb(c.length), ...c]))),
  ];
  return new Uint8Array(bytes);
}

function compileKernel(k: KernelSpec): number[] {
  const all = [...k.pointers, ...k.scalars, ...k.work];
  const dup = all.find((n, i) => all.indexOf(n) !== i);
  if (dup !== undefined) throw new Error(`wasm_asm: kernel '${k.name}' uses the name '${dup}' twice`);
  const nParams = k.pointers.length + 1 + k.scalars.length;
  const locals = new Map<string, number>();
  k.pointers.forEach((p, i) => locals.set(p, i));
  const nBytes = k.pointers.length;
  k.scalars.forEach((s, i) => locals.set(s, nBytes + 1 + i));
  // extra locals: i32 index and vector end; v128 splats, v128 work, acc; f32 work, acc
  let next = nParams;
  const idx = next++;
  const vecEnd = next++;
  const i32Count = 2;
  const v128Start = next;
  for (const s of k.scalars) locals.set(`${s}#v`, next++);
  const vWorkStart = next;
  for (const w of k.work) locals.set(`${w}#work_v`, next++);
  const accV = next++;
  const v128Count = next - v128Start;
  const fStart = next;
  for (const w of k.work) locals.set(`${w}#work_s`, next++);
  const accS = next++;
  const f32Count = next - fStart;
  void vWorkStart;

  const code: number[] = [];
  const op = (...b: number[]) => code.push(...b);
  // splat scalars
  for (const s of k.scalars) op(0x20, ...uleb(locals.get(s)!), ...SIMD(0x13), 0x21, ...uleb(locals.get(`${s}#v`)!));
  // vecEnd = nBytes & ~15
  op(0x20, ...uleb(nBytes), 0x41, ...sleb(~15), 0x71, 0x21, ...uleb(vecEnd));

  const loop = (mode: Mode, limit: number, stride: number, acc: number) => {
    const names = new Map(locals);
    for (const w of k.work) names.set(w, locals.get(`${w}#work_${mode === 'simd' ? 'v' : 's'}`)!);
    // in scalar mode `get(s)` reads the scalar parameter; in SIMD mode its splat
    const e = new Emitter(mode, names, idx);
    for (const w of k.work) names.set(`${w}#v`, names.get(w)!);
    // block { loop { if i >= limit break; body; i += stride; continue } }
    e.op(0x02, 0x40, 0x03, 0x40);
    e.op(0x20, ...uleb(idx), 0x20, ...uleb(limit), 0x4f, 0x0d, 0x01);
    for (const s of k.body) {
      if (s.kind === 'set') {
        s.value(e);
        e.op(0x21, ...uleb(names.get(s.name)!));
      } else {
        e.address(s.ptr);
        s.value(e);
        if (mode === 'simd') e.op(...SIMD(0x0b), 0x00, 0x00);
        else e.op(0x38, 0x02, 0x00);
      }
    }
    if (k.accumulate) {
      e.op(0x20, ...uleb(acc));
      k.accumulate(e);
      e.op(...BINARY.add[mode], 0x21, ...uleb(acc));
    }
    e.op(0x20, ...uleb(idx), 0x41, ...sleb(stride), 0x6a, 0x21, ...uleb(idx));
    e.op(0x0c, 0x00, 0x0b, 0x0b);
    code.push(...e.code);
  };
  loop('simd', vecEnd, 16, accV);
  loop('scalar', nBytes, 4, accS);
  // return accS + sum of the lanes of accV
  op(0x20, ...uleb(accS));
  for (let lane = 0; lane < 4; lane++) op(0x20, ...uleb(accV), ...SIMD(0x1f), lane, 0x92);
  op(0x0b);

  const localDecl = [
    ...uleb(3),
    ...uleb(i32Count), I32,
    ...uleb(v128Count), V128,
    ...uleb(f32Count), F32,
  ];
  return [...localDecl, ...code];
}
