"""The Gaussian-process Hessian model of Sec. 4 (Figs 5, 6): pooled spectra per panel, cached.

``panel_spectra(gp, panel, corrected=True)``: ``samples`` spectra of
:func:`dlspectra.rmt.gp_hessian_model` with the panel's degeneracy/outliers.  ``corrected=False``
reproduces the authors' ratio code, which drops those options: a plain GP Hessian
of dimension ``n``.
"""

from __future__ import annotations

import numpy as np

from dlspectra import rmt
from dlspectra.cache import Cache

__all__ = ["panel_spectra", "semicircle_ks", "ks_spread"]


def panel_spectra(gp: dict, panel: dict, *, corrected: bool = True, n: int | None = None,
                  samples: int | None = None, seed: int | None = None, cache: Cache | None = None) -> np.ndarray:
    """Eigenvalues ``(samples, n + degeneracy)`` of the panel's GP Hessians (ascending rows).
    ``seed``: default the panel's ``"seed"`` (each panel an independent draw), else 0."""
    seed = int(panel.get("seed", 0)) if seed is None else int(seed)
    n = int(n or gp["n"])
    samples = int(samples or gp["samples"])
    kw = {}
    if corrected:
        kw = {"degeneracy": int(panel.get("degeneracy", 0)), "outliers": int(panel.get("outliers", 0)),
              "outlier_scale": float(gp.get("outlier_scale", 10.0))}
    cfg = {"n": n, "samples": samples, "kp": float(gp["kp"]), "kpp": float(panel["kpp"]), "seed": seed, **kw,
           "_version": 1}

    def compute():
        return {"eigs": np.stack(rmt.gp_hessian_spectra(n, float(gp["kp"]), float(panel["kpp"]), samples,
                                                        seed=seed, order="ascending", **kw))}

    return (cache or Cache()).get_or_compute("bask-gp", cfg, compute)["eigs"]


def semicircle_ks(eigs: np.ndarray) -> float:
    """KS distance of pooled eigenvalues to the semicircle of radius ``R = max |lambda|`` centred
    at 0 (the overlay of the paper's Figure 5)."""
    e = np.sort(np.asarray(eigs, dtype=np.float64).ravel())
    R = float(np.abs(e).max())
    t = np.clip(e / R, -1, 1)
    F = 0.5 + (t * np.sqrt(1 - t**2) + np.arcsin(t)) / np.pi
    n = e.size
    return float(max((np.arange(1, n + 1) / n - F).max(), (F - np.arange(n) / n).max()))


def ks_spread(spectra: dict, *, samples: int | None = None, n_perm: int = 200, seed: int = 0) -> dict:
    """Whether the panels agree with the semicircle to different degrees (Sec. 6.1's "varying levels
    of agreement"): the largest minus the smallest panel's :func:`semicircle_ks` and its permutation
    p-value (the Hessian samples of all panels pooled and dealt back to panels of the same sizes
    ``n_perm`` times, seeded; ``p = (1 + #{permuted spread >= observed}) / (1 + n_perm)``), exact
    under the hypothesis that every panel draws from one distribution. ``samples``: use only the
    first ``samples`` rows of every panel. Returns ``{"spread", "p", "panels": {name: KS}}``."""
    E = {k: np.asarray(v)[:samples] if samples else np.asarray(v) for k, v in spectra.items()}
    if len(E) < 2 or any(len(a) < 1 for a in E.values()):
        raise ValueError("ks_spread needs at least two panels with at least one Hessian sample each")
    if len({a.shape[1] for a in E.values()}) != 1:
        raise ValueError(f"ks_spread permutes Hessian samples between panels, so they need one dimension; got "
                         f"{ {k: a.shape[1] for k, a in E.items()} }")
    ks = {k: semicircle_ks(a) for k, a in E.items()}
    spread = max(ks.values()) - min(ks.values())
    rows = np.concatenate(list(E.values()))
    cuts = np.cumsum([len(a) for a in E.values()])[:-1]
    rng = np.random.default_rng(seed)
    hits = 0
    for _ in range(n_perm):
        parts = np.split(rows[rng.permutation(len(rows))], cuts)
        perm = [semicircle_ks(a) for a in parts]
        hits += (max(perm) - min(perm)) >= spread
    return {"spread": float(spread), "p": float((1 + hits) / (1 + n_perm)), "panels": ks}
