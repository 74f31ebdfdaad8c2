"""Power iteration with deflation (as PyHessian; Xie Fig. 11) and subspace iteration (Papyan Alg. 5)."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from dlspectra.curvature.base import check_finite

from .lanczos import EigResult, _apply, _apply_mat, as_operator

__all__ = ["power_iteration_top_k", "subspace_iteration"]


def power_iteration_top_k(
    op: Any,
    k: int,
    *,
    max_iter: int = 100,
    tol: float = 1e-3,
    seed: int = 0,
    progress: bool = True,
    return_vectors: bool = False,
) -> EigResult:
    """Top-``k`` eigenvalues by power iteration with deflation, the way PyHessian does it.

    For ``i = 1..k``: start from a random unit vector, repeat ``v <- A v / ||A v||`` with ``v``
    orthogonalised against the eigenvectors already found (deflation by projection), stop when the
    Rayleigh quotient changes by less than ``tol * (|lambda| + 1e-6)`` or after ``max_iter``
    products.  Defaults ``max_iter=100, tol=1e-3`` are PyHessian's (``hessian.eigenvalues``).
    Like PyHessian it finds eigenvalues of largest *magnitude*; they are returned sorted
    descending.  ``residuals[j] = ||A v_j - lambda_j v_j||`` of the returned pair: for an
    eigenvalue that ran out of iterations (``converged=False``) it costs one extra product, since
    ``lambda_j`` is the Rayleigh quotient of the previous iterate.  Cost: up to
    ``k * (max_iter + 1)`` products, no more than ``O(k dim)`` memory.
    Vectors are float64 on ``op.device``; returned ``eigenvectors`` in ``op.dtype``.
    """
    op = as_operator(op)
    n = int(op.dim)
    if not 1 <= k <= n:
        raise ValueError(f"k must be in [1, dim={n}], got {k}")
    g = torch.Generator().manual_seed(int(seed))
    found: list[torch.Tensor] = []
    vals, res, iters, conv = [], [], [], []
    pbar = None
    if progress:
        from ..progress import tqdm
        pbar = tqdm(total=k, desc=f"power iteration top-{k}", unit="eig", leave=False)
    nmv = 0

    def deflate(x: torch.Tensor) -> torch.Tensor:
        if found:
            Q = torch.stack(found, 1)
            x = x - Q @ (Q.T @ x)
        return x

    try:
        for _ in range(k):
            v = torch.randn(n, generator=g, dtype=torch.float64).to(op.device)
            v = deflate(v)
            v = v / torch.linalg.vector_norm(v)
            lam, ok, it = None, False, 0
            Av = None
            for it in range(1, max_iter + 1):
                Av = _apply(op, v, "product in power iteration")
                nmv += 1
                lam_new = float(Av @ v)
                w = deflate(Av)
                nrm = float(torch.linalg.vector_norm(w))
                if lam is not None and abs(lam_new - lam) < tol * (abs(lam) + 1e-6):
                    lam, ok = lam_new, True
                    break
                lam = lam_new
                if nrm == 0.0:
                    ok = True
                    break
                v = w / nrm
            if not ok:
                # out of iterations: ``v`` was just replaced by the normalised A v_old, so ``Av``
                # belongs to the previous vector; one more product gives the residual of the pair
                # returned, (lam, v) (issue 14, item 14)
                Av = _apply(op, v, "product in power iteration")
                nmv += 1
            vals.append(lam)
            res.append(float(torch.linalg.vector_norm(Av - lam * v)))
            iters.append(it)
            conv.append(ok)
            found.append(v)
            if pbar is not None:
                pbar.update(1)
    finally:
        if pbar is not None:
            pbar.close()
    vals_a = np.asarray(vals, dtype=np.float64)
    check_finite(vals_a, "power-iteration eigenvalues")
    order = np.argsort(vals_a)[::-1]
    vecs = torch.stack(found, 1)[:, torch.as_tensor(order.copy())].to(op.dtype) if return_vectors else None
    return EigResult(
        eigenvalues=vals_a[order],
        eigenvectors=vecs,
        residuals=np.asarray(res)[order],
        num_matvecs=nmv,
        converged=all(conv),
        info={"iterations": list(np.asarray(iters)[order]), "tol": tol, "max_iter": max_iter,
              "method": "power-iteration-deflation"},
    )


def subspace_iteration(
    op: Any,
    k: int,
    *,
    num_iters: int = 128,
    seed: int = 0,
    tol: float | None = None,
    progress: bool = True,
    return_vectors: bool = True,
    residual_tol: float = 1e-6,
) -> EigResult:
    """Top-``k`` (largest-magnitude) eigenpairs by subspace iteration, Papyan's Alg. 5.

    ``Q <- qr(A Q)`` for ``num_iters`` iterations (default ``T = 128``, Papyan App. D.2) from a
    seeded Gaussian ``(dim, k)`` block, then a Rayleigh-Ritz step on ``span(Q)`` gives signed
    eigenvalues (Papyan's column norms would give only magnitudes).  Use ``k = C`` (number of
    classes) to get the outliers, then deflate with ``(I - Q Q^T) A (I - Q Q^T)``
    (:class:`DeflatedOperator` in :mod:`dlspectra.spectral.density`).  Cost: ``k`` products per
    iteration, plus ``k`` for the final Rayleigh-Ritz step.

    Convergence is judged on the Ritz residuals ``||A y_j - theta_j y_j||`` (``residuals``), never
    assumed: with ``tol`` the iteration stops early once every residual is at most
    ``tol * max|theta|`` (a Rayleigh-Ritz step each iteration, no extra products); with
    ``tol=None`` it runs all ``num_iters`` iterations (the paper's fixed ``T``) and ``converged``
    says whether the final residuals meet ``residual_tol * max|theta|``.  Both tolerances are
    floored at ``50 * eps(op.dtype)``.  For guard vectors, locking and a top-C block with
    algebraic ordering see :func:`block_subspace_iteration`.
    """
    op = as_operator(op)
    n = int(op.dim)
    if not 1 <= k <= n:
        raise ValueError(f"k must be in [1, dim={n}], got {k}")
    floor = 50 * torch.finfo(op.dtype).eps
    rtol = max(float(tol if tol is not None else residual_tol), floor)
    g = torch.Generator().manual_seed(int(seed))
    Q = torch.linalg.qr(torch.randn(n, k, generator=g, dtype=torch.float64).to(op.device))[0]
    it = 0
    iterator = range(num_iters)
    if progress:
        from ..progress import tqdm
        iterator = tqdm(iterator, desc=f"subspace iteration k={k}", unit="it", leave=False)

    def rayleigh_ritz(Q: torch.Tensor, W: torch.Tensor):
        T = Q.T @ W
        theta, S = torch.linalg.eigh((T + T.T) / 2)
        order = torch.argsort(theta, descending=True)
        theta, S = theta[order], S[:, order]
        R = W @ S - (Q @ S) * theta
        res = torch.linalg.vector_norm(R, dim=0)
        scale = max(float(theta.abs().max()), 1e-300)
        return theta, S, res, float(res.max()) / scale

    nmv = 0
    stopped = False
    for it in iterator:
        W = _apply_mat(op, Q, "product in subspace iteration")
        nmv += k
        if tol is not None:
            theta, S, res, worst = rayleigh_ritz(Q, W)
            if worst <= rtol:  # Q, W are consistent: use this Rayleigh-Ritz step
                stopped = True
                break
        Q = torch.linalg.qr(W)[0]
    if not stopped:
        W = _apply_mat(op, Q, "product in subspace iteration")
        nmv += k
        theta, S, res, worst = rayleigh_ritz(Q, W)
    Y = Q @ S
    ev = theta.cpu().numpy()
    check_finite(ev, "subspace-iteration eigenvalues")
    return EigResult(
        eigenvalues=ev.astype(np.float64),
        eigenvectors=Y.to(op.dtype) if return_vectors else None,
        residuals=res.cpu().numpy().astype(np.float64),
        num_matvecs=nmv,
        converged=bool(worst <= rtol),
        info={"iterations": it + 1, "method": "subspace-iteration", "tol": tol, "residual_tol": rtol,
              "max_relative_residual": worst},
    )
