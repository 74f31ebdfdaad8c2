"""Sec. 8 (page ``papyan/thm81``): Theorem 8.1's closed form against the numerical spectrum of
Lemma 8.1's expected FIM, the stated multiplicities, the separation with the signal-to-noise ratio,
and a Monte-Carlo G from sampled CCM data."""

from __future__ import annotations

import numpy as np

from dlspectra.curvature import (ccm_expected_fim, ccm_sample, class_moment_fim, symmetric_probabilities,
                                 theorem81_eigenvalues, theorem81_levels)


def multiplicities(num: np.ndarray, C: int, levels: dict, atol: float = 1e-9) -> dict:
    """How many eigenvalues of ``num`` sit at each of Theorem 8.1's four levels."""
    return {k: int(np.sum(np.isclose(num, levels[k], atol=atol))) for k in ("outlier", "minibulk", "bulk")} | \
        {"zero": int(np.sum(np.isclose(num, 0.0, atol=atol)))}


def stated_multiplicities(D: int, C: int) -> dict:
    """Theorem 8.1: C outliers, C(C−2) mini-bulk, (D−C)(C−1) bulk, D zeros."""
    return {"outlier": C, "minibulk": C * (C - 2), "bulk": (D - C) * (C - 1), "zero": D}


def grid_results(p: dict, mc_N: int | None = None) -> list[dict]:
    """Per (D, C, t, α) of ``p["grid"]``: the numerical E[G] spectrum, the formula, their largest
    difference, the multiplicities found, and the Monte-Carlo spectrum (``mc_N`` samples per class,
    default ``p["mc_N"]``) with the top C's largest relative deviation from the outlier level."""
    out = []
    for D, C, t, alpha in p["grid"]:
        num = np.sort(np.linalg.eigvalsh(ccm_expected_fim(D, C, t, alpha)))[::-1]
        form = theorem81_eigenvalues(D, C, t, alpha)
        X, y = ccm_sample(int(mc_N or p["mc_N"]), D, C, t, seed=p["seed"])
        mc = np.sort(np.linalg.eigvalsh(class_moment_fim(X, y, symmetric_probabilities(C, alpha))))[::-1]
        lv = theorem81_levels(C, t, alpha)
        out.append({"D": D, "C": C, "t": t, "alpha": alpha, "err": float(np.max(np.abs(num - form))),
                    "mc_outlier_err": float(np.max(np.abs(mc[:C] / lv["outlier"] - 1))), "num": num, "form": form,
                    "mc": mc, "levels": lv, "mult": multiplicities(num, C, lv), "stated": stated_multiplicities(D, C)})
    return out


def separation_steps(C: int = 10, alpha: float = 0.05, D: int = 20, s_values=None) -> np.ndarray:
    """Increase of λ_C/λ_C+1 of the numerical E[G] (Lemma 8.1) between consecutive values of
    s = t² (default 20 values in [0.5, 30]); Theorem 8.1 says the ratio grows with s."""
    s_values = np.linspace(0.5, 30, 20) if s_values is None else np.asarray(s_values, dtype=float)
    ratio = []
    for s in s_values:
        ev = np.sort(np.linalg.eigvalsh(ccm_expected_fim(D, C, float(np.sqrt(s)), alpha)))[::-1]
        ratio.append(ev[C - 1] / ev[C])
    return np.diff(ratio)
