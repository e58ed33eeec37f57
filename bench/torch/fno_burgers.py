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

from fno_1d import FNO1d, rel_l2

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
