"""JAX / numpy side of bench/teng.ts: the same float64 networks and least squares, timed here.

Reads a problem file written by the TypeScript side (architecture, parameters, points and
the parameter subset), builds the network with the functions of tests/fixtures/gen_teng.py,
and times with jit-compiled JAX (compilation excluded): the forward pass with the Laplacian
(jacfwd of jacrev, as the official TENG operators), and the parameter Jacobian of u (vmap
of grad, as random_policy_grad.py). Then times numpy/scipy least squares on
sqrt(w) J[:, subset]: np.linalg.lstsq (gelsd, what jnp.linalg.lstsq runs on the CPU),
scipy gelsy, and damped normal equations (cho_solve). Prints one JSON line; writes the
Jacobian next to the problem file so the TypeScript side can compare values.

    /work/main/.venv-ref/bin/python bench/teng_jax.py PROBLEM.json REPEATS
"""
import json
import os
import sys

import jax
import jax.numpy as jnp
import numpy as np
import scipy.linalg as sl

jax.config.update("jax_enable_x64", True)
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.join(HERE, "..", "tests", "fixtures")]
from gen_teng import make_periodic, make_sinusoidal  # noqa: E402
from lstsq_numpy import timed  # noqa: E402


def main():
    path, repeats = sys.argv[1], int(sys.argv[2])
    with open(path) as f:
        spec = json.load(f)
    arch = spec["architecture"]
    if arch["kind"] == "periodic":
        apply, count = make_periodic(2, arch["nodesPerDim"], arch["hidden"], 2 * np.pi)
    else:
        apply, count, _, _ = make_sinusoidal(2, [2 * np.pi, 2 * np.pi], arch["harmonics"], arch["hidden"])
    theta = jnp.asarray(np.fromfile(spec["params"], dtype=np.float64))
    X = jnp.asarray(np.fromfile(spec["points"], dtype=np.float64).reshape(-1, 2))
    assert theta.size == count, (theta.size, count)

    def laplacian(th, x):
        H = jax.jacfwd(jax.jacrev(apply, argnums=1), argnums=1)(th, x)
        return H[0, 0] + H[1, 1]

    forward = jax.jit(lambda th: (jax.vmap(apply, (None, 0))(th, X), jax.vmap(laplacian, (None, 0))(th, X)))
    jacobian = jax.jit(lambda th: jax.vmap(jax.grad(apply, argnums=0), (None, 0))(th, X))
    jax.block_until_ready(forward(theta))
    jax.block_until_ready(jacobian(theta))
    t_forward, _ = timed(lambda: jax.block_until_ready(forward(theta)), repeats)
    t_jac, J = timed(lambda: jax.block_until_ready(jacobian(theta)), repeats)
    J = np.asarray(J)
    J.tofile(spec["jacobian_out"])

    cols = np.asarray(spec["subset"], dtype=np.int64)
    sw = np.sqrt((2 * np.pi) ** 2 / X.shape[0])
    A = J[:, cols] * sw
    b = np.asarray(np.fromfile(spec["rhs"], dtype=np.float64)) * sw
    lam = spec["damping"]
    res = lambda x: float(np.linalg.norm(A @ x - b))
    t_gelsd, (x_gelsd, *_r) = timed(lambda: np.linalg.lstsq(A, b, rcond=None), repeats)
    t_gelsy, (x_gelsy, *_r) = timed(lambda: sl.lstsq(A, b, lapack_driver="gelsy"), repeats)
    t_normal, x_normal = timed(lambda: sl.cho_solve(sl.cho_factor(A.T @ A + lam * np.eye(A.shape[1])), A.T @ b), repeats)
    print(json.dumps({
        "jax": jax.__version__, "numpy": np.__version__,
        "forward_laplacian_s": t_forward, "jacobian_s": t_jac,
        "gelsd_s": t_gelsd, "gelsd_residual": res(x_gelsd),
        "gelsy_s": t_gelsy, "gelsy_residual": res(x_gelsy),
        "normal_s": t_normal, "normal_residual": res(x_normal),
    }))


if __name__ == "__main__":
    main()
