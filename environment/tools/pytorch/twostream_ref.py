#!/usr/bin/python3
"""Independent PyTorch implementation of TwoStream-SLR recognition, written from docs/twostream-spec (§1-§6, §12).

A second reading of the spec that the C# port is compared against (never the official code). Modes:
  fixture OUT_DIR [options]  write weights.pt (official `recognition_network.*` names), io.pt (inputs, eval
                             log-probs per head, train-mode loss terms) for the parity test.
  keys [options]             print every state-dict key and shape (compared with the C# golden files).
  loadcheck FILE [options]   strictly load a state dict (e.g. exported by signnb) into this model.
  bench [options]            time forward and forward+backward per clip (CPU), print JSON.
Options: --width --hidden --ff --vocab --kp-channels --frames --size --batch --seed --threads
"""
import argparse, json, math, os, resource, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F


def scaled(c, w):
    return c if w == 1.0 else max(1, int(round(c * w)))


def bn3d(c):
    return nn.BatchNorm3d(c, eps=1e-3, momentum=1e-3)  # spec §1.1


class Basic(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv3d(cin, cout, 1, bias=False)
        self.bn = bn3d(cout)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))


class Sep(nn.Module):
    def __init__(self, cin, cout, k, s, p):
        super().__init__()
        self.conv_s = nn.Conv3d(cin, cout, (1, k, k), (1, s, s), (0, p, p), bias=False)
        self.bn_s = bn3d(cout)
        self.conv_t = nn.Conv3d(cout, cout, (k, 1, 1), (s, 1, 1), (p, 0, 0), bias=False)
        self.bn_t = bn3d(cout)

    def forward(self, x):
        return F.relu(self.bn_t(self.conv_t(F.relu(self.bn_s(self.conv_s(x))))))


class Mixed(nn.Module):
    def __init__(self, cin, b0, b1r, b1, b2r, b2, b3):
        super().__init__()
        self.branch0 = nn.Sequential(Basic(cin, b0))
        self.branch1 = nn.Sequential(Basic(cin, b1r), Sep(b1r, b1, 3, 1, 1))
        self.branch2 = nn.Sequential(Basic(cin, b2r), Sep(b2r, b2, 3, 1, 1))
        self.branch3 = nn.Sequential(nn.MaxPool3d(3, 1, 1), Basic(cin, b3))
        self.out = b0 + b1 + b2 + b3

    def forward(self, x):
        return torch.cat([self.branch0(x), self.branch1(x), self.branch2(x), self.branch3(x)], 1)


MIXED = [(64, 96, 128, 16, 32, 32), (128, 128, 192, 32, 96, 64), None, (192, 96, 208, 16, 48, 64),
         (160, 112, 224, 24, 64, 64), (128, 128, 256, 24, 64, 64), (112, 144, 288, 32, 64, 64), (256, 160, 320, 32, 128, 128)]


class S3DBase(nn.Module):
    def __init__(self, cin, w):
        super().__init__()
        c1, c2 = scaled(64, w), scaled(192, w)
        layers = [Sep(cin, c1, 7, 2, 3), nn.MaxPool3d((1, 3, 3), (1, 2, 2), (0, 1, 1)), Basic(c1, scaled(64, w)),
                  Sep(scaled(64, w), c2, 3, 1, 1), nn.MaxPool3d((1, 3, 3), (1, 2, 2), (0, 1, 1))]
        c = c2
        chans = [c1, c2]
        for spec in MIXED:
            if spec is None:
                layers.append(nn.MaxPool3d(3, 2, 1))
                continue
            m = Mixed(c, *[scaled(v, w) for v in spec])
            layers.append(m)
            c = m.out
            if len(layers) == 7:
                chans.append(c)
        chans.append(c)
        self.base = nn.Sequential(*layers)
        self.channels = chans


class Up(nn.Module):
    def __init__(self, cin, cout, st):
        super().__init__()
        self.conv_trans_s = nn.ConvTranspose3d(cin, cout, (1, 3, 3), (1, 2, 2), (0, 1, 1), (0, 1, 1), bias=False)
        self.bn_s = bn3d(cout)
        self.conv_trans_t = nn.ConvTranspose3d(cout, cout, (3, 1, 1), (st, 1, 1), (1, 0, 0), (st - 1, 0, 0), bias=False)
        self.bn_t = bn3d(cout)

    def forward(self, x):
        return F.relu(self.bn_t(self.conv_trans_t(F.relu(self.bn_s(self.conv_trans_s(x))))))


class Pyramid(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.upsample_layers = nn.ModuleList([Up(ch[3], ch[2], 2), Up(ch[2], ch[1], 1)])


class Stream(nn.Module):
    def __init__(self, cin, w):
        super().__init__()
        self.backbone = S3DBase(cin, w)
        self.pyramid = Pyramid(self.backbone.channels)


class Lateral(nn.Module):
    def __init__(self, c, up):
        super().__init__()
        if up:
            self.conv = nn.ConvTranspose3d(c, c, (7, 3, 3), (1, 2, 2), (3, 1, 1), (0, 1, 1), bias=False)
        else:
            self.conv = nn.Conv3d(c, c, (7, 3, 3), (1, 2, 2), (3, 1, 1), bias=False)

    def forward(self, x):
        return self.conv(x)


class MaskedNorm(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm = nn.BatchNorm1d(d)
        self.d = d

    def forward(self, x, mask):
        flat = x.reshape(-1, self.d)
        if not self.training:
            return self.norm(flat).reshape(x.shape)
        m = mask.reshape(-1, 1)
        sel = torch.masked_select(flat, m).reshape(-1, self.d)
        return flat.masked_scatter(m, self.norm(sel)).reshape(x.shape)


class PE(nn.Module):
    def __init__(self, d, max_len=5000):
        super().__init__()
        pe = torch.zeros(max_len, d)
        pos = torch.arange(0, max_len).unsqueeze(1).float()
        div = torch.exp(torch.arange(0, d, 2).float() * -(math.log(10000.0) / d))
        pe[:, 0::2] = torch.sin(pos * div)
        pe[:, 1::2] = torch.cos(pos * div)
        self.register_buffer("pe", pe.unsqueeze(0))

    def forward(self, x):
        return x + self.pe[:, :x.size(1)]


class FF(nn.Module):
    def __init__(self, d, ff, p):
        super().__init__()
        self.layer_norm = nn.LayerNorm(d, eps=1e-6)
        self.pwff_layer = nn.Sequential(nn.Conv1d(d, ff, 3, padding=1), nn.ReLU(), nn.Dropout(p), nn.Conv1d(ff, d, 3, padding=1), nn.Dropout(p))

    def forward(self, x):
        return x + self.pwff_layer(self.layer_norm(x).transpose(1, 2)).transpose(1, 2)


class Head(nn.Module):
    def __init__(self, din, a):
        super().__init__()
        self.fc1 = nn.Linear(din, a.hidden)
        self.bn1 = MaskedNorm(a.hidden)
        self.pe = PE(a.hidden, a.pe_len)
        self.dropout1 = nn.Dropout(a.dropout)
        self.feedforward = FF(a.hidden, a.ff, a.dropout)
        self.layer_norm = nn.LayerNorm(a.hidden, eps=1e-6)
        self.gloss_output_layer = nn.Linear(a.hidden, a.vocab)

    def forward(self, x, lens):
        mask = torch.arange(x.size(1)).unsqueeze(0) < lens.unsqueeze(1)
        h = self.dropout1(self.pe(F.relu(self.bn1(self.fc1(x), mask))))
        feat = self.layer_norm(self.feedforward(h))
        logits = self.gloss_output_layer(feat)
        return {"logits": logits, "log_probs": logits.log_softmax(-1), "probs": logits.softmax(-1), "lens": lens}


class TwoStreamBackbone(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.rgb_stream = Stream(3, a.width)
        self.pose_stream = Stream(a.kp_channels, a.width)
        ch = self.rgb_stream.backbone.channels
        self.rgb_stream_lateral = nn.ModuleList([Lateral(ch[i], True) for i in range(3)])
        self.pose_stream_lateral = nn.ModuleList([Lateral(ch[i], False) for i in range(3)])

    def forward(self, x, y):
        cs_r, cs_k = [], []
        for i in range(13):
            x = self.rgb_stream.backbone.base[i](x)
            y = self.pose_stream.backbone.base[i](y)
            if i in (0, 3, 6):
                lv = (0, 3, 6).index(i)
                x, y = x + self.rgb_stream_lateral[lv](y), y + self.pose_stream_lateral[lv](x)
            if i in (0, 3, 6, 12):
                cs_r.append(x)
                cs_k.append(y)
        pyr = []
        for s, cs in ((self.rgb_stream, cs_r), (self.pose_stream, cs_k)):
            p3 = cs[2] + s.pyramid.upsample_layers[0](cs[3])
            p2 = cs[1] + s.pyramid.upsample_layers[1](p3)
            pyr.append([p2, p3])
        return cs_r, cs_k, pyr[0], pyr[1]


def pool(x):
    return x.mean((3, 4)).transpose(1, 2)


class Recognition(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.visual_backbone_twostream = TwoStreamBackbone(a)
        ch = self.visual_backbone_twostream.rgb_stream.backbone.channels
        self.visual_head = Head(ch[3], a)
        self.visual_head_keypoint = Head(ch[3], a)
        self.visual_head_fuse = Head(2 * ch[3], a)
        self.visual_head_remain = nn.ModuleList([Head(ch[1], a), Head(ch[2], a)])
        self.visual_head_keypoint_remain = nn.ModuleList([Head(ch[1], a), Head(ch[2], a)])

    def forward(self, rgb, hm, lens):
        cr, ck, pr, pk = self.visual_backbone_twostream(rgb, hm)
        T = rgb.size(2)
        r, k = pool(cr[3]), pool(ck[3])
        l4 = lens * r.size(1) // T
        out = {"video": self.visual_head(r, l4), "keypoint": self.visual_head_keypoint(k, l4),
               "joint": self.visual_head_fuse(torch.cat([k, r], -1), l4)}
        ens = torch.log(out["video"]["probs"] + out["keypoint"]["probs"] + out["joint"]["probs"])
        out["ensemble_last"] = {"log_probs": ens.log_softmax(-1), "lens": l4}
        for i in range(2):
            a, b = pool(pr[i]), pool(pk[i])
            l2 = lens * a.size(1) // T
            out["video_aux_%d" % i] = self.visual_head_remain[i](a, l2)
            out["keypoint_aux_%d" % i] = self.visual_head_keypoint_remain[i](b, l2)
        if not self.training:
            e = torch.log(out["video_aux_1"]["probs"] + out["keypoint_aux_1"]["probs"])
            out["ensemble_early"] = {"log_probs": e.log_softmax(-1), "lens": out["video_aux_1"]["lens"]}
        return out


class SignModel(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.recognition_network = Recognition(a)


def losses(out, tgt, tlen):
    B = tgt.size(0)
    terms = {}
    for name in ("video", "video_aux_0", "video_aux_1", "keypoint", "keypoint_aux_0", "keypoint_aux_1", "joint"):
        h = out[name]
        terms["ctc_" + name] = F.ctc_loss(h["log_probs"].transpose(0, 1), tgt, h["lens"], tlen, blank=0,
                                          reduction="sum", zero_infinity=True) / B
    # spec §5: the official code runs one clip per GPU (batchmean over B = 1) and DDP averages the clips, so each clip's
    # KL is summed over its own valid frames only; computed here clip by clip, as that setting does.
    teacher = out["ensemble_last"]["log_probs"].exp().detach()
    kl = nn.KLDivLoss(reduction="batchmean")
    for s in ("video", "keypoint", "joint"):
        lens = out[s]["lens"]
        terms["distill_" + s] = sum(kl(out[s]["log_probs"][b:b + 1, :lens[b]], teacher[b:b + 1, :lens[b]]) for b in range(B)) / B
    w = {"ctc_video_aux_0": 0.2, "ctc_video_aux_1": 0.2, "ctc_keypoint_aux_0": 0.5, "ctc_keypoint_aux_1": 0.5}
    total = sum(w.get(n, 1.0) * v for n, v in terms.items())
    return total, terms


def args():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["fixture", "bench", "loadcheck", "keys"])
    p.add_argument("out", nargs="?")
    p.add_argument("--width", type=float, default=0.125)
    p.add_argument("--hidden", type=int, default=32)
    p.add_argument("--ff", type=int, default=64)
    p.add_argument("--vocab", type=int, default=12)
    p.add_argument("--kp-channels", type=int, default=79)
    p.add_argument("--pe-len", type=int, default=64)
    p.add_argument("--dropout", type=float, default=0.0)
    p.add_argument("--frames", type=int, default=16)
    p.add_argument("--size", type=int, default=32)
    p.add_argument("--batch", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeats", type=int, default=3)
    return p.parse_args()


def fixture(a):
    os.makedirs(a.out, exist_ok=True)
    torch.manual_seed(a.seed)
    model = SignModel(a)
    with torch.no_grad():  # non-trivial eval BN
        for m in model.modules():
            if isinstance(m, (nn.BatchNorm3d, nn.BatchNorm1d)):
                m.running_mean.uniform_(-0.1, 0.1)
                m.running_var.uniform_(0.8, 1.2)
                m.weight.uniform_(0.8, 1.2)
                m.bias.uniform_(-0.1, 0.1)
    torch.save(model.state_dict(), os.path.join(a.out, "weights.pt"))
    # The same weights inside an SLRT training checkpoint dict (spec §12), with the optimizer and scheduler state that
    # PyTorch itself writes (Adam after one step: per-parameter exp_avg/exp_avg_sq and a tensor `step`; the cosine
    # schedule's state), so the checkpoint reader's allow-list meets what a real SLRT file holds besides the weights.
    shadow = [p.detach().clone().requires_grad_(True) for p in model.parameters()]
    opt = torch.optim.Adam(shadow, lr=1e-3, betas=(0.9, 0.998), eps=1e-8, weight_decay=1e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=40)
    sum((p * p).sum() for p in shadow).backward()
    opt.step()
    sched.step()
    torch.save({"epoch": 3, "global_step": 120, "model_state": model.state_dict(),
                "optimizer_state": opt.state_dict(), "scheduler_state": sched.state_dict(),
                "best_score": 21.5, "current_score": 22.0},
               os.path.join(a.out, "slrt_checkpoint.pth"))
    B, T = a.batch, a.frames
    rgb = torch.rand(B, 3, T, a.size, a.size) * 2 - 1
    hm = torch.rand(B, a.kp_channels, T, a.size // 2, a.size // 2) * 2 - 1
    lens = torch.tensor([T] + [T - 4] * (B - 1), dtype=torch.long)
    tgt = torch.tensor([[3, 5], [4, 1]] * (B // 2), dtype=torch.long)
    tlen = torch.tensor([2, 1] * (B // 2), dtype=torch.long)
    io = {"rgb": rgb, "heatmaps": hm, "lengths": lens, "targets": tgt, "target_lengths": tlen}
    net = model.recognition_network
    net.eval()
    with torch.no_grad():
        out = net(rgb, hm, lens)
    for name, h in out.items():
        io["eval." + name] = h["log_probs"]
    start = {k: v.clone() for k, v in net.state_dict().items()}
    net.train()
    out = net(rgb, hm, lens)
    total, terms = losses(out, tgt, tlen)
    io["train.total"] = total.detach().reshape(1)
    for n, v in terms.items():
        io["train." + n] = v.detach().reshape(1)
    # Train-mode outputs (batch-statistics BN in the backbones, masked BN in the heads) and the running statistics
    # that forward left behind (momentum 1e-3 in S3D, spec §1.1; 0.1 in the heads).
    for name, h in out.items():
        io["train_out." + name] = h["log_probs"].detach()
    for k, v in net.state_dict().items():
        if "running_" in k or k.endswith("num_batches_tracked"):
            io["bn_after." + k] = v.clone()
    # Parameter gradients of one loss step: every parameter trainable...
    total.backward()
    for k, p in net.named_parameters():
        io["grad." + k] = p.grad.detach().clone()
    # ...and with the RGB stem frozen (spec §1.1 freeze_block 1: requires_grad False on base.0, its BN still in
    # train mode in the two-stream model, spec §15.9), from the same starting weights and statistics.
    net.load_state_dict(start)
    net.zero_grad(set_to_none=True)
    for p in net.visual_backbone_twostream.rgb_stream.backbone.base[0].parameters():
        p.requires_grad_(False)
    total, _ = losses(net(rgb, hm, lens), tgt, tlen)
    total.backward()
    for k, p in net.named_parameters():
        if p.requires_grad:
            io["grad_frozen." + k] = p.grad.detach().clone()
    # The same train-mode step in float64: at this tiny size the batch-statistics BN sees few values per channel and
    # amplifies float32 rounding (this float32 run and its float64 twin differ by up to 2e-4 in log-probs and 22 % in
    # one gradient), so the strict train-mode and gradient comparisons are made in float64 on both sides.
    net64 = net.double()
    for frozen in (False, True):
        net64.load_state_dict(start)
        net64.zero_grad(set_to_none=True)
        for p in net64.visual_backbone_twostream.rgb_stream.backbone.base[0].parameters():
            p.requires_grad_(not frozen)
        out = net64(rgb.double(), hm.double(), lens)
        losses(out, tgt, tlen)[0].backward()
        tag = "64_frozen." if frozen else "64."
        for k, p in net64.named_parameters():
            if p.requires_grad:
                io["grad" + tag + k] = p.grad.detach().clone()
        if not frozen:
            for name, h in out.items():
                io["train_out64." + name] = h["log_probs"].detach()
            for k, v in net64.state_dict().items():
                if "running_" in k:
                    io["bn_after64." + k] = v.clone()
    torch.save(io, os.path.join(a.out, "io.pt"))
    print(json.dumps({"total": total.item(), **{n: v.item() for n, v in terms.items()}}))


def keys(a):
    """Prints `key<TAB>d0,d1,...` for every state-dict entry, without the recognition_network. prefix."""
    model = SignModel(a).recognition_network
    for k, v in model.state_dict().items():
        print("%s\t%s" % (k, ",".join(str(d) for d in v.shape)))


def loadcheck(a):
    """Strictly loads a state dict written by the C# exporter into this reference model; prints a summary."""
    obj = torch.load(a.out, map_location="cpu")
    sd = obj["model_state"] if "model_state" in obj else obj  # SLRT checkpoint dict or plain state dict
    model = SignModel(a)
    model.load_state_dict(sd, strict=True)
    extra = {k: v for k, v in obj.items() if k in ("epoch", "global_step")} if "model_state" in obj else {}
    print(json.dumps({"keys": len(sd), "params": sum(v.numel() for k, v in sd.items()), **extra}))


def peak_rss_mb():
    # VmHWM belongs to this address space; ru_maxrss can carry the parent's peak across fork+exec.
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def bench(a):
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    net = SignModel(a).recognition_network
    B, T = 1, a.frames
    rgb = torch.rand(B, 3, T, a.size, a.size) * 2 - 1
    hm = torch.rand(B, a.kp_channels, T, a.size // 2, a.size // 2) * 2 - 1
    lens = torch.tensor([T])
    L = max(1, T // 4 // 2)
    tgt = torch.randint(1, a.vocab, (1, L))
    tlen = torch.tensor([L])
    net.eval()
    with torch.no_grad():
        net(rgb, hm, lens)  # warm-up
        t0 = time.perf_counter()
        for _ in range(a.repeats):
            net(rgb, hm, lens)
        fwd = (time.perf_counter() - t0) / a.repeats
    net.train()
    total, _ = losses(net(rgb, hm, lens), tgt, tlen)
    total.backward()
    t0 = time.perf_counter()
    for _ in range(a.repeats):
        net.zero_grad()
        total, _ = losses(net(rgb, hm, lens), tgt, tlen)
        total.backward()
    fb = (time.perf_counter() - t0) / a.repeats
    rss = peak_rss_mb()
    print(json.dumps({"forward_s": fwd, "forward_backward_s": fb, "peak_rss_mb": rss, "torch": torch.__version__}))


if __name__ == "__main__":
    a = args()
    if a.mode == "fixture":
        if not a.out:
            sys.exit("fixture mode needs OUT_DIR")
        fixture(a)
    elif a.mode == "keys":
        keys(a)
    elif a.mode == "loadcheck":
        loadcheck(a)
    else:
        bench(a)
