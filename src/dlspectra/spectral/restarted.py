"""Thick-restart Lanczos with locking: top-k eigenpairs in a basis of at most ``max_basis`` vectors.

The unrestarted :func:`~dlspectra.spectral.lanczos_top_k` keeps every Krylov vector (``steps x
dim`` float64 numbers: ~22 GB for a 28M-parameter network at 100 steps).  This solver keeps at most
``max_basis`` of them.  When the basis is full it is compressed to the ``keep`` best Ritz vectors
(Wu & Simon's thick restart, equivalent to Krylov-Schur for symmetric operators) plus the
residual direction, and Lanczos continues from there.  Ritz pairs that meet the tolerance at a
restart are *locked*: their coupling to the rest (at most the tolerance) is dropped, their Ritz
values stay fixed, and later vectors are only orthogonalised against them.

Arithmetic as in :mod:`.lanczos`: the basis and inner products are float64 on ``op.device``; the
operator is applied in its own dtype.  The projected matrix ``H = V^T A V`` (at most
``max_basis`` square, float64 numpy) is kept densely: after a restart it is an "arrow" (diagonal
Ritz values, one coupling row), then tridiagonal.
"""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np
import torch

from dlspectra.curvature.base import SpectrumError, check_finite
from dlspectra.errors import UsageError

from ._base import (
    EigResult,
    apply,
    as_operator,
    check_k,
    default_check_every,
    effective_tol,
    MISSED_COPY,
    krylov_miss_check,
    orthogonalise,
    report,
    select,
    start_vector,
)

__all__ = ["lanczos_restarted"]

_CHUNKS = 16  # the basis is rotated in this many column blocks at a restart (temporary memory)


def _rotate_basis(V: torch.Tensor, m: int, S: np.ndarray, out_start: int) -> None:
    """In place: ``V[out_start:out_start+l] <- S^T V[:m]`` for ``S`` of shape ``(m, l)``.

    Column block by column block of ``V`` (``dim / 16`` columns at a time), so the temporaries
    are at most ``(m + l) * dim / 16`` numbers and the basis buffer is never duplicated.
    ``out_start + l <= m`` is required (rows are overwritten after reading).
    """
    St = torch.as_tensor(np.ascontiguousarray(S.T), dtype=V.dtype, device=V.device)
    l = St.shape[0]
    width = max(256, -(-V.shape[1] // _CHUNKS))
    for c in range(0, V.shape[1], width):
        block = St @ V[:m, c:c + width]
        V[out_start:out_start + l, c:c + width] = block


def lanczos_restarted(
    op: Any,
    k: int,
    *,
    max_basis: int | None = None,
    keep: int | None = None,
    max_matvecs: int | None = None,
    tol: float = 1e-6,
    seed: int = 0,
    return_vectors: bool = False,
    progress: bool = True,
    which: str = "LA",
    check_every: int | None = None,
    miss_check_steps: int = 8,
) -> EigResult:
    """Top-``k`` eigenpairs of a symmetric operator by thick-restart Lanczos in a bounded basis.

    Parameters
    ----------
    op : CurvatureOperator, object with matvec/dim/device/dtype, or a dense symmetric matrix
        The operator (see :func:`~dlspectra.spectral.as_operator`).
    k : int
        Number of eigenpairs, ``1 <= k <= dim``.
    max_basis : int, optional
        The most basis vectors ever stored (each ``dim`` float64 numbers); default ``3 k`` (at least
        ``k + 20``), capped at ``dim``. Must exceed ``k``; ``max_basis >= 2 k`` is advisable. Peak
        memory: ``max_basis + 3`` vectors of ``dim`` float64 numbers, plus ``max_basis / 8`` vectors'
        worth of temporaries at a restart and the ``k`` returned vectors (``return_vectors``), plus
        the operator's own.
    keep : int, optional
        Ritz vectors kept at a restart (locked ones included); default ``k + (max_basis - k) // 2``,
        so each cycle adds about ``(max_basis - k) / 2`` new Krylov vectors. ``k <= keep < max_basis``.
    max_matvecs : int, optional
        Product budget; default ``max(4 k, k + 200, 4 max_basis)``. Running out gives
        ``converged=False`` and a warning.
    tol, which, seed, check_every, return_vectors, progress, miss_check_steps
        As :func:`~dlspectra.spectral.lanczos_top_k`: converged when every wanted Ritz pair has
        ``||A y - theta y|| <= tol_eff * max|theta|`` with ``tol_eff = max(tol, 50 eps(op.dtype))``.

    Returns
    -------
    EigResult
        ``eigenvalues`` ``(k,)`` descending, ``residuals`` ``(k,)`` (the Lanczos-relation residual
        norms, exact with full reorthogonalisation; a locked pair keeps the residual it had when
        locked), ``num_matvecs``, ``converged``, ``eigenvectors`` ``(dim, k)`` in ``op.dtype`` when
        ``return_vectors``, and ``info`` with ``restarts``, ``locked``, ``peak_basis`` (the largest
        number of basis vectors held), ``max_basis``, ``keep``, ``tol``, ``miss_check``, ``time_s``.

    Raises
    ------
    dlspectra.errors.UsageError
        ``k`` not an int in ``[1, dim]``, ``max_basis <= k``, ``keep`` out of range,
        ``max_matvecs < k``, an unknown ``which``.
    dlspectra.errors.SpectrumError
        A NaN or infinite product or coefficient.

    Notes
    -----
    When ``max_basis >= dim`` or the wanted pairs converge before the basis fills, no restart
    happens and the iteration is the unrestarted Lanczos (same products, same Ritz values up to
    rounding). Multiple eigenvalues: as with any single-vector Krylov method, one copy per Krylov
    space (the miss check warns); an invariant subspace is continued from a fresh random orthogonal
    vector. Ritz pairs that meet the tolerance at a restart are locked (Wu & Simon's thick restart).

    Examples
    --------
    >>> import torch
    >>> A = torch.diag(torch.linspace(1, 0, 300, dtype=torch.float64))
    >>> res = lanczos_restarted(A, 5, max_basis=15, tol=1e-8, progress=False)
    >>> res.eigenvalues.round(6).tolist(), res.info["peak_basis"] <= 15
    ([1.0, 0.996656, 0.993311, 0.989967, 0.986622], True)
    """
    op = as_operator(op)
    n = int(op.dim)
    k = check_k(k, n)
    if which not in ("LA", "SA", "LM"):
        raise UsageError(f"which must be 'LA', 'SA' or 'LM', got {which!r}")
    mb = min(n, int(max_basis) if max_basis is not None else max(3 * k, k + 20))
    if mb <= k and mb < n:
        raise UsageError(f"max_basis={max_basis} must exceed k={k}")
    keep_n = int(keep) if keep is not None else k + (mb - k) // 2
    if mb < n and not k <= keep_n < mb:
        raise UsageError(f"keep={keep} must satisfy k={k} <= keep < max_basis={mb}")
    budget = int(max_matvecs) if max_matvecs is not None else max(4 * k, k + 200, 4 * mb)
    if budget < min(k, n):
        raise UsageError(f"max_matvecs={max_matvecs} < k={k}")
    tol_eff = effective_tol(tol, op.dtype)
    check_every = check_every or default_check_every(k)
    device = op.device

    t_start = time.perf_counter()
    V = torch.empty(mb, n, dtype=torch.float64, device=device)
    H = np.zeros((mb, mb))  # projected matrix of the active (unlocked) part and the locked diagonal
    nlock = 0  # V[:nlock] locked Ritz vectors, H[:nlock, :nlock] = diag(their values)
    lock_res: list[float] = []
    g = torch.Generator().manual_seed(int(seed) + 7919)
    v = start_vector(n, device, seed)
    j = 0  # basis vectors held (V[:j]); v is the next one
    block_start = 0  # first vector since the last breakdown restart
    nmv = restarts = breakdowns = peak = 0
    converged = False
    beta = 0.0
    anorm = 0.0
    result: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # theta_k, S_k (active), res_k
    pbar = None
    if progress:
        from ..progress import tqdm
        pbar = tqdm(total=k, desc=f"restarted Lanczos top-{k}", unit="pair", leave=False)

    def ritz(m: int, beta_m: float):
        """Ritz values of H[:m] (locked + active), the active eigenvectors and all residuals."""
        theta_a, S_a = np.linalg.eigh(H[nlock:m, nlock:m])
        theta = np.concatenate([np.diag(H)[:nlock], theta_a])
        res = np.concatenate([np.asarray(lock_res), beta_m * np.abs(S_a[-1])])
        return theta, S_a, res

    try:
        while True:
            V[j] = v
            j += 1
            peak = max(peak, j)
            w = apply(op, v, f"product of {type(op).__name__} in restarted Lanczos")
            nmv += 1
            w, h, _ = orthogonalise(w, V[:j], passes=2)
            beta = float(torch.linalg.vector_norm(w))
            if not bool(torch.isfinite(h).all()) or not math.isfinite(beta):
                raise SpectrumError("restarted Lanczos coefficients became NaN or infinite")
            hc = h.cpu().numpy()
            col = j - 1
            H[nlock:j, col] = hc[nlock:]
            H[col, nlock:j] = hc[nlock:]
            anorm = max(anorm, float(np.abs(hc).max()) + beta)
            broke = beta <= 1e-10 * anorm
            one_step_block = broke and j - block_start == 1  # a null space: see lanczos_top_k
            whole = j == n
            out = nmv >= budget
            full = j == mb and not whole
            m_total = j
            if m_total >= k and (whole or out or full or one_step_block
                                 or (nmv % check_every == 0 and not broke)):
                theta, S_a, res = ritz(j, 0.0 if whole else beta)
                idx = select(theta, k, which)
                scale = max(float(np.abs(theta).max()), 1e-300)
                worst = float(res[idx].max() / scale)
                result = (theta, S_a, res, idx)
                if pbar is not None:
                    pbar.n = int(np.sum(res[idx] <= tol_eff * scale))
                    pbar.set_postfix(products=nmv, res=f"{worst:.1e}", locked=nlock, refresh=False)
                    pbar.refresh()
                if worst <= tol_eff or whole:
                    converged = True
                    break
            if out:
                break
            if broke:  # invariant subspace: continue from a fresh random orthogonal vector
                breakdowns += 1
                w = torch.randn(n, generator=g, dtype=torch.float64).to(device)
                w = orthogonalise(w, V[:j], passes=2)[0]
                w /= torch.linalg.vector_norm(w)
                block_start = j
                beta = 0.0
                if not full:
                    v = w
                    continue
            if not full:
                v = w / beta
                H[j, j - 1] = H[j - 1, j] = beta
                continue
            # -- thick restart: compress V[:mb] to the kept Ritz vectors (+ the residual direction)
            restarts += 1
            theta_a, S_a = np.linalg.eigh(H[nlock:mb, nlock:mb])
            res_a = beta * np.abs(S_a[-1])
            scale = max(float(np.abs(np.concatenate([np.diag(H)[:nlock], theta_a])).max()), 1e-300)
            # the wanted ordering among active Ritz values (locked ones are already wanted)
            want = select(theta_a, len(theta_a), which)
            n_keep_active = max(1, keep_n - nlock)
            sel = want[:n_keep_active]
            # lock the leading wanted ones that have converged (in the wanted order, contiguous)
            n_new_lock = 0
            for i in sel:
                if nlock + n_new_lock < k and res_a[i] <= tol_eff * scale:
                    n_new_lock += 1
                else:
                    break
            S_sel = S_a[:, sel]
            _rotate_basis(V[nlock:], mb - nlock, S_sel, 0)
            l = nlock + len(sel)
            coupling = beta * S_a[-1, sel]
            newH = np.zeros_like(H)
            locked_vals = np.diag(H)[:nlock].copy()
            newH[np.arange(nlock), np.arange(nlock)] = locked_vals
            newH[np.arange(nlock, l), np.arange(nlock, l)] = theta_a[sel]
            for t in range(n_new_lock):
                lock_res.append(float(abs(coupling[t])))
            active_coupling = coupling.copy()
            active_coupling[:n_new_lock] = 0.0  # locked: coupling (<= tol) dropped
            newH[l, nlock:l] = newH[nlock:l, l] = active_coupling
            H = newH
            nlock += n_new_lock
            j = l
            if broke:  # the residual was ~0: w is already the fresh orthogonal vector
                w = orthogonalise(w, V[:j], passes=2)[0]
                v = w / torch.linalg.vector_norm(w)
                H[j, nlock:j] = H[nlock:j, j] = 0.0
                block_start = j
            else:
                v = w / beta
            # restore orthogonality of v to the rotated basis (rounding only)
            v = orthogonalise(v, V[:j], passes=2)[0]
            v /= torch.linalg.vector_norm(v)
    finally:
        if pbar is not None:
            pbar.close()

    assert result is not None  # a check always happens (j >= k or budget reached after >= k products)
    theta, S_a, res, idx = result
    order = idx[np.argsort(theta[idx])[::-1]]
    eigenvalues = np.asarray(theta[order], dtype=np.float64)
    residuals = np.asarray(res[order], dtype=np.float64)
    check_finite(eigenvalues, "restarted Lanczos eigenvalues")
    vectors = None
    if return_vectors:
        m = nlock + S_a.shape[0]
        C = np.zeros((m, len(order)))
        for c, i in enumerate(order):
            if i < nlock:
                C[i, c] = 1.0
            else:
                C[nlock:, c] = S_a[:, i - nlock]
        Ct = torch.as_tensor(C, dtype=torch.float64, device=device)
        vectors = (V[:m].T @ Ct).to(op.dtype)
    scale = max(float(np.abs(theta).max()), 1e-300)
    missed, extra = None, 0
    v = w = None  # free the working vectors: the check holds three of its own (the memory bound)
    if converged and j < n:
        missed, extra = krylov_miss_check(op, V[:j], eigenvalues, which, steps=miss_check_steps, seed=seed,
                                          tol=tol_eff)
    converged = report(f"lanczos_restarted: top-{k}", converged, missed, work=f"{nmv} products",
                       worst=float(residuals.max() / scale), tol=tol_eff, fix="raise max_matvecs or max_basis",
                       missed_note=MISSED_COPY)
    return EigResult(
        eigenvalues=eigenvalues,
        eigenvectors=vectors,
        residuals=residuals,
        num_matvecs=nmv + extra,
        converged=converged,
        info={"method": "lanczos-thick-restart", "max_basis": mb, "keep": keep_n, "peak_basis": peak,
              "restarts": restarts, "breakdowns": breakdowns, "locked": nlock, "max_matvecs": budget,
              "tol": tol_eff, "which": which, "miss_check": extra, "missed_eigenvalue": missed,
              "time_s": time.perf_counter() - t_start},
    )
