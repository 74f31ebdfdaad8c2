"""Block subspace iteration with Rayleigh-Ritz, guard vectors and locking (the top-C block).

Papyan's C class outliers of G are well separated from the bulk, so a block of C vectors
iterated with the operator converges at the rate ``|lambda_{b+1}| / |lambda_C|`` per iteration
(``b`` = block size).  Unlike the plain Alg. 5 (:func:`~dlspectra.spectral.subspace_iteration`),
this solver uses guard vectors (``b > k``), a Rayleigh-Ritz step every iteration, a residual-based
convergence test and locking of converged Ritz pairs (they are no longer multiplied), and it
applies the operator to the whole block at once (``matmat``; batched products).

Memory: ``O(b dim)`` float64 numbers (the block, its image and the locked vectors).
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import torch

from scipy.linalg import eigh_tridiagonal

from dlspectra.curvature.base import check_finite
from dlspectra.errors import UsageError

from ._base import (
    EigResult,
    apply_block,
    as_operator,
    check_k,
    effective_tol,
    krylov_miss_check,
    lanczos_tridiagonal,
    orthogonalise,
    report,
    start_block,
    start_vector,
)

__all__ = ["block_subspace_iteration"]

_PROBE_STEPS = 32
"""FastLanczos steps of the probe that sets the automatic shift (Papyan's M0, App. D.2)."""

_CHECK_STEPS = 16
"""Lanczos steps of the check that no eigenvalue above the pairs found was missed."""


def _orth_against(Z: torch.Tensor, Q: torch.Tensor) -> torch.Tensor:
    """``Z`` with the span of the orthonormal columns of ``Q`` removed (two passes)."""
    if Q.shape[1] == 0:
        return Z
    return orthogonalise(Z, Q.T, passes=2)[0]


def _probe(op: Any, seed: int) -> tuple[float, float, float]:
    """``(lowest Ritz value - its residual, highest Ritz value, lowest Ritz value)`` of a short
    Lanczos run: Ritz values lie inside the spectrum, so the highest is a lower bound of
    ``lambda_max`` and the lowest an upper bound of ``lambda_min``."""
    alpha, beta, _ = lanczos_tridiagonal(op, min(_PROBE_STEPS, int(op.dim)), start_vector(op.dim, op.device, seed + 1),
                                         reorthogonalize=False)
    theta, S = eigh_tridiagonal(alpha, beta[:-1])
    res = beta[-1] * np.abs(S[-1])
    return float(theta[0] - res[0]), float(theta[-1]), float(theta[0])


def block_subspace_iteration(
    op: Any,
    k: int,
    *,
    block_size: int | None = None,
    max_iters: int = 500,
    tol: float = 1e-6,
    shift: float | None = None,
    which: str = "LA",
    seed: int = 0,
    return_vectors: bool = True,
    progress: bool = True,
) -> EigResult:
    """Top-``k`` eigenpairs by block subspace iteration with Rayleigh-Ritz and locking.

    Each iteration: Rayleigh-Ritz on the active block ``X`` (``(dim, b_active)``, orthonormal,
    orthogonal to the locked vectors) with its image ``A X``, giving Ritz pairs ``(theta_j, y_j)``
    and residuals ``||A y_j - theta_j y_j||`` (no extra products); the leading wanted pairs whose
    residual is at most ``tol_eff * max|theta|`` are locked; the rest is multiplied once more,
    ``X <- qr((A - shift I) Y)`` orthogonalised against the locked vectors.

    Parameters
    ----------
    op : operator with ``matvec`` (``matmat`` used when present), ``dim``, ``device``, ``dtype``,
        or a dense symmetric matrix.
    k : wanted eigenpairs (e.g. ``C``, the number of classes), ``1 <= k <= dim``.
    block_size : ``b >= k``; default ``k + max(2, k // 2)`` (guard vectors speed up convergence of
        the ``k``-th pair from ``lambda_{k+1}/lambda_k`` to ``lambda_{b+1}/lambda_k``).
    max_iters : iteration limit (then ``converged=False`` and a warning).
    tol : relative residual tolerance; ``tol_eff = max(tol, 50 eps(op.dtype))``.
    shift : the iteration multiplies by ``A - shift I``, which favours the eigenvalues farthest
        from ``shift``. ``None`` (default): with ``which="LA"``, ``0`` when a short Lanczos probe
        (32 products) finds no negative curvature, else the probe's lower bound of ``lambda_min``
        (so ``A - shift I`` is positive semi-definite and its top block is ``A``'s); with
        ``which="LM"``, ``0``. An explicit shift is used as given.
    which : ``"LA"`` (largest algebraic; ordering and locking) or ``"LM"`` (largest magnitude).
    seed : seeds the Gaussian start block (CPU generator).

    Returns
    -------
    EigResult
        Eigenvalues descending, residuals, products, ``converged`` from the residual test *and* a
        check: with ``which="LA"``, 16 Lanczos steps on the operator compressed to the complement of
        the pairs found; a Ritz value there above the smallest of them (the block converged to the
        wrong end of an indefinite spectrum, e.g. with ``shift=0``) proves an eigenvalue was missed
        and gives ``converged=False`` and a :class:`~dlspectra.errors.SolverWarning`. ``info``
        keys ``iterations``, ``block_size``, ``locked``, ``tol``, ``shift``, ``probe_max``,
        ``missed_eigenvalue``, ``miss_check``, ``time_s``; ``eigenvectors`` ``(dim, k)`` in
        ``op.dtype`` when ``return_vectors``. Products include the probe's and the check's.

    Raises
    ------
    dlspectra.errors.UsageError
        ``k`` not an int in ``[1, dim]``, ``block_size < k``, ``max_iters < 1`` or an unknown ``which``.

    Examples
    --------
    >>> import torch
    >>> A = torch.diag(torch.tensor([5.0, 4.0, 1.0, -9.0]))
    >>> res = block_subspace_iteration(A, 2, progress=False)
    >>> res.eigenvalues.round(6).tolist(), res.converged
    ([5.0, 4.0], True)
    """
    op = as_operator(op)
    n = int(op.dim)
    k = check_k(k, n)
    if which not in ("LA", "LM"):
        raise UsageError(f"which must be 'LA' or 'LM', got {which!r}")
    b = min(n, int(block_size) if block_size is not None else k + max(2, k // 2))
    if b < k:
        raise UsageError(f"block_size={block_size} < k={k}")
    if max_iters < 1:
        raise UsageError(f"max_iters must be >= 1, got {max_iters}")
    tol_eff = effective_tol(tol, op.dtype)
    device = op.device
    t_start = time.perf_counter()
    probe_max, probe_nmv = None, 0
    if shift is None and which == "LA":  # the probe sets the automatic shift
        lo, probe_max, theta_min = _probe(op, seed)
        probe_nmv = min(_PROBE_STEPS, n)
        shift = lo - 0.05 * (probe_max - lo) if theta_min < 0 else 0.0
    elif shift is None:
        shift = 0.0

    def order_of(theta: torch.Tensor) -> torch.Tensor:
        key = theta if which == "LA" else theta.abs()
        return torch.argsort(key, descending=True)

    X = start_block(n, b, device, seed)
    AX = apply_block(op, X, "product in block subspace iteration")
    nmv = b + probe_nmv
    Yl = torch.empty(n, 0, dtype=torch.float64, device=device)  # locked vectors
    theta_l = torch.empty(0, dtype=torch.float64, device=device)
    res_l = torch.empty(0, dtype=torch.float64, device=device)
    converged = False
    it = 0
    pbar = None
    if progress:
        from ..progress import tqdm
        pbar = tqdm(total=k, desc=f"block subspace iteration top-{k}", unit="pair", leave=False)
    try:
        for it in range(1, max_iters + 1):
            T = X.T @ AX
            theta, S = torch.linalg.eigh((T + T.T) / 2)
            o = order_of(theta)
            theta, S = theta[o], S[:, o]
            Y, AY = X @ S, AX @ S
            res = torch.linalg.vector_norm(AY - Y * theta, dim=0)
            scale = max(float(torch.cat([theta_l, theta]).abs().max()), 1e-300)
            need = k - Yl.shape[1]
            ok = (res[:need] <= tol_eff * scale).tolist()
            c = next((i for i, flag in enumerate(ok) if not flag), need)  # leading converged pairs
            if c:
                Yl = torch.cat([Yl, Y[:, :c]], 1)
                theta_l = torch.cat([theta_l, theta[:c]])
                res_l = torch.cat([res_l, res[:c]])
            if pbar is not None:
                pbar.n = int(Yl.shape[1])
                pbar.set_postfix(it=it, res=f"{float(res[:need].max()) / scale:.1e}", refresh=False)
                pbar.refresh()
            if Yl.shape[1] == k:
                converged = True
                break
            if it == max_iters:
                break
            Z = AY[:, c:] - shift * Y[:, c:]
            Z = _orth_against(Z, Yl)
            X = torch.linalg.qr(Z)[0]
            AX = apply_block(op, X, "product in block subspace iteration")
            nmv += X.shape[1]
    finally:
        if pbar is not None:
            pbar.close()

    theta_all = torch.cat([theta_l, theta[c:]])
    res_all = torch.cat([res_l, res[c:]])
    vec_all = torch.cat([Yl, Y[:, c:]], 1)
    sel = order_of(theta_all)[:k]
    sel = sel[torch.argsort(theta_all[sel], descending=True)]
    ev = theta_all[sel].cpu().numpy().astype(np.float64)
    check_finite(ev, "block-subspace-iteration eigenvalues")
    residuals = res_all[sel].cpu().numpy().astype(np.float64)
    missed, extra = None, 0
    if converged and which == "LA":
        # Lanczos on A compressed to the complement of the pairs found: a Ritz value above the
        # smallest of them proves an eigenvalue above it was missed (the wrong end of the spectrum)
        missed, extra = krylov_miss_check(op, vec_all[:, sel].T, ev, "LA", steps=_CHECK_STEPS, seed=seed,
                                          tol=tol_eff)
        nmv += extra
    converged = report(
        f"block_subspace_iteration: top-{k}", converged, missed, work=f"{it} iterations ({nmv} products)",
        worst=float(residuals.max() / scale), tol=tol_eff, fix="raise max_iters or block_size",
        missed_note=f"lies outside the pairs found: the block converged to eigenvalues below the top (smallest found "
                    f"{float(ev.min()):.6g}); with shift={shift:.6g} the iteration favours the other end of an "
                    "indefinite spectrum: pass shift=None (automatic) or a shift at or below the smallest eigenvalue")
    return EigResult(
        eigenvalues=ev,
        eigenvectors=vec_all[:, sel].to(op.dtype) if return_vectors else None,
        residuals=residuals,
        num_matvecs=nmv,
        converged=converged,
        info={"iterations": it, "block_size": b, "locked": int(Yl.shape[1]), "tol": tol_eff, "which": which,
              "shift": shift, "probe_max": probe_max, "missed_eigenvalue": missed, "miss_check": extra,
              "method": "block-subspace-iteration",
              "time_s": time.perf_counter() - t_start},
    )
