"""Data, networks and training of Baskerville et al. (catalog-baskerville 1.1-1.3), built from the library.

A *recipe* is a plain dict (it is the cache key of the trained weights):

``{"data": {...}, "net": {...}, "epochs", "lr", "momentum", "weight_decay", "batch_size",
"augment_pad", "train_n", "seed"}``

* data ``{"name": "mnist", "pool": 2}``: MNIST with the authors' ``Normalize(0.5, 0.5)``,
  average-pooled ``pool x pool`` (1 = the paper's 28x28; 2 -> 14x14, 4 -> 7x7 at ``ci``), flattened;
  ``{"name": "cifar10", "pool": 1}``: CIFAR-10 with ImageNet mean/std (the authors' code), images kept;
  ``{"name": "bike"}``: UCI Bike Sharing hourly with the paper's preprocessing (dlspectra.data:
  seeded leakage-free 80/20 split, day-of-month ``dteday``, as the authors' code but without its train/test overlap);
  ``{"name": "embed", "extractor": <recipe>}``: CIFAR-10 images passed through the trained feature
  CNN of ``extractor`` (the paper's frozen ResNet-34 embedding, which cannot be downloaded here).
* net ``{"kind": "mlp", "hidden": [...]}`` (``[]`` = logistic regression), ``{"kind": "lenet_small"}``
  (the library's LeNet 35/50, P = 19,217 at 32x32x3), ``{"kind": "micro_lenet", ...}`` (ci) or
  ``{"kind": "feature_cnn", ...}`` (the embedding network; its penultimate layer is the embedding).

Training (paper Sec. 4): SGD, lr 0.003, momentum 0.9, weight decay 5e-4, batch 128, constant for
the first half then linear to lr/100 by 90 % (``dlspectra.optim.lr_factor("linear-decay")``);
``epochs = 0`` is the seeded initialisation (the paper's "untrained").
"""

from __future__ import annotations

import copy
from typing import Any

import torch
from torch import nn

from dlspectra import budget, data as data_mod
from dlspectra.cache import Cache
from dlspectra.models import LeNet, build_model, mlp, num_params
from dlspectra.optim import lr_factor
from dlspectra.progress import progress_bar
from dlspectra.train import augment_batch

__all__ = ["MicroLeNet", "FeatureCNN", "Trained", "load_data", "build_net", "train", "count_params"]

_VERSION = 1


class MicroLeNet(nn.Module):
    """A LeNet-shaped CNN small enough for exact Hessians on 2 cores (catalog bask-fig07, ci):
    conv ``k1 x k1`` C -> c1, ReLU, max-pool 2; conv ``k2 x k2`` c1 -> c2, ReLU, max-pool 2;
    FC -> h1 -> h2 -> classes with ReLU.  Input ``(N, C, S, S)``; output logits ``(N, classes)``."""

    def __init__(self, in_channels: int = 3, input_size: int = 16, channels=(4, 8), kernels=(5, 3),
                 hidden=(16, 16), num_classes: int = 10) -> None:
        super().__init__()
        side = ((input_size - kernels[0] + 1) // 2 - kernels[1] + 1) // 2
        if side < 1:
            raise ValueError(f"input size {input_size} too small for kernels {kernels}")
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, channels[0], kernels[0]), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(channels[0], channels[1], kernels[1]), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten())
        self.classifier = mlp([channels[1] * side * side, *hidden, num_classes])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.features(x))


class FeatureCNN(nn.Module):
    """The embedding network (our stand-in for the frozen ResNet-34): two conv blocks, global
    pooling to ``width`` features, one linear layer.  ``embed(x)`` returns ``(N, width)``."""

    def __init__(self, in_channels: int = 3, width: int = 64, num_classes: int = 10) -> None:
        super().__init__()
        half = max(width // 2, 1)
        self.body = nn.Sequential(
            nn.Conv2d(in_channels, half, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(half, width, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.head = nn.Linear(width, num_classes)

    def embed(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.body(x))


def count_params(net_cfg: dict, data_cfg: dict) -> int:
    """Number of parameters of ``net_cfg`` on ``data_cfg`` (builds the net, no data needed)."""
    return num_params(build_net(net_cfg, _input_shape(data_cfg), _num_outputs(data_cfg), seed=0))


def _input_shape(data_cfg: dict) -> tuple[int, ...]:
    name, pool = data_cfg["name"], int(data_cfg.get("pool", 1))
    if name == "mnist":
        return ((28 // pool) ** 2,)
    if name == "cifar10":
        return (3, 32 // pool, 32 // pool)
    if name == "bike":
        return (13,)
    if name == "embed":
        return (int(data_cfg["extractor"]["net"]["width"]),)
    raise ValueError(f"unknown data {name!r}; valid: mnist, cifar10, bike, embed")


def _num_outputs(data_cfg: dict) -> int:
    return 1 if data_cfg["name"] == "bike" else 10


def build_net(net_cfg: dict, input_shape: tuple[int, ...], outputs: int, seed: int) -> nn.Module:
    """A freshly initialised (PyTorch default init, seeded) network of ``net_cfg``."""
    kind = net_cfg["kind"]
    state = torch.random.get_rng_state()
    try:
        torch.manual_seed(seed)
        if kind == "mlp":
            feats = 1
            for s in input_shape:
                feats *= s
            return mlp([feats, *net_cfg.get("hidden", []), outputs])
        if kind == "lenet_small":
            return build_model("lenet-small", seed=seed, in_channels=input_shape[0], input_size=input_shape[1],
                               num_classes=outputs)
        if kind == "lenet":
            return LeNet(in_channels=input_shape[0], input_size=input_shape[1], num_classes=outputs,
                         hidden=tuple(net_cfg.get("hidden", (120, 84))))
        if kind == "micro_lenet":
            return MicroLeNet(input_shape[0], input_shape[1], tuple(net_cfg.get("channels", (4, 8))),
                              tuple(net_cfg.get("kernels", (5, 3))), tuple(net_cfg.get("hidden", (16, 16))), outputs)
        if kind == "feature_cnn":
            return FeatureCNN(input_shape[0], int(net_cfg.get("width", 64)), outputs)
    finally:
        torch.random.set_rng_state(state)
    raise ValueError(f"unknown net kind {kind!r}; valid: mlp, lenet_small, lenet, micro_lenet, feature_cnn")


def load_data(data_cfg: dict, split: str, device: str | torch.device = "cpu",
              n: int | None = None, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """``(X, y)`` of ``split`` for ``data_cfg`` (see the module docstring), float32 on ``device``.
    ``n``: a seeded class-balanced subset (train) or the first ``n`` samples (test, dataset order,
    as the authors' unshuffled loader); None = all."""
    name, pool = data_cfg["name"], int(data_cfg.get("pool", 1))
    if name == "embed":
        ex = train(data_cfg["extractor"], device, progress=False)
        Xi, y = load_data(ex.recipe["data"], split, device, n=n, seed=seed)
        with torch.no_grad():
            Z = torch.cat([ex.model.embed(Xi[i:i + 500]) for i in range(0, len(Xi), 500)])
        return Z, y
    norm = {"mnist": "half", "cifar10": "imagenet", "bike": "none"}.get(name)
    if norm is None:
        raise ValueError(f"unknown data {name!r}; valid: mnist, cifar10, bike, embed")
    if split == "train" and n is not None:
        ds = data_mod.load(data_mod.DataSpec(name, split, n=n, seed=seed, normalize=norm))
        X, y = ds.X, ds.y
    else:
        ds = data_mod.load(data_mod.DataSpec(name, split, normalize=norm))
        X, y = (ds.X[:n], ds.y[:n]) if n is not None else (ds.X, ds.y)
    if name in ("mnist", "cifar10") and pool > 1:
        X = nn.functional.avg_pool2d(X, pool)
    if name == "mnist":
        X = X.reshape(len(X), -1)
    return X.contiguous().to(device), y.to(device)


class Trained:
    """A trained (or initial, ``epochs = 0``) network in eval mode with its recipe and metrics
    (``init_train_loss``, ``train_loss``, ``test_loss``, ``test_accuracy`` where it applies)."""

    def __init__(self, model: nn.Module, recipe: dict, metrics: dict) -> None:
        self.model, self.recipe, self.metrics = model, recipe, metrics

    @property
    def loss_fn(self) -> nn.Module:
        return loss_for(self.recipe["data"])

    @property
    def num_params(self) -> int:
        return num_params(self.model)


class _Squeezed(nn.Module):
    """MSE of a ``(N, 1)`` output against ``(N,)`` targets (the authors' ``out.squeeze()``)."""

    def forward(self, out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return nn.functional.mse_loss(out.reshape(y.shape), y)


def loss_for(data_cfg: dict) -> nn.Module:
    """Cross-entropy (mean) for the classifiers, squared error (mean) for Bike."""
    return _Squeezed() if data_cfg["name"] == "bike" else nn.CrossEntropyLoss()


@torch.no_grad()
def _evaluate(model: nn.Module, loss_fn, X: torch.Tensor, y: torch.Tensor, classify: bool) -> dict:
    total, correct = 0.0, 0
    for i in range(0, len(X), 1000):
        out = model(X[i:i + 1000])
        total += float(loss_fn(out, y[i:i + 1000])) * len(out)
        if classify:
            correct += int((out.argmax(1) == y[i:i + 1000]).sum())
    res = {"loss": total / len(X)}
    if classify:
        res["accuracy"] = correct / len(X)
    return res


def train(recipe: dict, device: str | torch.device = "cpu", *, progress: bool = True,
          cache: Cache | None = None) -> Trained:
    """Train ``recipe`` (or load it from the cache, namespace ``bask-checkpoints``)."""
    recipe = copy.deepcopy(recipe)
    device = torch.device(device)
    cache = cache or Cache()
    key = {"recipe": recipe, "_version": _VERSION}
    dcfg = recipe["data"]
    model = build_net(recipe["net"], _input_shape(dcfg), _num_outputs(dcfg), int(recipe.get("seed", 0))).to(device)
    stored = cache.load("bask-checkpoints", key, "torch")
    if stored is not None:
        model.load_state_dict(stored["state_dict"])
        return Trained(model.eval(), recipe, stored["metrics"])
    loss_fn = loss_for(dcfg)
    classify = dcfg["name"] != "bike"
    X, Y = load_data(dcfg, "train", device, n=recipe.get("train_n"), seed=int(recipe.get("seed", 0)))
    Xt, Yt = load_data(dcfg, "test", device, n=recipe.get("test_n"))
    model.eval()
    metrics: dict[str, Any] = {"init_train_loss": _evaluate(model, loss_fn, X, Y, classify)["loss"],
                               "train_n": len(X), "test_n": len(Xt)}
    epochs = int(recipe.get("epochs", 0))
    opt = torch.optim.SGD(model.parameters(), lr=float(recipe["lr"]), momentum=float(recipe.get("momentum", 0.9)),
                          weight_decay=float(recipe.get("weight_decay", 5e-4)))
    bs, pad = int(recipe.get("batch_size", 128)), int(recipe.get("augment_pad", 0))
    for epoch in progress_bar(range(epochs), enabled=progress and epochs > 0, leave=False, desc="train"):
        model.train()
        for group in opt.param_groups:
            group["lr"] = float(recipe["lr"]) * lr_factor("linear-decay", epoch, epochs)
        gen = torch.Generator().manual_seed(int(recipe.get("seed", 0)) * 100_003 + epoch)
        perm = torch.randperm(len(X), generator=gen).to(device)
        cap = budget.batches_per_epoch()  # a smoke run's cap (None: every batch)
        for i in range(0, len(X) if cap is None else min(len(X), cap * bs), bs):
            idx = perm[i:i + bs]
            x = augment_batch(X[idx], gen, pad) if pad else X[idx]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(x), Y[idx])
            if not torch.isfinite(loss):
                raise FloatingPointError(f"training diverged at epoch {epoch}: loss {float(loss)}")
            loss.backward()
            opt.step()
    model.eval()
    tr, te = _evaluate(model, loss_fn, X, Y, classify), _evaluate(model, loss_fn, Xt, Yt, classify)
    metrics.update(train_loss=tr["loss"], test_loss=te["loss"])
    if classify:
        metrics.update(train_accuracy=tr["accuracy"], test_accuracy=te["accuracy"])
    cache.save("bask-checkpoints", key, "torch", {"state_dict": {k: v.cpu() for k, v in model.state_dict().items()},
                                                 "metrics": metrics})
    return Trained(model, recipe, metrics)
