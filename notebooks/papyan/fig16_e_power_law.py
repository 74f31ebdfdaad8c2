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
from dlspectra.data import available
from dlspectra.papers.papyan.pipeline import network
from dlspectra.papers.papyan.references import ref
from dlspectra.papers.papyan.spectra import hessian_spectra, kernel_width

page = start("papyan/fig16", scale, device, title="Power-law, symmetric spectrum of E")
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
have = available(ds)
if have:
    net = network(p, ds, page.device)
    s = hessian_spectra(p, net, "test", names=("E",))["E"]
    x, d = s["x"], s["dens"]
    w = kernel_width(x, p["num_steps"], p["kappa"])
    dx = x[1] - x[0]
    pos, neg = x > 3 * w, x < -3 * w
    m_pos, m_neg = float(d[pos].sum() * dx), float(d[neg].sum() * dx)
    ax_abs = np.abs(x)
    cdf = np.cumsum(d[np.argsort(ax_abs)]) * dx
    hi = float(np.interp(0.995, cdf / cdf[-1], np.sort(ax_abs)))
    fits = {}
    for side, m in (("positive", pos), ("negative", neg)):
        sel = m & (ax_abs <= hi) & (d > 0)
        lx, ly = np.log10(ax_abs[sel]), np.log10(d[sel])
        slope, icpt = np.polyfit(lx, ly, 1)
        r2 = 1 - np.sum((ly - (slope * lx + icpt)) ** 2) / np.sum((ly - ly.mean()) ** 2)
        fits[side] = (float(slope), float(10 ** icpt), float(r2), lx, ly)
    rows = [["mass λ > 3σ / λ < −3σ", "almost perfectly symmetric", f"{m_pos:.3f} / {m_neg:.3f}"],
            ["power-law fit, positive side", ref("fig16_fit_E").value, f"{fits['positive'][1]:.2g} |λ|^{fits['positive'][0]:.2f}, R² {fits['positive'][2]:.3f}"],
            ["power-law fit, negative side", "—", f"{fits['negative'][1]:.2g} |λ|^{fits['negative'][0]:.2f}, R² {fits['negative'][2]:.3f}"]]
    display(Markdown(markdown_table(["quantity", "paper", "this run"], rows)))
else:
    print(f"{ds} is not available: the claims are recorded as not run.")

# %% [markdown]
# ## Figure

# %% tags=["hide-input"]
if have:
    fig, ax = plt.subplots(figsize=(6, 4))
    for side, m, col in (("positive", pos, "C3"), ("negative", neg, "C0")):
        ax.loglog(ax_abs[m], np.maximum(d[m], 1e-12), color=col, lw=1, label=f"{side} eigenvalues")
        sl, a, r2, lx, _ = fits[side]
        xx = 10 ** np.linspace(lx.min(), lx.max(), 20)
        ax.loglog(xx, a * xx ** sl, "--", color=col, lw=0.8, label=f"fit |λ|^{sl:.2f} (R² {r2:.2f})")
    ax.set_xlabel("|λ|"); ax.set_ylabel("density"); ax.legend(fontsize=7)
    fig.tight_layout()

# %% [markdown]
# ## Verdict
#
# Rules (catalog `papyan-fig16`): symmetry |m₊ − m₋| < 0.1 (m₊ + m₋); a power law with negative
# slope and $R^2$ > 0.9 on each side; the paper's exponent −2.7 is reported, not asserted.

# %% tags=["hide-input"]
claims = page.claims
if have:
    claims.check("symmetric", "the spectrum of the test E is symmetric about zero", rule="|m+ − m−| < 0.1 (m+ + m−)",
                 holds=abs(m_pos - m_neg) < 0.1 * (m_pos + m_neg), measured={"m_pos": m_pos, "m_neg": m_neg})
    ok = all(fits[s_][0] < 0 and fits[s_][2] > 0.9 for s_ in fits)
    claims.check("power-law", "power-law tails of the spectrum of E", rule="slope < 0 and R² > 0.9 on both sides",
                 holds=ok, paper={"slope": -2.7, "R2": 0.99},
                 measured={s_: {"slope": fits[s_][0], "R2": fits[s_][2]} for s_ in fits})
else:
    claims.not_run("symmetric", "the spectrum of the test E is symmetric about zero", reason="data missing")
    claims.not_run("power-law", "power-law tails of the spectrum of E", reason="data missing")
page.finish()
