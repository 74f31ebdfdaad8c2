"""Exact (dense) Hessians of small models, one per batch, and their spectra.

Baskerville et al. (Sec. 3.1) compute, for each batch of 64 samples, the exact ``(P, P)`` Hessian
of the loss and all ``P`` of its eigenvalues.  Here the Hessian of one batch is built from
Hessian-vector products with the identity's columns, ``chunk_size`` columns per
``torch.func.vmap`` call, in float64 (a copy of the parameters; the model itself is not changed)
on the model's device:

* ``method="forward_over_reverse"``: ``jvp`` of ``grad`` (usually the faster),
* ``method="reverse_over_reverse"``: ``vjp`` of ``grad`` (works where a loss has no forward-mode
  derivative, e.g. some versions of ``nn.MSELoss``),
* ``method="auto"``: forward-over-reverse, falling back to reverse-over-reverse on error.

The data follow the contract of :mod:`dlspectra.curvature.inputs` (each batch one Hessian) and the
conventions of the operators: the Hessian of the batch *mean* loss (``reduction="sum"``, the
authors' code, multiplies it by the batch size) and eigenvalues in *descending* order
(``order="ascending"`` for the other). The model must be in eval mode
(:func:`~dlspectra.curvature.check_eval_mode`): Dropout in training mode would give the Hessian
of random masks, BatchNorm in training mode batch statistics. The weight-decay term is never
included. Eigenvalues come from ``torch.linalg.eigvalsh`` on the same device; on the CPU on one
thread (:func:`symmetric_eigenvalues`), so that they are bit-identical whatever the thread count.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Callable, Iterator

import numpy as np
import torch
from torch import nn
from torch.func import functional_call, grad, jacrev, jvp, vjp, vmap

from ..errors import SpectrumError, UsageError
from .base import check_eval_mode, quiet_torch_func
from .inputs import Batch, as_batches, check_loss

__all__ = ["EXACT_METHODS", "batch_hessian", "batch_hessian_spectra", "batch_gauss_newton", "symmetric_eigenvalues"]

EXACT_METHODS = ("auto", "forward_over_reverse", "reverse_over_reverse")


@contextmanager
def _one_thread() -> Iterator[None]:
    n = torch.get_num_threads()
    if n == 1:
        yield
        return
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(n)


def symmetric_eigenvalues(H: torch.Tensor) -> torch.Tensor:
    """All eigenvalues of the symmetric ``(P, P)`` matrix ``H``, ascending, in its dtype on its device.

    On the CPU they are computed on one thread: LAPACK's symmetric eigensolver (MKL ``syevd``)
    reduces ``H`` to tridiagonal form with blocked updates split among the threads, so its
    eigenvalues differ in the last bits between thread counts (measured: a Bike-MLP batch Hessian's
    at 1 and at 2 threads, while ``H`` itself is bit-identical); on one thread they are the same
    in every run, whatever ``torch.get_num_threads()`` is.

    Examples
    --------
    >>> import torch
    >>> symmetric_eigenvalues(torch.tensor([[2.0, 1.0], [1.0, 2.0]], dtype=torch.float64))
    tensor([1., 3.], dtype=torch.float64)
    """
    if H.device.type != "cpu":
        return torch.linalg.eigvalsh(H)
    with _one_thread():
        return torch.linalg.eigvalsh(H)


def _flat_setup(model: nn.Module, dtype: torch.dtype):
    named = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    if not named:
        raise UsageError("the model has no trainable parameters")
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


def _model_dtype(model: nn.Module) -> torch.dtype:
    p = next((p for p in model.parameters() if p.requires_grad), None)
    if p is None:
        raise UsageError("the model has no trainable parameters")
    return p.dtype


def _checked(model: nn.Module, loss_fn, data: Any, reduction: str, method: str) -> list[Batch]:
    """The checks of every exact entry point: eval mode, options, the data contract, the loss."""
    if reduction not in ("sum", "mean"):
        raise UsageError(f"reduction must be 'mean' (the Hessian of the batch mean loss) or 'sum' (times the "
                         f"batch size), got {reduction!r}")
    if method not in EXACT_METHODS:
        raise UsageError(f"method must be one of {EXACT_METHODS}, got {method!r}")
    check_eval_mode(model)
    batches = as_batches(data)
    mdt = _model_dtype(model)
    dev = next(model.parameters()).device
    # the loss is checked on the model's own dtype (the Hessian itself is computed in ``dtype``)
    first = [(X.to(device=dev, dtype=mdt), y.to(dev)) for X, y in batches[:1]]
    check_loss(model, loss_fn, first + batches[1:] if len(batches) > 1 else first)
    return batches


def _hessian_of_batch(model, loss_fn, X, y, dtype, reduction, method, chunk_size) -> tuple[torch.Tensor, str]:
    theta, forward = _flat_setup(model, dtype)
    X = X.to(device=theta.device, dtype=dtype)
    y = y.to(device=theta.device, dtype=dtype if y.is_floating_point() else y.dtype)
    scale = float(len(X)) if reduction == "sum" else 1.0
    with quiet_torch_func():
        H, used = _hessian_from_loss(_loss_of(forward, loss_fn, X, y, scale), theta, method, chunk_size)
    if not bool(torch.isfinite(H).all()):
        raise SpectrumError("the Hessian contains NaN or infinite values")
    return (H + H.T) / 2, used


def batch_hessian(model: nn.Module, loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
                  X: Any, y: torch.Tensor | None = None, *, dtype: torch.dtype = torch.float64,
                  reduction: str = "mean", method: str = "auto", chunk_size: int = 512) -> torch.Tensor:
    """The exact symmetrised ``(P, P)`` Hessian of the loss of one batch.

    Parameters
    ----------
    model : torch.nn.Module
        In eval mode; the Hessian is w.r.t. all its trainable parameters.
    loss_fn : callable
        ``loss_fn(outputs, targets)``, the batch mean (``reduction='mean'``).
    X : torch.Tensor or (X, y) pair
        Inputs ``(B, ...)`` (or the pair itself, with ``y`` omitted).
    y : torch.Tensor, optional
        ``(B,)`` labels or targets shaped like the model's output.
    dtype : torch.dtype
        Computed on a copy of the parameters in this dtype (default float64).
    reduction : {"mean", "sum"}
        The Hessian of the mean loss (default), or of the summed loss (mean times ``B``; the
        convention of Baskerville et al.'s code).
    method : {"auto", "forward_over_reverse", "reverse_over_reverse"}
        See the module docstring; the method used is in ``batch_hessian.last_method``.
    chunk_size : int
        Identity columns per ``vmap`` call (memory ``chunk_size * P``).

    Returns
    -------
    torch.Tensor
        ``(P, P)`` in ``dtype`` on the parameters' device.

    Raises
    ------
    dlspectra.errors.UsageError
        The model is in training mode, the data or loss break the contract, unknown options.
    dlspectra.errors.SpectrumError
        A NaN parameter or a non-finite Hessian.

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> model = nn.Linear(3, 2).double().eval()
    >>> H = batch_hessian(model, nn.CrossEntropyLoss(), torch.randn(5, 3, dtype=torch.float64), torch.tensor([0, 1, 0, 1, 1]))
    >>> H.shape
    torch.Size([8, 8])
    """
    batches = _checked(model, loss_fn, (X, y) if y is not None else X, reduction, method)
    if len(batches) != 1:
        raise UsageError(f"batch_hessian takes one batch, got {len(batches)}; batch_hessian_spectra gives one "
                         "spectrum per batch")
    (Xb, yb), = batches
    H, used = _hessian_of_batch(model, loss_fn, Xb, yb, dtype, reduction, method, chunk_size)
    batch_hessian.last_method = used
    return H


batch_hessian.last_method = ""


def batch_hessian_spectra(model: nn.Module, loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
                          data: Any, *, dtype: torch.dtype = torch.float64, reduction: str = "mean",
                          order: str = "descending", method: str = "auto", chunk_size: int = 512,
                          progress: bool = True) -> np.ndarray:
    """All eigenvalues of the exact Hessian of each batch (Baskerville et al., Sec. 3.1).

    Parameters
    ----------
    model, loss_fn, dtype, reduction, method, chunk_size
        As :func:`batch_hessian`.
    data : DataLoader, iterable of (X, y) batches, or one (X, y) pair
        One Hessian per batch (:mod:`dlspectra.curvature.inputs`).
    order : {"descending", "ascending"}
        Order of each row (default descending, as every solver of the package).
    progress : bool
        A bar over the batches, shown after a second.

    Returns
    -------
    numpy.ndarray
        float64 ``(m, P)``, one row per batch in order.

    Raises
    ------
    dlspectra.errors.UsageError
        As :func:`batch_hessian`, before the first Hessian is computed.

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> model = nn.Linear(3, 2).double().eval()
    >>> X, y = torch.randn(8, 3, dtype=torch.float64), torch.arange(8) % 2
    >>> batch_hessian_spectra(model, nn.CrossEntropyLoss(), [(X[:4], y[:4]), (X[4:], y[4:])], progress=False).shape
    (2, 8)
    """
    if order not in ("descending", "ascending"):
        raise UsageError(f"order must be 'descending' or 'ascending', got {order!r}")
    batches = _checked(model, loss_fn, data, reduction, method)
    from ..progress import progress_bar

    out = []
    for X, y in progress_bar(batches, enabled=progress, desc="exact Hessians", unit="batch", leave=False, delay=1.0):
        H, used = _hessian_of_batch(model, loss_fn, X, y, dtype, reduction, method, chunk_size)
        batch_hessian.last_method = used
        ev = symmetric_eigenvalues(H).cpu().numpy().astype(np.float64)
        out.append(ev[::-1] if order == "descending" else ev)
    return np.ascontiguousarray(np.stack(out))


def batch_gauss_newton(model: nn.Module, X: torch.Tensor, *, dtype: torch.dtype = torch.float64,
                       chunk_size: int = 64) -> tuple[torch.Tensor, torch.Tensor]:
    """Gauss-Newton matrix of a scalar-output model on one batch (Baskerville et al., Sec. 3.4, Fig. 9).

    ``G = J^T J / B`` with ``J[n] = d f(x_n) / d theta`` (no loss factor), and the ``(B, B)`` Gram
    ``J J^T / B`` that shares G's non-zero eigenvalues.

    Parameters
    ----------
    model : torch.nn.Module
        A model with one output per sample, in eval mode.
    X : torch.Tensor
        Inputs ``(B, ...)``.
    dtype : torch.dtype
        Computed in this dtype on a copy of the parameters.
    chunk_size : int
        Samples per ``vmap`` of the Jacobian.

    Returns
    -------
    tuple
        ``(G, gram)`` in ``dtype``.

    Raises
    ------
    dlspectra.errors.UsageError
        Training mode, integer or non-finite inputs.
    dlspectra.errors.SpectrumError
        A non-finite Jacobian.

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> G, gram = batch_gauss_newton(nn.Linear(3, 1).eval(), torch.randn(4, 3))
    >>> G.shape, gram.shape
    (torch.Size([4, 4]), torch.Size([4, 4]))
    """
    check_eval_mode(model)
    (X, _), = as_batches((X, torch.zeros(len(X))))
    theta, forward = _flat_setup(model, dtype)
    X = X.to(device=theta.device, dtype=dtype)

    def f_one(v: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        return forward(v, x.unsqueeze(0)).reshape(())

    with quiet_torch_func():
        J = vmap(jacrev(f_one), in_dims=(None, 0), chunk_size=chunk_size)(theta, X)  # (B, P)
    if not bool(torch.isfinite(J).all()):
        raise SpectrumError("the Jacobian contains NaN or infinite values")
    B = J.shape[0]
    return J.T @ J / B, J @ J.T / B
