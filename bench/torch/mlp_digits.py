"""torch side of the `mlp-digits` benchmark: one training step of a 64-128-128-10 ReLU MLP
on a batch of 128 digits-shaped inputs (64 features, 10 classes): forward, softmax
cross-entropy, backward, one Adam step (lr 1e-3).

  python bench/torch/mlp_digits.py [--once]
"""
import torch

from serve import serve


def mlp_step(batch=128):
    torch.manual_seed(0)
    net = torch.nn.Sequential(
        torch.nn.Linear(64, 128), torch.nn.ReLU(), torch.nn.Linear(128, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
    x = torch.rand(batch, 64) * 16
    y = torch.randint(0, 10, (batch,))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)

    def step():
        opt.zero_grad()
        torch.nn.functional.cross_entropy(net(x), y).backward()
        opt.step()
    return step


if __name__ == "__main__":
    serve(mlp_step())
