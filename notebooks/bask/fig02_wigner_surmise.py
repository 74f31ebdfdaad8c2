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
# # Baskerville et al., Figure 2 — the Wigner surmise
#
# ## What the paper shows
#
# Figure 2 (Sec. 3) plots the density of the Wigner surmise
# $\rho_{Wigner}(s) = \frac{\pi s}{2} e^{-\pi s^2/4}$, derived from the joint density of a 2×2 GOE
# (eq. 5). The paper claims no numbers; we check the surmise against exact samples: the spacing of
# 2×2 GOE matrices rescaled to mean 1 follows it exactly, and the spacings of a large GOE unfolded
# with the exact mean counting function (eq. 9) follow it closely, while Poisson levels do not.

# %% tags=["parameters"]
scale = "ci"
device = "auto"

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
import numpy as np

from dlspectra import rmt
from dlspectra.book.page import Markdown, start
from dlspectra.papers.bask.analysis import KS_WIGNER_MAX, goe_spectrum
from dlspectra.papers.bask.claims import CLAIMS

page = start("bask/fig02", scale, device, title="Wigner surmise")
page.declare(CLAIMS)
p = page.preset
sz = p["sizes"]
page.setup([
    ["curve", "ρ_W(s) = (π s/2) exp(-π s²/4)", "the same"],
    ["2×2 GOE check", "none", f"{p['goe2_samples']:,} exact 2×2 GOE spacings, rescaled to mean 1"],
    ["large-GOE check", "none", f"{sz['goe_unfold_samples']} GOE matrices of size {sz['goe_unfold_n']}, "
     "unfolded with eq. (9), central 80 % of levels"],
    ["Poisson control", "none", "uncorrelated levels (exponential spacings)"],
    ["seed", "—", "0"],
])

# %% [markdown]
# ## Computation

# %%
rng = np.random.default_rng(0)
n2 = p["goe2_samples"]
a, b = rng.standard_normal(n2), rng.standard_normal(n2)
off = rng.standard_normal(n2) / np.sqrt(2)  # off-diagonal variance 1/2, as sample_goe
s2 = np.sqrt((a - b) ** 2 + 4 * off**2)   # eigenvalue gap of [[a, off], [off, b]]
s2 = s2 / s2.mean()

N, m = sz["goe_unfold_n"], sz["goe_unfold_samples"]
big = []
for i in range(m):
    lam = goe_spectrum(N, seed=rng)
    x = rmt.unfold_with_counting_function(lam, lambda l: rmt.goe_counting_function(l, N))
    k = int(0.1 * N)
    big.append(np.diff(x[k:N - k]))
s_big = np.concatenate(big)
s_poi = np.diff(rmt.sample_poisson_levels(len(s_big) + 1, seed=1))
ks2, ksb, ksp = rmt.ks_spacings(s2), rmt.ks_spacings(s_big), rmt.ks_spacings(s_poi)

# %% [markdown]
# ## Figure
#
# The surmise (red) with, for comparison, the Poisson density (grey) and the histograms of the two
# exact GOE checks.

# %%
fig, axes = plt.subplots(1, 2, figsize=(9, 3.4))
s = np.linspace(0, 3.5, 400)
axes[0].plot(s, rmt.wigner_surmise(s), color="red", label="Wigner surmise")
axes[0].plot(s, rmt.poisson_spacing_density(s), color="grey", ls="--", label="Poisson e^{-s}")
axes[0].set_xlabel("s"); axes[0].set_ylabel("density"); axes[0].legend(fontsize=8)
axes[0].set_title("Figure 2: the Wigner surmise", fontsize=9)
axes[1].hist(s2, bins=60, range=(0, 3.5), density=True, histtype="step", label="2×2 GOE")
axes[1].hist(s_big, bins=60, range=(0, 3.5), density=True, histtype="step", label=f"GOE N={N}, eq. (9)")
axes[1].plot(s, rmt.wigner_surmise(s), color="red", lw=1)
axes[1].set_xlabel("s"); axes[1].legend(fontsize=8); axes[1].set_title("exact checks", fontsize=9)
fig.tight_layout()

# %% [markdown]
# ## Numbers

# %%
peak = float(s[np.argmax(rmt.wigner_surmise(s))])
rows = [["Wigner surmise (theory)", "1", "0.273", "0.0078", "0", "—"],
        ["2×2 GOE", f"{ks2.mean:.3f}", f"{ks2.var:.3f}", f"{ks2.frac_below_0_1:.4f}", f"{ks2.ks_wigner:.4f}",
         f"{ks2.ks_poisson:.3f}"],
        [f"GOE N = {N}, unfolded (eq. 9)", f"{ksb.mean:.3f}", f"{ksb.var:.3f}", f"{ksb.frac_below_0_1:.4f}",
         f"{ksb.ks_wigner:.4f}", f"{ksb.ks_poisson:.3f}"],
        ["Poisson levels", f"{ksp.mean:.3f}", f"{ksp.var:.3f}", f"{ksp.frac_below_0_1:.4f}", f"{ksp.ks_wigner:.4f}",
         f"{ksp.ks_poisson:.3f}"]]
from dlspectra.book.results import markdown_table
Markdown(markdown_table(["spacings", "⟨s⟩", "var(s)", "P(s < 0.1)", "KS Wigner", "KS Poisson"], rows)
         + f"\n\nPeak of the surmise on the grid: s = {peak:.3f} (theory √(2/π) = {np.sqrt(2 / np.pi):.3f}).")

# %% [markdown]
# ## Verdict

# %% [markdown]
# The one claim is the paper's statement about GOE matrices "of any size" (Sec. 3): KS(Wigner) of
# the unfolded spacings below 0.05 and var(s) within [0.25, 0.31] of the surmise's 0.273 (both
# tolerances ours). The 2×2 GOE result is a theorem (eq. 5 → Fig. 2) and Poisson levels differing
# from it a control: identity checks, not claims. If the claim fails it climbs the number of GOE
# samples.

# %% tags=["hide-input"]
from scipy import stats as _st

from dlspectra.papers.bask.ladders import decide, values_ladder

claims = page.claims
ks_p = float(_st.kstest(s2, rmt.wigner_cdf).pvalue)
claims.identity("goe2-exact", "2×2 GOE spacings (mean 1) follow the Wigner surmise: KS test p > 0.01",
                holds=ks_p > 0.01, measured={"ks": ks2.ks_wigner, "p_value": ks_p, "n": ks2.n},
                why="the surmise is the exact spacing density of the 2×2 GOE (Sec. 3)")
claims.identity("poisson-differs", "Poisson levels are far from the surmise: KS(Wigner) > 0.1",
                holds=ksp.ks_wigner > 0.1, measured=ksp.as_dict(), why="a control: independent levels do not repel")
value_large = {"ks_wigner": ksb.ks_wigner, "var_s": ksb.var}
decide(claims, "goe-large", value_large, measured=ksb.as_dict(),
       ladder=lambda: values_ladder(claims, "goe-large", [m // 4, m // 2, m],
                                    lambda k: (lambda t: {"ks_wigner": t.ks_wigner, "var_s": t.var})(
                                        rmt.ks_spacings(np.concatenate(big[:k]))),
                                    paper_setting="—", paper_note="the paper computes no such check"))
page.finish()

# %% [markdown]
# ## Notes
#
# * The 2×2 check draws $[[a, c], [c, b]]$ with $a, b \sim N(0, 1)$ and $c \sim N(0, 1/2)$, the
#   convention of eq. (9); the spacing $\sqrt{(a-b)^2 + 4c^2}$ rescaled to mean 1 has exactly the
#   surmise's density.
# * The large-GOE unfolding keeps the central 80 % of levels, where eq. (9) is accurate for finite N.
