"""torch side of the `pinn-burgers` and `pinn-burgers-lbfgs` benchmarks (and of
bench/taylor_vs_nested.ts): the Burgers PINN step of the speed issue.

2-32-32-32-1 tanh MLP, 2000 collocation points (t in [0, 1], x in [-1, 1]), residual
u_t + u u_x - (0.01/pi) u_xx by nested autograd, loss the mean square of the residual.

  python bench/torch/pinn_burgers.py --optimizer adam|lbfgs [--once]

adam: one torch.optim.Adam step (lr 1e-3). lbfgs: one iteration of torch.optim.LBFGS
(max_iter 1, history 50, strong-Wolfe line search), the closure evaluated as often as
the line search needs.
"""
import argparse
import math

import torch

from serve import serve

NU = 0.01 / math.pi


def burgers_problem(points=2000, seed=0):
    """The network, the collocation points and the residual loss."""
    torch.manual_seed(seed)
    net = torch.nn.Sequential(
        torch.nn.Linear(2, 32), torch.nn.Tanh(), torch.nn.Linear(32, 32), torch.nn.Tanh(),
        torch.nn.Linear(32, 32), torch.nn.Tanh(), torch.nn.Linear(32, 1))
    pts = torch.cat([torch.rand(points, 1), torch.rand(points, 1) * 2 - 1], dim=1)

    def derivatives(create_graph=True):
        x = pts.clone().requires_grad_(True)
        u = net(x)
        du = torch.autograd.grad(u.sum(), x, create_graph=True)[0]
        u_xx = torch.autograd.grad(du[:, 1].sum(), x, create_graph=create_graph)[0][:, 1:2]
        return u, du, u_xx

    def loss():
        u, du, u_xx = derivatives()
        residual = du[:, 0:1] + u * du[:, 1:2] - NU * u_xx
        return (residual ** 2).mean()

    return net, derivatives, loss


def adam_step(net, loss):
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)

    def step():
        opt.zero_grad()
        loss().backward()
        opt.step()
    return step


def lbfgs_step(net, loss):
    opt = torch.optim.LBFGS(net.parameters(), lr=1, max_iter=1, history_size=50, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        value = loss()
        value.backward()
        return value

    return lambda: opt.step(closure)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--optimizer", choices=["adam", "lbfgs"], default="adam")
    parser.add_argument("--once", action="store_true")
    args = parser.parse_args()
    net, _, loss = burgers_problem()
    serve((adam_step if args.optimizer == "adam" else lbfgs_step)(net, loss))
