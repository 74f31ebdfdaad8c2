"""What every eigen-solver of :mod:`dlspectra.spectral` shares, so that no solver imports another.

* :class:`EigResult`, the result type (eigenvalues descending, residuals, products, flags);
* :func:`as_operator`, operator coercion (a dense matrix becomes a
  :class:`~dlspectra.curvature.DenseOperator`);
* :func:`apply` / :func:`apply_block`, products of float64 vectors with an operator of any dtype;
* :func:`start_vector` / :func:`start_block`, seeded random starts (CPU generator, so a seed gives
  the same start on every device);
* :func:`select`, the wanted Ritz values (``"LA"``, ``"SA"``, ``"LM"``);
* :func:`orthogonalise`, the one Gram-Schmidt of the package (classical, with the second pass of
  Daniel, Gragg, Kaufman & Stewart when the first cancelled, or always twice);
* :func:`lanczos_tridiagonal`, the Lanczos three-term recurrence used by the densities and by
  stochastic Lanczos quadrature (Papyan 2020, App. C, Algs. 1-2);
* :func:`krylov_miss_check`, the check that a converged single-vector Krylov solve did not miss an
  eigenvalue (a copy of a repeated one) beyond the wanted ones.
"""

from __future__ import annotations

import math
import numbers
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import torch
from scipy.linalg import eigh_tridiagonal

from dlspectra.curvature.base import CurvatureOperator, DenseOperator, check_finite
from dlspectra.errors import SolverWarning, UsageError

__all__ = [
    "EigResult",
    "REORTH_ETA",
    "apply",
    "apply_block",
    "as_operator",
    "check_k",
    "default_check_every",
    "effective_tol",
    "krylov_miss_check",
    "report",
    "lanczos_tridiagonal",
    "orthogonalise",
    "select",
    "start_block",
    "start_vector",
]


@dataclass
class EigResult:
    """Result of an eigen-solver.

    Attributes
    ----------
    eigenvalues : numpy.ndarray
        float64, shape ``(k,)``, descending.
    eigenvectors : torch.Tensor or None
        ``(dim, k)`` in the operator's dtype on its device (column ``j`` belongs to
        ``eigenvalues[j]``), or ``None`` when not requested.
    residuals : numpy.ndarray
        float64 ``(k,)``, ``||A y_j - theta_j y_j||`` for unit ``y_j``, in the operator's units.
    num_matvecs : int
        Operator-vector products used (a block product with ``m`` columns counts ``m``).
    converged : bool
        Every residual met the solver's relative tolerance, ``residual <= tol * max|theta|``, and
        no check found a wanted eigenvalue outside the space searched.
    info : dict
        Solver details (steps, the tolerance used, timing, ...).

    Examples
    --------
    >>> import numpy as np
    >>> r = EigResult(np.array([2.0, 1.0]), None, np.zeros(2), 5, True)
    >>> r.eigenvalues[0], r.converged
    (np.float64(2.0), True)
    """

    eigenvalues: np.ndarray
    eigenvectors: torch.Tensor | None
    residuals: np.ndarray
    num_matvecs: int
    converged: bool
    info: dict[str, Any] = field(default_factory=dict)


def as_operator(op: Any) -> Any:
    """The operator a solver works on.

    Parameters
    ----------
    op : CurvatureOperator, object with ``matvec``, ``dim``, ``device`` and ``dtype``, torch.Tensor or numpy.ndarray
        A dense symmetric matrix is wrapped in :class:`~dlspectra.curvature.DenseOperator`.

    Returns
    -------
    object
        ``op`` itself, or the wrapped matrix.

    Raises
    ------
    TypeError
        ``op`` lacks one of the four attributes, or its dtype is not a real floating-point dtype.

    Examples
    --------
    >>> import torch
    >>> as_operator(torch.eye(3)).dim
    3
    """
    if isinstance(op, (torch.Tensor, np.ndarray)):
        return DenseOperator(op)
    for attr in ("matvec", "dim", "device", "dtype"):
        if not hasattr(op, attr):
            raise TypeError(f"operator lacks attribute {attr!r}: need matvec, dim, device, dtype")
    if not (isinstance(op.dtype, torch.dtype) and op.dtype.is_floating_point):
        # the solvers feed op.matvec vectors cast to op.dtype: an integer dtype truncates them
        raise TypeError(f"operator dtype must be a real floating-point torch dtype, got {op.dtype!r} "
                        "(wrap an integer matrix in DenseOperator, which converts it to float64)")
    return op


def check_k(k: Any, dim: int, name: str = "k") -> int:
    """``k`` as an ``int`` in ``[1, dim]``; a float, a bool or an out-of-range value raises
    :class:`~dlspectra.errors.UsageError` (a ``ValueError``) saying what to pass."""
    if isinstance(k, bool) or not isinstance(k, numbers.Integral):
        raise UsageError(f"{name} must be a whole number of eigenpairs (an int), got {k!r} of type "
                         f"{type(k).__name__}; pass e.g. {name}={max(1, int(k)) if isinstance(k, (int, float)) else 10}")
    k = int(k)
    if not 1 <= k <= dim:
        raise UsageError(f"{name} must be in [1, dim={dim}], got {k}")
    return k


def effective_tol(tol: float, dtype: torch.dtype) -> float:
    """``max(tol, 50 eps(dtype))``: a float32 operator's products carry ~1e-7 relative error, so a
    tighter relative residual cannot be reached."""
    return max(float(tol), 50 * float(torch.finfo(dtype).eps))


def default_check_every(k: int) -> int:
    """Steps between convergence checks of the Lanczos solvers: ``max(1, min(10, k // 5))``."""
    return max(1, min(10, k // 5))


def apply(op: Any, v: torch.Tensor, what: str) -> torch.Tensor:
    """``op @ v`` for a float64 vector ``v`` ``(dim,)``, returned as float64 on ``v``'s device;
    a NaN or infinite product raises :class:`~dlspectra.errors.SpectrumError` naming ``what``."""
    out = op.matvec(v.to(op.dtype)).to(device=v.device, dtype=torch.float64)
    if not isinstance(op, CurvatureOperator):  # ours already checks
        check_finite(out, what)
    return out


def apply_block(op: Any, V: torch.Tensor, what: str) -> torch.Tensor:
    """``op @ V`` for a float64 block ``V`` ``(dim, m)`` (``matmat`` when the operator has one)."""
    if hasattr(op, "matmat"):
        out = op.matmat(V.to(op.dtype)).to(device=V.device, dtype=torch.float64)
    else:
        out = torch.stack([op.matvec(V[:, j].to(op.dtype)) for j in range(V.shape[1])], 1).to(
            device=V.device, dtype=torch.float64)
    check_finite(out, what)
    return out


def start_vector(dim: int, device: torch.device, seed: int) -> torch.Tensor:
    """A unit Gaussian vector ``(dim,)``, float64, drawn on the CPU from ``seed`` and moved to ``device``."""
    g = torch.Generator().manual_seed(int(seed))
    v = torch.randn(dim, generator=g, dtype=torch.float64).to(device)
    return v / torch.linalg.vector_norm(v)


def start_block(dim: int, k: int, device: torch.device, seed: int) -> torch.Tensor:
    """An orthonormal Gaussian block ``(dim, k)``, float64, drawn on the CPU from ``seed``."""
    g = torch.Generator().manual_seed(int(seed))
    return torch.linalg.qr(torch.randn(dim, k, generator=g, dtype=torch.float64).to(device))[0]


def select(theta: np.ndarray, k: int, which: str) -> np.ndarray:
    """Indices of the ``k`` wanted values of ``theta``: ``"LA"`` largest algebraic, ``"SA"``
    smallest, ``"LM"`` largest magnitude (in that order)."""
    if which == "LA":
        return np.argsort(theta)[::-1][:k]
    if which == "SA":
        return np.argsort(theta)[:k]
    if which == "LM":
        return np.argsort(np.abs(theta))[::-1][:k]
    raise UsageError(f"which must be 'LA', 'SA' or 'LM', got {which!r}")


REORTH_ETA = 1.0 / math.sqrt(2.0)
"""DGKS threshold: a second Gram-Schmidt pass runs when the first left less than this fraction of the norm."""


def orthogonalise(w: torch.Tensor, basis: torch.Tensor, *, passes: int | str = "dgks"
                  ) -> tuple[torch.Tensor, torch.Tensor, int]:
    """``w`` made orthogonal to the orthonormal rows of ``basis``, by classical Gram-Schmidt.

    Parameters
    ----------
    w : torch.Tensor
        A vector ``(dim,)`` or a block ``(dim, b)``.
    basis : torch.Tensor
        ``(m, dim)`` with orthonormal rows (pass ``Q.T`` for a block ``Q`` of orthonormal columns).
    passes : {"dgks", 1, 2}
        ``2``: always two passes ("twice is enough"). ``1``: one pass (PyHessian's deflation).
        ``"dgks"`` (default): the second pass only when the first removed more than
        ``1 - REORTH_ETA`` of the norm (of any column) -- Daniel, Gragg, Kaufman and Stewart's
        criterion; a Lanczos vector is nearly orthogonal to its basis already, so most steps need
        one pass.

    Returns
    -------
    tuple
        ``(w', h, second)``: the orthogonalised ``w``, the coefficients ``h = basis w`` summed over
        the passes (``(m,)`` or ``(m, b)``), and ``1`` if a second pass ran, else ``0``.

    Raises
    ------
    dlspectra.errors.UsageError
        ``passes`` is none of the three.

    Examples
    --------
    >>> import torch
    >>> w, h, second = orthogonalise(torch.tensor([1.0, 1.0]), torch.tensor([[1.0, 0.0]]))
    >>> w.tolist(), h.tolist(), second
    ([0.0, 1.0], [1.0], 0)
    """
    if passes not in ("dgks", 1, 2):
        raise UsageError(f"passes must be 'dgks', 1 or 2, got {passes!r}")
    norm0 = torch.linalg.vector_norm(w, dim=0) if passes == "dgks" else None
    h = basis @ w
    w = w - basis.T @ h
    if passes == 1 or (passes == "dgks" and bool((torch.linalg.vector_norm(w, dim=0) >= REORTH_ETA * norm0).all())):
        return w, h, 0
    h2 = basis @ w
    return w - basis.T @ h2, h + h2, 1


def lanczos_tridiagonal(
    op: Any,
    num_steps: int,
    v0: torch.Tensor,
    *,
    reorthogonalize: bool = True,
    store_basis: bool = False,
    on_step: Callable[[], None] | None = None,
) -> tuple[np.ndarray, np.ndarray, torch.Tensor | None]:
    """Run ``num_steps`` Lanczos steps from ``v0`` (float64, any norm).

    Parameters
    ----------
    op : operator or dense symmetric matrix (see :func:`as_operator`).
    num_steps : int
        Steps (products); ``m <= num_steps`` are done (the recurrence stops at an invariant subspace).
    v0 : torch.Tensor
        Start vector ``(dim,)``.
    reorthogonalize : bool
        ``False`` is Papyan's FastLanczos (Alg. 2: three-term recurrence only, O(dim) memory;
        "ghost" copies of converged Ritz values are expected); ``True`` is SlowLanczos (Alg. 1),
        each new vector orthogonalised twice against the stored basis.
    store_basis : bool
        Also return the basis.
    on_step : callable, optional
        Called after every product (progress bars).

    Returns
    -------
    tuple
        ``(alpha, beta, V)``: ``alpha`` ``(m,)``, ``beta`` ``(m,)`` with ``beta[:m-1]`` the
        off-diagonal of ``T_m`` and ``beta[m-1]`` the last residual norm, and the basis ``V``
        ``(m, dim)`` when ``store_basis`` (else ``None``).

    Raises
    ------
    dlspectra.errors.SpectrumError
        A NaN or infinite product.

    Examples
    --------
    >>> import torch
    >>> alpha, beta, _ = lanczos_tridiagonal(torch.diag(torch.tensor([1.0, 2.0, 3.0])), 3, torch.ones(3))
    >>> len(alpha)
    3
    """
    op = as_operator(op)
    v = v0.to(device=op.device, dtype=torch.float64)
    v = v / torch.linalg.vector_norm(v)
    keep = reorthogonalize or store_basis
    basis = [v] if keep else None
    alphas, betas = [], []
    v_prev, beta_prev = None, 0.0
    for j in range(num_steps):
        w = apply(op, v, "Lanczos product")
        if on_step is not None:
            on_step()
        alpha = float(w @ v)
        w = w - alpha * v
        if v_prev is not None:
            w = w - beta_prev * v_prev
        if reorthogonalize:
            w = orthogonalise(w, torch.stack(basis), passes=2)[0]
        beta = float(torch.linalg.vector_norm(w))
        alphas.append(alpha)
        betas.append(beta)
        scale = max(abs(a) for a in alphas) + max(betas)
        if beta <= 1e-12 * scale or j == num_steps - 1:
            break
        v_prev, v, beta_prev = v, w / beta, beta
        if keep:
            basis.append(v)
    V = torch.stack(basis[: len(alphas)]) if store_basis else None
    return np.asarray(alphas), np.asarray(betas), V


def krylov_miss_check(op: Any, basis: torch.Tensor, theta_k: np.ndarray, which: str, *, steps: int,
                      seed: int, tol: float) -> tuple[float | None, int]:
    """Look for a wanted eigenvalue outside a Krylov space ``basis`` ``(m, dim)`` (orthonormal rows).

    A single-vector Krylov solver sees one copy of a multiple eigenvalue: with ``k`` larger than the
    number of distinct wanted eigenvalues it returns converged but non-extreme Ritz pairs. This runs
    ``steps`` Lanczos steps (three-term recurrence: two extra vectors of memory) on the compression
    of ``A`` to the orthogonal complement of the basis, ``(I - V^T V) A (I - V^T V)``, from a seeded
    random vector. Its Ritz values lie inside the spectrum of that compression, so one beyond the
    last wanted value (by more than ``10 tol max|theta|``) proves that ``A`` has an eigenvalue there
    that the solve missed.

    Returns
    -------
    tuple
        ``(value, products)``: the offending Ritz value (``None`` when nothing was found) and the
        products spent.
    """
    n = int(op.dim)
    if steps <= 0 or basis.shape[0] >= n or which not in ("LA", "SA", "LM"):
        return None, 0
    scale = max(float(np.abs(theta_k).max()), 1e-300)
    g = torch.Generator().manual_seed(int(seed) + 104_729)
    v = torch.randn(n, generator=g, dtype=torch.float64).to(basis.device)
    v = orthogonalise(v, basis, passes=2)[0]
    nv = float(torch.linalg.vector_norm(v))
    if nv == 0.0:
        return None, 0
    v = v / nv
    v_prev, beta_prev = None, 0.0
    alphas, betas = [], []
    used = 0
    for _ in range(min(steps, n - basis.shape[0])):
        w = None  # the previous step's vector is v now: keep three vectors alive, not four
        w = orthogonalise(apply(op, v, "product in the Krylov miss check"), basis, passes=2)[0]
        used += 1
        alpha = float(w @ v)
        w = w - alpha * v
        if v_prev is not None:
            w = w - beta_prev * v_prev
        beta = float(torch.linalg.vector_norm(w))
        alphas.append(alpha)
        if beta <= 1e-10 * scale:  # an invariant subspace of the complement: its Ritz values are exact
            break
        betas.append(beta)
        v_prev, v, beta_prev = v, w / beta, beta
    theta = eigh_tridiagonal(np.asarray(alphas), np.asarray(betas[: len(alphas) - 1]), eigvals_only=True)
    margin = 10 * tol * max(scale, float(np.abs(theta).max()))
    if which == "LA" and theta.max() > float(np.min(theta_k)) + margin:
        return float(theta.max()), used
    if which == "SA" and theta.min() < float(np.max(theta_k)) - margin:
        return float(theta.min()), used
    if which == "LM" and np.abs(theta).max() > float(np.abs(theta_k).min()) + margin:
        return float(theta[np.argmax(np.abs(theta))]), used
    return None, used


MISSED_COPY = ("lies outside the Krylov space (a further copy of a repeated eigenvalue?): the Ritz pairs are "
               "eigenpairs but not the wanted ones. Use block_subspace_iteration with block_size above the "
               "multiplicity, or deflate the pairs found and run again")
"""What a single-vector Krylov solver says when :func:`krylov_miss_check` found an eigenvalue."""


def report(what: str, converged: bool, missed: float | None, *, work: str, worst: float, tol: float, fix: str,
           missed_note: str) -> bool:
    """The final ``converged`` of a solve, with a :class:`~dlspectra.errors.SolverWarning` when it is False.

    ``what`` names the solve (``"lanczos_top_k: top-20"``); a solve that did not meet ``tol``
    after ``work`` says its ``worst`` relative residual and the ``fix``; one whose check found an
    eigenvalue ``missed`` beyond the returned ones says ``missed_note``.
    """
    if not converged:
        warnings.warn(f"{what} not converged after {work} (max relative residual {worst:.2e} > tol {tol:.1e}); {fix}",
                      SolverWarning, stacklevel=3)
        return False
    if missed is not None:
        warnings.warn(f"{what}: an eigenvalue {missed:.6g} beyond the returned ones {missed_note}", SolverWarning,
                      stacklevel=3)
        return False
    return True
