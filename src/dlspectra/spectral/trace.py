"""Trace estimators: Hutchinson, Hutch++ and stochastic Lanczos quadrature (Xie Figs. 16/17 need Tr(H)).

* :func:`hutchinson_trace`: ``Tr(A) ~ mean_i z_i^T A z_i`` (Hutchinson 1989; PyHessian's estimator);
* :func:`hutchpp_trace`: Hutch++ (Meyer, Musco, Musco & Woodruff 2021, Alg. 1): the trace of a
  low-rank sketch ``Q^T A Q`` exactly, Hutchinson only on the rest -- for the fast-decaying
  spectra of trained networks its error falls like ``1/m`` instead of ``1/sqrt(m)`` products;
* :func:`slq_trace`: ``Tr f(A)`` by stochastic Lanczos quadrature.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import torch
from scipy.linalg import eigh_tridiagonal

from dlspectra.errors import UsageError

from ._base import apply, apply_block, as_operator, lanczos_tridiagonal

__all__ = ["hutchinson_trace", "hutchpp_trace", "slq_trace"]

_DELAY = 1.0
"""Seconds before a trace's progress bar appears: short estimates show none."""


def _probe(n: int, g: torch.Generator, distribution: str) -> torch.Tensor:
    if distribution == "rademacher":
        return torch.randint(0, 2, (n,), generator=g, dtype=torch.int8).to(torch.float64) * 2 - 1
    if distribution == "gaussian":
        return torch.randn(n, generator=g, dtype=torch.float64)
    raise UsageError(f"distribution must be 'rademacher' or 'gaussian', got {distribution!r}")


def _check_samples(num: Any, name: str, least: int = 1) -> int:
    if isinstance(num, bool) or not isinstance(num, (int, np.integer)) or int(num) < least:
        raise UsageError(f"{name} must be an int >= {least}, got {num!r}")
    return int(num)


def _bar(enabled: bool, total: int, desc: str, unit: str):
    from ..progress import progress_bar

    return progress_bar(total=total, enabled=enabled, desc=desc, unit=unit, leave=False, delay=_DELAY)


def _mean_and_error(vals: np.ndarray) -> tuple[float, float]:
    std = float(vals.std(ddof=1) / np.sqrt(len(vals))) if len(vals) > 1 else float("nan")
    return float(vals.mean()), std


def hutchinson_trace(
    op: Any,
    num_samples: int,
    seed: int = 0,
    *,
    distribution: str = "rademacher",
    return_std: bool = False,
    progress: bool = True,
) -> float | tuple[float, float]:
    """Hutchinson's estimate ``Tr(A) ~ mean_i z_i^T A z_i`` with ``num_samples`` seeded probes.

    Parameters
    ----------
    op : operator or dense symmetric matrix (see :func:`~dlspectra.spectral.as_operator`).
    num_samples : int
        Probes (one product each).
    seed : int
        Seeds the probes (CPU generator).
    distribution : {"rademacher", "gaussian"}
        Rademacher probes (default, as PyHessian) have the smallest variance,
        ``2 (||A||_F^2 - sum_i A_ii^2)`` per probe.
    return_std : bool
        Also return the standard error of the mean.
    progress : bool
        A bar over the probes, shown when the estimate takes more than a second.

    Returns
    -------
    float or tuple
        The estimate (in the units of the operator's eigenvalues, summed over ``dim`` of them), and
        its standard error with ``return_std``.

    Raises
    ------
    dlspectra.errors.UsageError
        ``num_samples`` is not a positive int, or an unknown ``distribution``.

    Examples
    --------
    >>> import torch
    >>> hutchinson_trace(torch.diag(torch.tensor([1.0, 2.0, 3.0])), 10, progress=False)
    6.0
    """
    op = as_operator(op)
    num_samples = _check_samples(num_samples, "num_samples")
    g = torch.Generator().manual_seed(int(seed))
    vals = []
    with _bar(progress, num_samples, "Hutchinson trace", "probe") as bar:
        for _ in range(num_samples):
            z = _probe(op.dim, g, distribution).to(op.device)
            vals.append(float(z @ apply(op, z, "product in Hutchinson trace")))
            bar.update(1)
    mean, std = _mean_and_error(np.asarray(vals))
    return (mean, std) if return_std else mean


def hutchpp_trace(
    op: Any,
    num_matvecs: int,
    seed: int = 0,
    *,
    return_std: bool = False,
    progress: bool = True,
) -> float | tuple[float, float]:
    """Hutch++ estimate of ``Tr(A)`` with ``num_matvecs`` products (Meyer et al. 2021, Alg. 1).

    A third of the budget sketches the top of the spectrum, ``Q = orth(A S)`` with ``S`` a
    ``(dim, m/3)`` Rademacher block; ``Tr(Q^T A Q)`` is computed exactly with a second third; the
    last third runs Hutchinson on the deflated rest ``(I - Q Q^T) A (I - Q Q^T)``. Exact for an
    operator of rank at most ``m/3``.

    Parameters
    ----------
    op : operator or dense symmetric matrix (see :func:`~dlspectra.spectral.as_operator`).
    num_matvecs : int
        Product budget, at least 3 (a multiple of 3 is used in full: ``3 * (num_matvecs // 3)``).
    seed : int
        Seeds both random blocks.
    return_std : bool
        Also return the standard error of the Hutchinson part (the sketched part is exact).
    progress : bool
        A bar over the three block products, shown after a second.

    Returns
    -------
    float or tuple
        The estimate, and its standard error with ``return_std``.

    Raises
    ------
    dlspectra.errors.UsageError
        ``num_matvecs`` is not an int >= 3.

    Examples
    --------
    >>> import torch
    >>> A = torch.diag(torch.tensor([5.0, 3.0, 1.0, 0.0, 0.0, 0.0], dtype=torch.float64))
    >>> round(hutchpp_trace(A, 9, progress=False), 8)
    9.0
    """
    op = as_operator(op)
    m = _check_samples(num_matvecs, "num_matvecs", least=3) // 3
    n = int(op.dim)
    m = min(m, n)
    g = torch.Generator().manual_seed(int(seed))
    S = torch.stack([_probe(n, g, "rademacher") for _ in range(m)], 1).to(op.device)
    G = torch.stack([_probe(n, g, "rademacher") for _ in range(m)], 1).to(op.device)
    with _bar(progress, 3 * m, "Hutch++ trace", "product") as bar:
        Q = torch.linalg.qr(apply_block(op, S, "product in Hutch++"))[0]
        bar.update(m)
        low = float(torch.sum(Q * apply_block(op, Q, "product in Hutch++")))
        bar.update(m)
        Gp = G - Q @ (Q.T @ G)
        AG = apply_block(op, Gp, "product in Hutch++")
        bar.update(m)
    AG = AG - Q @ (Q.T @ AG)
    per_probe = torch.sum(Gp * AG, dim=0).cpu().numpy()
    rest, err = _mean_and_error(per_probe)
    total = low + rest
    return (total, err) if return_std else total


def slq_trace(
    op: Any,
    num_samples: int,
    seed: int = 0,
    *,
    num_steps: int = 30,
    fn: Callable[[np.ndarray], np.ndarray] | None = None,
    progress: bool = True,
) -> float:
    """Stochastic Lanczos quadrature estimate of ``Tr f(A)`` (``f`` = identity by default).

    For each Rademacher probe ``z`` (``||z||^2 = dim``): ``num_steps`` Lanczos steps with full
    reorthogonalisation from ``z / ||z||`` give Ritz values ``theta_m`` and weights ``y_m[1]^2``;
    ``z^T f(A) z ~ dim * sum_m y_m[1]^2 f(theta_m)``; averaged over probes. For ``f`` = identity
    this equals Hutchinson with the same probes (up to rounding).

    Parameters
    ----------
    op : operator or dense symmetric matrix (see :func:`~dlspectra.spectral.as_operator`).
    num_samples : int
        Probes.
    seed : int
        Seeds the probes.
    num_steps : int
        Lanczos steps per probe (capped at ``dim``).
    fn : callable, optional
        ``f``, applied to an array of Ritz values (e.g. ``numpy.log`` for ``Tr log A``).
    progress : bool
        A bar over the products, shown after a second.

    Returns
    -------
    float
        The estimate.

    Raises
    ------
    dlspectra.errors.UsageError
        ``num_samples`` is not a positive int.

    Examples
    --------
    >>> import torch
    >>> round(slq_trace(torch.diag(torch.tensor([1.0, 2.0, 3.0])), 4, progress=False), 6)
    6.0
    """
    op = as_operator(op)
    num_samples = _check_samples(num_samples, "num_samples")
    f = fn if fn is not None else (lambda x: x)
    g = torch.Generator().manual_seed(int(seed))
    steps = min(num_steps, op.dim)
    est = []
    with _bar(progress, num_samples * steps, "SLQ trace", "product") as bar:
        for _ in range(num_samples):
            z = _probe(op.dim, g, "rademacher").to(op.device)
            a, b, _ = lanczos_tridiagonal(op, steps, z, reorthogonalize=True, on_step=lambda: bar.update(1))
            theta, S = eigh_tridiagonal(a, b[:-1])
            est.append(op.dim * float(np.sum(S[0] ** 2 * f(theta))))
    return float(np.mean(est))
