"""Papyan's class / cross-class decomposition of the Gauss-Newton matrix ``G`` (Papyan 2020, Sec. 6, App. A).

Notation (Papyan 2020, Sec. 6.1 and App. A).  For sample ``i`` of class ``c`` (its label) and any class ``c'``:

* extended gradient ``g_{i,c,c'} = d loss(f(x_i), c') / d theta = J_i^T (p_i - e_{c'})``,
* weight ``w_{i,c,c'} = p_{i,c'} / n`` (``n`` samples in all; ``p/(NC)`` for ``N`` per class),
  so that ``G = sum_{i,c'} w g g^T = Ave_i J_i^T (diag p_i - p_i p_i^T) J_i``,
* ``w_{c,c'} = sum_{i in c} w_{i,c,c'}`` and the cross-class means
  ``g_{c,c'} = sum_{i in c} (w_{i,c,c'} / w_{c,c'}) g_{i,c,c'}``,
* ``w_c = sum_{c' != c} w_{c,c'}`` and the class means ``g_c = sum_{c' != c} (w_{c,c'} / w_c) g_{c,c'}``.

Then ``G = G_class + G_cross + G_within + G_{c=c'}`` exactly, with

* ``G_class = sum_c w_c g_c g_c^T`` (rank <= C),
* ``G_cross = sum_c sum_{c' != c} w_{c,c'} (g_{c,c'} - g_c)(g_{c,c'} - g_c)^T`` (rank <= C(C-2);
  ``g_c``, not the paper's printed ``g_{c'}``, which breaks the identity),
* ``G_within = sum_{i,c'} w_{i,c,c'} (g_{i,c,c'} - g_{c,c'})(...)^T`` (all ``c'``),
* ``G_{c=c'} = sum_c w_{c,c} g_{c,c} g_{c,c}^T`` (rank <= C).

The first, second and fourth pieces are low rank: their exact spectra come from ``k x k`` Gram
matrices of the ``k <= C^2`` scaled mean vectors (never a ``P x P`` matrix).  ``G_within`` is
``G`` minus the rank-``C^2`` "between" matrix ``sum_{c,c'} w_{c,c'} g_{c,c'} g_{c,c'}^T`` (an
algebraic identity); :func:`per_sample_extended_gradients` gives it explicitly for small models.

The data follow the contract of :mod:`dlspectra.curvature.inputs` (a DataLoader, an iterable of
``(X, y)`` batches or one ``(X, y)`` pair; ``y`` integer class labels); ``num_classes`` defaults
to the width of the model's output.

The cross-class means are computed without per-sample gradients: for each class ``c`` one
vector-Jacobian product of the logits, ``vmap``-ed over ``c'`` with cotangents
``(w_{i,c,c'}/w_{c,c'}) (p_i - e_{c'})`` (``C`` products per batch), so memory is ``C^2 P``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
import torch
from torch import nn
from torch.func import functional_call, jacrev, vjp, vmap

from dlspectra.errors import DlspectraError, UsageError

from .base import CurvatureOperator, ProjectedOperator, check_eval_mode, check_finite, quiet_torch_func, select_params
from .inputs import as_batches, concat_batches, model_dtype_device, num_outputs
from .operators import GGNOperator

__all__ = [
    "ClassStructureError",
    "LowRankOperator",
    "LinearCombination",
    "ProjectionKnockout",
    "ExplicitSecondMoment",
    "GradientClassStructure",
    "GDecomposition",
    "orthonormal_basis",
    "check_model_and_labels",
    "classification_data",
    "cross_class_means",
    "per_sample_extended_gradients",
    "mean_decomposition",
    "means_from_samples",
]


class ClassStructureError(DlspectraError, ValueError):
    """The model or data cannot be decomposed (NaN parameter, a class without samples, ...)."""


# ----------------------------------------------------------------------------- checks


def check_model_and_labels(model: nn.Module, labels: torch.Tensor, num_classes: int,
                           params: Iterable | None = None) -> torch.Tensor:
    """Validate and return the per-class counts ``(C,)`` (int64).

    Raises :class:`ClassStructureError` if a selected parameter has NaN/Inf values, a label is
    outside ``[0, C)`` or a class has no sample (every class mean would be undefined).
    """
    for name, p in zip(*select_params(model, params)):
        if not bool(torch.isfinite(p).all()):
            raise ClassStructureError(f"parameter {name!r} of the model contains NaN or infinite values")
    labels = torch.as_tensor(labels)
    if labels.ndim != 1 or labels.dtype not in (torch.int64, torch.int32, torch.int16, torch.uint8):
        raise ClassStructureError(f"labels must be a 1-D integer tensor, got shape {tuple(labels.shape)}, "
                                  f"dtype {labels.dtype}")
    if num_classes < 2:
        raise ClassStructureError(f"num_classes must be >= 2, got {num_classes}")
    if len(labels) and (int(labels.min()) < 0 or int(labels.max()) >= num_classes):
        raise ClassStructureError(f"labels must lie in [0, {num_classes}); got min {int(labels.min())}, "
                                  f"max {int(labels.max())}")
    counts = torch.bincount(labels.long().cpu(), minlength=num_classes)
    missing = [c for c in range(num_classes) if counts[c] == 0]
    if missing:
        raise ClassStructureError(f"classes {missing} have no sample in the data; the class/cross-class "
                                  "means are undefined (use a class-balanced subset)")
    return counts


def classification_data(model: nn.Module, data, num_classes: int | None = None,
                        params: Iterable | None = None) -> tuple[torch.Tensor, torch.Tensor, int]:
    """All samples of a classification data set as one ``(X, y)`` pair on the model's device, and ``C``.

    Parameters
    ----------
    model : torch.nn.Module
        A classifier in eval mode (its output: ``C`` logits).
    data : DataLoader, iterable of (X, y) batches, or one (X, y) pair
        See :mod:`dlspectra.curvature.inputs`; ``y`` integer labels.
    num_classes : int, optional
        ``C``; default the width of the model's output.
    params : iterable, optional
        The parameters the caller differentiates (checked for NaN).

    Returns
    -------
    tuple
        ``(X, y, C)``.

    Raises
    ------
    dlspectra.errors.UsageError
        The model is in training mode, the data break the contract, the labels are not integers,
        or the model's output width is not ``C``.
    ClassStructureError
        A label outside ``[0, C)``, a class without samples, a NaN parameter.

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> X, y, C = classification_data(nn.Linear(3, 4).eval(), [(torch.randn(8, 3), torch.arange(8) % 4)])
    >>> tuple(X.shape), C
    ((8, 3), 4)
    """
    check_eval_mode(model)
    dtype, device = model_dtype_device(model, params)
    X, y = concat_batches(as_batches(data, dtype=dtype, device=device))
    if y.is_floating_point() or y.ndim != 1:
        raise UsageError(f"the class structure needs integer class labels y of shape (n,); got {y.dtype}, "
                         f"shape {tuple(y.shape)} (use y.long())")
    width = num_outputs(model, X)
    C = width if num_classes is None else int(num_classes)
    if width != C:
        raise ClassStructureError(f"model has {width} outputs but num_classes={C}")
    check_model_and_labels(model, y, C, params)
    return X, y, C


# ----------------------------------------------------------------------------- generic operators


def orthonormal_basis(V: torch.Tensor, rtol: float | None = None) -> torch.Tensor:
    """An orthonormal basis ``(dim, r)`` of the column space of ``V`` ``(dim, k)``, in ``V``'s dtype.

    From the thin SVD of ``V`` computed in float64; singular values below ``rtol * s_max`` are
    dropped. The default ``rtol = 10 sqrt(k) eps(V.dtype)`` is the rounding level of ``k`` columns
    stored in ``V``'s dtype (``||E||_2 <= ||E||_F <= eps sqrt(k) s_max`` for entry-wise relative
    errors ``eps``), independent of ``dim``: numpy's ``matrix_rank`` rule ``max(dim, k) eps``
    bounds the error of an SVD computed in that dtype and, for the long columns of a network's
    parameter space (``dim`` in the millions, float32), drops genuine directions -- and every
    direction once ``dim > 1/eps`` (8.4M in float32).

    Parameters
    ----------
    V : torch.Tensor
        ``(dim, k)``.
    rtol : float, optional
        Relative singular-value threshold.

    Returns
    -------
    torch.Tensor
        ``(dim, r)`` with orthonormal columns, ``r <= k``.

    Raises
    ------
    dlspectra.errors.UsageError
        ``V`` is not 2-D.

    Examples
    --------
    >>> import torch
    >>> V = torch.tensor([[1.0, 2.0], [0.0, 0.0], [0.0, 0.0]])
    >>> orthonormal_basis(V).shape
    torch.Size([3, 1])
    """
    if V.ndim != 2:
        raise UsageError(f"V must be (dim, k), got shape {tuple(V.shape)}")
    U, s, _ = torch.linalg.svd(V.to(torch.float64), full_matrices=False)
    if len(s) == 0 or float(s[0]) == 0.0:
        return U[:, :0].to(V.dtype)
    if rtol is None:
        rtol = 10 * math.sqrt(V.shape[1]) * float(torch.finfo(V.dtype).eps)
    return U[:, s > rtol * s[0]].to(V.dtype)


class LowRankOperator(CurvatureOperator):
    """``A = V diag(weights) V^T``, exact spectrum from a ``k x k`` Gram matrix (never ``dim x dim``).

    :meth:`eigenvalues` is exact through the Gram matrix ``B^T B``, ``B = V sqrt(w)`` (the non-zero
    eigenvalues of ``B B^T``); :meth:`eigh` also gives the eigenvectors ``B u / sqrt(lambda)``.

    Parameters
    ----------
    V : torch.Tensor
        ``(dim, k)``.
    weights : torch.Tensor, optional
        ``(k,)``, non-negative (default ones).

    Raises
    ------
    dlspectra.errors.UsageError
        ``V`` not 2-D, ``weights`` of the wrong shape or negative.
    dlspectra.errors.SpectrumError
        NaN or infinite entries.

    Examples
    --------
    >>> import torch
    >>> op = LowRankOperator(torch.eye(4, dtype=torch.float64)[:, :2], torch.tensor([3.0, 1.0]))
    >>> op.eigenvalues().round(12).tolist()
    [3.0, 1.0]
    """

    def __init__(self, V: torch.Tensor, weights: torch.Tensor | None = None) -> None:
        if V.ndim != 2:
            raise UsageError(f"V must be (dim, k), got shape {tuple(V.shape)}")
        w = torch.ones(V.shape[1], dtype=V.dtype, device=V.device) if weights is None else \
            torch.as_tensor(weights, dtype=V.dtype, device=V.device)
        if w.shape != (V.shape[1],):
            raise UsageError(f"weights must have shape ({V.shape[1]},), got {tuple(w.shape)}")
        if bool((w < 0).any()):
            raise UsageError("weights must be non-negative")
        check_finite(V, "low-rank factor")
        super().__init__(V.shape[0], V.device, V.dtype)
        self.V, self.w = V, w

    @property
    def rank_bound(self) -> int:
        """``k``, the number of columns (an upper bound of the rank)."""
        return int(self.V.shape[1])

    def _matmat(self, X: torch.Tensor) -> torch.Tensor:
        return self.V @ (self.w[:, None] * (self.V.T @ X))

    def _matvec(self, v: torch.Tensor) -> torch.Tensor:
        return self.V @ (self.w * (self.V.T @ v))

    def gram(self) -> torch.Tensor:
        """The ``(k, k)`` Gram matrix ``B^T B`` in float64."""
        B = self.V.to(torch.float64) * self.w.to(torch.float64).sqrt()
        return B.T @ B

    def eigenvalues(self) -> np.ndarray:
        """All ``k`` eigenvalues that can be non-zero, descending, float64 (clipped at 0)."""
        ev = torch.linalg.eigvalsh(self.gram()).flip(0).clamp_min(0)
        return ev.cpu().numpy()

    def eigh(self, rtol: float = 1e-10) -> tuple[np.ndarray, torch.Tensor]:
        """Non-zero eigenpairs (``> rtol * max``): values descending ``(r,)``, vectors ``(dim, r)`` float64."""
        B = self.V.to(torch.float64) * self.w.to(torch.float64).sqrt()
        ev, U = torch.linalg.eigh(B.T @ B)
        ev, U = ev.flip(0), U.flip(1)
        keep = ev > rtol * max(float(ev[0]), 0.0) if len(ev) else ev > 0
        ev, U = ev[keep], U[:, keep]
        return ev.cpu().numpy(), (B @ U) / ev.sqrt()


class LinearCombination(CurvatureOperator):
    """``sum_j a_j A_j`` of operators with the same ``dim`` (subtraction knockout ``A - B``: coeffs ``(1, -1)``)."""

    def __init__(self, ops: Sequence, coeffs: Sequence[float]) -> None:
        ops = list(ops)
        if not ops or len(ops) != len(coeffs):
            raise UsageError("need as many coefficients as operators (at least one)")
        dims = {int(op.dim) for op in ops}
        if len(dims) != 1:
            raise UsageError(f"operators have different dims {sorted(dims)}")
        super().__init__(ops[0].dim, ops[0].device, ops[0].dtype)
        self.ops, self.coeffs = ops, [float(a) for a in coeffs]

    def _matvec(self, v: torch.Tensor) -> torch.Tensor:
        return sum(a * op.matvec(v).to(self.dtype) for a, op in zip(self.coeffs, self.ops))

    def _matmat(self, V: torch.Tensor) -> torch.Tensor:
        return sum(a * op.matmat(V).to(self.dtype) for a, op in zip(self.coeffs, self.ops))


ProjectionKnockout = ProjectedOperator
"""Papyan's projection knockout ``A ⦀ B = (I - Q Q^T) A (I - Q Q^T)``, ``Q`` an orthonormal basis
``(dim, r)`` of the column space of ``B`` (from :func:`orthonormal_basis` or ``LowRankOperator.eigh``);
the same class as :class:`dlspectra.curvature.ProjectedOperator`."""


class ExplicitSecondMoment(CurvatureOperator):
    """``sum_j w_j v_j v_j^T`` from explicit vectors ``V`` ``(m, dim)`` (rows) and weights ``(m,)``.

    For small problems: ``G`` or ``G_within`` from :func:`per_sample_extended_gradients`.
    """

    def __init__(self, V: torch.Tensor, weights: torch.Tensor) -> None:
        if V.ndim != 2 or weights.shape != (V.shape[0],):
            raise UsageError(f"V must be (m, dim) and weights (m,), got {tuple(V.shape)}, {tuple(weights.shape)}")
        super().__init__(V.shape[1], V.device, V.dtype)
        self.V, self.w = V, weights.to(V.dtype)

    def _matmat(self, X: torch.Tensor) -> torch.Tensor:
        return self.V.T @ (self.w[:, None] * (self.V @ X))

    def _matvec(self, v: torch.Tensor) -> torch.Tensor:
        return self.V.T @ (self.w * (self.V @ v))


# ----------------------------------------------------------------------------- the algebra on means


@dataclass
class MeanPieces:
    """Low-rank pieces built from cross-class means ``m`` ``(C, C, d)`` and weights ``w`` ``(C, C)``.

    Each piece is ``(vectors (d, k), weights (k,))``: ``class_`` (``k = C``), ``cross``
    (``k = C(C-1)``), ``same`` (``k = C``), ``between`` (``k = C^2``, the sum of the three).
    """

    class_means: torch.Tensor  # (C, d) g_c
    class_weights: torch.Tensor  # (C,) w_c
    class_: tuple[torch.Tensor, torch.Tensor]
    cross: tuple[torch.Tensor, torch.Tensor]
    same: tuple[torch.Tensor, torch.Tensor]
    between: tuple[torch.Tensor, torch.Tensor]


def mean_decomposition(means: torch.Tensor, w: torch.Tensor) -> MeanPieces:
    """The class / cross-class / c=c' / between pieces from ``g_{c,c'}`` ``(C, C, d)`` and ``w_{c,c'}`` ``(C, C)``."""
    C = means.shape[0]
    if means.shape[:2] != (C, C) or w.shape != (C, C):
        raise UsageError(f"means must be (C, C, d) and w (C, C); got {tuple(means.shape)}, {tuple(w.shape)}")
    w = w.to(means.dtype)
    off = ~torch.eye(C, dtype=torch.bool, device=means.device)
    wc = (w * off).sum(1)  # (C,)
    if bool((wc <= 0).any()):
        raise ClassStructureError("a class has zero cross-class weight w_c (all probabilities on its own label?)")
    pi = (w * off) / wc[:, None]  # pi_{c,c'} (0 on the diagonal)
    gc = torch.einsum("ck,ckd->cd", pi, means)  # (C, d)
    dev = (means - gc[:, None, :])[off]  # (C(C-1), d), rows c-major
    wdev = w[off]
    diag = means[torch.arange(C), torch.arange(C)]  # (C, d)
    wdiag = w.diagonal()
    return MeanPieces(
        class_means=gc, class_weights=wc,
        class_=(gc.T, wc), cross=(dev.T, wdev), same=(diag.T, wdiag),
        between=(means.reshape(C * C, -1).T, w.reshape(-1)),
    )



def means_from_samples(g: torch.Tensor, w: torch.Tensor, y: torch.Tensor, num_classes: int
                       ) -> tuple[torch.Tensor, torch.Tensor]:
    """Cross-class means ``(C, C, d)`` and weights ``w_{c,c'}`` ``(C, C)`` from explicit extended
    vectors ``g`` ``(n, C, d)`` (``g[i, c']``), their weights ``w`` ``(n, C)`` and labels ``y`` ``(n,)``."""
    if g.ndim != 3 or w.shape != g.shape[:2] or y.shape != (g.shape[0],):
        raise UsageError(f"need g (n, C, d), w (n, C), y (n,); got {tuple(g.shape)}, {tuple(w.shape)}, {tuple(y.shape)}")
    counts = torch.bincount(y.long().cpu(), minlength=num_classes)
    if bool((counts == 0).any()):
        missing = [c for c in range(num_classes) if counts[c] == 0]
        raise ClassStructureError(f"classes {missing} have no sample")
    C = num_classes
    wcc = torch.zeros(C, C, dtype=g.dtype, device=g.device).index_add_(0, y, w.to(g.dtype))
    means = torch.zeros(C, C, g.shape[2], dtype=g.dtype, device=g.device).index_add_(0, y, w[:, :, None] * g)
    return means / wcc[:, :, None], wcc

# ----------------------------------------------------------------------------- gradients


def _flat(d: dict[str, torch.Tensor], names: Sequence[str], lead: int) -> torch.Tensor:
    return torch.cat([d[n].reshape(*d[n].shape[:lead], -1) for n in names], dim=-1)


@torch.no_grad()
def _probabilities(model: nn.Module, X: torch.Tensor, batch_size: int) -> torch.Tensor:
    out = torch.cat([model(X[i:i + batch_size]) for i in range(0, len(X), batch_size)])
    check_finite(out, "model outputs (logits)")
    return torch.softmax(out, dim=1)


def cross_class_means(
    model: nn.Module, data, num_classes: int | None = None, *,
    params: Iterable | None = None, batch_size: int = 256, progress: bool = False,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """The cross-class mean gradients of Papyan (2020, Sec. 6.1), without per-sample gradients.

    One ``vmap``-ed vector-Jacobian product per class and batch (over the ``C`` cross-classes).

    Parameters
    ----------
    model : torch.nn.Module
        A classifier in eval mode.
    data : DataLoader, iterable of (X, y) batches, or one (X, y) pair
        The samples (:mod:`dlspectra.curvature.inputs`), integer labels.
    num_classes : int, optional
        ``C`` (default: the model's output width).
    params : iterable, optional
        Parameters (tensors or names) the gradients are taken with respect to.
    batch_size : int
        Samples per vector-Jacobian product.
    progress : bool
        A bar over the classes.

    Returns
    -------
    tuple
        ``g_{c,c'}`` ``(C, C, P)``, the weights ``w_{c,c'}`` ``(C, C)`` (summing to 1) and the
        probabilities ``p`` ``(n, C)``; in the parameters' dtype and device.

    Raises
    ------
    dlspectra.errors.UsageError, ClassStructureError
        See :func:`classification_data`.

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> means, w, p = cross_class_means(nn.Linear(3, 2).eval(), (torch.randn(10, 3), torch.arange(10) % 2))
    >>> tuple(means.shape), round(float(w.sum()), 6)
    ((2, 2, 8), 1.0)
    """
    X, y, C = classification_data(model, data, num_classes, params)
    names, ps = select_params(model, params)
    theta = {n: p.detach() for n, p in zip(names, ps)}
    dev, dt = ps[0].device, ps[0].dtype
    n = len(X)
    p = _probabilities(model, X, batch_size).to(dt)
    w_icc = p / n  # w_{i,c'} (the class c is the label of i)
    w = torch.zeros(C, C, dtype=dt, device=dev).index_add_(0, y, w_icc)  # (C, C)
    check_finite(w, "cross-class weights")
    eye = torch.eye(C, dtype=dt, device=dev)
    means = torch.zeros(C, C, sum(q.numel() for q in ps), dtype=dt, device=dev)
    classes = range(C)
    if progress:
        from ..progress import tqdm
        classes = tqdm(classes, desc="cross-class means", unit="class", leave=False)
    for c in classes:
        idx = torch.nonzero(y == c).flatten()
        for s in range(0, len(idx), batch_size):
            b = idx[s:s + batch_size]
            Xb, pb = X[b], p[b]
            pi = w_icc[b] / w[c]  # (nb, C'): pi_{i,c,c'}
            # cotangents U[c'] = pi[:, c'] * (p_i - e_{c'}), shape (C', nb, C)
            U = pi.T[:, :, None] * (pb[None, :, :] - eye[:, None, :])
            with torch.enable_grad(), quiet_torch_func():
                _, pull = vjp(lambda th: functional_call(model, th, (Xb,)), theta)
                g = vmap(pull)(U)[0]
            means[c] += _flat(g, names, 1).detach()
    check_finite(means, "cross-class mean gradients")
    return means, w, p


def per_sample_extended_gradients(
    model: nn.Module, data, num_classes: int | None = None, *,
    params: Iterable | None = None, chunk_size: int = 64,
) -> tuple[torch.Tensor, torch.Tensor]:
    """All extended gradients ``g_{i,c,c'}`` ``(n, C, P)`` and their weights ``w`` ``(n, C)``.

    Per-sample Jacobians by ``vmap(jacrev)`` over samples (``chunk_size`` at a time); memory
    ``n C P`` -- for small models and tests (ground truth for ``G_within``). Arguments as in
    :func:`cross_class_means`.
    """
    X, y, num_classes = classification_data(model, data, num_classes, params)
    names, ps = select_params(model, params)
    theta = {n: p.detach() for n, p in zip(names, ps)}
    dev, dt = ps[0].device, ps[0].dtype

    def logits(th, x):
        return functional_call(model, th, (x.unsqueeze(0),))[0]

    with quiet_torch_func():
        J = vmap(jacrev(logits), in_dims=(None, 0), chunk_size=chunk_size)(theta, X)  # dict of (n, C, *shape)
    J = _flat(J, names, 2)  # (n, C, P)
    p = _probabilities(model, X, 1024).to(dt)
    R = p[:, None, :] - torch.eye(num_classes, dtype=dt, device=dev)[None]  # (n, C', C): p_i - e_{c'}
    g = torch.einsum("nkc,ncp->nkp", R, J)
    return g, p / len(X)


# ----------------------------------------------------------------------------- the decomposition


@dataclass
class GradientClassStructure:
    """Cross-class means ``g_{c,c'}`` ``(C, C, P)``, weights ``w_{c,c'}`` ``(C, C)``, probabilities
    ``p`` ``(n, C)`` and labels ``(n,)`` of a classifier on a data set, and their low-rank pieces."""

    means: torch.Tensor
    weights: torch.Tensor
    probs: torch.Tensor
    labels: torch.Tensor

    def __post_init__(self) -> None:
        self.pieces = mean_decomposition(self.means, self.weights)

    @property
    def num_classes(self) -> int:
        return int(self.weights.shape[0])

    @property
    def class_means(self) -> torch.Tensor:
        """``g_c`` ``(C, P)``."""
        return self.pieces.class_means


_PIECES = ("class", "cross", "same", "between")


class GDecomposition:
    """Papyan's decomposition ``G = G_class + G_cross + G_within + G_{c=c'}`` (2020, Sec. 6.1, eq. 11).

    Of the Gauss-Newton matrix of a classifier's mean cross-entropy over the data.

    Parameters
    ----------
    model : torch.nn.Module
        A classifier in eval mode.
    data : DataLoader, iterable of (X, y) batches, or one (X, y) pair
        The samples (:mod:`dlspectra.curvature.inputs`), integer labels.
    num_classes : int, optional
        ``C`` (default: the model's output width).
    params : iterable, optional
        Parameters (tensors or names) the matrices act on.
    batch_size : int
        Samples per vector-Jacobian product and per batch of ``G``.
    progress : bool
        A bar over the classes while the means are computed.

    Attributes
    ----------
    G : GGNOperator
        ``G`` of the mean cross-entropy over all samples.
    structure : GradientClassStructure
        The cross-class means and weights.
    class_, cross, same, between : LowRankOperator
        ``G_class``, ``G_cross``, ``G_{c=c'}`` and their sum (rank <= C^2).
    within : LinearCombination
        ``G - between``.

    Raises
    ------
    dlspectra.errors.UsageError, ClassStructureError
        See :func:`classification_data`.

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> model = nn.Sequential(nn.Linear(5, 8), nn.ReLU(), nn.Linear(8, 3)).eval()
    >>> X, y = torch.randn(30, 5), torch.arange(30) % 3
    >>> dec = GDecomposition(model, (X, y))
    >>> dec.eigenvalues("class").shape
    (3,)
    """

    def __init__(self, model: nn.Module, data, num_classes: int | None = None, *,
                 params: Iterable | None = None, batch_size: int = 256, progress: bool = False) -> None:
        X, y, num_classes = classification_data(model, data, num_classes, params)
        means, w, p = cross_class_means(model, (X, y), num_classes, params=params, batch_size=batch_size,
                                        progress=progress)
        dev = means.device
        self.structure = GradientClassStructure(means, w, p, y.to(dev))
        batches = [(X[i:i + batch_size], y[i:i + batch_size]) for i in range(0, len(X), batch_size)]
        self.G = GGNOperator(model, nn.CrossEntropyLoss(), batches, params=params)
        pc = self.structure.pieces
        self.class_ = LowRankOperator(*pc.class_)
        self.cross = LowRankOperator(*pc.cross)
        self.same = LowRankOperator(*pc.same)
        self.between = LowRankOperator(*pc.between)
        self.within = LinearCombination([self.G, self.between], [1.0, -1.0])

    def piece(self, name: str) -> CurvatureOperator:
        """``"class"``, ``"cross"``, ``"same"`` (c = c'), ``"between"`` or ``"within"``."""
        table = {"class": self.class_, "cross": self.cross, "same": self.same,
                 "between": self.between, "within": self.within}
        if name not in table:
            raise UsageError(f"unknown piece {name!r}; valid: {', '.join(table)}")
        return table[name]

    def eigenvalues(self, name: str) -> np.ndarray:
        """Exact eigenvalues (descending) of a low-rank piece from its Gram matrix."""
        if name not in _PIECES:
            raise UsageError(f"exact eigenvalues exist for the low-rank pieces {_PIECES}, not {name!r}")
        return self.piece(name).eigenvalues()

    def knockout(self, name: str, how: str = "subtract") -> CurvatureOperator:
        """``G ⊖ piece`` (``how="subtract"``) or ``G ⦀ piece`` (``"project"``: its column space projected out;
        for ``within`` the projection is not defined here -- it has nearly full rank)."""
        if how == "subtract":
            return LinearCombination([self.G, self.piece(name)], [1.0, -1.0])
        if how == "project":
            if name == "within":
                raise UsageError("projection knockout of G_within is not available (full-rank column space)")
            lr = self.piece(name)
            return ProjectionKnockout(self.G, orthonormal_basis(lr.V * lr.w.sqrt()))
        raise UsageError(f"how must be 'subtract' or 'project', got {how!r}")
