"""The Gaussian-process Hessian model of Sec. 4 (Figs 5, 6): pooled spectra per panel, cached.

``panel_spectra(gp, panel, corrected=True)``: ``samples`` spectra of
:func:`dlspectra.rmt.gp_hessian_model` with the panel's degeneracy/outliers.  ``corrected=False``
reproduces the authors' ratio code, which drops those options (catalog D11): a plain GP Hessian
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
    at 0 (the authors' overlay, catalog 1.5)."""
    e = np.sort(np.asarray(eigs, dtype=np.float64).ravel())
    R = float(np.abs(e).max())
    t = np.clip(e / R, -1, 1)
    F = 0.5 + (t * np.sqrt(1 - t**2) + np.arcsin(t)) / np.pi
    n = e.size
    return float(max((np.arange(1, n + 1) / n - F).max(), (F - np.arange(n) / n).max()))


def ks_spread(spectra: dict, *, samples: int | None = None, n_boot: int = 200, seed: int = 0):
    """The largest minus the smallest panel's :func:`semicircle_ks`, with a 95 % percentile
    bootstrap interval over Hessian samples (rows resampled within each panel; the pair of panels
    is the point estimate's). ``samples``: use only the first ``samples`` rows of every panel.
    Returns an :class:`~dlspectra.book.rules.Estimate`."""
    from dlspectra.book.rules import Estimate

    E = {k: np.asarray(v)[:samples] if samples else np.asarray(v) for k, v in spectra.items()}
    ks = {k: semicircle_ks(v) for k, v in E.items()}
    top, bottom = max(ks, key=ks.get), min(ks, key=ks.get)
    d = ks[top] - ks[bottom]
    rng = np.random.default_rng(seed)
    boot = []
    for _ in range(n_boot):
        a, b = E[top], E[bottom]
        boot.append(semicircle_ks(a[rng.integers(0, len(a), len(a))]) - semicircle_ks(b[rng.integers(0, len(b), len(b))]))
    lo, hi = np.quantile(boot, [0.025, 0.975])
    return Estimate(float(d), float(min(lo, d)), float(max(hi, d)))
