"""What the MLP layer pages (figs 7-10, 13) share: the networks of the preset's datasets, their
layer spectra, the knockout-scatter grid and the knockout metrics with their stated rules."""

from __future__ import annotations

import numpy as np

from dlspectra.data import available

from .figures import knockout_scatter, scree_panel
from .layers import layer_spectra
from .pipeline import log_shift, network

C = 10

DATASET_NAMES = {"mnist": "MNIST", "fashion-mnist": "Fashion-MNIST", "cifar10": "CIFAR10"}


def load_all(p: dict, device) -> dict:
    """``{dataset: (network, layer spectra)}`` for the preset's datasets that are available."""
    out = {}
    for ds in p["datasets"]:
        if available(ds):
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
