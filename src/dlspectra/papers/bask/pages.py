"""Page helpers of the Baskerville pages: trained nets and spectra from the presets, the setup
rows (paper vs this run), and the decisions of the declared claims (:mod:`.claims`) with their
ladders (:mod:`.ladders`)."""

from __future__ import annotations

import numpy as np

from dlspectra import data as data_mod

from . import analysis
from .ladders import decide, subset_ladder
from .presets import PAPER_SCALE
from .setups import Trained, count_params, train
from .spectra import batch_spectra

__all__ = ["missing_data", "trained", "spectra", "describe", "setup_rows", "decide_goe", "decide_wigner",
           "not_semicircle_value", "decide_not_semicircle"]

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
        rows.append(["unfolding", "random 1/3 unfolded against the other 2/3 (the authors' code: the first third)",
                     "seeded random 1/3 against the other 2/3"])
        rows.append(["zero cut-offs", "1e-20 (spacings), 1e-10 (batch ratios, code)",
                     "the same, plus the rank-aware set |λ| > P·eps·max|λ|"])
    rows.extend(extra or [])
    rows.append(["seed", "not reported", "0"])
    return rows


def decide_goe(claims, cid: str, spectra, *, nonzero: bool = False, cutoff: float | None = analysis.RATIO_CUTOFF,
               note: str = "", extra: dict | None = None, min_n: int = 2) -> None:
    """Decide a GOE claim on batch ``spectra`` from ``<r~>`` and its interval (:mod:`.claims`); when
    it fails or cannot decide, climb the number of batch spectra (subsets of ``spectra``)."""
    def read(k: int):
        return analysis.rtilde_value(spectra[:k], cutoff=cutoff, nonzero=nonzero)

    v = read(len(spectra))
    decide(claims, cid, v, ladder=lambda: subset_ladder(claims, cid, len(spectra), read, min_n=min_n),
           measured={"mean_r_tilde": v.value, "ci95": [v.lo, v.hi], "spectra": len(spectra),
                     **({"only": "|λ| > P·eps·max|λ|"} if nonzero else {"cutoff": cutoff}), **(extra or {})}, note=note)


def decide_wigner(claims, cid: str, spectra, *, nonzero: bool = False, cutoff: float | None = analysis.UNFOLD_CUTOFF,
                  note: str = "", extra: dict | None = None) -> dict:
    """Decide a Wigner-spacings claim on batch ``spectra`` (at least 3); ladder over the number of
    batch spectra. Returns the value read."""
    def read(k: int):
        return analysis.wigner_value(spectra[:k], cutoff=cutoff, nonzero=nonzero)

    v = read(len(spectra))
    decide(claims, cid, v, ladder=lambda: subset_ladder(claims, cid, len(spectra), read, min_n=3),
           measured={**v, **(extra or {})}, note=note)
    return v


def _goe_ks(P: int) -> float:
    """KS to the moment-matched semicircle of one GOE sample of size ``P`` (seed 0)."""
    return float(analysis.density_shape(analysis.goe_spectrum(int(P), seed=0))["ks_semicircle"])


def not_semicircle_value(eigs, P: int, goe_ks: float | None = None) -> dict:
    """What the not-semicircular rule reads: the pooled density's KS to the moment-matched
    semicircle and that of one GOE sample of size ``P`` (seed 0; ``goe_ks`` when the page has it)."""
    shape = analysis.density_shape(eigs)
    if goe_ks is None:
        goe_ks = _goe_ks(P)
    return {"network": shape["ks_semicircle"], "goe": float(goe_ks), "skewness": shape["skewness"],
            "frac_near_zero": shape["frac_near_zero"]}


def decide_not_semicircle(claims, cid: str, spectra, P: int, goe_ks: float | None = None) -> dict:
    """Decide a not-semicircular claim on the pooled batch ``spectra``; ladder over batch spectra.
    ``goe_ks``: the KS of the page's own GOE sample of size ``P`` (seed 0), if it has one."""
    if goe_ks is None:
        goe_ks = _goe_ks(P)
    read = lambda k: not_semicircle_value(np.asarray(spectra[:k]), P, goe_ks)  # noqa: E731
    v = read(len(spectra))
    decide(claims, cid, v, ladder=lambda: subset_ladder(claims, cid, len(spectra), read, min_n=1), measured=v)
    return v
