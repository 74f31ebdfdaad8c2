"""Spectra the Papyan pages share, computed once per network and settings (``dlspectra.cache``, namespace
``papyan-spectra``): the G decomposition's knockouts (figs 5, 6, tab01) and the Hessian / G / E
spectra with and without rank-C deflation (figs 3, 4, 14, 16, 17).

All spectra follow App. D.2 with the preset's sizes: Normalization (M0, tau), LanczosApproxSpec
(M, K = 1024, kappa), the log variant (push-forward of the Ritz values, epsilon = 1e-5), and the
top eigenvalues by Lanczos with full reorthogonalisation (:func:`dlspectra.spectral.lanczos_top_k`;
the page reports whether they converged) in place of the paper's 128 subspace iterations.
"""

from __future__ import annotations

import numpy as np
import torch

from dlspectra.cache import cached
from dlspectra.spectral import lanczos_density, lanczos_log_density, lanczos_restarted, lanczos_top_k
from dlspectra.spectral.density import DeflatedOperator

from .pipeline import Network, decompose, operators

EPSILON = 1e-5
"""log(G + 1e-5 I), Fig. 6 caption (the paper gives no value for Fig. 5)."""

KNOCKOUTS = ("G", "class", "cross", "same")
"""G and G minus each low-rank piece (G minus G_within = the rank-C^2 'between' matrix: exact)."""


def top_eigs(op, k: int, p: dict, *, return_vectors: bool = False, which: str = "LA", tol: float = 1e-4):
    """Top-``k`` eigenpairs with the preset's solver: ``"full"`` (Lanczos with full
    reorthogonalisation, at most ``top_k_steps`` basis vectors) or ``"restarted"`` (thick-restart
    Lanczos in a basis of ``3 k`` vectors, for paper-scale networks; ``top_k_steps`` products at most
    per basis size... budget ``max_matvecs = 4 top_k_steps``)."""
    if p.get("solver", "full") == "restarted":
        return lanczos_restarted(op, k, max_basis=max(3 * k, k + 20), max_matvecs=4 * int(p["top_k_steps"]), tol=tol,
                                 return_vectors=return_vectors, which=which, progress=False)
    return lanczos_top_k(op, k, num_steps=p["top_k_steps"], tol=tol, return_vectors=return_vectors, which=which,
                         progress=False)


def _solver_key(p: dict) -> dict:
    return {} if p.get("solver", "full") == "full" else {"solver": p["solver"]}


def _top(op, k: int, p: dict) -> tuple[np.ndarray, bool, int]:
    r = top_eigs(op, k, p)
    return r.eigenvalues, bool(r.converged), int(r.num_matvecs)


def g_knockout_spectra(p: dict, net: Network, *, top_k: int = 40) -> dict:
    """Top ``top_k`` eigenvalues and log densities of ``G`` and ``G ⊖ piece`` (class, cross, c=c'),
    the exact eigenvalues of the pieces (Gram matrices) and of ``G ⊖ G_within``. Cached."""
    key = {"net": net.trained.config.key_config(), "what": "g-knockouts", "top_k": top_k,
           "log_steps": p["log_steps"], "top_k_steps": p["top_k_steps"], "normalization_steps": p["normalization_steps"],
           "epsilon": EPSILON, "version": 1, **_solver_key(p)}

    def compute() -> dict:
        dec = decompose(net)
        out: dict[str, np.ndarray] = {}
        for name in ("class", "cross", "same", "between"):
            out[f"exact_{name}"] = dec.eigenvalues(name)
        for name in KNOCKOUTS:
            op = dec.G if name == "G" else dec.knockout(name)
            ev, conv, mv = _top(op, top_k, p)
            u, d = lanczos_log_density(op, num_steps=p["log_steps"], epsilon=EPSILON,
                                       normalization_steps=p["normalization_steps"], seed=0)
            out[f"top_{name}"], out[f"conv_{name}"], out[f"mv_{name}"] = ev, np.array(conv), np.array(mv)
            out[f"u_{name}"], out[f"dens_{name}"] = u, d
        out["wc"] = dec.structure.pieces.class_weights.cpu().numpy()
        out["wcc"] = dec.structure.weights.cpu().numpy()
        return out

    return cached("papyan-spectra", key, compute)


def hessian_spectra(p: dict, net: Network, split: str, names=("hess", "G", "E"), *, C: int = 10) -> dict:
    """For each operator in ``names`` on the ``split`` data: the top-C eigenvalues (Lanczos), the
    density of the rank-C-deflated operator (projection of the top-C eigenvectors) and the
    undeflated density. Cached per (network, split, operator)."""
    out = {}
    for name in names:
        key = {"net": net.trained.config.key_config(), "what": "hessian", "split": split, "op": name, "C": C,
               "num_steps": p["num_steps"], "top_k_steps": p["top_k_steps"], "kappa": p["kappa"],
               "normalization_steps": p["normalization_steps"], "margin": p["margin"], "version": 1, **_solver_key(p)}

        def compute(name=name) -> dict:
            op = operators(net, split)[name]
            r = top_eigs(op, C, p, return_vectors=True, which="LA" if name != "E" else "LM")
            kw = dict(num_steps=p["num_steps"], kappa=p["kappa"], normalization_steps=p["normalization_steps"],
                      margin=p["margin"], seed=0)
            x_def, d_def = lanczos_density(DeflatedOperator(op, r.eigenvectors), **kw)
            x, d = lanczos_density(op, **kw)
            return {"top": r.eigenvalues, "converged": np.array(bool(r.converged)), "x_defl": x_def,
                    "dens_defl": d_def, "x": x, "dens": d, "matvecs": np.array(op.num_matvecs)}

        out[name] = cached("papyan-spectra", key, compute)
    return out


def bulk_width(x: np.ndarray, dens: np.ndarray, lo: float = 0.01, hi: float = 0.99) -> float:
    """Width of the central ``[lo, hi]`` probability interval of a density on a grid."""
    cdf = np.cumsum(dens) * (x[1] - x[0])
    cdf = cdf / cdf[-1]
    return float(np.interp(hi, cdf, x) - np.interp(lo, cdf, x))


def negative_mass(x: np.ndarray, dens: np.ndarray, sigma_units: float = 0.0) -> float:
    """Probability mass of a density below ``-sigma_units`` (its kernel width, to ignore smoothing at 0)."""
    dx = x[1] - x[0]
    m = x < -abs(sigma_units)
    return float(dens[m].sum() * dx / max(dens.sum() * dx, 1e-300))


def torch_free(x) -> np.ndarray:
    """A numpy copy of a cached value (numpy arrays come back from the cache already)."""
    return x.cpu().numpy() if isinstance(x, torch.Tensor) else np.asarray(x)


def kernel_width(x: np.ndarray, num_steps: int, kappa: float) -> float:
    """The Gaussian kernel's std in the operator's units for a density on the grid ``x`` (Alg. 3)."""
    from dlspectra.spectral import kernel_sigma

    return kernel_sigma(num_steps, kappa) * (x[-1] - x[0]) / 2


def upper_support(x: np.ndarray, dens: np.ndarray, q: float = 0.999) -> float:
    """The ``q`` quantile of a density on a grid (upper edge of its bulk)."""
    cdf = np.cumsum(dens)
    return float(np.interp(q, cdf / cdf[-1], x))


def peaks_near(x: np.ndarray, dens: np.ndarray, values: np.ndarray, rel: float = 0.05) -> int:
    """How many ``values`` have a local maximum of the density within ``rel`` (relative) of them."""
    pk = x[1:-1][(dens[1:-1] > dens[:-2]) & (dens[1:-1] >= dens[2:])]
    return int(sum(bool(np.any(np.abs(pk - v) <= rel * abs(v))) for v in values))
