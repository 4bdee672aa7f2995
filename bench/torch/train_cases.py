"""PyTorch reference for bench/run.ts --compare-torch and bench/train-vs-torch.ts: the same training
steps as bench/models/ (TIGER paper and small, SASRec with the full softmax, the SASRec recipe with
sampled softmax, with gBCE and with the full softmax, multi-interest two-tower, SID ranking), same shapes and parameter
layout, Adam, 2 threads (RECSPEC_BENCH_THREADS=N for another count; bench/lib/torch.ts runs it with
glibc malloc keeping freed memory, see there why). Prints one JSON array of {case, backend, config, n, median, p10, p90, unit, rss_mb}.
With --serve it reads lines "CASE STEPS" on stdin and answers each with one JSON line
{case, config, examples, seconds: [...], cpu: process CPU seconds per step} (the case built and warmed up when it is first named,
the previous one dropped), so a caller can time both sides of a case alternately.
Usage: python3 bench/torch/train_cases.py [--quick] [--only=SUBSTRING] [--serve]"""
import json
import math
import os
import re
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(int(os.environ.get("RECSPEC_BENCH_THREADS", "2")))
torch.manual_seed(0)
QUICK = "--quick" in sys.argv
SERVE = "--serve" in sys.argv
ONLY = next((a[len("--only="):] for a in sys.argv if a.startswith("--only=")), "")


class Attention(nn.Module):
    """Multi-head attention with a per-head width independent of d_model (TIGER: 6 x 64 on d 128)."""

    def __init__(self, d, heads, head_dim, dropout):
        super().__init__()
        self.h, self.hd = heads, head_dim
        self.q, self.k, self.v = (nn.Linear(d, heads * head_dim) for _ in range(3))
        self.o = nn.Linear(heads * head_dim, d)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, mem, bias=None):
        b, t, _ = x.shape
        s = mem.shape[1]
        q = self.q(x).view(b, t, self.h, self.hd).transpose(1, 2)
        k = self.k(mem).view(b, s, self.h, self.hd).transpose(1, 2)
        v = self.v(mem).view(b, s, self.h, self.hd).transpose(1, 2)
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.hd)
        if bias is not None:
            scores = scores + bias
        out = self.drop(scores.softmax(-1)) @ v
        return self.o(out.transpose(1, 2).reshape(b, t, self.h * self.hd))


class Layer(nn.Module):
    """Pre-LN transformer layer: self-attention, optional cross-attention, feed-forward."""

    def __init__(self, d, heads, head_dim, ff, dropout, cross=False, activation=nn.ReLU):
        super().__init__()
        self.self_attn = Attention(d, heads, head_dim, dropout)
        self.cross = Attention(d, heads, head_dim, dropout) if cross else None
        self.norms = nn.ModuleList(nn.LayerNorm(d, eps=1e-6) for _ in range(3 if cross else 2))
        self.ff = nn.Sequential(nn.Linear(d, ff), activation(), nn.Dropout(dropout), nn.Linear(ff, d))
        self.drop = nn.Dropout(dropout)

    def forward(self, x, mem=None, bias=None):
        y = self.norms[0](x)
        x = x + self.drop(self.self_attn(y, y, bias))
        if self.cross is not None:
            x = x + self.drop(self.cross(self.norms[1](x), mem))
        return x + self.drop(self.ff(self.norms[-1](x)))


def causal(t):
    return torch.triu(torch.full((t, t), -1e9), 1)


class Tiger(nn.Module):
    def __init__(self, d, layers, heads, head_dim, ff):
        super().__init__()
        self.tokens = nn.Embedding(1025 + 2000, d)
        self.src_pos = nn.Parameter(torch.randn(81, d) * 0.05)
        self.tgt_pos = nn.Parameter(torch.randn(4, d) * 0.05)
        self.enc = nn.ModuleList(Layer(d, heads, head_dim, ff, 0.1) for _ in range(layers))
        self.dec = nn.ModuleList(Layer(d, heads, head_dim, ff, 0.1, cross=True) for _ in range(layers))
        self.enc_norm, self.dec_norm = nn.LayerNorm(d, eps=1e-6), nn.LayerNorm(d, eps=1e-6)
        self.out = nn.Linear(d, 1025)

    def loss(self, src, tgt_in, tgt_out):
        h = self.tokens(src) + self.src_pos
        for layer in self.enc:
            h = layer(h)
        mem = self.enc_norm(h)
        y = self.tokens(tgt_in) + self.tgt_pos
        bias = causal(4)
        for layer in self.dec:
            y = layer(y, mem, bias)
        return F.cross_entropy(self.out(self.dec_norm(y)).reshape(-1, 1025), tgt_out.reshape(-1))


class SasRec(nn.Module):
    def __init__(self, items=12102, d=64, length=50):
        super().__init__()
        self.items = nn.Embedding(items + 1, d, padding_idx=0)
        self.pos = nn.Parameter(torch.randn(length, d) * 0.05)
        self.layers = nn.ModuleList(Layer(d, 1, d, d, 0.2) for _ in range(2))
        self.norm = nn.LayerNorm(d, eps=1e-6)
        self.d, self.length = d, length

    def loss(self, seq, targets):
        h = self.items(seq) * math.sqrt(self.d) + self.pos
        bias = causal(self.length)
        for layer in self.layers:
            h = layer(h, bias=bias)
        logits = self.norm(h).reshape(-1, self.d) @ self.items.weight.t()
        return F.cross_entropy(logits, targets.reshape(-1), ignore_index=0)


def recipe_encoder():
    """Layers and dropout of the recipe's encoder as generated/sasrec_beauty/model.ts has them (the
    TypeScript side builds its steps from that class), so both sides train the same stack."""
    source = open(os.path.join(os.path.dirname(__file__), "..", "..", "generated", "sasrec_beauty", "model.ts")).read()
    config = re.search(r"const sasrecEncoder: TransformerConfig = \{([^}]*)\}", source).group(1)
    return int(re.search(r"layers: (\d+)", config).group(1)), float(re.search(r"dropout: ([\d.]+)", config).group(1))


class SasRecRecipe(nn.Module):
    """The SASRec recipe (specs/sasrec_beauty.recspec, as generated/sasrec_beauty/model.ts trains it):
    items x sqrt(64) plus learned positions, dropout, padding zeroed, pre-LN layers (1 head, GELU
    feed-forward of 64; how many and the dropout as recipe_encoder reads them) under a causal and
    padding bias, a final LayerNorm; every position with a next item is a row. Loss over 256
    negatives drawn uniformly per step and shared by the rows, a negative equal to a row's target
    masked out: sampled softmax over [positive, negatives] with logQ = log(256 / N) subtracted
    from every column, or gBCE with t = 0.75; or the full softmax over the catalogue (loss
    "softmax")."""

    def __init__(self, loss, items=12102, d=64, length=50, negatives=256, t=0.75):
        super().__init__()
        layers, dropout = recipe_encoder()
        self.items = nn.Embedding(items + 1, d)
        nn.init.normal_(self.items.weight, std=0.05)
        self.pos = nn.Parameter(torch.randn(512, d) * 0.05)
        self.drop = nn.Dropout(dropout)
        self.layers = nn.ModuleList(Layer(d, 1, d, d, dropout, activation=nn.GELU) for _ in range(layers))
        self.norm = nn.LayerNorm(d, eps=1e-6)
        self.kind, self.n, self.d, self.k = loss, items, d, negatives
        alpha = negatives / (items - 1)
        self.beta = alpha * (t * (1 - 1 / alpha) + 1 / alpha)

    def loss(self, seq, targets):
        b, length = seq.shape
        mask = (seq != 0).float()
        x = self.drop(self.items(seq) * math.sqrt(self.d) + self.pos[:length]) * mask.unsqueeze(-1)
        bias = causal(length) + (1 - mask)[:, None, None, :] * -1e9
        for layer in self.layers:
            x = layer(x, bias=bias)
        h = self.norm(x).reshape(b * length, self.d)
        # Next item of each position: the following id, the example's target after the last one.
        nxt = torch.cat([seq[:, 1:], targets[:, None]], 1).reshape(-1)
        rows = ((seq.reshape(-1) != 0) & (nxt != 0)).nonzero().squeeze(1)
        h, target = h[rows], nxt[rows]
        if self.kind == "softmax":
            return F.cross_entropy(h @ self.items.weight.t(), target)
        negatives = torch.randint(1, self.n + 1, (self.k,))
        hit = negatives[None, :] == target[:, None]
        positive = (h * self.items(target)).sum(1)
        scores = h @ self.items(negatives).t()
        if self.kind == "gbce":
            neg = F.softplus(scores) * (~hit)
            return (self.beta * F.softplus(-positive).sum() + neg.sum()) / (len(rows) * (self.k + 1))
        logits = torch.cat([positive[:, None], scores], 1) - math.log(self.k / self.n)
        logits[:, 1:] = logits[:, 1:].masked_fill(hit, -1e9)
        return F.cross_entropy(logits, torch.zeros(len(rows), dtype=torch.long))


class TwoTower(nn.Module):
    def __init__(self, items=12102, d=64, heads=4):
        super().__init__()
        self.items = nn.Embedding(items + 1, d, padding_idx=0)
        self.proj = nn.Linear(d, d)
        self.queries = nn.Parameter(torch.randn(heads, d) * 0.05)
        self.d = d

    def loss(self, history, target):
        seq = F.relu(self.proj(self.items(history)))
        weights = (seq @ self.queries.t() / math.sqrt(self.d)).transpose(1, 2).softmax(-1)
        users = weights @ seq  # [B, H, D]
        scores = torch.einsum("bhd,nd->bhn", users, self.items(target)).max(1).values
        return F.cross_entropy(scores, torch.arange(len(target)))


class Ranking(nn.Module):
    """SID ranking: items as the sum of their two bigram rows (2 tables x 32,768 x 64), mean-pooled
    history, MLP [256, 128] over [u, v, u*v], logistic loss over 1 positive + 4 negatives."""

    def __init__(self, items=12102, rows=32768, d=64):
        super().__init__()
        codes = torch.randint(0, 256, (items + 1, 3))
        self.register_buffer("b0", (codes[:, 0] * 256 + codes[:, 1]) % rows)
        self.register_buffer("b1", (codes[:, 1] * 256 + codes[:, 2]) % rows)
        self.t0, self.t1 = nn.Embedding(rows, d), nn.Embedding(rows, d)
        self.mlp = nn.Sequential(nn.Linear(3 * d, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 1))

    def item(self, i):
        return self.t0(self.b0[i]) + self.t1(self.b1[i])

    def loss(self, history, candidates, labels):
        u = self.item(history).mean(1)  # [B, D]
        v = self.item(candidates)  # [B, 5, D]
        u = u.unsqueeze(1).expand_as(v)
        logits = self.mlp(torch.cat([u, v, u * v], -1)).squeeze(-1)
        return F.binary_cross_entropy_with_logits(logits, labels)


def ids(shape, hi):
    return torch.randint(1, hi, shape)


def build(model, batches):
    """One training step of `model` over its micro-batches, gradients averaged, then Adam."""
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        opt.zero_grad()
        for batch in batches:
            (model.loss(*batch) / len(batches)).backward()
        opt.step()

    return step


def case(name, config, model, batches, examples):
    if ONLY not in name:
        return None
    step = build(model, batches)
    for _ in range(1 if QUICK else 3):
        step()
    samples = []
    for _ in range(2 if QUICK else 7):
        t0 = time.perf_counter()
        step()
        samples.append(examples / (time.perf_counter() - t0))
    samples.sort()
    q = lambda p: samples[min(len(samples) - 1, int(p * (len(samples) - 1) + 0.5))]
    if os.environ.get("MALLOC_MMAP_THRESHOLD_"):
        config += ", malloc keeps freed memory"
    return {"case": name, "backend": "torch", "config": config, "n": len(samples), "median": q(0.5),
            "p10": q(0.1), "p90": q(0.9), "unit": "examples/s",
            "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def tiger_batches(b, micro):
    return [(ids((micro, 81), 3025), ids((micro, 4), 1025), ids((micro, 4), 1025)) for _ in range(b // micro)]


def ranking_batches():
    labels = torch.zeros(1024, 5)
    labels[:, 0] = 1
    return [(ids((1024, 20), 12103), ids((1024, 5), 12103), labels)]


# name -> () -> (config, model, micro-batches, examples per step), at full size (--serve) or as
# --quick asks (the one-shot run).
CASES = {
    "train/tiger": lambda: (f"torch {torch.__version__}, 2 threads, batch 256", Tiger(128, 4, 6, 64, 1024), tiger_batches(256, 64), 256),
    "train/tiger_small": lambda: ("batch 64" if QUICK else "batch 256", Tiger(64, 2, 6, 64, 256),
                                  tiger_batches(64 if QUICK else 256, 64 if QUICK else 128), 64 if QUICK else 256),
    "train/sasrec": lambda: ("batch 64" if QUICK else "batch 256", SasRec(), [(ids((64, 50), 12103), ids((64, 50), 12103))] * (1 if QUICK else 4),
                             64 if QUICK else 256),
    "train/sasrec_sampled": lambda: ("batch 128", SasRecRecipe("sampled_softmax"), [(ids((128, 50), 12103), ids((128,), 12103))], 128),
    "train/sasrec_gbce": lambda: ("batch 128", SasRecRecipe("gbce"), [(ids((128, 50), 12103), ids((128,), 12103))], 128),
    "train/sasrec_recipe_softmax": lambda: ("batch 128", SasRecRecipe("softmax"), [(ids((128, 50), 12103), ids((128,), 12103))], 128),
    "train/two_tower": lambda: ("batch 512", TwoTower(), [(ids((512, 20), 12103), ids((512,), 12103))], 512),
    "train/ranking": lambda: ("batch 1024", Ranking(), ranking_batches(), 1024),
}


def serve():
    built = {}
    for line in sys.stdin:
        name, steps = line.split()
        if name not in built:
            built.clear()  # one case's model and optimizer in memory at a time
            config, model, batches, examples = CASES[name]()
            step = build(model, batches)
            for _ in range(3):
                step()
            built[name] = (config, step, examples)
        config, step, examples = built[name]
        seconds, cpu0 = [], time.process_time()
        for _ in range(int(steps)):
            t0 = time.perf_counter()
            step()
            seconds.append(time.perf_counter() - t0)
        cpu = (time.process_time() - cpu0) / int(steps)
        print(json.dumps({"case": name, "config": config, "examples": examples, "seconds": seconds, "cpu": cpu}), flush=True)


if SERVE:
    serve()
else:
    results = []
    for name, make in CASES.items():
        if (QUICK and name == "train/tiger") or ONLY not in name:
            continue
        results.append(case(name, *make()))
    print(json.dumps([r for r in results if r is not None]))
