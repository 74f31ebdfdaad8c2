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
# # Papyan, Figure 16 — the spectrum of the test E: symmetric about zero, power-law tails
#
# ## What the paper shows
#
# Figure 16 (VGG11, MNIST 1351 per class, test E): (a) the density of E on a logarithmic |λ| axis,
# positive eigenvalues red, |negative| blue, almost perfectly symmetric, with a power-law fit
# $\phi = 1.2\times10^{-4}|\lambda|^{-2.7}$ ($R^2$ = 0.99); (b) the density of log|E|, fit
# $2.6\times10^{-4}|\lambda|^{-2.2}$ ($R^2$ = 0.99). Not Wigner or another classical law.
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
from dlspectra.papers.papyan.gnet import fig16_stats, width_ladder
from dlspectra.papers.papyan.ladders import decide
from dlspectra.papers.papyan.pipeline import missing_data, network
from dlspectra.papers.papyan.references import ref

page = start("papyan/fig16", scale, device, title="Power-law, symmetric spectrum of E")
page.declare(CLAIMS)
p = page.preset
ds = p.get("dataset", "mnist")
page.setup([
    ["network / data", f"VGG11, MNIST {ref('fig16_n_per_class').value} per class", f"{p['model']}, {ds} {p['n_per_class']} per class"],
    ["operator", "test E = Hess − G on 10,000 test images", f"test E on {p['test_n']:,} test images"],
    ["density", "LanczosApproxSpec", f"M = {p['num_steps']}, K = 1024, κ = {p['kappa']:g}"],
    ["fit range", "'part of the spectrum' (not stated)", "|λ| from 3 kernel widths to the 99.5 % quantile of |λ|, on both sides"],
])

# %% [markdown]
# ## Computation

# %% tags=["hide-input"]
missing = missing_data(p, ds)
have = not missing
if have:
    net = network(p, ds, page.device)
    print(net.describe())
    st = fig16_stats(p, net)
    s, sh = st["spectra"], st["shown"]
    x, d, w = s["x"], s["dens"], sh["sigma"]
    pos, neg = x > 3 * w, x < -3 * w
    ax_abs = np.abs(x)
    fits = {k: (f["slope"], f["amplitude"], f["R2"], f["lx"], f["ly"], f["R2_exp"]) for k, f in sh["fits"].items()
            if k in ("positive", "negative")}
    rows = [["mass λ > 3σ / λ < −3σ", "almost perfectly symmetric", f"{sh['m_pos']:.3f} / {sh['m_neg']:.3f}"]]
    for side in ("positive", "negative"):
        sl, a, r2, _, _, r2e = fits[side]
        rows.append([f"power-law fit, {side} side (R² of an exponential on the same points)",
                     ref("fig16_fit_E").value if side == "positive" else "—", f"{a:.2g} |λ|^{sl:.2f}, R² {r2:.3f} ({r2e:.3f})"])
    display(Markdown(markdown_table(["quantity", "paper", "this run"], rows)))
else:
    print(f"{missing}: the claims are recorded as not run.")

# %% [markdown]
# ## Figure

# %% tags=["hide-input"]
if have:
    fig, ax = plt.subplots(figsize=(6, 4))
    for side, m, col in (("positive", pos, "C3"), ("negative", neg, "C0")):
        ax.loglog(ax_abs[m], np.maximum(d[m], 1e-12), color=col, lw=1, label=f"{side} eigenvalues")
        sl, a, r2, lx, _, _ = fits[side]
        xx = 10 ** np.linspace(lx.min(), lx.max(), 20)
        ax.loglog(xx, a * xx ** sl, "--", color=col, lw=0.8, label=f"fit |λ|^{sl:.2f} (R² {r2:.2f})")
    ax.set_xlabel("|λ|"); ax.set_ylabel("density"); ax.legend(fontsize=7)
    fig.tight_layout()

# %% [markdown]
# ## Verdict
#
# Rules, from the Fig. 16 caption: symmetry |m₊ − m₋| < 0.1 (m₊ + m₋); **a power law, not another
# decaying tail**: on each side the power law (log φ linear in log|λ|) fits better than an
# exponential (log φ linear in |λ|) on the same points, with $R^2$ > 0.9 (the old rule, negative
# slope and $R^2$ > 0.9, passed any decaying tail: R² 0.92 with slope −1.6); **the exponent**: the
# fitted slope within 0.5 of the paper's −2.7 on both sides. The fit range is |λ| from 3 kernel
# widths to the 99.5 % quantile of |λ| ("part of the spectrum" in the paper). A failure climbs the
# network's width.

# %% tags=["hide-input"]
claims = page.claims
if have:
    shown = {"symmetric": {"m_pos": sh["m_pos"], "m_neg": sh["m_neg"]},
             "power-law": {k: {"R2": fits[k][2], "R2_exp": fits[k][5]} for k in fits},
             "exponent": {k: {"slope": fits[k][0]} for k in fits}}
    for cid in ("symmetric", "power-law", "exponent"):
        value, conv = st[cid]
        decide(claims, cid, value, converged=conv, measured=shown[cid],
               ladder=lambda cid=cid: width_ladder(claims, cid, p, fig16_stats, ds, page.device))
else:
    claims.not_run_rest("data missing")
page.finish()
