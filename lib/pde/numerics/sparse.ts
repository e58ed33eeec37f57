/**
 * Compressed-sparse-row matrices and the finite-difference operators built
 * from them: the 5-point (variable-coefficient) 2-D Laplacian with zero
 * Dirichlet boundaries, as used by the Darcy and Poisson solvers.
 */

export interface CSRMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly rowPtr: Int32Array;
  readonly colIdx: Int32Array;
  readonly values: Float64Array;
}

/** Builds a CSR matrix from (row, col, value) triplets; duplicate entries are summed. */
export function csrFromTriplets(rows: number, cols: number, ri: ArrayLike<number>, ci: ArrayLike<number>, v: ArrayLike<number>): CSRMatrix {
  if (ri.length !== ci.length || ri.length !== v.length) {
    throw new Error(`csrFromTriplets: row, col and value arrays differ in length (${ri.length}, ${ci.length}, ${v.length})`);
  }
  const count = new Int32Array(rows + 1);
  for (let p = 0; p < ri.length; p++) {
    if (ri[p] < 0 || ri[p] >= rows || ci[p] < 0 || ci[p] >= cols) {
      throw new Error(`csrFromTriplets: entry (${ri[p]}, ${ci[p]}) is outside the ${rows} x ${cols} matrix`);
    }
    count[ri[p] + 1]++;
  }
  for (let r = 0; r < rows; r++) count[r + 1] += count[r];
  const order = new Int32Array(ri.length);
  const fill = count.slice(0, rows);
  for (let p = 0; p < ri.length; p++) order[fill[ri[p]]++] = p;
  const rowPtr = new Int32Array(rows + 1);
  const colTmp: number[] = [];
  const valTmp: number[] = [];
  for (let r = 0; r < rows; r++) {
    const entries = Array.from(order.subarray(count[r], count[r + 1])).sort((a, b) => ci[a] - ci[b]);
    for (const p of entries) {
      const last = colTmp.length - 1;
      if (colTmp.length > rowPtr[r] && colTmp[last] === ci[p]) valTmp[last] += v[p];
      else {
        colTmp.push(ci[p]);
        valTmp.push(v[p]);
      }
    }
    rowPtr[r + 1] = colTmp.length;
  }
  return { rows, cols, rowPtr, colIdx: Int32Array.from(colTmp), values: Float64Array.from(valTmp) };
}

/** y = A x (y is allocated when not given). */
export function csrMatVec(A: CSRMatrix, x: ArrayLike<number>, y: Float64Array = new Float64Array(A.rows)): Float64Array {
  if (x.length !== A.cols) throw new Error(`csrMatVec: x has length ${x.length}, matrix has ${A.cols} columns`);
  const { rowPtr, colIdx, values } = A;
  for (let r = 0; r < A.rows; r++) {
    let s = 0;
    for (let p = rowPtr[r]; p < rowPtr[r + 1]; p++) s += values[p] * x[colIdx[p]];
    y[r] = s;
  }
  return y;
}

/** The diagonal of a square CSR matrix. */
export function csrDiagonal(A: CSRMatrix): Float64Array {
  const d = new Float64Array(A.rows);
  for (let r = 0; r < A.rows; r++) {
    for (let p = A.rowPtr[r]; p < A.rowPtr[r + 1]; p++) if (A.colIdx[p] === r) d[r] += A.values[p];
  }
  return d;
}

export interface DiffusionOperatorOptions {
  /** Grid nodes per side including the two boundary nodes (the unknowns are the (nx-2) x (ny-2) interior nodes). */
  nx: number;
  ny: number;
  /** Domain [x0, x1] x [y0, y1]; default the unit square. */
  domain?: [number, number, number, number];
  /**
   * Diffusion coefficient a at the grid nodes (row-major [nx, ny], axis 0 = x),
   * or a function a(x, y); default 1 (the plain Laplacian). Face values are the
   * arithmetic mean of the two adjacent nodes.
   */
  coefficient?: ArrayLike<number> | ((x: number, y: number) => number);
}

/**
 * The SPD matrix of -div(a grad u) by the conservative 5-point stencil on the
 * interior nodes of an nx x ny node grid with u = 0 on the boundary. Unknown
 * (i, j), 1 <= i <= nx-2, 1 <= j <= ny-2, has index (i-1)(ny-2) + (j-1).
 */
export function diffusionOperator2d(opts: DiffusionOperatorOptions): CSRMatrix {
  const { nx, ny } = opts;
  if (!Number.isInteger(nx) || nx < 3 || !Number.isInteger(ny) || ny < 3) {
    throw new Error(`diffusionOperator2d: nx and ny must be integers >= 3 (nodes including boundary), got ${nx}, ${ny}`);
  }
  const [x0, x1, y0, y1] = opts.domain ?? [0, 1, 0, 1];
  const hx = (x1 - x0) / (nx - 1);
  const hy = (y1 - y0) / (ny - 1);
  const a = new Float64Array(nx * ny);
  const c = opts.coefficient;
  if (c === undefined) a.fill(1);
  else if (typeof c === 'function') {
    for (let i = 0; i < nx; i++) for (let j = 0; j < ny; j++) a[i * ny + j] = c(x0 + i * hx, y0 + j * hy);
  } else {
    if (c.length !== nx * ny) throw new Error(`diffusionOperator2d: coefficient has length ${c.length}, expected nx*ny = ${nx * ny}`);
    for (let p = 0; p < nx * ny; p++) a[p] = c[p];
  }
  for (let p = 0; p < nx * ny; p++) {
    if (!(a[p] > 0)) throw new Error(`diffusionOperator2d: coefficient must be positive everywhere, got ${a[p]} at node ${p}`);
  }
  const mx = nx - 2;
  const my = ny - 2;
  const ri: number[] = [];
  const ci: number[] = [];
  const vv: number[] = [];
  const ihx2 = 1 / (hx * hx);
  const ihy2 = 1 / (hy * hy);
  const node = (i: number, j: number) => a[i * ny + j];
  for (let i = 1; i <= mx; i++) {
    for (let j = 1; j <= my; j++) {
      const row = (i - 1) * my + (j - 1);
      const aE = 0.5 * (node(i, j) + node(i + 1, j)) * ihx2;
      const aW = 0.5 * (node(i, j) + node(i - 1, j)) * ihx2;
      const aN = 0.5 * (node(i, j) + node(i, j + 1)) * ihy2;
      const aS = 0.5 * (node(i, j) + node(i, j - 1)) * ihy2;
      ri.push(row);
      ci.push(row);
      vv.push(aE + aW + aN + aS);
      if (i > 1) (ri.push(row), ci.push(row - my), vv.push(-aW));
      if (i < mx) (ri.push(row), ci.push(row + my), vv.push(-aE));
      if (j > 1) (ri.push(row), ci.push(row - 1), vv.push(-aS));
      if (j < my) (ri.push(row), ci.push(row + 1), vv.push(-aN));
    }
  }
  return csrFromTriplets(mx * my, mx * my, ri, ci, vv);
}

/** Scatters interior unknowns back onto the full [nx, ny] node grid with zero boundary values. */
export function embedInterior(u: ArrayLike<number>, nx: number, ny: number): Float64Array {
  const my = ny - 2;
  if (u.length !== (nx - 2) * my) throw new Error(`embedInterior: expected ${(nx - 2) * my} interior values, got ${u.length}`);
  const full = new Float64Array(nx * ny);
  for (let i = 1; i < nx - 1; i++) for (let j = 1; j < ny - 1; j++) full[i * ny + j] = u[(i - 1) * my + (j - 1)];
  return full;
}

/** Gathers the interior nodes of a full [nx, ny] grid into the unknown ordering of diffusionOperator2d. */
export function interiorOf(full: ArrayLike<number>, nx: number, ny: number): Float64Array {
  if (full.length !== nx * ny) throw new Error(`interiorOf: expected ${nx * ny} values, got ${full.length}`);
  const my = ny - 2;
  const u = new Float64Array((nx - 2) * my);
  for (let i = 1; i < nx - 1; i++) for (let j = 1; j < ny - 1; j++) u[(i - 1) * my + (j - 1)] = full[i * ny + j];
  return u;
}
