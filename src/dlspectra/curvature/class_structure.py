"""Papyan's class / cross-class decomposition of the Gauss-Newton matrix ``G`` (Papyan 2020, Sec. 6, App. A).

Notation (catalog 0.4).  For sample ``i`` of class ``c`` (its label) and any class ``c'``:

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

The cross-class means are computed without per-sample gradients: for each class ``c`` one
vector-Jacobian product of the logits, ``vmap``-ed over ``c'`` with cotangents
``(w_{i,c,c'}/w_{c,c'}) (p_i - e_{c'})`` (``C`` products per batch), so memory is ``C^2 P``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
import torch
from torch import nn
from torch.func import functional_call, jacrev, vjp, vmap

from dlspectra.errors import DlspectraError

from .base import CurvatureOperator, check_finite, select_params
from .operators import GGNOperator, _check_eval_mode

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


# ----------------------------------------------------------------------------- generic operators


def orthonormal_basis(V: torch.Tensor, rtol: float | None = None) -> torch.Tensor:
    """An orthonormal basis ``(dim, r)`` of the column space of ``V`` ``(dim, k)``.

    From the thin SVD; singular values below ``rtol * s_max`` are dropped (default
    ``max(dim, k) * eps``, numpy's ``matrix_rank`` rule).
    """
    if V.ndim != 2:
        raise ValueError(f"V must be (dim, k), got shape {tuple(V.shape)}")
    U, s, _ = torch.linalg.svd(V, full_matrices=False)
    if len(s) == 0 or float(s[0]) == 0.0:
        return U[:, :0]
    if rtol is None:
        rtol = max(V.shape) * float(torch.finfo(V.dtype).eps)
    return U[:, s > rtol * s[0]]


class LowRankOperator(CurvatureOperator):
    """``A = V diag(weights) V^T`` with ``V`` of shape ``(dim, k)`` and ``weights >= 0`` of shape ``(k,)``.

    :meth:`eigenvalues` is exact through the ``k x k`` Gram matrix ``B^T B``, ``B = V sqrt(w)``
    (the non-zero eigenvalues of ``B B^T``); :meth:`eigh` also gives the eigenvectors ``B u / sqrt(lambda)``.
    """

    def __init__(self, V: torch.Tensor, weights: torch.Tensor | None = None) -> None:
        if V.ndim != 2:
            raise ValueError(f"V must be (dim, k), got shape {tuple(V.shape)}")
        w = torch.ones(V.shape[1], dtype=V.dtype, device=V.device) if weights is None else \
            torch.as_tensor(weights, dtype=V.dtype, device=V.device)
        if w.shape != (V.shape[1],):
            raise ValueError(f"weights must have shape ({V.shape[1]},), got {tuple(w.shape)}")
        if bool((w < 0).any()):
            raise ValueError("weights must be non-negative")
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
            raise ValueError("need as many coefficients as operators (at least one)")
        dims = {int(op.dim) for op in ops}
        if len(dims) != 1:
            raise ValueError(f"operators have different dims {sorted(dims)}")
        super().__init__(ops[0].dim, ops[0].device, ops[0].dtype)
        self.ops, self.coeffs = ops, [float(a) for a in coeffs]

    def _matvec(self, v: torch.Tensor) -> torch.Tensor:
        return sum(a * op.matvec(v).to(self.dtype) for a, op in zip(self.coeffs, self.ops))

    def _matmat(self, V: torch.Tensor) -> torch.Tensor:
        return sum(a * op.matmat(V).to(self.dtype) for a, op in zip(self.coeffs, self.ops))


class ProjectionKnockout(CurvatureOperator):
    """Papyan's projection knockout ``A ⦀ B = (I - Q Q^T) A (I - Q Q^T)``, ``Q`` an orthonormal basis
    ``(dim, r)`` of the column space of ``B`` (from :func:`orthonormal_basis` or ``LowRankOperator.eigh``)."""

    def __init__(self, op, Q: torch.Tensor) -> None:
        if Q.ndim != 2 or Q.shape[0] != op.dim:
            raise ValueError(f"Q must be (dim={op.dim}, r), got {tuple(Q.shape)}")
        super().__init__(op.dim, op.device, op.dtype)
        self.op = op
        self.Q = Q.to(device=op.device, dtype=op.dtype)

    def _project(self, X: torch.Tensor) -> torch.Tensor:
        return X - self.Q @ (self.Q.T @ X)

    def _matmat(self, X: torch.Tensor) -> torch.Tensor:
        return self._project(self.op.matmat(self._project(X)).to(self.dtype))

    def _matvec(self, v: torch.Tensor) -> torch.Tensor:
        return self._matmat(v[:, None])[:, 0]


class ExplicitSecondMoment(CurvatureOperator):
    """``sum_j w_j v_j v_j^T`` from explicit vectors ``V`` ``(m, dim)`` (rows) and weights ``(m,)``.

    For small problems: ``G`` or ``G_within`` from :func:`per_sample_extended_gradients`.
    """

    def __init__(self, V: torch.Tensor, weights: torch.Tensor) -> None:
        if V.ndim != 2 or weights.shape != (V.shape[0],):
            raise ValueError(f"V must be (m, dim) and weights (m,), got {tuple(V.shape)}, {tuple(weights.shape)}")
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
        raise ValueError(f"means must be (C, C, d) and w (C, C); got {tuple(means.shape)}, {tuple(w.shape)}")
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
        raise ValueError(f"need g (n, C, d), w (n, C), y (n,); got {tuple(g.shape)}, {tuple(w.shape)}, {tuple(y.shape)}")
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
    model: nn.Module, X: torch.Tensor, y: torch.Tensor, num_classes: int, *,
    params: Iterable | None = None, batch_size: int = 256, progress: bool = False,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """The cross-class mean gradients ``g_{c,c'}`` ``(C, C, P)``, weights ``w_{c,c'}`` ``(C, C)``
    (summing to 1) and the probabilities ``p`` ``(n, C)``; in the parameters' dtype and device.

    One ``vmap``-ed vector-Jacobian product per class and batch (over the ``C`` cross-classes);
    no per-sample gradients are formed.
    """
    _check_eval_mode(model)
    counts = check_model_and_labels(model, y, num_classes, params)
    names, ps = select_params(model, params)
    theta = {n: p.detach() for n, p in zip(names, ps)}
    dev, dt = ps[0].device, ps[0].dtype
    X, y = X.to(dev), y.to(dev)
    n, C = len(X), num_classes
    p = _probabilities(model, X, batch_size).to(dt)
    if p.shape[1] != C:
        raise ClassStructureError(f"model has {p.shape[1]} outputs but num_classes={C}")
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
            with torch.enable_grad():
                _, pull = vjp(lambda th: functional_call(model, th, (Xb,)), theta)
                g = vmap(pull)(U)[0]
            means[c] += _flat(g, names, 1).detach()
    check_finite(means, "cross-class mean gradients")
    del counts
    return means, w, p


def per_sample_extended_gradients(
    model: nn.Module, X: torch.Tensor, y: torch.Tensor, num_classes: int, *,
    params: Iterable | None = None, chunk_size: int = 64,
) -> tuple[torch.Tensor, torch.Tensor]:
    """All extended gradients ``g_{i,c,c'}`` ``(n, C, P)`` and their weights ``w`` ``(n, C)``.

    Per-sample Jacobians by ``vmap(jacrev)`` over samples (``chunk_size`` at a time); memory
    ``n C P`` -- for small models and tests (ground truth for ``G_within``).
    """
    _check_eval_mode(model)
    check_model_and_labels(model, y, num_classes, params)
    names, ps = select_params(model, params)
    theta = {n: p.detach() for n, p in zip(names, ps)}
    dev, dt = ps[0].device, ps[0].dtype
    X = X.to(dev)

    def logits(th, x):
        return functional_call(model, th, (x.unsqueeze(0),))[0]

    with warnings.catch_warnings():  # torch.func's first jacrev call triggers torch's own jit deprecation notice
        warnings.filterwarnings("ignore", message=".*torch.jit.script.*is deprecated", category=FutureWarning)
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
    """``G = G_class + G_cross + G_within + G_{c=c'}`` of a classifier (cross-entropy) on ``(X, y)``.

    Attributes: ``G`` (:class:`GGNOperator`, the mean cross-entropy over all samples), ``structure``
    (:class:`GradientClassStructure`), and the operators ``class_``, ``cross``, ``same`` (``G_{c=c'}``),
    ``between`` (their sum, rank <= C^2) as :class:`LowRankOperator`, ``within`` = ``G - between``.
    :meth:`knockout` gives ``G ⊖ piece`` or ``G ⦀ piece``.  The model must be in eval mode.
    """

    def __init__(self, model: nn.Module, X: torch.Tensor, y: torch.Tensor, num_classes: int, *,
                 params: Iterable | None = None, batch_size: int = 256, progress: bool = False) -> None:
        means, w, p = cross_class_means(model, X, y, num_classes, params=params, batch_size=batch_size,
                                        progress=progress)
        dev = means.device
        self.structure = GradientClassStructure(means, w, p, y.to(dev))
        X, y = X.to(dev), y.to(dev)
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
            raise ValueError(f"unknown piece {name!r}; valid: {', '.join(table)}")
        return table[name]

    def eigenvalues(self, name: str) -> np.ndarray:
        """Exact eigenvalues (descending) of a low-rank piece from its Gram matrix."""
        if name not in _PIECES:
            raise ValueError(f"exact eigenvalues exist for the low-rank pieces {_PIECES}, not {name!r}")
        return self.piece(name).eigenvalues()

    def knockout(self, name: str, how: str = "subtract") -> CurvatureOperator:
        """``G ⊖ piece`` (``how="subtract"``) or ``G ⦀ piece`` (``"project"``: its column space projected out;
        for ``within`` the projection is not defined here -- it has nearly full rank)."""
        if how == "subtract":
            return LinearCombination([self.G, self.piece(name)], [1.0, -1.0])
        if how == "project":
            if name == "within":
                raise ValueError("projection knockout of G_within is not available (full-rank column space)")
            lr = self.piece(name)
            return ProjectionKnockout(self.G, orthonormal_basis(lr.V * lr.w.sqrt()))
        raise ValueError(f"how must be 'subtract' or 'project', got {how!r}")
