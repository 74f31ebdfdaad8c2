"""Batch Hessian spectra of the paper's networks, cached (namespace ``bask-spectra``).

Every spectrum is the full set of ``P`` eigenvalues of an exact Hessian of the *sum* of the loss
over one batch (the authors' code; no weight decay), from consecutive batches of
``batch_size`` samples in data-set order (the authors' unshuffled loader): the test split in its
order, the training split as the training subset in its seeded order.  Default float64 on the
model's device; ``dtype="float32"`` reproduces the authors' precision.

Logistic regression has the closed form ``H = sum_n (diag p_n - p_n p_n^T) (x) x~_n x~_n^T``
(``x~ = [x; 1]``), built as ``F^T F`` with ``F`` stacking ``L_n (x) x~_n``,
``L_n = (I - p_n 1^T) diag(sqrt p_n)``; it is used for the full-data Hessians (its parameter order
differs from ``nn.Linear``'s, which leaves the spectrum unchanged).  The batch Hessians of every
network go through :func:`dlspectra.curvature.batch_hessian`.
"""

from __future__ import annotations

import numpy as np
import torch

from dlspectra.cache import Cache
from dlspectra.curvature import batch_gauss_newton, batch_hessian, symmetric_eigenvalues
from dlspectra.progress import progress_bar

from .setups import Trained, load_data

__all__ = ["batches_of", "batch_spectra", "full_logistic_spectrum", "logistic_hessian", "ggn_spectra"]

_VERSION = 1
_DTYPES = {"float64": torch.float64, "float32": torch.float32}


def batches_of(trained: Trained, split: str, n_batches: int, batch_size: int = 64, device="cpu"):
    """The first ``n_batches`` consecutive batches of ``split`` (see the module docstring)."""
    r = trained.recipe
    n = n_batches * batch_size
    if split == "train":
        X, y = load_data(r["data"], "train", device, n=r.get("train_n"), seed=int(r.get("seed", 0)))
        X, y = X[:n], y[:n]
    else:
        X, y = load_data(r["data"], "test", device, n=n)
    if len(X) < n:
        raise ValueError(f"{split} split has {len(X)} samples, fewer than {n_batches} batches of {batch_size}")
    return [(X[i:i + batch_size], y[i:i + batch_size]) for i in range(0, n, batch_size)]


def _key(trained: Trained, **extra) -> dict:
    return {"recipe": trained.recipe, "_version": _VERSION, **extra}


def batch_spectra(trained: Trained, split: str, n_batches: int, *, batch_size: int = 64, dtype: str = "float64",
                  device="cpu", cache: Cache | None = None, progress: bool = True) -> np.ndarray:
    """Eigenvalues ``(n_batches, P)`` (ascending rows) of the exact batch Hessians, cached."""
    if dtype not in _DTYPES:
        raise ValueError(f"dtype must be one of {sorted(_DTYPES)}, got {dtype!r}")
    cache = cache or Cache()
    key = _key(trained, kind="hessian", split=split, n_batches=n_batches, batch_size=batch_size, dtype=dtype)

    def compute():
        model = trained.model.to(device)
        bs = batches_of(trained, split, n_batches, batch_size, device)
        out = []
        net = trained.recipe["net"]
        logistic = net["kind"] == "mlp" and not net.get("hidden")
        chunk = 16 if net["kind"] in ("micro_lenet", "lenet_small", "lenet", "feature_cnn") else 512
        for X, y in progress_bar(bs, enabled=progress, leave=False, desc=f"Hessians ({split})"):
            if logistic:  # closed form (tests: equal to batch_hessian to rounding)
                H = logistic_hessian(model, X, dtype=_DTYPES[dtype])
            else:
                H = batch_hessian(model, trained.loss_fn, X, y, dtype=_DTYPES[dtype], reduction="sum",
                                  chunk_size=chunk)
            out.append(symmetric_eigenvalues(H).cpu().double().numpy())
        return {"eigs": np.stack(out)}

    return cache.get_or_compute("bask-spectra", key, compute)["eigs"]


def logistic_hessian(model: torch.nn.Module, X: torch.Tensor, *, dtype: torch.dtype = torch.float64,
                     chunk: int = 512) -> torch.Tensor:
    """Closed-form Hessian ``(C (d+1), C (d+1))`` of the summed cross-entropy of a softmax
    regression ``model`` (one ``nn.Linear``) over ``X`` ``(N, d)``; see the module docstring."""
    lin = [m for m in model.modules() if isinstance(m, torch.nn.Linear)]
    if len(lin) != 1:
        raise ValueError("logistic_hessian needs a model with exactly one nn.Linear layer")
    W, b = lin[0].weight.detach().to(dtype), lin[0].bias.detach().to(dtype)
    if not (bool(torch.isfinite(X).all()) and bool(torch.isfinite(W).all())):
        from dlspectra.errors import SpectrumError
        raise SpectrumError("logistic_hessian: NaN or infinite inputs or weights")
    C, d = W.shape
    H = torch.zeros(C * (d + 1), C * (d + 1), dtype=dtype, device=W.device)
    eye = torch.eye(C, dtype=dtype, device=W.device)
    for i in range(0, len(X), chunk):
        x = X[i:i + chunk].to(device=W.device, dtype=dtype)
        p = torch.softmax(x @ W.T + b, dim=1)                          # (n, C)
        L = (eye - p[:, :, None]) * p.sqrt()[:, None, :]               # (n, C, C): (I - p 1^T) diag sqrt p
        xt = torch.cat([x, torch.ones(len(x), 1, dtype=dtype, device=W.device)], 1)  # (n, d+1)
        F = torch.einsum("nck,nj->nkcj", L, xt).reshape(len(x) * C, C * (d + 1))
        H.addmm_(F.T, F)
    return H


def full_logistic_spectrum(trained: Trained, split: str, n: int | None, *, device="cpu",
                           cache: Cache | None = None) -> np.ndarray:
    """Eigenvalues of the closed-form Hessian of the summed loss over the first ``n`` samples of
    ``split`` (the training subset for ``"train"``; None = all of it), float64, cached."""
    cache = cache or Cache()
    key = _key(trained, kind="full-logistic", split=split, n=n)

    def compute():
        r = trained.recipe
        if split == "train":
            X, _ = load_data(r["data"], "train", device, n=r.get("train_n"), seed=int(r.get("seed", 0)))
            X = X[:n] if n is not None else X
        else:
            X, _ = load_data(r["data"], "test", device, n=n)
        H = logistic_hessian(trained.model.to(device), X)
        return {"eigs": symmetric_eigenvalues(H).cpu().numpy(), "n": np.asarray(len(X))}

    return cache.get_or_compute("bask-spectra", key, compute)["eigs"]


def ggn_spectra(trained: Trained, split: str, n_batches: int, *, batch_size: int = 64, dtype: str = "float64",
                device="cpu", cache: Cache | None = None) -> dict[str, np.ndarray]:
    """Gauss-Newton ``G = J^T J / B`` of a scalar-output network per batch: ``{"eigs": (m, P)
    eigenvalues of G, "gram": (m, B) eigenvalues of J J^T / B}`` (the same non-zero values), cached."""
    cache = cache or Cache()
    key = _key(trained, kind="ggn", split=split, n_batches=n_batches, batch_size=batch_size, dtype=dtype)

    def compute():
        model = trained.model.to(device)
        eigs, gram = [], []
        for X, _ in batches_of(trained, split, n_batches, batch_size, device):
            G, K = batch_gauss_newton(model, X, dtype=_DTYPES[dtype])
            eigs.append(symmetric_eigenvalues(G).cpu().double().numpy())
            gram.append(symmetric_eigenvalues(K).cpu().double().numpy())
        return {"eigs": np.stack(eigs), "gram": np.stack(gram)}

    return cache.get_or_compute("bask-spectra", key, compute)
