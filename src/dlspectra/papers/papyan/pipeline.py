"""Papyan's recipes and shared computations: the trained networks, their G decomposition,
per-layer class structure, Hessian/G/E spectra, and the rules the pages use to read them.

Every page asks for the same objects through these functions, so a model is trained once per
configuration (``dlspectra.train.train_model`` caches checkpoints by config) and every number
a page prints is computed here from that model.

Recipe (App. D.1): SGD, momentum 0.9, weight decay 5e-4, batch 128, learning rate divided by 10
at 1/3 and 2/3 of the epochs, no augmentation; BatchNorm in eval mode for every operator (App. D.3).
Sizes come from the page's preset (``dlspectra.papers.papyan.presets``).
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from dlspectra import data as data_mod
from dlspectra.curvature import (
    GDecomposition,
    GGNOperator,
    HessianOperator,
    LayerStats,
    ResidualOperator,
    layer_class_structure,
)
from dlspectra.models import num_params
from dlspectra.train import TrainConfig, TrainedModel, train_model

MILESTONES = (1 / 3, 2 / 3)
"""The paper's schedule: "annealed twice", by 10 at 1/3 and 2/3 of the epochs (App. D.1)."""


def curv_data(X: torch.Tensor, y: torch.Tensor) -> tuple:
    """The positional data arguments of the curvature functions (``layer_class_structure``,
    ``layer_samples``, ``GDecomposition``, ...): ``((X, y),)`` where they take one ``data`` argument,
    ``(X, y)`` where they take ``X, y`` (the library is moving to the former)."""
    return ((X, y),) if "data" in inspect.signature(layer_class_structure).parameters else (X, y)


def mlp_widths(p: dict, in_features: int, num_classes: int = 10) -> list[int]:
    """Layer widths of the preset's MLP: input, ``depth`` hidden layers of ``width``, output."""
    return [in_features] + [int(p["width"])] * int(p["depth"]) + [num_classes]


def training_images(p: dict) -> int:
    """Training images the preset's networks need: ``n_per_class`` × 10, or the largest size of its
    ``sizes`` grid (``papyan/fig06``) × 10 (Papyan's class-balanced training sets, App. D.1)."""
    per_class = max([int(p["n_per_class"])] + [int(n) for n in p.get("sizes", [])])
    return per_class * 10


def missing_data(p: dict, dataset: str) -> str:
    """Why the preset's training set of ``dataset`` cannot be built here ("" when it can): the data set
    is absent, or only an offline subset smaller than :func:`training_images` is on disk (CIFAR-10's
    4,000 images against the paper's 5,000 per class). A page records its claims "not run: data
    missing" with this sentence."""
    n = training_images(p)
    if not data_mod.available(dataset):
        return f"{dataset} is not on this machine"
    if not data_mod.available(dataset, n=n):
        have = len(data_mod.load(data_mod.DataSpec(dataset)))
        return (f"{dataset}: the preset trains on {n:,} images ({n // 10:,} per class), and only {have:,} are on "
                f"this machine (an offline subset)")
    return ""


def train_config(p: dict, dataset: str, *, n_per_class: int | None = None, epochs: int | None = None,
                 model: str | None = None, seed: int | None = None) -> TrainConfig:
    """The :class:`TrainConfig` of the preset's network on ``dataset`` (class-balanced subset)."""
    n_pc = int(n_per_class if n_per_class is not None else p["n_per_class"])
    spec = data_mod.DataSpec(dataset, n=n_pc * 10, seed=int(p.get("seed", 0)), balanced=True)
    model = model or p.get("model", "mlp")
    if model == "mlp":
        feats = {"cifar10": 3 * 32 * 32}.get(dataset, 28 * 28)
        mcfg = {"widths": mlp_widths(p, feats), "batchnorm": True}
    else:
        mcfg = dict(p.get("model_config", {}))
    return TrainConfig(model=model, data=spec, model_config=mcfg, optimizer="sgd", lr=float(p["lr"]),
                       momentum=0.9, weight_decay=5e-4, batch_size=128,
                       epochs=int(epochs if epochs is not None else p["epochs"]), schedule="step",
                       milestones=MILESTONES, augment=False, seed=int(p.get("seed", 0) if seed is None else seed),
                       test_n=p.get("test_n", 2000))


@dataclass
class Network:
    """A trained network with the data it was trained on and a test subset (both on its device)."""

    trained: TrainedModel
    train: data_mod.Dataset
    test: data_mod.Dataset

    @property
    def model(self) -> nn.Module:
        return self.trained.model

    @property
    def num_params(self) -> int:
        return num_params(self.model)

    @property
    def train_accuracy(self) -> float | None:
        """Accuracy on the training data after training (eval mode), or None if not recorded."""
        return self.trained.metrics.get("train", {}).get("accuracy")

    def describe(self) -> str:
        """``"55,306 parameters, 1,360 training images, 200 epochs, train accuracy 1.000 (loss 0.0012),
        test accuracy 0.914"``."""
        m = self.trained.metrics
        parts = [f"{self.num_params:,} parameters", f"{len(self.train):,} training images",
                 f"{self.trained.config.epochs} epochs"]
        tr, te = m.get("train", {}), m.get("test", {})
        if "accuracy" in tr:
            parts.append(f"train accuracy {tr['accuracy']:.3f} (loss {tr['loss']:.2g})")
        if "accuracy" in te:
            parts.append(f"test accuracy {te['accuracy']:.3f}")
        return ", ".join(parts)


def network(p: dict, dataset: str = "mnist", device: str | torch.device = "cpu", **changes) -> Network:
    """Train (or load) the preset's network on ``dataset``; ``changes`` go to :func:`train_config`."""
    cfg = train_config(p, dataset, **changes)
    trained = train_model(cfg, device, progress=False)
    train = data_mod.load(cfg.data)
    test = data_mod.load(data_mod.DataSpec(dataset, split="test", n=int(p.get("test_n", 1000)), seed=1))
    return Network(trained, train, test)


BATCH = 2048
"""Samples per product in the operators (one batch for the ci data sets; fewer Python calls per product)."""


def decompose(net: Network, *, batch_size: int = BATCH) -> GDecomposition:
    """:class:`GDecomposition` of the network's ``G`` on its training data."""
    dev = next(net.model.parameters()).device
    return GDecomposition(net.model, *curv_data(net.train.X.to(dev), net.train.y.to(dev)), 10, batch_size=batch_size)


def layer_stats(net: Network, *, batch_size: int = 512) -> list[LayerStats]:
    """:class:`LayerStats` of every linear layer (training data)."""
    return layer_class_structure(net.model, *curv_data(net.train.X, net.train.y), 10, batch_size=batch_size)


def operators(net: Network, split: str = "train", *, batch_size: int = BATCH) -> dict:
    """``{"hess", "G", "E"}`` operators of the mean cross-entropy on the train or test subset."""
    ds = net.train if split == "train" else net.test
    dev = next(net.model.parameters()).device
    batches = ds.batches(batch_size, dev)
    loss = nn.CrossEntropyLoss()
    return {"hess": HessianOperator(net.model, loss, batches, method="double_backward"),
            "G": GGNOperator(net.model, loss, batches),
            "E": ResidualOperator(net.model, loss, batches, method="double_backward")}


# ----------------------------------------------------------------------------- reading spectra


def gap_count(eigenvalues: np.ndarray, max_count: int, *, floor: float = 1e-12) -> int:
    """Number of outliers by the largest log-gap rule: ``argmax_{i < max_count} log(lambda_i / lambda_{i+1}) + 1``
    over the descending positive eigenvalues (values below ``floor * lambda_1`` count as ``floor * lambda_1``)."""
    ev = np.sort(np.asarray(eigenvalues, dtype=np.float64))[::-1]
    if len(ev) < 2:
        return len(ev)
    top = max(ev[0], 0.0)
    ev = np.maximum(ev, floor * top if top > 0 else floor)
    m = min(max_count, len(ev) - 1)
    gaps = np.log(ev[:m]) - np.log(ev[1:m + 1])
    return int(np.argmax(gaps)) + 1


def log_shift(before: np.ndarray, after: np.ndarray, k: int, *, floor: float = 1e-12) -> np.ndarray:
    """``|log lambda_i(A) - log lambda_i(A knocked out)|`` for the top ``k`` (both descending; floored)."""
    a = np.sort(np.asarray(before, np.float64))[::-1][:k]
    b = np.sort(np.asarray(after, np.float64))[::-1][:k]
    f = floor * max(a[0], 1e-300)
    return np.abs(np.log(np.maximum(a, f)) - np.log(np.maximum(b, f)))


def knockout_summary(before: np.ndarray, after: np.ndarray, group: int, k: int) -> dict:
    """Median log-shift of the top ``group`` eigenvalues and of the next ``k - group`` after a knockout."""
    s = log_shift(before, after, k)
    return {"top": float(np.median(s[:group])), "rest": float(np.median(s[group:])) if k > group else float("nan")}


def eigh_desc(A: torch.Tensor) -> np.ndarray:
    """Eigenvalues of a symmetric matrix, descending, float64."""
    return np.sort(torch.linalg.eigvalsh(A.to(torch.float64)).cpu().numpy())[::-1]


def within_class_traces(net: Network, dec: GDecomposition, *, chunk: int = 32) -> np.ndarray:
    """Fig. 6's red points: ``(1/N_c) Tr G_within,c`` per class ``c`` ``(C,)``, with
    ``G_within,c = sum_{c'} (w_{c,c'} / sum_{c''} w_{c,c''}) sum_{i in c} pi_{i,c,c'} (g - g_{c,c'})(g - g_{c,c'})^T``
    (Papyan Sec. 3's within-class term, normalised per class; ``N_c`` = samples of class ``c``).  Per-sample extended gradients in
    chunks of ``chunk`` samples (memory ``chunk * C * P``)."""
    means, wcc = dec.structure.means, dec.structure.weights
    X, y = net.train.X.to(means.device), net.train.y.to(means.device)
    C = wcc.shape[0]
    tr = torch.zeros(C, C, dtype=torch.float64)
    for s in range(0, len(X), chunk):
        g, w = _partial_extended(net.model, X[s:s + chunk], y[s:s + chunk], C)
        w = w * len(g) / len(X)  # weights relative to the whole data set
        yy = y[s:s + chunk]
        d2 = ((g - means[yy]) ** 2).sum(-1).to(torch.float64).cpu()  # (nb, C')
        tr.index_add_(0, yy.cpu(), (w.to(torch.float64).cpu() / wcc.to(torch.float64).cpu()[yy.cpu()]) * d2)
    wrow = wcc.to(torch.float64).cpu()
    per_class = (wrow / wrow.sum(1, keepdim=True) * tr).sum(1)
    counts = torch.bincount(y.cpu(), minlength=C).to(torch.float64)
    return (per_class / counts).numpy()


def _partial_extended(model: nn.Module, X: torch.Tensor, y: torch.Tensor, C: int):
    """Extended gradients of a chunk that lacks some classes (the class check is for whole data sets)."""
    from torch.func import functional_call, jacrev, vmap

    from dlspectra.curvature.base import select_params

    names, ps = select_params(model)
    theta = {n: q.detach() for n, q in zip(names, ps)}

    def logits(th, x):
        return functional_call(model, th, (x.unsqueeze(0),))[0]

    import warnings

    with warnings.catch_warnings():  # torch.func's first jacrev call triggers torch's own jit deprecation notice
        warnings.filterwarnings("ignore", message=".*torch.jit.script.*is deprecated", category=FutureWarning)
        J = vmap(jacrev(logits), in_dims=(None, 0))(theta, X)
    J = torch.cat([J[n].reshape(len(X), C, -1) for n in names], dim=-1)
    with torch.no_grad():
        p = torch.softmax(model(X), 1)
    R = p[:, None, :] - torch.eye(C, dtype=p.dtype, device=p.device)[None]
    return torch.einsum("nkc,ncp->nkp", R, J).detach(), p / len(X)
