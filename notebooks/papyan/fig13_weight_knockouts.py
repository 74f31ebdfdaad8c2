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
from dlspectra.papers.papyan.layer_pages import C, DATASET_NAMES, load_all, scatter_grid, shift_metrics
from dlspectra.papers.papyan.layers import ETA

page = start("papyan/fig13", scale, device, title="Weight knockouts W^l ⦀ W^l_class")
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
# Rule: at the last hidden layer the bulk's median log-shift is below 0.2 × the top-C shift.

# %% tags=["hide-input"]
claims = page.claims
for ds in p["datasets"]:
    name = DATASET_NAMES[ds]
    if ds not in runs:
        claims.not_run(f"attribution-{ds}", f"{name}: top-C singular values of W^l attributable to W_class", reason="data missing")
        continue
    L = int(runs[ds][1]["L"])
    m = met[(ds, L)]
    claims.check(f"attribution-{ds}", f"{name}: top-C singular values of W^l attributable to W_class (last hidden layer)",
                 rule="rest shift < 0.2 × top-C shift", holds=m["rest"] < 0.2 * m["top"],
                 measured={"top": m["top"], "rest": m["rest"], "stationarity": float(runs[ds][1][f"Wstat_{L}"])})
page.finish()
