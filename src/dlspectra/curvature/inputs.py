"""The one data contract of every curvature entry point, checked once, before any product.

Every operator (:class:`~dlspectra.curvature.HessianOperator`, ``GGNOperator``, ...), the
decomposition :class:`~dlspectra.curvature.GDecomposition`, the exact Hessians
(:func:`~dlspectra.curvature.batch_hessian_spectra`) and the cached spectrum
(:func:`dlspectra.spectra.model_spectrum`) take their data as one of

* a ``torch.utils.data.DataLoader`` yielding ``(X, y)`` batches (iterated once, here),
* any iterable of ``(X, y)`` batches (a list, a generator),
* one ``(X, y)`` pair of tensors (one batch; ``batch_size=`` splits it),
* a :class:`dlspectra.data.Dataset` (its ``(X, y)``).

``X`` is ``(n, ...)`` in the model's floating dtype, ``y`` ``(n,)`` class indices or targets
shaped like the model's output. :func:`as_batches` turns any of them into a list of batches on
the model's device and refuses, with a :class:`~dlspectra.errors.UsageError` naming the cause and
the fix, what would otherwise fail later or silently give a wrong matrix: a ``Dataset`` of single
samples, non-tensors, mismatched lengths, integer (raw ``uint8``) inputs, inputs in another float
dtype than the model, NaN or infinite values, empty batches. :func:`check_loss` then evaluates the
loss once on the first batch (a forward pass, no derivative) and refuses a summed or unreduced
loss, labels out of range or of the wrong dtype, targets that broadcast against the outputs, and a
model whose forward fails on the data.

The curvature is that of the *mean* loss over all samples, ``L = sum_b n_b loss_b / sum_b n_b``
with ``loss_b`` the batch mean; the device is the one the model's parameters live on.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Any, Callable

import numpy as np
import torch
from torch import nn

from dlspectra.errors import SpectrumError, UsageError

__all__ = ["Batch", "as_batches", "check_loss", "concat_batches", "model_dtype_device", "num_outputs"]

Batch = tuple[torch.Tensor, torch.Tensor]

_CLASSIFICATION_LOSSES = (nn.CrossEntropyLoss, nn.NLLLoss)
_FORMS = ("a DataLoader of (X, y) batches, an iterable of (X, y) batches, or one (X, y) pair of tensors")


def model_dtype_device(model: nn.Module, params: Iterable | None = None) -> tuple[torch.dtype, torch.device]:
    """The dtype and device of the model's trainable parameters (raises if they are mixed or absent)."""
    from .base import select_params

    _, ps = select_params(model, params)
    dtypes = {p.dtype for p in ps}
    devices = {p.device for p in ps}
    if len(dtypes) != 1:
        raise UsageError(f"the selected parameters have mixed dtypes {sorted(map(str, dtypes))}; "
                         "convert the model to one dtype (model.float() or model.double())")
    if len(devices) != 1:
        raise UsageError(f"the selected parameters live on several devices {sorted(map(str, devices))}; "
                         "move the model to one device (model.to(device))")
    return ps[0].dtype, ps[0].device


def _as_tensor(x: Any, what: str) -> torch.Tensor:
    if isinstance(x, torch.Tensor):
        return x
    if isinstance(x, np.ndarray):
        return torch.from_numpy(x)
    raise UsageError(f"{what} is a {type(x).__name__}, not a tensor; the data must be {_FORMS}")


def _is_pair(data: Any) -> bool:
    return (isinstance(data, (tuple, list)) and len(data) == 2
            and all(isinstance(t, (torch.Tensor, np.ndarray)) for t in data))


def _raw_batches(data: Any) -> list:
    from torch.utils.data import DataLoader, Dataset as TorchDataset

    if data is None:
        raise UsageError(f"no data given; pass {_FORMS}")
    if isinstance(data, (torch.Tensor, np.ndarray)):
        raise UsageError(f"got a single {type(data).__name__} of shape {tuple(data.shape)}; the curvature of a "
                         f"loss needs inputs and targets: pass (X, y), or {_FORMS}")
    if hasattr(data, "X") and hasattr(data, "y") and hasattr(data, "num_classes"):  # dlspectra.data.Dataset
        return [(data.X, data.y)]
    if isinstance(data, DataLoader):
        return list(data)
    if isinstance(data, TorchDataset):
        raise UsageError(
            f"got a {type(data).__name__}, which yields single samples without a batch dimension; pass "
            "torch.utils.data.DataLoader(dataset, batch_size=256) (or its tensors as one (X, y) pair)")
    if _is_pair(data):
        return [tuple(data)]
    if isinstance(data, dict):
        raise UsageError(f"got a dict; pass {_FORMS}")
    try:
        return list(data)
    except TypeError:
        raise UsageError(f"got a {type(data).__name__}; pass {_FORMS}") from None


def _split(batches: list[Batch], batch_size: int | None) -> list[Batch]:
    if batch_size is None:
        return batches
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise UsageError(f"batch_size must be a positive int or None, got {batch_size!r}")
    return [(X[i:i + batch_size], y[i:i + batch_size]) for X, y in batches for i in range(0, len(X), batch_size)]


def as_batches(data: Any, *, dtype: torch.dtype | None = None, device: torch.device | str | None = None,
               batch_size: int | None = None, name: str = "data") -> list[Batch]:
    """Normalise ``data`` (any form of the module docstring) to a list of checked ``(X, y)`` batches.

    Parameters
    ----------
    data : DataLoader, iterable of (X, y), (X, y) pair or dlspectra.data.Dataset
        The samples the curvature averages over.
    dtype : torch.dtype, optional
        The model's floating dtype: floating inputs of another dtype are refused (integer inputs
        are refused always). ``None`` accepts any floating dtype (the exact path converts a copy).
    device : torch.device or str, optional
        Where the model lives; the batches are moved there.
    batch_size : int, optional
        Split every batch into batches of at most this many samples.
    name : str
        How the data are called in messages.

    Returns
    -------
    list of tuple
        ``[(X_b, y_b), ...]``, each non-empty, on ``device``.

    Raises
    ------
    dlspectra.errors.UsageError
        The data break the contract (the message says how to fix it).

    Examples
    --------
    >>> import torch
    >>> X, y = torch.randn(10, 3), torch.arange(10) % 2
    >>> [len(Xb) for Xb, _ in as_batches((X, y), batch_size=4)]
    [4, 4, 2]
    """
    raw = _raw_batches(data)
    if not raw:
        raise UsageError(f"{name} is empty: no batch to average over")
    out: list[Batch] = []
    for b, item in enumerate(raw):
        if isinstance(item, dict) or not isinstance(item, (tuple, list)) or len(item) != 2:
            kind = f"a {type(item).__name__}" + (f" of length {len(item)}" if isinstance(item, (tuple, list)) else "")
            raise UsageError(f"{name}: batch {b} is {kind}, not an (X, y) pair; the data must be {_FORMS}")
        X, y = _as_tensor(item[0], f"{name}: X of batch {b}"), _as_tensor(item[1], f"{name}: y of batch {b}")
        if X.ndim == 0 or y.ndim == 0:
            raise UsageError(f"{name}: batch {b} holds a scalar (X shape {tuple(X.shape)}, y shape {tuple(y.shape)}); "
                             "each batch needs a leading sample dimension -- a Dataset of single samples? pass "
                             "DataLoader(dataset, batch_size=...)")
        if len(X) != len(y):
            raise UsageError(f"{name}: batch {b} has {len(X)} inputs but {len(y)} targets")
        if len(X) == 0:
            raise UsageError(f"{name}: batch {b} is empty")
        if not X.is_floating_point():
            raise UsageError(
                f"{name}: the inputs of batch {b} are {X.dtype} (raw images?); the model needs floating inputs: "
                "convert them, e.g. X.float() / 255 (and normalise as in training)")
        if dtype is not None and X.dtype != dtype:
            raise UsageError(
                f"{name}: the model computes in {dtype} but the inputs of batch {b} are {X.dtype}; convert one "
                f"of them (X.to({dtype}) or model.to({X.dtype}))")
        bad = ~torch.isfinite(X)
        if bool(bad.any()):
            first = int(torch.nonzero(bad.reshape(len(X), -1).any(1))[0])
            raise UsageError(f"{name}: the inputs of batch {b} contain {int(bad.sum())} NaN or infinite values "
                             f"(first in sample {first}); clean the data: every product would be NaN")
        if y.is_floating_point() and not bool(torch.isfinite(y).all()):
            raise UsageError(f"{name}: the targets of batch {b} contain NaN or infinite values; clean them")
        if device is not None:
            X, y = X.to(device), y.to(device)
        out.append((X, y))
    return _split(out, batch_size)


def concat_batches(batches: list[Batch]) -> Batch:
    """All batches as one ``(X, y)`` pair (same device)."""
    if len(batches) == 1:
        return batches[0]
    return torch.cat([X for X, _ in batches]), torch.cat([y for _, y in batches])


def num_outputs(model: nn.Module, X: torch.Tensor) -> int:
    """Width of the model's output on one sample (one forward pass, no gradient)."""
    with torch.no_grad():
        out = model(X[:1])
    return int(out.reshape(1, -1).shape[1])


def _is_classification(loss_fn: Callable) -> bool:
    import torch.nn.functional as F

    return isinstance(loss_fn, _CLASSIFICATION_LOSSES) or loss_fn in (F.cross_entropy, F.nll_loss)


def check_loss(model: nn.Module, loss_fn: Callable, batches: list[Batch], *, mean: bool = True) -> None:
    """Evaluate ``loss_fn(model(X), y)`` once on the first batch and refuse what breaks the contract.

    Parameters
    ----------
    model : torch.nn.Module
        In eval mode (see :func:`~dlspectra.curvature.check_eval_mode`).
    loss_fn : callable
        ``loss_fn(outputs, targets)`` returning the *mean* loss of a batch (``nn.CrossEntropyLoss()``,
        ``nn.MSELoss()``, ...).
    batches : list of tuple
        From :func:`as_batches`.
    mean : bool
        Require a mean reduction (every entry point does; the exact path's ``reduction="sum"``
        scales the mean loss itself).

    Returns
    -------
    None

    Raises
    ------
    dlspectra.errors.UsageError
        The forward pass fails on the data; the loss is summed (``reduction='sum'``) or not reduced;
        labels are out of range or floating where class indices are needed; targets broadcast
        against the outputs (``MSELoss`` with ``(n,)`` targets and ``(n, 1)`` outputs).
    dlspectra.errors.SpectrumError
        The loss of the first batch is NaN or infinite (a NaN parameter?).

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> model = nn.Linear(3, 2).eval()
    >>> check_loss(model, nn.CrossEntropyLoss(), [(torch.randn(4, 3), torch.tensor([0, 1, 1, 0]))])
    """
    reduction = getattr(loss_fn, "reduction", None)
    if mean and reduction is not None and reduction not in ("mean", "batchmean"):
        raise UsageError(
            f"{type(loss_fn).__name__}(reduction={reduction!r}): the curvature is that of the mean loss over "
            f"the data (batches weighted by their size); pass {type(loss_fn).__name__}() (reduction='mean'). "
            "For the Hessian of the summed loss multiply the eigenvalues by the number of samples.")
    X, y = batches[0]
    with torch.no_grad():
        try:
            out = model(X)
        except Exception as err:
            raise UsageError(f"the model's forward pass fails on the first batch (inputs {tuple(X.shape)}, "
                             f"{X.dtype}, {X.device}): {type(err).__name__}: {err}") from err
    if _is_classification(loss_fn) and not y.is_floating_point() and out.ndim >= 2:
        width = int(out.shape[1])
        lo = min(int(yb.min()) for _, yb in batches)
        hi = max(int(yb.max()) for _, yb in batches)
        if lo < 0 or hi >= width:
            raise UsageError(f"labels must be class indices in [0, {width}) for a model with {width} outputs; "
                             f"they range over [{lo}, {hi}]: relabel, or give the model {hi + 1} outputs")
    with torch.no_grad(), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            loss = loss_fn(out, y)
        except Exception as err:
            hint = ""
            if _is_classification(loss_fn) and y.is_floating_point() and y.shape != out.shape:
                hint = f"; class labels must be int64 (y.long()), got {y.dtype}"
            raise UsageError(f"the loss fails on the first batch (outputs {tuple(out.shape)}, targets "
                             f"{tuple(y.shape)} {y.dtype}): {type(err).__name__}: {err}{hint}") from err
    for w in caught:
        if "target size" in str(w.message) and "input size" in str(w.message):
            raise UsageError(f"targets {tuple(y.shape)} and outputs {tuple(out.shape)} broadcast in the loss "
                             "(every output would be compared with every target); reshape y to "
                             f"{tuple(out.shape)} or squeeze the model's output")
    if not isinstance(loss, torch.Tensor) or loss.ndim != 0:
        shape = tuple(loss.shape) if isinstance(loss, torch.Tensor) else type(loss).__name__
        raise UsageError(f"the loss must return one number, the batch mean; it returned {shape} "
                         "(reduction='none'?): use reduction='mean'")
    if not bool(torch.isfinite(loss)):
        raise SpectrumError(f"the loss of the first batch is {float(loss)}: a NaN or infinite parameter, or "
                            "outputs that overflow")
    if mean and reduction is None and len(X) >= 2:
        # a plain function: the mean of a batch is the size-weighted mean of its halves, the sum their sum
        h = len(X) // 2
        with torch.no_grad():
            l1, l2 = float(loss_fn(out[:h], y[:h])), float(loss_fn(out[h:], y[h:]))
        full = float(loss)
        weighted = (h * l1 + (len(X) - h) * l2) / len(X)
        scale = max(abs(full), 1e-12)
        if abs(full - (l1 + l2)) <= 1e-5 * scale and abs(full - weighted) > 1e-3 * scale:
            raise UsageError("the loss function sums over the batch (its value is the sum of its halves'); the "
                             "curvature is that of the mean loss: divide by the batch size or use reduction='mean'")
