"""Papyan's Lanczos approximate spectrum (App. C, Algs. 2-4) and his log-spectrum (App. C.7).

Defaults and their sources (Papyan 2020, App. C and D.2):

* ``normalization_steps = 32`` and ``margin = 0.05``: M0 and tau of Normalization (Alg. 4,
  App. D.2 "M0 = 32, tau = 0.05").
* ``num_points = 1024``: K of LanczosApproxSpec (App. D.2).
* ``kappa = 3.0``: App. D.2; the kernel width is ``sigma = 2 / ((M - 1) sqrt(8 ln kappa))`` in
  normalised units (Alg. 3, step 3), i.e. times ``d = (lambda_max - lambda_min) / 2`` in the
  operator's units.
* ``num_repeats = 1``: n_vec of App. D.2 (Fig. 15 uses 10).
* ``reorthogonalize = False``: the paper's FastLanczos (Alg. 2) has no reorthogonalisation and
  accepts "ghost" Ritz values; ``True`` gives SlowLanczos (Alg. 1 / stochastic Lanczos
  quadrature), which stores the basis.
* Log-spectrum: ``kappa = 1.04`` is *not* in the paper ("a different value of kappa"); it is the
  value curvlinops obtained by tweaking while reproducing Fig. 15b.  ``epsilon = 1e-5`` follows
  the paper's Fig. 6 ("log(G + 1e-5 I)").  Weights are the plain push-forward ``y_m[1]^2`` at
  nodes ``log(|theta_m| + epsilon)``; the paper's "scale the bumps by 1/theta" (App. C.7) is
  available as ``inverse_weights=True``; it does not integrate to the push-forward distribution
  (the weights of a Gaussian quadrature of ``lambda`` are not those of ``log lambda``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch
from scipy.linalg import eigh_tridiagonal

from dlspectra.curvature.base import ProjectedOperator, check_finite
from dlspectra.errors import UsageError

from ._base import as_operator, lanczos_tridiagonal, start_vector

__all__ = ["lanczos_density", "lanczos_log_density", "spectrum_bounds", "kernel_sigma", "DeflatedOperator"]

DeflatedOperator = ProjectedOperator
"""``(I - Q Q^T) A (I - Q Q^T)``: the projection knock-out of an orthonormal ``(dim, r)`` block
``Q`` (e.g. the top-C eigenvectors from :func:`subspace_iteration`), Papyan Sec. 3 / Fig. 17;
the same class as :class:`dlspectra.curvature.ProjectedOperator`."""

_DELAY = 1.0
"""Seconds before a density's progress bar appears: short runs show none."""


def kernel_sigma(num_steps: int, kappa: float) -> float:
    """Papyan's Gaussian kernel width in normalised units, ``2 / ((M - 1) sqrt(8 ln kappa))`` (Alg. 3, step 3).

    Parameters
    ----------
    num_steps : int
        Lanczos steps ``M`` (at least 2).
    kappa : float
        Papyan's ``kappa > 1`` (App. D.2: 3).

    Returns
    -------
    float
        The width on ``[-1, 1]``; times ``(lambda_max - lambda_min) / 2`` in the operator's units.

    Raises
    ------
    dlspectra.errors.UsageError
        ``kappa <= 1`` or ``num_steps < 2``.

    Examples
    --------
    >>> round(kernel_sigma(128, 3.0), 6)
    0.005312
    """
    if kappa <= 1:
        raise UsageError(f"kappa must be > 1, got {kappa}")
    if num_steps < 2:
        raise UsageError(f"num_steps must be >= 2, got {num_steps}")
    return 2.0 / ((num_steps - 1) * math.sqrt(8.0 * math.log(kappa)))


def _ritz(op: Any, num_steps: int, v0: torch.Tensor, reorthogonalize: bool,
          on_step=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ritz values, squared first components of the T-eigenvectors, and residual bounds."""
    alpha, beta, _ = lanczos_tridiagonal(op, num_steps, v0, reorthogonalize=reorthogonalize, on_step=on_step)
    theta, S = eigh_tridiagonal(alpha, beta[:-1])
    check_finite(theta, "Lanczos Ritz values")
    return theta, S[0] ** 2, beta[-1] * np.abs(S[-1])


def _ritz_runs(op: Any, num_steps: int, num_repeats: int, seed: int, reorthogonalize: bool, bar):
    """``(theta, weights)`` of ``num_repeats`` Lanczos runs from seeded Gaussian start vectors."""
    if isinstance(num_repeats, bool) or not isinstance(num_repeats, (int, np.integer)) or num_repeats < 1:
        raise UsageError(f"num_repeats must be an int >= 1, got {num_repeats!r}")
    g = torch.Generator().manual_seed(int(seed) + 1)
    for _ in range(num_repeats):
        v0 = torch.randn(op.dim, generator=g, dtype=torch.float64).to(op.device)
        theta, w, _ = _ritz(op, num_steps, v0, reorthogonalize, on_step=lambda: bar.update(1))
        yield theta, w


def _bar(enabled: bool, total: int, desc: str):
    from ..progress import progress_bar

    return progress_bar(total=total, enabled=enabled, desc=desc, unit="product", leave=False, delay=_DELAY)


def spectrum_bounds(op: Any, *, num_steps: int = 32, margin: float = 0.05, seed: int = 0) -> tuple[float, float]:
    """Papyan's Normalization (Alg. 4, after Lin, Saad & Yang 2016): estimates of ``(lambda_min, lambda_max)``.

    From ``num_steps`` FastLanczos steps, each extreme Ritz value pushed outwards by its Ritz residual
    ``beta_M |y_m[M]|`` and then by ``margin * (lambda_max - lambda_min)``.

    Parameters
    ----------
    op : operator or dense symmetric matrix
        See :func:`~dlspectra.spectral.as_operator`.
    num_steps : int
        ``M0`` (App. D.2: 32).
    margin : float
        ``tau`` (App. D.2: 0.05).
    seed : int
        Seeds the start vector.

    Returns
    -------
    tuple of float
        ``(lo, hi)``.

    Raises
    ------
    dlspectra.errors.SpectrumError
        A NaN or infinite product.

    Examples
    --------
    >>> import torch
    >>> lo, hi = spectrum_bounds(torch.diag(torch.tensor([0.0, 1.0, 2.0])))
    >>> lo <= 0.0 and hi >= 2.0
    True
    """
    return _bounds(as_operator(op), num_steps, margin, seed, None)


def _bounds(op: Any, num_steps: int, margin: float, seed: int, bar) -> tuple[float, float]:
    on_step = None if bar is None else (lambda: bar.update(1))
    theta, _, res = _ritz(op, min(num_steps, op.dim), start_vector(op.dim, op.device, seed), False, on_step)
    lo, hi = theta[0] - res[0], theta[-1] + res[-1]
    delta = margin * (hi - lo)
    if delta == 0:
        delta = margin * max(abs(hi), 1.0)
    return float(lo - delta), float(hi + delta)


def _gauss(x: np.ndarray, centers: np.ndarray, weights: np.ndarray, sigma: float) -> np.ndarray:
    out = np.zeros_like(x)
    norm = 1.0 / (sigma * math.sqrt(2 * math.pi))
    for start in range(0, len(centers), 256):  # bounded memory
        c, w = centers[start:start + 256], weights[start:start + 256]
        out += (w[None, :] * np.exp(-0.5 * ((x[:, None] - c[None, :]) / sigma) ** 2)).sum(1) * norm
    return out


def lanczos_density(
    op: Any,
    *,
    num_steps: int,
    num_repeats: int = 1,
    grid: np.ndarray | None = None,
    num_points: int = 1024,
    kappa: float = 3.0,
    seed: int = 0,
    boundaries: tuple[float, float] | None = None,
    margin: float = 0.05,
    normalization_steps: int = 32,
    reorthogonalize: bool = False,
    progress: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Papyan's Lanczos approximate spectral density (LanczosApproxSpec, Alg. 3, with Alg. 4).

    1. ``[lambda_min, lambda_max]`` = ``boundaries`` or :func:`spectrum_bounds` (Normalization,
       ``normalization_steps`` = M0 = 32, ``margin`` = tau = 0.05); ``c``, ``d`` = centre and
       half-width, so ``A~ = (A - c I) / d`` has its spectrum in ``[-1, 1]``.
    2. For each of ``num_repeats`` seeded start vectors: ``num_steps`` (= M) Lanczos steps, Ritz
       values ``theta_m`` and weights ``y_m[1]^2`` (they sum to 1).
    3. ``phi(t) = mean over repeats of sum_m y_m[1]^2 g_sigma(t - theta~_m)``, Gaussian kernel with
       ``sigma = kernel_sigma(M, kappa)`` in normalised units; ``t`` = ``num_points`` (K = 1024)
       equispaced points on ``[-1, 1]``.
    4. Back to the operator's units: ``lambda = c + d t``, ``density(lambda) = phi(t) / d``.

    Parameters
    ----------
    op : operator or dense symmetric matrix
        See :func:`~dlspectra.spectral.as_operator`.
    num_steps : int
        Lanczos steps ``M`` per start vector.
    num_repeats : int
        Start vectors ``n_vec`` (App. D.2: 1; Fig. 15: 10).
    grid : numpy.ndarray, optional
        Evaluation points in the operator's units (default ``num_points`` equispaced over the bounds).
    num_points : int
        ``K`` (App. D.2: 1024).
    kappa : float
        Kernel width parameter (App. D.2: 3).
    seed : int
        Seeds the start vectors.
    boundaries : tuple of float, optional
        ``(lambda_min, lambda_max)``; default :func:`spectrum_bounds`.
    margin, normalization_steps
        ``tau`` and ``M0`` of the Normalization.
    reorthogonalize : bool
        ``False``: FastLanczos (Alg. 2, as the paper); ``True``: SlowLanczos (Alg. 1).
    progress : bool
        A bar over the products, shown after a second.

    Returns
    -------
    tuple
        ``(grid, density)``: float64 arrays of shape ``(num_points,)`` (or ``grid``'s shape); the
        density integrates to ~1 over the grid. Cost: ``normalization_steps + num_repeats * num_steps``
        products.

    Raises
    ------
    dlspectra.errors.UsageError
        Degenerate bounds, ``kappa <= 1``, ``num_steps < 2``, ``num_repeats < 1``.
    dlspectra.errors.SpectrumError
        A NaN or infinite product.

    Examples
    --------
    >>> import numpy as np, torch
    >>> A = torch.diag(torch.linspace(0, 1, 200, dtype=torch.float64))
    >>> x, d = lanczos_density(A, num_steps=40, progress=False)
    >>> round(float(np.trapezoid(d, x)), 2)
    1.0
    """
    op = as_operator(op)
    num_steps = min(num_steps, op.dim)
    sigma = kernel_sigma(num_steps, kappa)
    total = num_repeats * num_steps + (0 if boundaries is not None else min(normalization_steps, op.dim))
    with _bar(progress, total, "Lanczos density") as bar:
        lo, hi = boundaries if boundaries is not None else _bounds(op, normalization_steps, margin, seed, bar)
        c, d = (lo + hi) / 2, (hi - lo) / 2
        if not d > 0:
            raise UsageError(f"degenerate spectrum bounds ({lo}, {hi}): pass boundaries=(lo, hi) with lo < hi")
        t = np.linspace(-1, 1, num_points) if grid is None else (np.asarray(grid, dtype=np.float64) - c) / d
        phi = np.zeros_like(t)
        for theta, w in _ritz_runs(op, num_steps, num_repeats, seed, reorthogonalize, bar):
            phi += _gauss(t, (theta - c) / d, w, sigma)
    phi /= num_repeats
    dens = phi / d
    check_finite(dens, "spectral density")
    return c + d * t, dens


def lanczos_log_density(
    op: Any,
    *,
    num_steps: int,
    num_repeats: int = 1,
    grid: np.ndarray | None = None,
    num_points: int = 1024,
    kappa: float = 1.04,
    epsilon: float = 1e-5,
    seed: int = 0,
    boundaries: tuple[float, float] | None = None,
    margin: float = 0.05,
    normalization_steps: int = 32,
    reorthogonalize: bool = False,
    inverse_weights: bool = False,
    progress: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Papyan's log-spectrum (App. C.7): the density of ``u = log(|lambda| + epsilon)`` (natural log).

    Ritz values ``theta_m`` from ``num_steps`` Lanczos steps are mapped to ``u_m = log(|theta_m| +
    epsilon)`` and Gaussians of width ``sigma = kernel_sigma(M, kappa) * (u_max - u_min) / 2``
    with weights ``y_m[1]^2`` are placed there (push-forward). The ``u`` range: logs of the
    Normalization bounds (``log(epsilon)`` at the low end when the spectrum reaches 0), then
    widened by ``margin`` (at least three kernel widths, so the density integrates to ~1). For a
    PSD operator (G) this is the log of the spectrum; for an indefinite one (E) of its absolute
    values.

    Parameters
    ----------
    op, num_steps, num_repeats, num_points, seed, boundaries, margin, normalization_steps, reorthogonalize, progress
        As :func:`lanczos_density`.
    grid : numpy.ndarray, optional
        Points in ``u``.
    kappa : float
        Default 1.04 -- not in the paper ("a different value of kappa"); the value curvlinops
        obtained by tweaking while reproducing Fig. 15b.
    epsilon : float
        The paper's ``log(G + 1e-5 I)`` of Fig. 6.
    inverse_weights : bool
        The paper's "scale by 1/theta" variant (weights ``y^2 / (|theta| + epsilon)``, renormalised).

    Returns
    -------
    tuple
        ``(u_grid, density_in_u)``, float64, integrating to ~1 over ``u``.

    Raises
    ------
    dlspectra.errors.UsageError
        ``kappa <= 1``, ``num_steps < 2``, ``num_repeats < 1``.
    dlspectra.errors.SpectrumError
        A NaN or infinite product.

    Examples
    --------
    >>> import numpy as np, torch
    >>> A = torch.diag(torch.logspace(-4, 0, 300, dtype=torch.float64))
    >>> u, d = lanczos_log_density(A, num_steps=60, progress=False)
    >>> round(float(np.trapezoid(d, u)), 2)
    1.0
    """
    op = as_operator(op)
    num_steps = min(num_steps, op.dim)
    total = num_repeats * num_steps + (0 if boundaries is not None else min(normalization_steps, op.dim))
    bar = _bar(progress, total, "Lanczos log-density")
    lo, hi = boundaries if boundaries is not None else _bounds(op, normalization_steps, 0.0, seed, bar)
    amax = max(abs(lo), abs(hi))
    amin = 0.0 if lo <= 0 <= hi else min(abs(lo), abs(hi))
    ulo, uhi = math.log(amin + epsilon), math.log(amax + epsilon)
    # margin as Papyan's tau, but at least 3 kernel widths so that a spike at log(epsilon) (the
    # null space of a PSD operator) keeps its mass inside the grid
    delta = max(margin * (uhi - ulo), 3 * kernel_sigma(num_steps, kappa) * (uhi - ulo) / 2)
    ulo, uhi = ulo - delta, uhi + delta
    c, d = (ulo + uhi) / 2, (uhi - ulo) / 2
    u = np.linspace(ulo, uhi, num_points) if grid is None else np.asarray(grid, dtype=np.float64)
    sigma = kernel_sigma(num_steps, kappa) * d
    dens = np.zeros_like(u)
    with bar:
        for theta, w in _ritz_runs(op, num_steps, num_repeats, seed, reorthogonalize, bar):
            if inverse_weights:
                w = w / (np.abs(theta) + epsilon)
                w = w / w.sum()
            dens += _gauss(u, np.log(np.abs(theta) + epsilon), w, sigma)
    dens /= num_repeats
    check_finite(dens, "log spectral density")
    return u, dens
