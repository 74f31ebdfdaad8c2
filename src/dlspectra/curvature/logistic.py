"""Multinomial logistic regression on Papyan's canonical classification model (Sec. 8, App. B).

Model ``f(x) = W x``, ``W`` in ``R^{C x D}``, ``theta = vec(W)`` (column-stacked, so
``df/dtheta^T = x ⊗ I_C`` and parameter ``(a, k)`` sits at index ``a C + k``).  Its Gauss-Newton
matrix is ``G = Ave_i (x_i x_i^T) ⊗ (diag p_i - p_i p_i^T)``.

CCM(D, C): class means ``t e_c`` (``c < C <= D``), samples ``x = t e_c + z``, ``z ~ N(0, I_D)``;
``s = t^2``.  Symmetric probabilities: ``p_{c'} = 1 - alpha`` for the true class, ``alpha/(C-1)``
otherwise.  Lemma 8.1: ``E[G] = (s/C) blkdiag(U_1..U_C, 0) + I_D ⊗ U_bar``.  Theorem 8.1, with
``a = alpha/(C-1)`` and ``k = 2 - alpha C/(C-1)``: eigenvalues ``a (s(1-alpha) + k)`` (x C),
``a (s/C + k)`` (x C(C-2)), ``a k`` (x (D-C)(C-1)), ``0`` (x D).
"""

from __future__ import annotations

import numpy as np

__all__ = ["symmetric_probabilities", "ccm_expected_fim", "theorem81_eigenvalues", "theorem81_levels",
           "ccm_sample", "logistic_fim", "class_moment_fim"]


def _check(D: int, C: int, t: float, alpha: float) -> None:
    if not (2 <= C <= D):
        raise ValueError(f"need 2 <= C <= D, got C={C}, D={D}")
    if not (0 <= alpha <= 1 - 1 / C):
        raise ValueError(f"alpha must lie in [0, 1 - 1/C] = [0, {1 - 1 / C:.4g}] (1/C <= 1-alpha <= 1), got {alpha}")
    if not np.isfinite(t):
        raise ValueError(f"t must be finite, got {t}")


def symmetric_probabilities(C: int, alpha: float) -> np.ndarray:
    """``(C, C)``: row ``c`` is the probability vector of a class-``c`` sample (Def. 8.2)."""
    P = np.full((C, C), alpha / (C - 1))
    np.fill_diagonal(P, 1 - alpha)
    return P


def _U(p: np.ndarray) -> np.ndarray:
    return np.diag(p) - np.outer(p, p)


def ccm_expected_fim(D: int, C: int, t: float, alpha: float) -> np.ndarray:
    """``E[G]`` ``(DC, DC)`` float64 from Lemma 8.1 (the expectation over the Gaussian noise)."""
    _check(D, C, t, alpha)
    P = symmetric_probabilities(C, alpha)
    Us = [_U(P[c]) for c in range(C)]
    G = np.kron(np.eye(D), sum(Us) / C)
    for c in range(C):
        G[c * C:(c + 1) * C, c * C:(c + 1) * C] += t ** 2 / C * Us[c]
    return G


def theorem81_levels(C: int, t: float, alpha: float) -> dict[str, float]:
    """The four distinct eigenvalues of Theorem 8.1: ``outlier``, ``minibulk``, ``bulk``, ``zero``."""
    s, a, k = t ** 2, alpha / (C - 1), 2 - alpha * C / (C - 1)
    return {"outlier": a * (s * (1 - alpha) + k), "minibulk": a * (s / C + k), "bulk": a * k, "zero": 0.0}


def theorem81_eigenvalues(D: int, C: int, t: float, alpha: float) -> np.ndarray:
    """All ``DC`` eigenvalues of Papyan's Theorem 8.1 (the expected Gauss-Newton of logistic regression on CCM).

    Parameters
    ----------
    D : int
        Input dimension.
    C : int
        Classes, ``2 <= C <= D``.
    t : float
        Class-mean norm (``s = t^2``).
    alpha : float
        Probability mass off the true class, in ``[0, 1 - 1/C]``.

    Returns
    -------
    numpy.ndarray
        ``(D C,)`` descending: the four levels of :func:`theorem81_levels` repeated by multiplicity
        (``C``, ``C (C - 2)``, ``(D - C)(C - 1)``, ``D``).

    Raises
    ------
    ValueError
        ``C`` or ``alpha`` out of range, ``t`` not finite.

    Examples
    --------
    >>> ev = theorem81_eigenvalues(5, 3, 2.0, 0.3)
    >>> ev.shape, round(float(ev[0]), 6)
    ((15,), 0.6525)
    """
    _check(D, C, t, alpha)
    lv = theorem81_levels(C, t, alpha)
    mult = {"outlier": C, "minibulk": C * (C - 2), "bulk": (D - C) * (C - 1), "zero": D}
    ev = np.concatenate([np.full(m, lv[name]) for name, m in mult.items()])
    return np.sort(ev)[::-1]


def ccm_sample(N: int, D: int, C: int, t: float, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``N`` samples per class of CCM(D, C): ``X`` ``(N C, D)`` float64, labels ``(N C,)`` int64."""
    if N < 1:
        raise ValueError(f"N must be >= 1, got {N}")
    _check(D, C, t, 0.0)
    rng = np.random.default_rng(seed)
    y = np.repeat(np.arange(C), N)
    X = rng.standard_normal((N * C, D))
    X[np.arange(N * C), y] += t
    return X, y


def class_moment_fim(X: np.ndarray, y: np.ndarray, P: np.ndarray) -> np.ndarray:
    """Empirical ``G`` ``(DC, DC)`` when every class-``c`` sample has probabilities ``P[c]``:
    ``sum_c (n_c/n) S_c ⊗ U_c``, ``S_c = Ave_{i in c} x x^T``."""
    C = P.shape[0]
    n = len(X)
    G = 0
    for c in range(C):
        Xc = X[y == c]
        if len(Xc) == 0:
            raise ValueError(f"class {c} has no sample")
        G = G + (len(Xc) / n) * np.kron(Xc.T @ Xc / len(Xc), _U(P[c]))
    return G


def logistic_fim(X: np.ndarray, probs: np.ndarray, chunk: int = 512) -> np.ndarray:
    """Empirical ``G = Ave_i (x x^T) ⊗ (diag p_i - p_i p_i^T)`` ``(DC, DC)`` for per-sample ``probs`` ``(n, C)``."""
    n, D = X.shape
    C = probs.shape[1]
    G = np.zeros((D, C, D, C))
    for s in range(0, n, chunk):
        x, p = X[s:s + chunk], probs[s:s + chunk]
        U = np.einsum("nk,kl->nkl", p, np.eye(C)) - np.einsum("nk,nl->nkl", p, p)
        G += np.einsum("na,nb,nkl->akbl", x, x, U)
    return G.reshape(D * C, D * C) / n
