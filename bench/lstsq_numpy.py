"""numpy side of bench/lstsq.ts: the same least-squares problems, timed in the same run.

Reads the problem sizes and the seed-free data from a binary file written by the
TypeScript side (so both solve identical matrices), prints JSON with median seconds and
residual norms for numpy.linalg.lstsq (gelsd), scipy gelsy and the normal equations.

    /work/main/.venv-ref/bin/python bench/lstsq_numpy.py PROBLEM.bin REPEATS
"""
import json
import statistics
import sys
import time

import numpy as np
import scipy.linalg as sl


def timed(fn, repeats):
    times, out = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def main():
    path, repeats = sys.argv[1], int(sys.argv[2])
    raw = np.fromfile(path, dtype=np.float64)
    m, n = int(raw[0]), int(raw[1])
    A = raw[2:2 + m * n].reshape(m, n)
    b = raw[2 + m * n:2 + m * n + m]
    res = lambda x: float(np.linalg.norm(A @ x - b))
    t_gelsd, (x_gelsd, *_rest) = timed(lambda: np.linalg.lstsq(A, b, rcond=None), repeats)
    t_gelsy, (x_gelsy, *_rest) = timed(lambda: sl.lstsq(A, b, lapack_driver="gelsy"), repeats)
    t_normal, x_normal = timed(lambda: sl.cho_solve(sl.cho_factor(A.T @ A), A.T @ b), repeats)
    print(json.dumps({
        "numpy": np.__version__,
        "gelsd_s": t_gelsd, "gelsd_residual": res(x_gelsd), "x_gelsd_head": x_gelsd[:5].tolist(),
        "gelsy_s": t_gelsy, "gelsy_residual": res(x_gelsy),
        "normal_s": t_normal, "normal_residual": res(x_normal),
    }))


if __name__ == "__main__":
    main()
