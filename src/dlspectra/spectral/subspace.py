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
import warnings
from typing import Any

import numpy as np
import torch

from dlspectra.curvature.base import check_finite

from .lanczos import EigResult, _apply_mat, as_operator

__all__ = ["block_subspace_iteration"]


def _orth_against(Z: torch.Tensor, Q: torch.Tensor | None) -> torch.Tensor:
    """``Z`` with the span of the orthonormal columns of ``Q`` removed (two passes)."""
    if Q is None or Q.shape[1] == 0:
        return Z
    for _ in range(2):
        Z = Z - Q @ (Q.T @ Z)
    return Z


def block_subspace_iteration(
    op: Any,
    k: int,
    *,
    block_size: int | None = None,
    max_iters: int = 500,
    tol: float = 1e-6,
    shift: float = 0.0,
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
        from ``shift``.  ``which="LA"`` on an indefinite operator needs ``shift`` at or below its
        smallest eigenvalue (e.g. from :func:`~dlspectra.spectral.spectrum_bounds`); for a positive
        semi-definite operator (G, a covariance) the default 0 gives the largest eigenvalues.
    which : ``"LA"`` (largest algebraic; ordering and locking) or ``"LM"`` (largest magnitude).
    seed : seeds the Gaussian start block (CPU generator).

    Returns an :class:`EigResult` (eigenvalues descending, residuals, products, ``converged`` from
    the residual test) with ``info`` keys ``iterations``, ``block_size``, ``locked``, ``tol``,
    ``time_s``; ``eigenvectors`` ``(dim, k)`` in ``op.dtype`` when ``return_vectors``.
    """
    op = as_operator(op)
    n = int(op.dim)
    if not 1 <= k <= n:
        raise ValueError(f"k must be in [1, dim={n}], got {k}")
    if which not in ("LA", "LM"):
        raise ValueError(f"which must be 'LA' or 'LM', got {which!r}")
    b = min(n, int(block_size) if block_size is not None else k + max(2, k // 2))
    if b < k:
        raise ValueError(f"block_size={block_size} < k={k}")
    if max_iters < 1:
        raise ValueError(f"max_iters must be >= 1, got {max_iters}")
    tol_eff = max(float(tol), 50 * torch.finfo(op.dtype).eps)
    device = op.device
    t_start = time.perf_counter()

    def order_of(theta: torch.Tensor) -> torch.Tensor:
        key = theta if which == "LA" else theta.abs()
        return torch.argsort(key, descending=True)

    g = torch.Generator().manual_seed(int(seed))
    X = torch.linalg.qr(torch.randn(n, b, generator=g, dtype=torch.float64).to(device))[0]
    AX = _apply_mat(op, X, "product in block subspace iteration")
    nmv = b
    Yl = torch.empty(n, 0, dtype=torch.float64, device=device)  # locked vectors
    theta_l = torch.empty(0, dtype=torch.float64, device=device)
    res_l = torch.empty(0, dtype=torch.float64, device=device)
    converged = False
    it = 0
    pbar = None
    if progress:
        from ..progress import tqdm
        pbar = tqdm(total=max_iters, desc=f"block subspace iteration k={k}", unit="it", leave=False)
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
                pbar.update(1)
                pbar.set_postfix(locked=Yl.shape[1], res=f"{float(res[:need].max()) / scale:.1e}")
            if Yl.shape[1] == k:
                converged = True
                break
            if it == max_iters:
                break
            Z = AY[:, c:] - shift * Y[:, c:]
            Z = _orth_against(Z, Yl)
            X = torch.linalg.qr(Z)[0]
            AX = _apply_mat(op, X, "product in block subspace iteration")
            nmv += X.shape[1]
    finally:
        if pbar is not None:
            pbar.close()

    theta_all = torch.cat([theta_l, theta[c:]])
    res_all = torch.cat([res_l, res[c:]])
    vec_all = torch.cat([Yl, Y[:, c:]], 1) if return_vectors else None
    sel = order_of(theta_all)[:k]
    sel = sel[torch.argsort(theta_all[sel], descending=True)]
    ev = theta_all[sel].cpu().numpy().astype(np.float64)
    check_finite(ev, "block-subspace-iteration eigenvalues")
    residuals = res_all[sel].cpu().numpy().astype(np.float64)
    if not converged:
        warnings.warn(
            f"block_subspace_iteration: top-{k} not converged after {it} iterations ({nmv} products; "
            f"max relative residual {residuals.max() / scale:.2e} > tol {tol_eff:.1e}); raise max_iters "
            "or block_size", stacklevel=2)
    return EigResult(
        eigenvalues=ev,
        eigenvectors=vec_all[:, sel].to(op.dtype) if return_vectors else None,
        residuals=residuals,
        num_matvecs=nmv,
        converged=converged,
        info={"iterations": it, "block_size": b, "locked": int(Yl.shape[1]), "tol": tol_eff, "which": which,
              "shift": shift, "method": "block-subspace-iteration", "time_s": time.perf_counter() - t_start},
    )
