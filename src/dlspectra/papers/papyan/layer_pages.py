"""What the MLP layer pages (figs 7-10, 13) share: the networks of the preset's datasets, their
layer spectra, the knockout-scatter grid and the knockout metrics with their stated rules."""

from __future__ import annotations

import numpy as np

from .figures import knockout_scatter, scree_panel
from .layers import layer_spectra
from .pipeline import log_shift, missing_data, network

C = 10

DATASET_NAMES = {"mnist": "MNIST", "fashion-mnist": "Fashion-MNIST", "cifar10": "CIFAR10"}


def load_all(p: dict, device) -> dict:
    """``{dataset: (network, layer spectra)}`` for the preset's datasets on this machine at its size
    (:func:`dlspectra.papers.papyan.pipeline.missing_data`)."""
    out = {}
    for ds in p["datasets"]:
        if not missing_data(p, ds):
            net = network(p, ds, device)
            out[ds] = (net, layer_spectra(p, net))
    return out


def shift_metrics(before: np.ndarray, after: np.ndarray, group: int, k: int) -> dict:
    """Median log-shift of the top ``group`` and of ranks ``group+1..k`` after a knockout, and their ratio."""
    s = log_shift(before, after, k)
    top, rest = float(np.median(s[:group])), float(np.median(s[group:k]))
    return {"top": top, "rest": rest, "ratio": rest / top if top > 0 else float("inf")}


def scatter_grid(plt, runs: dict, key_before: str, key_after: str, group: int, k: int, title: str):
    """Rows = datasets, columns = layers; knockout scatter per panel. Returns the figure."""
    L = int(next(iter(runs.values()))[1]["L"])
    fig, axes = plt.subplots(len(runs), L, figsize=(2.1 * L, 2.2 * len(runs)), squeeze=False)
    for r, (ds, (_, s)) in enumerate(runs.items()):
        for l in range(1, L + 1):
            ax = axes[r, l - 1]
            knockout_scatter(ax, s[f"{key_before}_{l}"], s[f"{key_after}_{l}"], group, k,
                             title=f"{DATASET_NAMES.get(ds, ds)}, layer {l}")
    fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    return fig


def scree_grid(plt, runs: dict, key: str, overlays: dict, k: int, norm_key: str, title: str):
    """Scree plots: rows = datasets, columns = layers; overlays ``{label: (key, color)}``; each panel
    divided by the geometric median of the eigenvalues under ``norm_key`` (the class matrix)."""
    L = int(next(iter(runs.values()))[1]["L"])
    fig, axes = plt.subplots(len(runs), L, figsize=(2.1 * L, 2.2 * len(runs)), squeeze=False)
    for r, (ds, (_, s)) in enumerate(runs.items()):
        for l in range(1, L + 1):
            norm = float(np.exp(np.median(np.log(np.maximum(s[f"{norm_key}_{l}"], 1e-300)))))
            scree_panel(axes[r, l - 1], s[f"{key}_{l}"], {lab: (s[f"{kk}_{l}"], col) for lab, (kk, col) in overlays.items()},
                        k=k, normalise_by=norm, title=f"{DATASET_NAMES.get(ds, ds)}, layer {l}")
    axes[0, 0].legend(fontsize=6)
    fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    return fig


def trend(values: list[float]) -> bool:
    """Increasing from the first to the last layer, allowing one non-monotone step."""
    d = np.diff(values)
    return bool(values[-1] > values[0] and int(np.sum(d < 0)) <= 1)


# ----------------------------------------------------------------------------- the claims' statistics
# Each reads one network's layer spectra ``s`` (:func:`layer_spectra`) with its preset ``p``; the
# pages decide from them and the ladders read them at other settings. ``L`` = last hidden layer.


def _L(s: dict) -> int:
    return int(s["L"])


def h_attribution(s: dict, p: dict) -> float:
    """fig07: median log-shift of ranks C+1..top / of the top C after H^L ⦀ H^L_class."""
    m = shift_metrics(s[f"H_{_L(s)}"], s[f"Hko_{_L(s)}"], C, p["top"])
    return m["rest"] / m["top"]


def h_separation(s: dict, p: dict) -> list[float]:
    """fig07: λ_C/λ_C+1 of H^l, l = 1..L."""
    return [float(s[f"H_{l}"][C - 1] / s[f"H_{l}"][C]) for l in range(1, _L(s) + 1)]


def h_global_shifts(s: dict) -> tuple[float, float]:
    L = _L(s)
    g = np.abs(np.log(s[f"H_{L}"][:2]) - np.log(np.maximum(s[f"HkoG_{L}"][:2], 1e-300)))
    return float(g[0]), float(g[1])


def h_global(s: dict, p: dict) -> float:
    """fig07: log-shift of λ1 / of λ2 after H^L ⦀ h_G h_Gᵀ."""
    g1, g2 = h_global_shifts(s)
    return g1 / g2 if g2 > 0 else float("inf")


def hclass_whitening_by_layer(s: dict) -> list[float]:
    return [float(s[f"Hclass_{l}"][1] / s[f"Hclass_{l}"][C - 1]) for l in range(1, _L(s) + 1)]


def hclass_whitening(s: dict, p: dict) -> float:
    """fig08: λ2/λC of H_class at the last / at the first hidden layer."""
    w = hclass_whitening_by_layer(s)
    return w[-1] / w[0]


def hclass_separation(s: dict, p: dict) -> list[float]:
    """fig08: λC(H^l_class)/λC+1(H^l), l = 1..L."""
    return [float(s[f"Hclass_{l}"][C - 1] / s[f"H_{l}"][C]) for l in range(1, _L(s) + 1)]


def d_attribution(s: dict, p: dict) -> float:
    """fig09a: median log-shift of ranks C+1..top / of the top C after Δ^L ⦀ Δ^L_class."""
    m = shift_metrics(s[f"D_{_L(s)}"], s[f"Dko_{_L(s)}"], C, p["top"])
    return m["rest"] / m["top"]


def d_group_by_layer(s: dict) -> list[int]:
    """fig09b: per layer, how many of the top C² eigenvalues of Δ ⦀ Δ_class lie above the largest
    eigenvalue left after the cross knockout, λ1(Δ ⦀ (Δ_class + Δ_cross))."""
    return [int(np.sum(s[f"Dko_{l}"][:C * C] > s[f"Dko2_{l}"][0])) for l in range(1, _L(s) + 1)]


def d_group(s: dict, p: dict) -> int:
    """fig09b at the last hidden layer (see :func:`d_group_by_layer`)."""
    return d_group_by_layer(s)[-1]


def d_emerge(s: dict, p: dict) -> list[float]:
    """fig10: λC(Δ^l_class)/λC+1(Δ^l), l = 1..L."""
    return [float(s[f"Dclass_{l}"][C - 1] / s[f"D_{l}"][C]) for l in range(1, _L(s) + 1)]


def dclass_whitening_by_layer(s: dict) -> list[float]:
    return [float(s[f"Dclass_{l}"][1] / s[f"Dclass_{l}"][C - 1]) for l in range(1, _L(s) + 1)]


def d_orthogonal(s: dict, p: dict) -> float:
    """fig10: λ2/λC of Δ_class at the last / at the first hidden layer."""
    w = dclass_whitening_by_layer(s)
    return w[-1] / w[0]


def w_attribution(s: dict, p: dict) -> float:
    """fig13: median log-shift of ranks C+1..top_w / of the top C after W^L ⦀ W^L_class."""
    m = shift_metrics(s[f"W_{_L(s)}"], s[f"Wko_{_L(s)}"], C, p["top_w"])
    return m["rest"] / m["top"]


def w_separation(s: dict, p: dict) -> list[float]:
    """fig13: σ_C/σ_C+1 of W^l, l = 1..L."""
    return [float(s[f"W_{l}"][C - 1] / s[f"W_{l}"][C]) for l in range(1, _L(s) + 1)]


def spectra_reading(statistic, dataset: str, device):
    """``q -> statistic(layer_spectra(q, network(q, dataset)), q)``: a ladder's reading at preset ``q``."""
    def reading(q: dict):
        return statistic(layer_spectra(q, network(q, dataset, device)), q)
    return reading


def epochs_ladder(claims, claim_id: str, p: dict, statistic, dataset: str, device, cache: dict | None = None):
    """The ladder of a layer-network claim over the training epochs (``p["ladder_epochs"]``, the
    page's own epochs the top computed rung; the paper's 350 above, not run)."""
    from .ladders import ladder_over

    if not p.get("ladder_epochs"):
        raise ValueError(f"{claims.notebook_id}: the preset has no ladder_epochs at this scale")
    return ladder_over(claims, claim_id, p, "epochs", p["ladder_epochs"], spectra_reading(statistic, dataset, device),
                       paper_setting=p["paper_epochs"], cache=cache,
                       paper_note=f"not run: scale (the paper's {p['paper_epochs']} epochs on the 8 × 2048 MLP; here "
                                  f"{p['paper_epochs']} epochs of this MLP train in ~30 s (MNIST) to ~50 s (CIFAR10) "
                                  "per data set on one core, beyond the pages' CI budget with the rest)")


# ----------------------------------------------------------------------------- KFAC / CFAC (figs 11, 12)


def kfac_errors(s: dict, l: int) -> tuple[float, float]:
    """Mean |Δ log λ| over the top C² of G^l for KFAC and for CFAC (kfac_spectra ``s``)."""
    from .layers import log_error

    G = s[f"G_{l}"]
    return log_error(G, s[f"KFAC_{l}"], C * C), log_error(G, s[f"CFAC_{l}"], C * C)


def cfac_better(s: dict, p: dict) -> float:
    """fig11: CFAC error / KFAC error at the last hidden layer's weight (layer ``depth``)."""
    ek, ec = kfac_errors(s, int(p["depth"]))
    return ec / ek


def cfac_outliers(s: dict, p: dict) -> float:
    """fig11: max_i≤C |log λ_i(CFAC) / λ_i(G^l)| at layer ``depth``."""
    l = int(p["depth"])
    return float(np.max(np.abs(np.log(s[f"CFAC_{l}"][:C] / s[f"G_{l}"][:C]))))


def cfac_deep(s: dict, p: dict) -> float:
    """fig12: max over the last two layers (last hidden, classifier) of CFAC error / KFAC error."""
    L = int(s["L"])
    return max(kfac_errors(s, l)[1] / kfac_errors(s, l)[0] for l in (L - 1, L))


def kfac_converged(s: dict, layers) -> bool:
    """Whether CFAC's Lanczos converged at every layer in ``layers``."""
    return all(bool(s[f"CFACconv_{l}"]) for l in layers)


def kfac_epochs_ladder(claims, claim_id: str, p: dict, statistic, dataset: str, device):
    """As :func:`epochs_ladder`, reading the KFAC/CFAC spectra."""
    from .ladders import ladder_over
    from .layers import kfac_spectra

    def reading(q: dict):
        return statistic(kfac_spectra(q, network(q, dataset, device)), q)

    return ladder_over(claims, claim_id, p, "epochs", p["ladder_epochs"], reading, paper_setting=p["paper_epochs"],
                       paper_note=f"not run: scale (the paper's {p['paper_epochs']} epochs on the 8 × 2048 MLP)")
