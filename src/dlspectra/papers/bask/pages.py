"""Page helpers of the Baskerville pages: trained nets and spectra from the presets, the setup
rows (paper vs this run), and the claim rules of :mod:`.analysis` recorded with their numbers."""

from __future__ import annotations

import numpy as np

from dlspectra import data as data_mod
from dlspectra import rmt

from . import analysis
from .presets import PAPER_SCALE
from .setups import Trained, count_params, train
from .spectra import batch_spectra

__all__ = ["missing_data", "trained", "spectra", "describe", "setup_rows", "claim_goe", "claim_wigner",
           "claim_rank_aware"]

_DATA_OF = {"mnist": "mnist", "cifar10": "cifar10", "bike": "bike", "embed": "cifar10"}
_NAMES = {"logistic": "logistic regression", "mlp2": "2-hidden-layer MLP", "mlp3": "3-hidden-layer MLP",
          "lenet": "small LeNet", "bike": "Bike MLP", "embed": "logistic regression on CNN embeddings",
          "extractor": "feature CNN"}


def missing_data(p: dict, names: list[str]) -> list[str]:
    """Data sets the recipes ``names`` of preset ``p`` need and this machine lacks."""
    need = sorted({_DATA_OF[p[n]["data"]["name"]] for n in names})
    return [d for d in need if not data_mod.available(d)]


def trained(p: dict, name: str, device) -> Trained:
    return train(p[name], device)


def spectra(p: dict, name: str, split: str, device, *, costly: bool = False, dtype: str = "float64",
            n_batches: int | None = None) -> np.ndarray:
    """The cached batch Hessian spectra ``(m, P)`` of recipe ``name`` on ``split``."""
    sizes = p["sizes"]
    if n_batches is None:
        n_batches = sizes["batches_costly" if costly else ("batches_train" if split == "train" else "batches")]
    return batch_spectra(train(p[name], device), split, n_batches, dtype=dtype, device=device)


def describe(recipe: dict) -> str:
    """One line: the network, its widths and P, the data."""
    d, net = recipe["data"], recipe["net"]
    P = count_params(net, d)
    if d["name"] == "mnist":
        side = 28 // int(d.get("pool", 1))
        data = f"MNIST {side}×{side}" + (" (average-pooled)" if side < 28 else "")
    elif d["name"] == "cifar10":
        side = 32 // int(d.get("pool", 1))
        data = f"CIFAR-10 {side}×{side}" + (" (average-pooled)" if side < 32 else "")
    elif d["name"] == "embed":
        data = f"{recipe['data']['extractor']['net']['width']}-d embeddings of CIFAR-10"
    else:
        data = "Bike Sharing (hourly), 13 features"
    if net["kind"] == "mlp":
        arch = "softmax regression" if not net.get("hidden") else "MLP " + "→".join(map(str, net["hidden"]))
    else:
        arch = net["kind"].replace("_", "-")
    return f"{arch} on {data}, P = {P:,}"


def setup_rows(p: dict, names: list[str], extra: list[list] | None = None) -> list[list]:
    """Setup table rows (paper vs this run) for the recipes ``names``."""
    rows = []
    for n in names:
        r, rp = p[n], PAPER_SCALE[n.replace("_init", "")]
        label = _NAMES.get(n.replace("_init", ""), n) + (" (untrained)" if n.endswith("_init") else "")
        rows.append([label, describe(rp), describe(r)])
        tr_n = r.get("train_n") or "all"
        rows.append([f"{label}: training", f"SGD lr 0.003 (lr {rp['lr']:g}), momentum 0.9, wd 5e-4, batch 128, "
                     f"{rp['epochs']} epochs, linear decay 50→90 %",
                     f"same optimiser and schedule, lr {r['lr']:g}, {r['epochs']} epochs on {tr_n} training samples"
                     + (f", flip + crop (pad {r['augment_pad']})" if r.get("augment_pad") else "")])
    s = p.get("sizes", {})
    if s:
        rows.append(["batch Hessians", "exact, batches of 64, float32 (code), sum loss",
                     f"exact, batches of 64, float64, sum loss; {s['batches']} batches "
                     f"({s['batches_costly']} for the costlier nets)"])
        rows.append(["unfolding", "random 1/3 unfolded against the other 2/3 (code: first third, D6)",
                     "seeded random 1/3 against the other 2/3"])
        rows.append(["zero cut-offs", "1e-20 (spacings), 1e-10 (batch ratios, code)",
                     "the same, plus the rank-aware set |λ| > P·eps·max|λ|"])
    rows.extend(extra or [])
    rows.append(["seed", "not reported", "0"])
    return rows


def _measured(s: analysis.Summary) -> dict:
    return {k: v for k, v in s.as_dict().items() if k not in ("n_spectra",)}


def claim_goe(claims, cid: str, text: str, s: analysis.Summary, *, note: str = "") -> None:
    """Spacing ratios GOE-like: ``<r~>`` (paper cut-off) in the GOE band."""
    claims.check(cid, text, rule=f"{analysis.GOE_BAND[0]} ≤ ⟨r̃⟩ ≤ {analysis.GOE_BAND[1]} "
                 f"(GOE {rmt.GOE_MEAN_R_TILDE}, Poisson {rmt.POISSON_MEAN_R_TILDE:.3f})",
                 holds=analysis.goe_like(s.rt), paper="histogram matches the GOE surmise P(r)",
                 measured={"mean_r_tilde": s.rt.mean, "ci95": [s.rt.lo, s.rt.hi], "ratios": s.rt.n_ratios,
                           "spectra": s.m}, note=note)


def claim_rank_aware(claims, cid: str, text: str, s: analysis.Summary, *, note: str = "") -> None:
    """The same rule on the numerically non-zero eigenvalues only (catalog 1.6)."""
    if s.rt_rank is None:
        claims.check(cid, text, rule="rank-aware ⟨r̃⟩ in the GOE band", holds=None,
                     note="fewer than 3 non-zero eigenvalues in a spectrum")
        return
    claims.check(cid, text, rule=f"{analysis.GOE_BAND[0]} ≤ ⟨r̃⟩ ≤ {analysis.GOE_BAND[1]} on |λ| > P·eps·max|λ|",
                 holds=analysis.goe_like(s.rt_rank), paper="not in the paper (catalog 1.6 rank caveat)",
                 measured={"mean_r_tilde": s.rt_rank.mean, "ci95": [s.rt_rank.lo, s.rt_rank.hi],
                           "rank_min": int(s.rank.min()), "rank_max": int(s.rank.max()), "P": s.P}, note=note)


def claim_wigner(claims, cid: str, text: str, s: analysis.Summary, *, note: str = "") -> None:
    """Unfolded spacings Wigner-like: KS(Wigner) < max(0.05, KS of a GOE control + 0.02) and < KS(Poisson)."""
    ok = analysis.wigner_like(s.ks, s.ks_control)
    meas = dict(s.ks.as_dict(), ks_goe_control=s.ks_control, threshold=analysis.ks_threshold(s.ks_control),
                ks_step_unfolding=s.extra.get("ks_step")) if s.ks is not None else None
    claims.check(cid, text, rule=f"KS(Wigner) < max({analysis.KS_WIGNER_MAX}, KS(GOE control) + 0.02) "
                 "and KS(Wigner) < KS(Poisson)",
                 holds=ok, paper="histogram matches the Wigner surmise", measured=meas, note=note)
