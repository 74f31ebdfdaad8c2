"""Power iteration with deflation (as PyHessian; Xie Fig. 11) and subspace iteration (Papyan Alg. 5)."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from dlspectra.curvature.base import check_finite

from ._base import EigResult, apply, apply_block, as_operator, check_k, effective_tol, orthogonalise, start_block

__all__ = ["power_iteration_top_k", "subspace_iteration"]


def power_iteration_top_k(
    op: Any,
    k: int,
    *,
    max_iter: int = 100,
    tol: float = 1e-3,
    residual_tol: float | None = None,
    seed: int = 0,
    progress: bool = True,
    return_vectors: bool = False,
) -> EigResult:
    """Top-``k`` eigenvalues by power iteration with deflation, the way PyHessian does it (Xie Fig. 11).

    For ``i = 1..k``: start from a random unit vector, repeat ``v <- A v / ||A v||`` with ``v``
    orthogonalised against the eigenvectors already found (deflation by projection), stop when the
    Rayleigh quotient changes by less than ``tol * (|lambda| + 1e-6)`` or after ``max_iter``
    products. Like PyHessian it finds eigenvalues of largest *magnitude*; they are returned sorted
    descending.

    Parameters
    ----------
    op : operator or dense symmetric matrix (see :func:`~dlspectra.spectral.as_operator`).
    k : int
        Eigenvalues wanted, ``1 <= k <= dim``.
    max_iter : int
        Products per eigenvalue at most (PyHessian's default 100).
    tol : float
        PyHessian's stopping rule: relative change of the Rayleigh quotient (default 1e-3, its own).
    residual_tol : float, optional
        ``converged`` is the residual test of :class:`~dlspectra.spectral.EigResult`: every
        ``||A v_j - lambda_j v_j|| <= residual_tol * max|lambda|`` (default ``tol``, floored at
        ``50 eps(op.dtype)``). A Rayleigh quotient that has stopped moving can still have a large
        residual (close eigenvalues): the stopping rule alone is recorded as ``info['rq_converged']``.
    seed : int
        Seeds the start vectors.
    progress : bool
        A bar over the ``k`` eigenvalues.
    return_vectors : bool
        Also return the vectors ``(dim, k)`` in ``op.dtype``.

    Returns
    -------
    EigResult
        ``residuals[j] = ||A v_j - lambda_j v_j||`` of the returned pair (for an eigenvalue that ran
        out of iterations it costs one extra product, since ``lambda_j`` is the Rayleigh quotient of
        the previous iterate); ``info`` has ``iterations``, ``rq_converged``, ``residual_tol``.

    Raises
    ------
    dlspectra.errors.UsageError
        ``k`` is not an int in ``[1, dim]``.

    Examples
    --------
    >>> import torch
    >>> res = power_iteration_top_k(torch.diag(torch.tensor([10.0, 1.0, 0.5])), 1, progress=False)
    >>> round(float(res.eigenvalues[0]), 3), res.converged
    (10.0, True)
    """
    op = as_operator(op)
    n = int(op.dim)
    k = check_k(k, n)
    rtol = effective_tol(tol if residual_tol is None else residual_tol, op.dtype)
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
            x = orthogonalise(x, torch.stack(found, 1).T, passes=1)[0]
        return x

    try:
        for _ in range(k):
            v = torch.randn(n, generator=g, dtype=torch.float64).to(op.device)
            v = deflate(v)
            v = v / torch.linalg.vector_norm(v)
            lam, ok, it = None, False, 0
            Av = None
            for it in range(1, max_iter + 1):
                Av = apply(op, v, "product in power iteration")
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
                # returned, (lam, v)
                Av = apply(op, v, "product in power iteration")
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
    residuals = np.asarray(res)[order]
    scale = max(float(np.abs(vals_a).max()), 1e-300)
    converged = bool(np.all(residuals <= rtol * scale))
    return EigResult(
        eigenvalues=vals_a[order],
        eigenvectors=vecs,
        residuals=residuals,
        num_matvecs=nmv,
        converged=converged,
        info={"iterations": list(np.asarray(iters)[order]), "tol": tol, "max_iter": max_iter,
              "residual_tol": rtol, "rq_converged": all(conv), "max_relative_residual": float(residuals.max() / scale),
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

    ``Q <- qr(A Q)`` for ``num_iters`` iterations from a seeded Gaussian ``(dim, k)`` block, then a
    Rayleigh-Ritz step on ``span(Q)`` gives signed eigenvalues (Papyan's column norms would give
    only magnitudes). Use ``k = C`` (number of classes) to get the outliers, then deflate with
    :class:`~dlspectra.curvature.ProjectedOperator`. For guard vectors, locking and a top-C block
    with algebraic ordering see :func:`block_subspace_iteration`.

    Parameters
    ----------
    op : operator or dense symmetric matrix
        See :func:`~dlspectra.spectral.as_operator`; ``matmat`` is used when present.
    k : int
        Block size and number of eigenpairs.
    num_iters : int
        Iterations (Papyan App. D.2: ``T = 128``).
    seed : int
        Seeds the start block.
    tol : float, optional
        Stop early once every Ritz residual is at most ``tol * max|theta|`` (a Rayleigh-Ritz step each
        iteration, no extra products). ``None`` runs all ``num_iters`` (the paper's fixed ``T``).
    progress : bool
        A bar over the iterations.
    return_vectors : bool
        Return the Ritz vectors.
    residual_tol : float
        With ``tol=None``: ``converged`` says whether the final residuals meet ``residual_tol *
        max|theta|``. Both tolerances are floored at ``50 eps(op.dtype)``.

    Returns
    -------
    EigResult
        Eigenvalues descending, residuals ``||A y_j - theta_j y_j||``, ``converged`` from them (never
        assumed); ``info`` with ``iterations`` and ``max_relative_residual``. Cost: ``k`` products per
        iteration, plus ``k`` for the final Rayleigh-Ritz step.

    Raises
    ------
    dlspectra.errors.UsageError
        ``k`` not an int in ``[1, dim]``.
    dlspectra.errors.SpectrumError
        A NaN or infinite product.

    Examples
    --------
    >>> import torch
    >>> A = torch.diag(torch.tensor([5.0, 4.0] + [0.1] * 20, dtype=torch.float64))
    >>> res = subspace_iteration(A, 2, num_iters=30, progress=False)
    >>> res.eigenvalues.round(8).tolist(), res.converged
    ([5.0, 4.0], True)
    """
    op = as_operator(op)
    n = int(op.dim)
    k = check_k(k, n)
    rtol = effective_tol(tol if tol is not None else residual_tol, op.dtype)
    Q = start_block(n, k, op.device, seed)
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
        W = apply_block(op, Q, "product in subspace iteration")
        nmv += k
        if tol is not None:
            theta, S, res, worst = rayleigh_ritz(Q, W)
            if worst <= rtol:  # Q, W are consistent: use this Rayleigh-Ritz step
                stopped = True
                break
        Q = torch.linalg.qr(W)[0]
    if not stopped:
        W = apply_block(op, Q, "product in subspace iteration")
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
