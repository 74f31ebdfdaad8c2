"""Exact (dense) Hessians of small models, one per batch, and their spectra.

Baskerville et al. compute, for each batch of 64 samples, the exact ``(P, P)`` Hessian of the loss
and all ``P`` of its eigenvalues.  Here the Hessian of one batch is built from Hessian-vector
products with the identity's columns, ``chunk_size`` columns per ``torch.func.vmap`` call, in
float64 (a copy of the parameters; the model itself is not changed) on the model's device:

* ``method="forward_over_reverse"``: ``jvp`` of ``grad`` (usually the faster),
* ``method="reverse_over_reverse"``: ``vjp`` of ``grad`` (works where a loss has no forward-mode
  derivative, e.g. some versions of ``nn.MSELoss``),
* ``method="auto"``: forward-over-reverse, falling back to reverse-over-reverse on error.

``reduction="sum"`` (the authors' code, catalog D15: mean loss times batch size) or ``"mean"``.
The weight-decay term is never included.  Eigenvalues come from ``torch.linalg.eigvalsh`` on the
same device.  NaN or infinite inputs, targets or parameters raise :class:`SpectrumError`.
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager
from typing import Callable, Iterable, Sequence

import numpy as np
import torch
from torch import nn
from torch.func import functional_call, grad, jacrev, jvp, vjp, vmap

from ..errors import SpectrumError

__all__ = ["EXACT_METHODS", "batch_hessian", "batch_hessian_spectra", "batch_gauss_newton"]

EXACT_METHODS = ("auto", "forward_over_reverse", "reverse_over_reverse")

Batch = tuple[torch.Tensor, torch.Tensor]


@contextmanager
def _quiet():
    """torch.func's first call may emit torch's own deprecation notice of torch.jit.script."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*torch\.jit\.script.*", category=FutureWarning)
        yield


def _check_batch(X: torch.Tensor, y: torch.Tensor, b: int) -> None:
    if X.numel() == 0:
        raise SpectrumError(f"batch {b} is empty")
    if X.is_floating_point() and not bool(torch.isfinite(X).all()):
        raise SpectrumError(f"batch {b}: the inputs contain NaN or infinite values")
    if y.is_floating_point() and not bool(torch.isfinite(y).all()):
        raise SpectrumError(f"batch {b}: the targets contain NaN or infinite values")


def _flat_setup(model: nn.Module, dtype: torch.dtype):
    named = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    if not named:
        raise ValueError("the model has no trainable parameters")
    for n, p in named:
        if not bool(torch.isfinite(p).all()):
            raise SpectrumError(f"parameter {n!r} contains NaN or infinite values")
    names = [n for n, _ in named]
    shapes = [p.shape for _, p in named]
    numels = [p.numel() for _, p in named]
    theta = torch.cat([p.detach().reshape(-1) for _, p in named]).to(dtype)
    buffers = {n: b.to(dtype) if b.is_floating_point() else b for n, b in model.named_buffers()}

    def unflatten(v: torch.Tensor) -> dict[str, torch.Tensor]:
        return {n: t.view(s) for n, t, s in zip(names, torch.split(v, numels), shapes)}

    def forward(v: torch.Tensor, X: torch.Tensor) -> torch.Tensor:
        return functional_call(model, {**buffers, **unflatten(v)}, (X,))

    return theta, forward


def _loss_of(forward, loss_fn, X, y, scale: float):
    def f(v: torch.Tensor) -> torch.Tensor:
        return loss_fn(forward(v, X), y) * scale
    return f


def _hessian_from_loss(f, theta: torch.Tensor, method: str, chunk_size: int) -> tuple[torch.Tensor, str]:
    P = theta.numel()
    g = grad(f)
    if method in ("auto", "forward_over_reverse"):
        try:
            col = lambda v: jvp(g, (theta,), (v,))[1]  # noqa: E731
            H = _by_chunks(col, P, theta, chunk_size)
            return H, "forward_over_reverse"
        except (RuntimeError, NotImplementedError):
            if method != "auto":
                raise
    _, pullback = vjp(g, theta)
    col = lambda v: pullback(v)[0]  # noqa: E731
    return _by_chunks(col, P, theta, chunk_size), "reverse_over_reverse"


def _by_chunks(col, P: int, theta: torch.Tensor, chunk_size: int) -> torch.Tensor:
    H = torch.empty(P, P, dtype=theta.dtype, device=theta.device)
    for start in range(0, P, chunk_size):
        stop = min(start + chunk_size, P)
        E = torch.zeros(stop - start, P, dtype=theta.dtype, device=theta.device)
        E[torch.arange(stop - start), torch.arange(start, stop)] = 1
        H[start:stop] = vmap(col)(E)
    return H


def _prepare(model: nn.Module, loss_fn, X, y, b: int, dtype: torch.dtype, reduction: str):
    if reduction not in ("sum", "mean"):
        raise ValueError(f"reduction must be 'sum' or 'mean', got {reduction!r}")
    _check_batch(X, y, b)
    theta, forward = _flat_setup(model, dtype)
    X = X.to(device=theta.device, dtype=dtype if X.is_floating_point() else X.dtype)
    y = y.to(device=theta.device, dtype=dtype if y.is_floating_point() else y.dtype)
    scale = float(len(X)) if reduction == "sum" else 1.0
    return theta, forward, X, y, scale


def batch_hessian(model: nn.Module, loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
                  X: torch.Tensor, y: torch.Tensor, *, dtype: torch.dtype = torch.float64,
                  reduction: str = "sum", method: str = "auto", chunk_size: int = 512) -> torch.Tensor:
    """The exact symmetrised ``(P, P)`` Hessian of ``loss_fn(model(X), y)`` (``reduction='mean'``
    loss; times ``len(X)`` with ``reduction="sum"``) w.r.t. all trainable parameters, in ``dtype``
    on the parameters' device.  ``X``: ``(B, ...)``; ``y``: ``(B,)`` labels or targets shaped like
    the model's output.  ``model`` should be in eval mode (no BatchNorm/Dropout randomness)."""
    if method not in EXACT_METHODS:
        raise ValueError(f"method must be one of {EXACT_METHODS}, got {method!r}")
    theta, forward, X, y, scale = _prepare(model, loss_fn, X, y, 0, dtype, reduction)
    with _quiet():
        H, used = _hessian_from_loss(_loss_of(forward, loss_fn, X, y, scale), theta, method, chunk_size)
    batch_hessian.last_method = used
    if not bool(torch.isfinite(H).all()):
        raise SpectrumError("the Hessian contains NaN or infinite values")
    return (H + H.T) / 2


batch_hessian.last_method = ""


def batch_hessian_spectra(model: nn.Module, loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
                          batches: Sequence[Batch] | Iterable[Batch], *, dtype: torch.dtype = torch.float64,
                          reduction: str = "sum", method: str = "auto", chunk_size: int = 512,
                          progress: bool = False) -> np.ndarray:
    """All eigenvalues (ascending) of the exact Hessian of each batch: float64 array ``(m, P)``
    (rows: batches in order).  Batches must all be non-empty; NaN input raises SpectrumError
    naming the batch."""
    batches = list(batches)
    if not batches:
        raise ValueError("batches is empty")
    for b, (X, y) in enumerate(batches):
        _check_batch(X, y, b)
    it = enumerate(batches)
    if progress:
        from ..progress import progress_bar
        it = progress_bar(it, total=len(batches), desc="exact Hessians", unit="batch", leave=False)
    out = []
    for b, (X, y) in it:
        H = batch_hessian(model, loss_fn, X, y, dtype=dtype, reduction=reduction, method=method,
                          chunk_size=chunk_size)
        out.append(torch.linalg.eigvalsh(H).cpu().numpy().astype(np.float64))
    return np.stack(out)


def batch_gauss_newton(model: nn.Module, X: torch.Tensor, *, dtype: torch.dtype = torch.float64,
                       chunk_size: int = 64) -> tuple[torch.Tensor, torch.Tensor]:
    """Gauss-Newton matrix of a scalar-output model on one batch, ``G = J^T J / B`` with
    ``J[n] = d f(x_n) / d theta`` (catalog 1.4, Fig. 9; no loss factor), and the ``(B, B)`` Gram
    ``J J^T / B`` that shares G's non-zero eigenvalues.  Returns ``(G, gram)`` in ``dtype``."""
    _check_batch(X, torch.zeros(1), 0)
    theta, forward = _flat_setup(model, dtype)
    X = X.to(device=theta.device, dtype=dtype)

    def f_one(v: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        return forward(v, x.unsqueeze(0)).reshape(())

    with _quiet():
        J = vmap(jacrev(f_one), in_dims=(None, 0), chunk_size=chunk_size)(theta, X)  # (B, P)
    if not bool(torch.isfinite(J).all()):
        raise SpectrumError("the Jacobian contains NaN or infinite values")
    B = J.shape[0]
    return J.T @ J / B, J @ J.T / B
