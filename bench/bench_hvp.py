"""HVP cost relative to a gradient, for the HVP paths of dlspectra.curvature.HessianOperator.

Prints, for LeNet-5 on MNIST-shaped input (batch 512) and torchvision's ResNet18 (10 classes,
32x32 input, batch 128), the median wall time of: one full gradient, one HVP with the operator's
defaults (``HessianOperator(model, loss, data)``: the path it chose and why), by double backward
(fresh graph, and with the gradient graph cached), by forward-over-reverse and through
``torch.func.linearize``; and the ratios HVP / gradient.  All numbers in one run, so they are
comparable on a busy machine.

    python bench/bench_hvp.py [--quick] [--device cpu|cuda] [--repeats N]
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch
from torch import nn

from dlspectra.curvature import HessianOperator


def lenet() -> nn.Module:
    try:
        from dlspectra.models import build_model

        return build_model("lenet", seed=0, in_channels=1, num_classes=10)
    except Exception:  # models.py absent: the same LeNet-5 inline
        torch.manual_seed(0)
        return nn.Sequential(
            nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(256, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def resnet18() -> nn.Module:
    import torchvision

    torch.manual_seed(0)
    return torchvision.models.resnet18(num_classes=10)


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()


def bench(name: str, model: nn.Module, shape: tuple[int, ...], batch: int, repeats: int, device: torch.device) -> None:
    model = model.to(device).eval()
    g = torch.Generator().manual_seed(0)
    X = torch.randn(batch, *shape, generator=g).to(device)
    y = torch.randint(0, 10, (batch,), generator=g).to(device)
    loss_fn = nn.CrossEntropyLoss()
    batches = [(X, y)]
    ops = {
        "default": HessianOperator(model, loss_fn, batches),
        "double_backward": HessianOperator(model, loss_fn, batches, method="double_backward", cache_graph=False),
        "double_backward+cached_graph": HessianOperator(model, loss_fn, batches, method="double_backward",
                                                        cache_graph=True),
        "forward_over_reverse": HessianOperator(model, loss_fn, batches, method="forward_over_reverse"),
        "linearize": HessianOperator(model, loss_fn, batches, method="linearize"),
    }
    P = ops["double_backward"].dim
    v = torch.randn(P, generator=g).to(device)
    # round-robin: every repeat times each candidate once, so load changes hit all of them alike
    cands = {"gradient": lambda: ops["double_backward"].loss_and_gradient()}
    cands.update({f"HVP {k}": (lambda op=op: op.matvec(v)) for k, op in ops.items()})
    times: dict[str, list[float]] = {k: [] for k in cands}
    failed: dict[str, str] = {}
    setup: dict[str, float] = {}
    for k, fn in cands.items():  # warm-up (caches the graph, traces the linearisation)
        try:
            _sync(device)
            t = time.perf_counter()
            fn()
            _sync(device)
            setup[k] = time.perf_counter() - t
        except Exception as err:  # a method unsupported by a layer
            failed[k] = str(err)
    for _ in range(repeats):
        for k, fn in cands.items():
            if k in failed:
                continue
            _sync(device)
            t = time.perf_counter()
            fn()
            _sync(device)
            times[k].append(time.perf_counter() - t)
    t_grad = statistics.median(times["gradient"])
    print(f"\n{name}: {P:,} parameters, batch {batch}, device {device}, median of {repeats} (interleaved)")
    print(f"  gradient                         {t_grad:8.3f} s")
    ref = ops["double_backward"].matvec(v)
    for label, op in ops.items():
        k = f"HVP {label}"
        if k in failed:
            print(f"  {k:<33}failed: {failed[k][:80]}")
            continue
        t = statistics.median(times[k])
        diff = float((op.matvec(v) - ref).norm() / ref.norm())
        print(f"  {k:<33}{t:8.3f} s   HVP/gradient = {t / t_grad:5.2f}   rel. diff {diff:.1e}   "
              f"first product {setup[k]:.2f} s")
    d = ops["default"]
    gb = d.graph_bytes
    print(f"  default = {d.method_used}, gradient graphs cached: {d.cache_graph} "
          f"({gb.get('all_batches', 0) / 2**20:.0f} MiB for all batches, budget {gb.get('budget', 0) / 2**20:.0f} MiB); "
          f"default HVP/gradient = {statistics.median(times['HVP default']) / t_grad:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats, ResNet18 at batch 32")
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--repeats", type=int, default=None)
    args = ap.parse_args()
    device = torch.device(args.device)
    repeats = args.repeats or (3 if args.quick else 7)
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}")
    bench("LeNet-5 (MNIST 1x28x28)", lenet(), (1, 28, 28), 512, repeats, device)
    bench("ResNet18 (torchvision, 3x32x32, 10 classes)", resnet18(), (3, 32, 32), 32 if args.quick else 128,
          max(2, repeats // 2), device)


if __name__ == "__main__":
    main()
