/**
 * float64 dense linear algebra for problems TF.js's float32 cannot hold (TENG's least
 * squares, small eigenproblems, matrix roots), plus float32 Newton-Schulz iterations on
 * tensors. Matrices are row-major `Matrix` objects over Float64Array.
 */
export { Matrix, asMatrix, transpose, matmul, gram, matvec, norm, solveTriangular, type MatrixLike } from './matrix.js';
export { qr, type Qr } from './qr.js';
export { cholesky, choleskySolve } from './cholesky.js';
export { svd, type Svd } from './svd.js';
export { eigh, tridiagonalEigen, type Eigh } from './eigh.js';
export { lstsq, type LstsqOptions, type LstsqResult, type LstsqMethod } from './lstsq.js';
export { sqrtm, inversePthRoot, inverseSymmetric, symmetricFunction } from './functions.js';
export { orthogonalize, sqrtAndInverseSqrt, type OrthogonalizeOptions } from './newton_schulz.js';
