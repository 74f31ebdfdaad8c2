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
# # Papyan, Figure 8 — scree plots of H^l and H^l_class: the class means separate and whiten with depth
#
# ## What the paper shows
#
# Figure 8 (same MLPs as Fig. 7): the top eigenvalues of $H^l$ (blue) and the C eigenvalues of
# $H^l_\text{class}$ (orange), normalised by the median of the class eigenvalues. Claims (Sec. 7.6):
# at shallow layers the class eigenvalues do not stand out; deeper, the top C of $H^l$ match them and
# leave the bulk; $\lambda_2/\lambda_C$ of $H^l_\text{class}$ falls towards 1 with depth (the
# globally-centred class means become orthogonal and of equal norm).
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
from dlspectra.papers.papyan.layer_pages import (C, DATASET_NAMES, epochs_ladder, hclass_separation, hclass_whitening,
                                                 hclass_whitening_by_layer, load_all, scree_grid)

page = start("papyan/fig08", scale, device, title="Scree plots of H^l and H^l_class")
page.declare(CLAIMS)
p = page.preset
k = p["top"]
page.setup([
    ["network", "8 hidden layers × 2048, BatchNorm", f"{p['depth']} hidden layers × {p['width']}, BatchNorm"],
    ["data", "MNIST, Fashion-MNIST, CIFAR10", ", ".join(DATASET_NAMES[d] for d in p["datasets"]) + f", {p['n_per_class']} per class"],
    ["normalisation", "median of log λ(H_class)", "divided by the geometric median of the C class eigenvalues"],
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
    scree_grid(plt, runs, "H", {"H_class": ("Hclass", "C1")}, 2 * C + 10, "Hclass",
               "blue: top eigenvalues of H^l; orange circles: the C eigenvalues of H^l_class")

# %% [markdown]
# ## Numbers
#
# Per layer: $\lambda_2/\lambda_C$ of $H^l_\text{class}$ (whitening; $\lambda_1$ is the global mean),
# $\lambda_C(H^l_\text{class})/\lambda_{C+1}(H^l)$ (class eigenvalues above the bulk), and the largest
# relative gap between the top C of $H^l$ and the class eigenvalues.

# %% tags=["hide-input"]
met = {}
if runs:
    rows = []
    for ds, (_, s) in runs.items():
        for l in range(1, int(s["L"]) + 1):
            hc, H = s[f"Hclass_{l}"], s[f"H_{l}"]
            w = float(hc[1] / hc[C - 1])
            sep = float(hc[C - 1] / H[C])
            match = float(np.max(np.abs(np.log(H[:C] / hc[:C]))))
            met[(ds, l)] = (w, sep, match)
            rows.append([DATASET_NAMES[ds], l, f"{w:.2f}", f"{sep:.2f}", f"{match:.2f}"])
    display(Markdown(markdown_table(["data", "layer", "λ2/λC (H_class)", "λC(H_class)/λC+1(H)", "max |log λi(H)/λi(H_class)|, i ≤ C"], rows)))

# %% [markdown]
# ## Verdict
#
# Rules (ours, quoting Sec. 7.6): $\lambda_2/\lambda_C(H_\text{class})$ lower at the
# last than at the first hidden layer; $\lambda_C(H_\text{class})/\lambda_{C+1}(H)$ increasing with
# depth (one non-monotone step allowed). A claim that fails climbs the training epochs.

# %% tags=["hide-input"]
claims = page.claims
for ds in p["datasets"]:
    if ds not in runs:
        continue
    s = runs[ds][1]
    decide(claims, f"whitening-{ds}", hclass_whitening(s, p),
           measured={f"layer {l}": v for l, v in enumerate(hclass_whitening_by_layer(s), 1)},
           ladder=lambda ds=ds: epochs_ladder(claims, f"whitening-{ds}", p, hclass_whitening, ds, page.device))
    decide(claims, f"separation-{ds}", hclass_separation(s, p),
           ladder=lambda ds=ds: epochs_ladder(claims, f"separation-{ds}", p, hclass_separation, ds, page.device))
claims.not_run_rest("data missing")
page.finish()
