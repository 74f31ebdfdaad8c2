"""The G network's claims, read from its spectra (figs 3-5, 14, 16, 17, tab01).

Each ``figXX_stats(p, net)`` returns ``{claim_id: (value, converged)}`` -- the statistic each claim's
rule reads (:mod:`dlspectra.papers.papyan.claims`) and whether the spectra behind it converged --
plus the numbers the page shows (``"shown"``). The pages decide from them; the width ladders
(:func:`width_ladder`) evaluate the same functions on the networks of other widths.
"""

from __future__ import annotations

import math

import numpy as np

from .claims import SPLITS
from .pipeline import Network, decompose, gap_count, network
from .spectra import (
    EPSILON,
    bulk_rms,
    bulk_width,
    g_knockout_spectra,
    hessian_spectra,
    kernel_width,
    log_window_mass,
    main_bulk,
    negative_excess,
    negative_mass,
    peaks_near,
    tail_fits,
    upper_support,
    weighted_peaks_near,
)

C = 10


def _sigma(p: dict, x: np.ndarray) -> float:
    return kernel_width(x, p["num_steps"], p["kappa"])


def fig03_stats(p: dict, net: Network) -> dict:
    """outliers (count above the deflated 99.9 % quantile), negative (mass below −3σ / Φ(−3)),
    magnitude (|log λ1(test)/λ1(train)|)."""
    sp = {s: hessian_spectra(p, net, s, {"hess": ("top", "defl")})["hess"] for s in ("train", "test")}
    tr, te = sp["train"], sp["test"]
    conv = bool(tr["converged"]) and bool(te["converged"])
    edge = upper_support(tr["x_defl"], tr["dens_defl"])
    sig = _sigma(p, tr["x_defl"])
    return {"outliers": (int(np.sum(tr["top"] > edge)), bool(tr["converged"])),
            "negative": (negative_excess(tr["x_defl"], tr["dens_defl"], sig), None),
            "magnitude": (abs(math.log(float(te["top"][0]) / float(tr["top"][0]))), conv),
            "shown": {"edge": edge, "sigma": sig, "mass_below_1sigma": negative_mass(tr["x_defl"], tr["dens_defl"], sig),
                      "mass_below_3sigma": negative_mass(tr["x_defl"], tr["dens_defl"], 3 * sig),
                      "lambda1_train": float(tr["top"][0]), "lambda1_test": float(te["top"][0])},
            "spectra": sp}


def fig04_split(p: dict, net: Network, split: str) -> dict:
    sp = hessian_spectra(p, net, split, {"hess": ("top", "defl"), "G": ("top", "defl"), "E": ("top", "full")})
    H, G, E = sp["hess"], sp["G"], sp["E"]
    rms = {"hess": bulk_rms(H["x_defl"], H["dens_defl"], _sigma(p, H["x_defl"])),
           "G": bulk_rms(G["x_defl"], G["dens_defl"], _sigma(p, G["x_defl"])),
           "E": bulk_rms(E["x"], E["dens"], _sigma(p, E["x"]))}
    conv = bool(H["converged"]) and bool(G["converged"]) and bool(E["converged"])
    share = float("nan")
    if split == "train":  # how much of G ⊖ top C is its C(C−1) mini-bulk: the exact rank-C² matrix's eigenvalues
        b = np.asarray(decompose(net).eigenvalues("between"), dtype=float)
        share = float(np.sum(b[C:C * C] ** 2) / (net.num_params * rms["G"] ** 2))
    return {f"g-outliers-{split}": (float(np.max(np.abs(G["top"] / H["top"] - 1))),
                                    bool(H["converged"]) and bool(G["converged"])),
            f"e-no-outliers-{split}": (float(np.max(np.abs(E["top"])) / H["top"][C - 1]), conv),
            f"bulk-shrinks-{split}": (rms["G"] / rms["hess"], bool(H["converged"]) and bool(G["converged"])),
            f"bulk-from-e-{split}": (rms["E"] / rms["G"], conv),
            "shown": {"rms": rms, "width_1_99": {"hess": bulk_width(H["x_defl"], H["dens_defl"]),
                                                 "G": bulk_width(G["x_defl"], G["dens_defl"]),
                                                 "E": bulk_width(E["x"], E["dens"])},
                      "lambda_C_hess": float(H["top"][C - 1]), "max_abs_E": float(np.max(np.abs(E["top"]))),
                      "minibulk_share": share},
            "spectra": sp}


def fig04_stats(p: dict, net: Network) -> dict:
    out: dict = {"shown": {}, "spectra": {}}
    for split in p.get("splits", SPLITS):
        r = fig04_split(p, net, split)
        out["shown"][split], out["spectra"][split] = r.pop("shown"), r.pop("spectra")
        out.update(r)
    return out


def fig05_stats(p: dict, net: Network) -> dict:
    s = g_knockout_spectra(p, net)
    G = s["top_G"]
    thr = math.sqrt(G[C - 1] * G[C])
    above = {k: int(np.sum(s[f"top_{k}"] > thr)) for k in ("G", "class", "cross", "same")}
    cross = s["exact_cross"][:C * (C - 2)]
    bulk = main_bulk(s["u_G"], s["dens_G"])
    m_G, m_ko = log_window_mass(s["u_G"], s["dens_G"], cross), log_window_mass(s["u_cross"], s["dens_cross"], cross)
    conv = {k: bool(s[f"conv_{k}"]) for k in ("G", "class", "cross", "same")}
    return {"c-outliers": (gap_count(G, 2 * C), conv["G"]),
            "class-removes": (above["class"], conv["G"] and conv["class"]),
            "cross-removes": (m_ko / m_G if m_G > 0 else float("nan"), None),
            "cross-side": (float(np.median(cross)) / math.exp(bulk["mode"]), None),
            "same-no-effect": (float(np.max(np.abs(s["top_same"] / G - 1))), conv["G"] and conv["same"]),
            "shown": {"above": above, "threshold": thr, "window_mass_G": m_G, "window_mass_ko": m_ko,
                      "median_cross": float(np.median(cross)), "mode_G": math.exp(bulk["mode"]),
                      "rank_between": int(np.sum(s["exact_between"] > 1e-10 * s["exact_between"][0]))},
            "spectra": s}


def fig14_stats(p: dict, net: Network) -> dict:
    s = hessian_spectra(p, net, "train", {"hess": ("top", "full")})["hess"]
    hits = weighted_peaks_near(s["x"], s["dens"], s["top"], dim=net.num_params)
    return {"visible": (hits, bool(s["converged"])),
            "shown": {"weighted_hits": hits, "any_peak_hits": peaks_near(s["x"], s["dens"], s["top"])}, "spectra": s}


def fig16_stats(p: dict, net: Network) -> dict:
    s = hessian_spectra(p, net, "test", {"E": ("full",)})["E"]
    x, d = s["x"], s["dens"]
    sig = _sigma(p, x)
    dx = x[1] - x[0]
    m_pos, m_neg = float(d[x > 3 * sig].sum() * dx), float(d[x < -3 * sig].sum() * dx)
    fits = tail_fits(x, d, sig)
    sides = ("positive", "negative")
    pl = {"dR2": min(fits[k]["R2"] - fits[k]["R2_exp"] for k in sides), "R2": min(fits[k]["R2"] for k in sides)}
    return {"symmetric": (abs(m_pos - m_neg) / (m_pos + m_neg), None),
            "power-law": (pl, None),
            "exponent": (max(abs(fits[k]["slope"] + 2.7) for k in sides), None),
            "shown": {"m_pos": m_pos, "m_neg": m_neg, "fits": fits, "sigma": sig}, "spectra": s}


def fig17_stats(p: dict, net: Network) -> dict:
    s = hessian_spectra(p, net, "train", {"hess": ("top", "defl", "full")})["hess"]
    top3 = weighted_peaks_near(s["x"], s["dens"], s["top"][:3], dim=net.num_params)
    return {"align": (top3, bool(s["converged"])),
            "shown": {"top3": top3, "all_weighted": weighted_peaks_near(s["x"], s["dens"], s["top"], dim=net.num_params),
                      "edge_defl": upper_support(s["x_defl"], s["dens_defl"], 0.99),
                      "edge_full": upper_support(s["x"], s["dens"], 0.99)}, "spectra": s}


def stat_reading(stats_fn, claim_id: str, dataset: str, device):
    """``q -> stats_fn(q, network(q, dataset))[claim_id]``: a width ladder's reading at preset ``q``."""
    def reading(q: dict):
        return stats_fn(q, network(q, dataset, device))[claim_id]
    return reading


def width_ladder(claims, claim_id: str, p: dict, stats_fn, dataset: str, device, *, stat_id: str | None = None):
    """The ladder of a G-network claim over the MLP's hidden width (``p["ladder_widths"]``, the
    page's width the top computed rung; the paper's VGG11 above it, not run). ``stat_id``: the key of
    ``stats_fn``'s output when it differs from ``claim_id`` (tab01 reads the pages' statistics)."""
    from .ladders import ladder_over

    if not p.get("ladder_widths"):
        raise ValueError(f"{claims.notebook_id}: the preset has no ladder_widths at this scale")
    return ladder_over(claims, claim_id, p, "width", p["ladder_widths"],
                       stat_reading(stats_fn, stat_id or claim_id, dataset, device), paper_setting="VGG11",
                       paper_note="not run: scale (VGG11, 28 M parameters: each Hessian product costs ~50x a "
                                  "small CNN's, ~1 s here already; GPU-hours at the paper's sizes)")
