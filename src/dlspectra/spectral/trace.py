"""Trace estimators: Hutchinson and stochastic Lanczos quadrature (Xie Figs. 16/17 need Tr(H))."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import torch
from scipy.linalg import eigh_tridiagonal

from .lanczos import _apply, as_operator, lanczos_tridiagonal

__all__ = ["hutchinson_trace", "slq_trace"]


def _probe(n: int, g: torch.Generator, distribution: str) -> torch.Tensor:
    if distribution == "rademacher":
        return torch.randint(0, 2, (n,), generator=g, dtype=torch.int8).to(torch.float64) * 2 - 1
    if distribution == "gaussian":
        return torch.randn(n, generator=g, dtype=torch.float64)
    raise ValueError(f"distribution must be 'rademacher' or 'gaussian', got {distribution!r}")


def hutchinson_trace(
    op: Any,
    num_samples: int,
    seed: int = 0,
    *,
    distribution: str = "rademacher",
    return_std: bool = False,
    progress: bool = False,
) -> float | tuple[float, float]:
    """Hutchinson's estimate ``Tr(A) ~ mean_i z_i^T A z_i`` with ``num_samples`` seeded probes.

    Rademacher probes (default, as PyHessian) have the smallest variance,
    ``2 (||A||_F^2 - sum_i A_ii^2)`` per probe.  With ``return_std`` also returns the standard
    error of the mean.  Units: those of the operator's eigenvalues (sum over ``dim`` of them).
    """
    op = as_operator(op)
    g = torch.Generator().manual_seed(int(seed))
    it = range(num_samples)
    if progress:
        from ..progress import tqdm
        it = tqdm(it, desc="Hutchinson trace", leave=False)
    vals = []
    for _ in it:
        z = _probe(op.dim, g, distribution).to(op.device)
        vals.append(float(z @ _apply(op, z, "product in Hutchinson trace")))
    vals_a = np.asarray(vals)
    mean = float(vals_a.mean())
    if return_std:
        std = float(vals_a.std(ddof=1) / np.sqrt(len(vals_a))) if len(vals_a) > 1 else float("nan")
        return mean, std
    return mean


def slq_trace(
    op: Any,
    num_samples: int,
    seed: int = 0,
    *,
    num_steps: int = 30,
    fn: Callable[[np.ndarray], np.ndarray] | None = None,
    progress: bool = False,
) -> float:
    """Stochastic Lanczos quadrature estimate of ``Tr f(A)`` (``f`` = identity by default).

    For each Rademacher probe ``z`` (``||z||^2 = dim``): ``num_steps`` Lanczos steps with full
    reorthogonalisation from ``z / ||z||`` give Ritz values ``theta_m`` and weights ``y_m[1]^2``;
    ``z^T f(A) z ~ dim * sum_m y_m[1]^2 f(theta_m)``; averaged over probes.  For ``f`` = identity
    this equals Hutchinson with the same probes (up to rounding); use ``fn`` for e.g. ``Tr log``.
    """
    op = as_operator(op)
    f = fn if fn is not None else (lambda x: x)
    g = torch.Generator().manual_seed(int(seed))
    it = range(num_samples)
    if progress:
        from ..progress import tqdm
        it = tqdm(it, desc="SLQ trace", leave=False)
    est = []
    for _ in it:
        z = _probe(op.dim, g, "rademacher").to(op.device)
        a, b, _ = lanczos_tridiagonal(op, min(num_steps, op.dim), z, reorthogonalize=True)
        theta, S = eigh_tridiagonal(a, b[:-1])
        est.append(op.dim * float(np.sum(S[0] ** 2 * f(theta))))
    return float(np.mean(est))
