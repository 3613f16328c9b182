#!/usr/bin/python3
"""Fixture for the S3D parity test (spec §14): torchvision 0.14 s3d(weights=None), blocks 1-4, eval mode.

Usage: /usr/bin/python3 s3d_parity.py OUT_DIR [--frames 8 --size 64]
Writes OUT_DIR/weights.pt (the `features.0..12` state dict, torchvision names) and OUT_DIR/io.pt
(`input` and `c1`..`c4`, the outputs of features[0], [3], [6], [12]).
BN running stats and affine parameters are randomised so that eval-mode BN is not the identity.
"""
import argparse, os, sys
import torch
from torchvision.models.video import s3d

p = argparse.ArgumentParser()
p.add_argument("out")
p.add_argument("--frames", type=int, default=8)
p.add_argument("--size", type=int, default=64)
a = p.parse_args()
os.makedirs(a.out, exist_ok=True)
torch.manual_seed(0)
net = s3d(weights=None)
with torch.no_grad():
    for m in net.modules():
        if isinstance(m, torch.nn.BatchNorm3d):
            m.running_mean.uniform_(-0.2, 0.2)
            m.running_var.uniform_(0.5, 1.5)
            m.weight.uniform_(0.5, 1.5)
            m.bias.uniform_(-0.2, 0.2)
            m.num_batches_tracked.fill_(7)
net.eval()
features = net.features[:13]
sd = {k: v for k, v in features.state_dict().items()}
torch.save({"features." + k: v for k, v in sd.items()}, os.path.join(a.out, "weights.pt"))
x = torch.rand(1, 3, a.frames, a.size, a.size) * 2 - 1
outs = {}
with torch.no_grad():
    h = x
    for i, layer in enumerate(features):
        h = layer(h)
        if i in (0, 3, 6, 12):
            outs["c%d" % (1 + (0, 3, 6, 12).index(i))] = h.clone()
torch.save({"input": x, **outs}, os.path.join(a.out, "io.pt"))
print("s3d parity fixture:", {k: tuple(v.shape) for k, v in outs.items()}, "params", sum(p.numel() for p in net.parameters()))
