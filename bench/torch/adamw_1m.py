"""torch side of the `adamw-1m` benchmark: one AdamW update (foreach) over 10 tensors of
100k parameters (lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 1e-2).

  python bench/torch/adamw_1m.py [--once]
"""
import torch

from serve import serve


def adamw_step(tensors=10, size=100_000):
    torch.manual_seed(0)
    params = [torch.randn(size, requires_grad=True) for _ in range(tensors)]
    for p in params:
        p.grad = torch.randn(size)
    opt = torch.optim.AdamW(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, foreach=True)
    return opt.step


if __name__ == "__main__":
    serve(adamw_step())
