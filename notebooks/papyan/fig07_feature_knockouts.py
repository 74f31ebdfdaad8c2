# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Papyan, Figure 7 — the C outliers of the feature second moments H^l come from the class means
#
# ## What the paper shows
#
# Figure 7 (8-layer MLP, 2048 wide, BatchNorm, on MNIST, Fashion-MNIST and CIFAR10): per layer, a
# scatter of the top 750 log-eigenvalues of $H^l$ (y) against those of $H^l ⦀ H^l_\text{class}$ (x),
# both min-max normalised; the top C (blue) lie far above the identity line, the rest (orange) on it;
# the outliers separate from the bulk with depth; the largest is the global mean $h_G$ (Sec. 7.4-7.6).
#
# ## Setup

# %% tags=["parameters"]
scale = "ci"
device = "auto"

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display

from dlspectra.book.page import Markdown, start
from dlspectra.book.results import markdown_table
from dlspectra.papers.papyan.claims import CLAIMS
from dlspectra.papers.papyan.ladders import decide
from dlspectra.papers.papyan.layer_pages import (C, DATASET_NAMES, epochs_ladder, h_attribution, h_global, h_separation,
                                                 load_all, scatter_grid, shift_metrics)
from dlspectra.papers.papyan.references import ref

page = start("papyan/fig07", scale, device, title="Feature knockouts H^l ⦀ H^l_class")
page.declare(CLAIMS)
p = page.preset
k = p["top"]
page.setup([
    ["network", f"8 hidden layers × {ref('mlp_width').value}, BatchNorm before ReLU",
     f"{p['depth']} hidden layers × {p['width']}, BatchNorm before ReLU"],
    ["data", "MNIST, Fashion-MNIST, CIFAR10 (sample size not stated)",
     ", ".join(DATASET_NAMES[d] for d in p["datasets"]) + f", {p['n_per_class']} per class"],
    ["training", "SGD 0.9, wd 5e-4, B 128, 350 epochs, best of 25 lr", f"SGD 0.9, wd 5e-4, B 128, {p['epochs']} epochs, lr {p['lr']}"],
    ["eigenvalues", f"top {ref('fig07_top').value}", f"top {k} (exact eigh of {p['width']}×{p['width']})"],
])

# %% [markdown]
# ## Computation

# %% tags=["hide-input"]
runs = load_all(p, page.device)
for ds, (net, _) in runs.items():
    print(f"{DATASET_NAMES[ds]}: {net.describe()}")
if not runs:
    print("no data set of this page is available: the claims are recorded as not run.")

# %% [markdown]
# ## Figure

# %% tags=["hide-input"]
if runs:
    scatter_grid(plt, runs, "H", "Hko", C, k, "y: log λ_i(H^l), x: log λ_i(H^l || H^l_class) (projection knockout), min-max normalised; blue: top C")

# %% [markdown]
# ## Numbers
#
# Per layer: median $|\Delta \log\lambda|$ of the top C and of ranks C+1..k after the knockout;
# $\lambda_C/\lambda_{C+1}$ of $H^l$ (outlier separation); the shift of $\lambda_1$ and $\lambda_2$ after
# $H ⦀ h_G h_G^\top$ (global mean).

# %% tags=["hide-input"]
metrics = {}
if runs:
    rows = []
    for ds, (_, s) in runs.items():
        L = int(s["L"])
        for l in range(1, L + 1):
            m = shift_metrics(s[f"H_{l}"], s[f"Hko_{l}"], C, k)
            sep = float(s[f"H_{l}"][C - 1] / s[f"H_{l}"][C])
            g = np.abs(np.log(s[f"H_{l}"][:2]) - np.log(np.maximum(s[f"HkoG_{l}"][:2], 1e-300)))
            metrics[(ds, l)] = dict(m, sep=sep, g1=float(g[0]), g2=float(g[1]))
            rows.append([DATASET_NAMES[ds], l, f"{m['top']:.2f}", f"{m['rest']:.3f}", f"{sep:.2f}", f"{g[0]:.2f} / {g[1]:.2f}"])
    display(Markdown(markdown_table(["data", "layer", "top-C shift", "rest shift", "λ_C/λ_C+1", "h_G knockout: shift λ1 / λ2"], rows)))

# %% [markdown]
# ## Verdict
#
# Rules (our `ci` version, quoting Sec. 7.5): at the last hidden layer the bulk's
# median shift is below 0.2 × the top-C median shift; the separation $\lambda_C/\lambda_{C+1}$ grows
# from the first to the last hidden layer (one non-monotone step allowed); the $h_G$ knockout moves
# $\lambda_1$ by more than $\lambda_2$ (log-shift) at the last hidden layer. A claim that fails
# climbs the training epochs.

# %% tags=["hide-input"]
claims = page.claims
for ds in p["datasets"]:
    if ds not in runs:
        continue
    s = runs[ds][1]
    for cid, stat in (("attribution", h_attribution), ("separation-depth", h_separation), ("global-mean", h_global)):
        decide(claims, f"{cid}-{ds}", stat(s, p),
               ladder=lambda cid=cid, stat=stat, ds=ds: epochs_ladder(claims, f"{cid}-{ds}", p, stat, ds, page.device))
claims.not_run_rest("data missing")
page.finish()
