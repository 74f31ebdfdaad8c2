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
# # Papyan, Figure 14 — Hessian spectra without low-rank deflation
#
# ## What the paper shows
#
# Figure 14 (appendix): the Lanczos density of the VGG11 Hessians of Figure 3 computed directly,
# without the rank-C deflation: the outliers are still visible, but less precisely located.
# Same operators as `papyan/fig03` (shared cache).
#
# ## Setup

# %% tags=["parameters"]
scale = "ci"
device = "auto"

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
import numpy as np

from dlspectra.book.page import start
from dlspectra.papers.papyan.claims import CLAIMS
from dlspectra.papers.papyan.figures import density_panel
from dlspectra.papers.papyan.gnet import fig14_stats, width_ladder
from dlspectra.papers.papyan.ladders import decide
from dlspectra.papers.papyan.pipeline import missing_data, network

page = start("papyan/fig14", scale, device, title="Hessian without deflation")
page.declare(CLAIMS)
p = page.preset
C = 10
ds = p.get("dataset", "mnist")
page.setup([
    ["network / data", "VGG11, several data sets, 5000 per class", f"{p['model']}, {ds}, {p['n_per_class']} per class (as fig03)"],
    ["density", "LanczosApproxSpec, no deflation", f"M = {p['num_steps']}, K = 1024, κ = {p['kappa']:g}, no deflation"],
])

# %% [markdown]
# ## Computation and figure

# %% tags=["hide-input"]
missing = missing_data(p, ds)
have = not missing
if have:
    net = network(p, ds, page.device)
    st = fig14_stats(p, net)
    s = st["spectra"]
    fig, ax = plt.subplots(figsize=(6, 3.6))
    density_panel(ax, s["x"], s["dens"], label="density, no deflation", markers={"top C (Lanczos)": (s["top"], "C3")})
    ax.set_xlabel("λ"); ax.set_title(f"train Hessian ({ds})"); ax.legend(fontsize=7)
    fig.tight_layout()
    hits = st["visible"][0]
    print(f"top-C eigenvalues within 5 % of a density peak that holds an eigenvalue's weight: {hits} of {C} "
          f"(of any local maximum, whatever its weight: {st['shown']['any_peak_hits']})")
else:
    print(f"{missing}: the claims are recorded as not run.")

# %% [markdown]
# ## Verdict
#
# Rule (ours; the Fig. 14 caption gives no number): at least half of the top C eigenvalues have a local
# maximum of the undeflated density within 5 % **that carries weight**: its basin (between the
# neighbouring minima) holds at least the 5 % quantile of one eigenvalue's Lanczos weight, χ²₁(0.05)/p (a
# random start vector gives an eigenvector the weight |⟨v, u⟩|², mean 1/p). Without the weight any
# converged Ritz value makes a local maximum, so the old rule could not fail. A failure climbs the
# network's width.

# %% tags=["hide-input"]
claims = page.claims
if have:
    value, conv = st["visible"]
    decide(claims, "visible", value, converged=conv,
           measured={"weighted_hits": value, "any_peak_hits": st["shown"]["any_peak_hits"],
                     "top": [float(v) for v in s["top"]]},
           ladder=lambda: width_ladder(claims, "visible", p, fig14_stats, ds, page.device))
else:
    claims.not_run_rest("data missing")
page.finish()
