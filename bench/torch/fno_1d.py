"""torch side of the `fno-1d` benchmark, and the FNO1d that bench/torch/fno_burgers.py trains:
neuraloperator's fourier_1d.py architecture (lift to `width` channels with the grid as an
extra input, 4 Fourier layers keeping `modes` modes plus a pointwise linear path, GELU,
projection to 128 then 1).

One training step: batch 20 at 128 points, modes 16, width 32, relative L2 loss, Adam
(lr 1e-3, weight decay 1e-4).

  python bench/torch/fno_1d.py [--once]
"""
import torch
import torch.nn.functional as F


class SpectralConv1d(torch.nn.Module):
    def __init__(self, cin, cout, modes):
        super().__init__()
        self.modes = modes
        scale = 1 / (cin * cout)
        self.weights = torch.nn.Parameter(scale * torch.rand(cin, cout, modes, dtype=torch.cfloat))

    def forward(self, x):
        n = x.size(-1)
        x_ft = torch.fft.rfft(x)
        out = torch.zeros(x.size(0), self.weights.size(1), n // 2 + 1, dtype=torch.cfloat)
        out[:, :, :self.modes] = torch.einsum('bix,iox->box', x_ft[:, :, :self.modes], self.weights)
        return torch.fft.irfft(out, n=n)


class FNO1d(torch.nn.Module):
    def __init__(self, modes, width, projection, layers=4):
        super().__init__()
        self.fc0 = torch.nn.Linear(2, width)
        self.convs = torch.nn.ModuleList([SpectralConv1d(width, width, modes) for _ in range(layers)])
        self.ws = torch.nn.ModuleList([torch.nn.Conv1d(width, width, 1) for _ in range(layers)])
        self.fc1 = torch.nn.Linear(width, projection)
        self.fc2 = torch.nn.Linear(projection, 1)

    def forward(self, a):
        B, n = a.shape
        grid = torch.linspace(0, 1, n).reshape(1, n, 1).repeat(B, 1, 1)
        x = self.fc0(torch.cat([a.unsqueeze(-1), grid], dim=-1)).permute(0, 2, 1)
        for i, (conv, w) in enumerate(zip(self.convs, self.ws)):
            x = conv(x) + w(x)
            if i < len(self.convs) - 1:
                x = F.gelu(x)
        x = F.gelu(self.fc1(x.permute(0, 2, 1)))
        return self.fc2(x).squeeze(-1)


def rel_l2(pred, y):
    return (torch.linalg.norm(pred - y, dim=1) / torch.linalg.norm(y, dim=1)).mean()



def fno_step(batch=20, n=128, modes=16, width=32, projection=128):
    torch.manual_seed(0)
    model = FNO1d(modes, width, projection)
    a = torch.randn(batch, n)
    y = torch.randn(batch, n)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)

    def step():
        opt.zero_grad()
        rel_l2(model(a), y).backward()
        opt.step()
    return step


if __name__ == "__main__":
    from serve import serve
    serve(fno_step())
