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
# # Papyan, Figure 10 — scree plots of Δ^l, Δ^l_class and Δ^l_class + Δ^l_cross
#
# ## What the paper shows
#
# Figure 10: the top eigenvalues of $\Delta^l$ (blue), of $\Delta^l_\text{class}$ (orange, C values)
# and of $\Delta^l_\text{class}+\Delta^l_\text{cross}$ (gray, ≈ C²), normalised by the median of the
# class eigenvalues. Claims (Sec. 7.9-7.10): the C and then the C² outliers emerge towards the
# output; $\lambda_2/\lambda_C$ of $\Delta_\text{class}$ is ≈ 1 at the top layer and grows as the errors
# are back-propagated (orthogonality deteriorates).
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
from dlspectra.papers.papyan.layer_pages import (C, DATASET_NAMES, d_emerge, d_orthogonal, dclass_whitening_by_layer,
                                                 epochs_ladder, load_all, scree_grid)

page = start("papyan/fig10", scale, device, title="Scree plots of Δ^l, Δ_class, Δ_class + Δ_cross")
page.declare(CLAIMS)
p = page.preset
page.setup([
    ["network", "8 hidden layers × 2048, BatchNorm", f"{p['depth']} hidden layers × {p['width']}, BatchNorm"],
    ["data", "MNIST, Fashion-MNIST, CIFAR10", ", ".join(DATASET_NAMES[d] for d in p["datasets"]) + f", {p['n_per_class']} per class"],
    ["normalisation", "median of log λ(Δ_class)", "geometric median of the C class eigenvalues"],
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
    scree_grid(plt, runs, "D", {"Δ_class + Δ_cross": ("Dcc", "C7"), "Δ_class": ("Dclass", "C1")}, C * C + 20, "Dclass",
               "blue: Δ^l; gray: Δ_class + Δ_cross; orange: Δ_class")

# %% [markdown]
# ## Numbers
#
# Per layer: $\lambda_2/\lambda_C(\Delta_\text{class})$; $\lambda_C(\Delta_\text{class})/\lambda_{C+1}(\Delta)$ (C outliers);
# $\lambda_{C(C-1)}(\Delta_\text{class}+\Delta_\text{cross})/\lambda_{C(C-1)+1}(\Delta)$ (C² group above the bulk).

# %% tags=["hide-input"]
met = {}
if runs:
    rows = []
    for ds, (_, s) in runs.items():
        for l in range(1, int(s["L"]) + 1):
            dc, D, dcc = s[f"Dclass_{l}"], s[f"D_{l}"], s[f"Dcc_{l}"]
            m = C * (C - 1)
            w = float(dc[1] / dc[C - 1])
            s1 = float(dc[C - 1] / D[C])
            s2 = float(dcc[m - 1] / D[m]) if len(dcc) >= m and len(D) > m else float("nan")
            met[(ds, l)] = (w, s1, s2)
            rows.append([DATASET_NAMES[ds], l, f"{w:.2f}", f"{s1:.2f}", f"{s2:.3g}"])
    display(Markdown(markdown_table(["data", "layer", "λ2/λC (Δ_class)", "λC(Δ_class)/λC+1(Δ)", "λ90(Δ_class+Δ_cross)/λ91(Δ)"], rows)))

# %% [markdown]
# ## Verdict
#
# Rules (quoting Sec. 7.9): the C-outlier separation $\lambda_C(\Delta_\text{class})/\lambda_{C+1}(\Delta)$
# increases with depth (one non-monotone step allowed); $\lambda_2/\lambda_C(\Delta_\text{class})$ is
# smaller at the last hidden layer than at the first. A claim that fails climbs the training epochs.

# %% tags=["hide-input"]
claims = page.claims
for ds in p["datasets"]:
    if ds not in runs:
        continue
    s = runs[ds][1]
    decide(claims, f"emerge-{ds}", d_emerge(s, p),
           ladder=lambda ds=ds: epochs_ladder(claims, f"emerge-{ds}", p, d_emerge, ds, page.device))
    decide(claims, f"orthogonal-{ds}", d_orthogonal(s, p),
           measured={f"layer {l}": v for l, v in enumerate(dclass_whitening_by_layer(s), 1)},
           ladder=lambda ds=ds: epochs_ladder(claims, f"orthogonal-{ds}", p, d_orthogonal, ds, page.device))
claims.not_run_rest("data missing")
page.finish()
