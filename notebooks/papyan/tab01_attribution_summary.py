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
# # Papyan, Table 1 — which matrix each spectral feature is attributed to
#
# ## What the paper shows
#
# Table 1 summarises the knockouts: for the Hessian, the gradients (G), the features (H), the
# back-propagated errors (Δ) and the weights (W), which piece carries the C outliers, the C²
# outliers (mini-bulk) and the bulk. We recompute every cell from this build's spectra (the
# caches shared with figs 4, 5, 7, 9, 13; MNIST) with the rules of those pages.
#
# ## Setup

# %% tags=["parameters"]
scale = "ci"
device = "auto"

# %% tags=["hide-input"]
import numpy as np
from IPython.display import display

from dlspectra.book.page import Markdown, start
from dlspectra.book.results import markdown_table
from dlspectra.data import available
from dlspectra.papers.papyan.layer_pages import shift_metrics
from dlspectra.papers.papyan.layers import layer_spectra
from dlspectra.papers.papyan.pipeline import network
from dlspectra.papers.papyan.spectra import bulk_width, g_knockout_spectra, hessian_spectra

page = start("papyan/tab01", scale, device, title="Summary of attributions")
p = page.preset
pg, pl = p["g"], p["layers"]
C = 10
page.setup([
    ["Hessian, gradients", "VGG11 (Figs. 3-6)", f"{pg['model']} {pg.get('depth', '')}×{pg.get('width', '')}, MNIST {pg['n_per_class']} per class"],
    ["features, errors, weights", "8 × 2048 MLP (Figs. 7-13)", f"MLP {pl['depth']} × {pl['width']}, MNIST {pl['n_per_class']} per class, last hidden layer"],
])

# %% [markdown]
# ## Computation

# %% tags=["hide-input"]
have = available("mnist")
cells = {}
if have:
    gnet = network(pg, "mnist", page.device)
    hs = hessian_spectra(pg, gnet, "train")
    H, G, E = hs["hess"], hs["G"], hs["E"]
    cells[("Hessian", "C outliers", "G")] = (float(np.max(np.abs(G["top"] / H["top"] - 1))) < 0.2, "max |λ_i(G)/λ_i(Hess) − 1| < 0.2")
    wH, wE = bulk_width(H["x_defl"], H["dens_defl"]), bulk_width(E["x"], E["dens"])
    cells[("Hessian", "bulk", "E")] = (0.5 <= wE / wH <= 2, f"bulk width E/Hess in [0.5, 2] ({wE / wH:.2f})")
    ks = g_knockout_spectra(pg, gnet)
    thr = np.sqrt(ks["top_G"][C - 1] * ks["top_G"][C])
    n_above = int(np.sum(ks["top_class"] > thr))
    cells[("Gradients", "C outliers", "G_class")] = (n_above <= 1, f"≤ 1 eigenvalue of G ⊖ G_class above the G gap ({n_above})")
    sh = np.abs(np.log(ks["top_G"]) - np.log(np.maximum(ks["top_cross"], 1e-300)))
    a, b = float(np.median(sh[C:])), float(np.median(sh[:C]))
    cells[("Gradients", "C² outliers", "G_cross")] = (a > b, f"G ⊖ G_cross moves ranks C+1..40 more than the top C ({a:.2f} vs {b:.2f})")
    rk = int(np.sum(ks["exact_between"] > 1e-10 * ks["exact_between"][0]))
    cells[("Gradients", "bulk", "G_within")] = (rk <= C * C, f"rank of G ⊖ G_within ≤ C² ({rk})")
    ls = layer_spectra(pl, network(pl, "mnist", page.device))
    L = int(ls["L"])
    m = shift_metrics(ls[f"H_{L}"], ls[f"Hko_{L}"], C, pl["top"])
    cells[("Features", "C outliers", "H_class")] = (m["rest"] < 0.2 * m["top"], f"bulk shift < 0.2 × top-C shift ({m['rest']:.2f} vs {m['top']:.2f})")
    m = shift_metrics(ls[f"D_{L}"], ls[f"Dko_{L}"], C, pl["top"])
    cells[("Errors", "C outliers", "Δ_class")] = (m["rest"] < 0.2 * m["top"], f"bulk shift < 0.2 × top-C shift ({m['rest']:.2f} vs {m['top']:.2f})")
    r = float(ls[f"Dko_{L}"][C * (C - 2) - 1] / ls[f"Dko2_{L}"][0])
    cells[("Errors", "C² outliers", "Δ_cross")] = (r > 1, f"λ80(Δ ⦀ Δ_class)/λ1(Δ ⦀ (Δ_class+Δ_cross)) > 1 ({r:.2f})")
    m = shift_metrics(ls[f"W_{L}"], ls[f"Wko_{L}"], C, pl["top_w"])
    cells[("Weights", "C outliers", "W_class")] = (m["rest"] < 0.2 * m["top"], f"bulk shift < 0.2 × top-C shift ({m['rest']:.2f} vs {m['top']:.2f})")
else:
    print("MNIST is not available: the claims are recorded as not run.")

# %% [markdown]
# ## Table
#
# The paper's attribution in each cell, our verdict (✓ reproduced by the stated rule, ✗ not) and the measurement.

# %% tags=["hide-input"]
if cells:
    rows = [[q, feat, piece, "✓" if ok else "✗", why] for (q, feat, piece), (ok, why) in cells.items()]
    display(Markdown(markdown_table(["quantity", "feature", "paper: attributable to", "this build", "rule (value)"], rows)))

# %% tags=["hide-input"]
claims = page.claims
keys = [("Hessian", "C outliers", "G"), ("Hessian", "bulk", "E"), ("Gradients", "C outliers", "G_class"),
        ("Gradients", "C² outliers", "G_cross"), ("Gradients", "bulk", "G_within"), ("Features", "C outliers", "H_class"),
        ("Errors", "C outliers", "Δ_class"), ("Errors", "C² outliers", "Δ_cross"), ("Weights", "C outliers", "W_class")]
for q, feat, piece in keys:
    cid = f"{q}-{feat}".lower().replace(" ", "-").replace("²", "2")
    text = f"{q}: the {feat} are attributable to {piece}"
    if (q, feat, piece) in cells:
        ok, why = cells[(q, feat, piece)]
        claims.check(cid, text, rule=why, holds=bool(ok), paper={"attribution": piece})
    else:
        claims.not_run(cid, text, reason="data missing")
page.finish()
