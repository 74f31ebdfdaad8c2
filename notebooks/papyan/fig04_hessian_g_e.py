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
# # Papyan, Figure 4 — Hess = G + E: the outliers come from G, the bulk from E
#
# ## What the paper shows
#
# Figure 4 (VGG11, MNIST 5000 per class): the spectra of the Hessian, of $G$ (= Hess ⊖ E) and of
# $E$ (= Hess ⊖ G), train and test, with rank-C deflation for Hess and G. Claims (Sec. 5): the C
# outliers of the Hessian are those of $G$; $E$ has no outliers; knocking out $E$ shrinks the bulk
# significantly, so the bulk comes largely from $E$.
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
from dlspectra.data import available
from dlspectra.papers.papyan.figures import density_panel
from dlspectra.papers.papyan.pipeline import network
from dlspectra.papers.papyan.spectra import bulk_width, hessian_spectra

page = start("papyan/fig04", scale, device, title="Hessian, G and E")
p = page.preset
C = 10
ds = p.get("dataset", "mnist")
page.setup([
    ["network / data", "VGG11, MNIST 5000 per class", f"{p['model']}, {ds}, {p['n_per_class']} per class"],
    ["splits", "train and test", ", ".join(p["splits"])],
    ["operators", "Hess (Pearlmutter), G (Gauss-Newton), E = Hess − G", "the same (double backward; jvp/vjp)"],
    ["density", "M ∈ {128, 256}, deflation for Hess and G", f"M = {p['num_steps']}; top C by Lanczos (E: largest |λ|), deflated"],
])

# %% [markdown]
# ## Computation

# %% tags=["hide-input"]
have = available(ds)
if have:
    net = network(p, ds, page.device)
    spec = {split: hessian_spectra(p, net, split) for split in p["splits"]}
    for split, sp in spec.items():
        print(f"{split}: " + "; ".join(f"{k} top-C converged {bool(v['converged'])}" for k, v in sp.items()))
else:
    print(f"{ds} is not available: the claims are recorded as not run.")

# %% [markdown]
# ## Figure
#
# For each split: Hess, G, E (deflated densities for Hess and G, undeflated for E), then the three
# bulks overlaid.

# %% tags=["hide-input"]
if have:
    for split, sp in spec.items():
        fig, axes = plt.subplots(4, 1, figsize=(6.5, 9))
        for ax, name in zip(axes, ("hess", "G", "E")):
            s = sp[name]
            x, d = (s["x"], s["dens"]) if name == "E" else (s["x_defl"], s["dens_defl"])
            density_panel(ax, x, d, label=name, markers={"top C": (s["top"], "C3")})
            ax.set_title(f"{split}: {name}", fontsize=9)
        for name, col in (("hess", "k"), ("G", "C0"), ("E", "C1")):
            s = sp[name]
            x, d = (s["x"], s["dens"]) if name == "E" else (s["x_defl"], s["dens_defl"])
            density_panel(axes[3], x, d, label=name, color=col)
        axes[3].set_title(f"{split}: bulks", fontsize=9); axes[3].legend(fontsize=7); axes[3].set_xlabel("λ")
        fig.tight_layout()

# %% [markdown]
# ## Numbers and verdict
#
# Rules (catalog `papyan-fig04` CI version): the top C of G within 20 % of those of Hess; E has no
# eigenvalue in the outlier range ($\max|\lambda(E)| < \lambda_C(\text{Hess})$); the bulk width
# (1st-99th percentile of the deflated density) of G below half that of Hess, E's between 0.5 and 2
# times Hess's.

# %% tags=["hide-input"]
claims = page.claims
texts = {"g-outliers": "the C outliers of the Hessian are those of G", "e-no-outliers": "E has no outliers",
         "bulk-from-e": "the bulk comes largely from E (G's bulk much narrower)"}
if have:
    rows = []
    for split, sp in spec.items():
        H, G, E = sp["hess"], sp["G"], sp["E"]
        rel = float(np.max(np.abs(G["top"] / H["top"] - 1)))
        emax = float(np.max(np.abs(E["top"])))
        wH, wG, wE = (bulk_width(H["x_defl"], H["dens_defl"]), bulk_width(G["x_defl"], G["dens_defl"]), bulk_width(E["x"], E["dens"]))
        rows.append([split, f"{rel:.3f}", f"{emax:.3g} / {H['top'][C - 1]:.3g}", f"{wG / wH:.3f}", f"{wE / wH:.3f}"])
        claims.check(f"g-outliers-{split}", f"{split}: {texts['g-outliers']}", rule="max |λ_i(G)/λ_i(Hess) − 1| over the top C < 0.2",
                     holds=rel < 0.2, measured={"max_rel": rel})
        claims.check(f"e-no-outliers-{split}", f"{split}: {texts['e-no-outliers']}", rule="max |λ(E)| < λ_C(Hess)",
                     holds=emax < float(H["top"][C - 1]), measured={"max_abs_E": emax, "lambda_C_hess": float(H["top"][C - 1])})
        claims.check(f"bulk-from-e-{split}", f"{split}: {texts['bulk-from-e']}", rule="width(G) < 0.5 width(Hess) and 0.5 ≤ width(E)/width(Hess) ≤ 2",
                     holds=(wG < 0.5 * wH) and (0.5 <= wE / wH <= 2), measured={"G/Hess": wG / wH, "E/Hess": wE / wH})
    display(Markdown(markdown_table(["split", "max rel. diff top C (G vs Hess)", "max |λ(E)| / λ_C(Hess)", "bulk width G/Hess", "bulk width E/Hess"], rows)))
else:
    for split in p["splits"]:
        for cid, t in texts.items():
            claims.not_run(f"{cid}-{split}", f"{split}: {t}", reason="data missing")
page.finish()
