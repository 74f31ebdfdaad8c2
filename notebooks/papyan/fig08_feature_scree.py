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
from dlspectra.papers.papyan.layer_pages import C, DATASET_NAMES, load_all, scree_grid, trend

page = start("papyan/fig08", scale, device, title="Scree plots of H^l and H^l_class")
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
# Rules (catalog `papyan-fig08`): $\lambda_2/\lambda_C(H_\text{class})$ lower at the last than at the
# first hidden layer; $\lambda_C(H_\text{class})/\lambda_{C+1}(H)$ increasing with depth (one
# non-monotone step allowed).

# %% tags=["hide-input"]
claims = page.claims
for ds in p["datasets"]:
    name = DATASET_NAMES[ds]
    if ds not in runs:
        claims.not_run(f"whitening-{ds}", f"{name}: class means whiten with depth", reason="data missing")
        claims.not_run(f"separation-{ds}", f"{name}: class eigenvalues leave the bulk with depth", reason="data missing")
        continue
    L = int(runs[ds][1]["L"])
    ws = [met[(ds, l)][0] for l in range(1, L + 1)]
    seps = [met[(ds, l)][1] for l in range(1, L + 1)]
    claims.check(f"whitening-{ds}", f"{name}: class means whiten with depth (λ2/λC of H_class falls)",
                 rule="λ2/λC at the last hidden layer < at the first", holds=ws[-1] < ws[0],
                 measured={f"layer {l}": v for l, v in enumerate(ws, 1)})
    claims.check(f"separation-{ds}", f"{name}: class eigenvalues leave the bulk with depth",
                 rule="λC(H_class)/λC+1(H) increasing, ≤ 1 decrease", holds=trend(seps),
                 measured={f"layer {l}": v for l, v in enumerate(seps, 1)})
page.finish()
