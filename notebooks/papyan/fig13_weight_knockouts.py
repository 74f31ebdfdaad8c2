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
# # Papyan, Figure 13 — the top singular values of the weights W^l come from W^l_class
#
# ## What the paper shows
#
# Figure 13: per layer, a scatter of the top 150 log singular values of $W^l$ (y) against those of
# $W^l ⦀ W^l_\text{class}$ (x), $W^l_\text{class} = -\frac{1}{\eta}\,\text{Ave}_c\, \delta^l_{c,c} h^{l-1\top}_c$
# (Sec. 7.13, from stationarity with weight decay η). Claims: the C largest singular values are
# attributable to $W_\text{class}$, they separate from the bulk at deeper layers.
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
from dlspectra.papers.papyan.layer_pages import (C, DATASET_NAMES, epochs_ladder, load_all, scatter_grid, shift_metrics,
                                                 w_attribution, w_separation)
from dlspectra.papers.papyan.layers import ETA

page = start("papyan/fig13", scale, device, title="Weight knockouts W^l ⦀ W^l_class")
page.declare(CLAIMS)
p = page.preset
k = p["top_w"]
page.setup([
    ["network", "8 hidden layers × 2048, BatchNorm", f"{p['depth']} hidden layers × {p['width']}, BatchNorm"],
    ["data", "MNIST, Fashion-MNIST, CIFAR10", ", ".join(DATASET_NAMES[d] for d in p["datasets"]) + f", {p['n_per_class']} per class"],
    ["η", "5e-4 (weight decay)", f"{ETA:g}"],
    ["singular values", "top 150", f"top {k}"],
])

# %% [markdown]
# ## Computation

# %% tags=["hide-input"]
runs = load_all(p, page.device)
for ds, (net, _) in runs.items():
    print(f"{DATASET_NAMES[ds]}: {net.describe()}")

# %% [markdown]
# ## Figure

# %% tags=["hide-input"]
if runs:
    scatter_grid(plt, runs, "W", "Wko", C, k, "y: log σ_i(W^l), x: log σ_i(W^l || W^l_class); blue: top C")

# %% [markdown]
# ## Numbers
#
# Per layer: median log-shift of the top C and of the rest after the knockout, and how far $W^l$ is
# from stationarity: $\|W - (-\frac1\eta \text{Ave}_i \delta_{i,c,c} h_i^\top)\| / \|W\|$ (0 at an exact
# stationary point of loss + weight decay; BatchNorm's scale invariance and momentum are ignored by
# the paper's argument) and $\|W - W_\text{class}\|/\|W\|$.

# %% tags=["hide-input"]
met = {}
if runs:
    rows = []
    for ds, (_, s) in runs.items():
        for l in range(1, int(s["L"]) + 1):
            m = shift_metrics(s[f"W_{l}"], s[f"Wko_{l}"], C, k)
            met[(ds, l)] = m
            rows.append([DATASET_NAMES[ds], l, f"{m['top']:.2f}", f"{m['rest']:.3f}", f"{float(s[f'Wstat_{l}']):.3g}",
                         f"{float(s[f'Wclassrel_{l}']):.3g}"])
    display(Markdown(markdown_table(["data", "layer", "top-C shift", "rest shift", "stationarity residual", "‖W − W_class‖/‖W‖"], rows)))

# %% [markdown]
# ## Verdict
#
# Rules (quoting Sec. 7.13): at the last hidden layer the bulk's median log-shift is below 0.2 ×
# the top-C shift; the separation $\sigma_C/\sigma_{C+1}$ of $W^l$ grows with depth (one
# non-monotone step allowed). $W_\text{class}$ is derived from stationarity of loss + weight decay;
# the stationarity residual in the table says how far the trained weights are from it. A claim that
# fails climbs the training epochs.

# %% tags=["hide-input"]
claims = page.claims
for ds in p["datasets"]:
    if ds not in runs:
        continue
    s = runs[ds][1]
    L = int(s["L"])
    m = met[(ds, L)]
    decide(claims, f"attribution-{ds}", w_attribution(s, p),
           measured={"ratio": m["rest"] / m["top"], "top": m["top"], "rest": m["rest"],
                     "stationarity": float(s[f"Wstat_{L}"])},
           ladder=lambda ds=ds: epochs_ladder(claims, f"attribution-{ds}", p, w_attribution, ds, page.device))
    decide(claims, f"separation-depth-{ds}", w_separation(s, p),
           ladder=lambda ds=ds: epochs_ladder(claims, f"separation-depth-{ds}", p, w_separation, ds, page.device))
claims.not_run_rest("data missing")
page.finish()
