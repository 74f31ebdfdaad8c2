"""The library tests' one list of cases and one dense reference (after curvlinops' ``test/cases.py``).

* :data:`CASES`: small float64 models with their loss and data (two batches of unequal size, so the
  ``n_b / N`` weighting of the mean loss is exercised), covering cross-entropy and squared error,
  BatchNorm with running statistics (eval mode) and a convolution with max-pooling;
* :func:`dense_reference`: the dense Hessian ``H`` and Gauss-Newton ``G`` of the mean loss over
  all samples, from ``torch.func.hessian`` / ``jacrev`` of the flat parameter vector -- independent
  of :mod:`dlspectra.curvature`;
* :func:`rotated`: a dense symmetric matrix with a prescribed spectrum (random Householder
  rotations), for the solvers;
* :func:`case`: the fixture that runs a test once per case.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pytest
import torch
from torch import nn
from torch.func import functional_call, hessian, jacrev


@dataclass(frozen=True)
class Case:
    """A model factory, its loss, its data factory (a list of ``(X, y)`` batches) and a task label."""

    name: str
    model: Callable[[], nn.Module]
    loss_fn: Callable[[], nn.Module]
    data: Callable[[], list[tuple[torch.Tensor, torch.Tensor]]]
    task: str  # "classification" | "regression"

    @property
    def num_classes(self) -> int | None:
        return 3 if self.task == "classification" else None


def _mlp(seed: int = 0, d_in: int = 5, h: int = 7, c: int = 3) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(d_in, h), nn.Tanh(), nn.Linear(h, h), nn.Sigmoid(), nn.Linear(h, c)).double().eval()


def _bn_mlp(seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)
    m = nn.Sequential(nn.Linear(5, 6), nn.BatchNorm1d(6), nn.ReLU(), nn.Linear(6, 3)).double()
    with torch.no_grad():  # non-trivial running statistics: eval-mode BatchNorm is not the identity
        m[1].running_mean.uniform_(-0.3, 0.3)
        m[1].running_var.uniform_(0.5, 1.5)
    return m.eval()


def _conv(seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(8, 3)).double().eval()


def _tabular(n: int = 24, d_in: int = 5, c: int = 3, seed: int = 1, regression: bool = False):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(n, d_in, generator=g, dtype=torch.float64)
    y = torch.randn(n, c, generator=g, dtype=torch.float64) if regression else torch.arange(n) % c
    return [(X[:16], y[:16]), (X[16:], y[16:])]


def _images(n: int = 20, seed: int = 2):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(n, 1, 6, 6, generator=g, dtype=torch.float64)
    y = torch.arange(n) % 3
    return [(X[:12], y[:12]), (X[12:], y[12:])]


CASES = [
    Case("mlp-ce", _mlp, nn.CrossEntropyLoss, _tabular, "classification"),
    Case("mlp-mse", _mlp, nn.MSELoss, lambda: _tabular(regression=True), "regression"),
    Case("bn-ce", _bn_mlp, nn.CrossEntropyLoss, _tabular, "classification"),
    Case("conv-ce", _conv, nn.CrossEntropyLoss, _images, "classification"),
]


@pytest.fixture(params=CASES, ids=[c.name for c in CASES])
def case(request) -> Case:
    """One test per case of :data:`CASES`."""
    return request.param


def mlp(**kw) -> nn.Module:
    """The float64 MLP of the ``mlp-*`` cases (``d_in``, ``h``, ``c``, ``seed``)."""
    return _mlp(**kw)


def tabular(**kw):
    """The two batches of the ``mlp-*`` cases (``n``, ``d_in``, ``c``, ``seed``, ``regression``)."""
    return _tabular(**kw)


def tanh_mlp(widths: list[int], seed: int = 0) -> nn.Module:
    """A float64 Linear-Tanh-...-Linear network of the given widths, in eval mode."""
    torch.manual_seed(seed)
    layers: list[nn.Module] = []
    for i, (a, b) in enumerate(zip(widths[:-1], widths[1:])):
        layers += [nn.Linear(a, b)] + ([nn.Tanh()] if i < len(widths) - 2 else [])
    return nn.Sequential(*layers).double().eval()


def random_batches(n: int, d_in: int, c: int, split: int, seed: int = 0):
    """Gaussian inputs ``(n, d_in)`` with random labels in ``[0, c)``, as two batches cut at ``split``."""
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(n, d_in, generator=g, dtype=torch.float64)
    y = torch.randint(0, c, (n,), generator=g)
    return [(X[:split], y[:split]), (X[split:], y[split:])]


def flat_theta(model: nn.Module) -> torch.Tensor:
    return torch.cat([p.detach().reshape(-1) for p in model.parameters()])


def dense_reference(model: nn.Module, loss_fn, batches) -> tuple[torch.Tensor, torch.Tensor]:
    """Dense ``H`` and ``G`` ``(P, P)`` of the mean loss over all samples of ``batches``."""
    names = [n for n, _ in model.named_parameters()]
    shapes = [p.shape for _, p in model.named_parameters()]
    numels = [p.numel() for _, p in model.named_parameters()]
    theta = flat_theta(model)
    X = torch.cat([b[0] for b in batches])
    y = torch.cat([b[1] for b in batches])

    def unflat(t):
        return {n: s.view(sh) for n, s, sh in zip(names, torch.split(t, numels), shapes)}

    def out(t):
        return functional_call(model, unflat(t), (X,))

    with warnings.catch_warnings():  # torch.func's own notice of torch.jit.script, at its first use
        warnings.simplefilter("ignore", FutureWarning)
        H = hessian(lambda t: loss_fn(out(t), y))(theta)
    J = jacrev(out)(theta).reshape(len(X), -1, theta.numel())  # (n, outputs, P)
    z0 = out(theta).detach()
    oshape, z = z0.shape[1:], z0.reshape(len(X), -1)
    G = torch.zeros_like(H)
    for i in range(len(X)):  # per-sample output Hessians, weighted so that G is that of the mean loss
        Hz = hessian(lambda zz: loss_fn(zz.reshape(1, *oshape), y[i:i + 1]))(z[i])
        G += J[i].T @ Hz @ J[i] / len(X)
    return H, G


def rotated(eigs, seed: int = 0, reflections: int = 4) -> torch.Tensor:
    """``Q diag(eigs) Q^T`` with ``Q`` a product of random Householder reflections (float64)."""
    rng = np.random.default_rng(seed)
    A = np.diag(np.asarray(eigs, dtype=float))
    for _ in range(reflections):
        u = rng.standard_normal(len(eigs))
        u /= np.linalg.norm(u)
        Au = A @ u
        A = A - 2 * np.outer(u, Au) - 2 * np.outer(Au, u) + 4 * (u @ Au) * np.outer(u, u)
    return torch.tensor((A + A.T) / 2)
