"""torch side of bench/fno_burgers.ts: the same FNO1d (neuraloperator's fourier_1d.py
architecture) trained with the same protocol on the same burgers1d arrays.

Usage: python bench/torch/fno_burgers.py --data DIR --epochs 100 --threads 1
DIR holds x_train.f32, y_train.f32, x_test.f32, y_test.f32 (float32, row-major
[samples, n]) and shape.json ({"train": N, "test": M, "n": n}).
Prints one JSON line: {"test_error", "params", "seconds", "ms_per_step", "steps"}.
"""
import argparse
import json
import os
import time

import numpy as np
import torch
import torch.nn.functional as F

parser = argparse.ArgumentParser()
parser.add_argument('--data', required=True)
parser.add_argument('--epochs', type=int, default=100)
parser.add_argument('--threads', type=int, default=1)
parser.add_argument('--modes', type=int, default=16)
parser.add_argument('--width', type=int, default=32)
parser.add_argument('--projection', type=int, default=128)
parser.add_argument('--batch', type=int, default=20)
args = parser.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(0)


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


with open(os.path.join(args.data, 'shape.json')) as f:
    shape = json.load(f)
load = lambda name, rows: torch.from_numpy(np.fromfile(os.path.join(args.data, name), dtype=np.float32).reshape(rows, shape['n']))
xtr, ytr = load('x_train.f32', shape['train']), load('y_train.f32', shape['train'])
xte, yte = load('x_test.f32', shape['test']), load('y_test.f32', shape['test'])

model = FNO1d(args.modes, args.width, args.projection)
params = sum(p.numel() * (2 if p.is_complex() else 1) for p in model.parameters())
steps_per_epoch = (shape['train'] + args.batch - 1) // args.batch
total = args.epochs * steps_per_epoch
opt = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=total)
gen = torch.Generator().manual_seed(1)
start = time.perf_counter()
for epoch in range(args.epochs):
    order = torch.randperm(shape['train'], generator=gen)
    for b in range(steps_per_epoch):
        idx = order[b * args.batch:(b + 1) * args.batch]
        opt.zero_grad()
        loss = rel_l2(model(xtr[idx]), ytr[idx])
        loss.backward()
        opt.step()
        sched.step()
seconds = time.perf_counter() - start
with torch.no_grad():
    test_error = rel_l2(model(xte), yte).item()
print(json.dumps({'test_error': test_error, 'params': params, 'seconds': seconds, 'ms_per_step': 1000 * seconds / total, 'steps': total, 'torch': torch.__version__, 'threads': args.threads}))
