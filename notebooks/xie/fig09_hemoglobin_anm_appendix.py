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
# # Xie et al., Figure 9 — haemoglobin's vibrational spectrum (Appendix C copy of Figure 8)
#
# ## What the paper shows
#
# Appendix C repeats Figure 8 with the same caption and numbers: the rank plot of the normalised
# inverse-ANM eigenvalues $\hat\sigma_i = \sigma_i/\sigma_1$ of 4HHB, "the estimated power exponent
# (slope magnitude) $\hat s = 0.992$ ($\hat\beta = 2.008 \pm 0.032$), which is very close to the
# estimated power exponent in deep learning" (Figure 9 caption; App. D.3 explains the
# normalisation). This page reuses the cached computation of the `xie/fig08` page and shows the
# spectrum again, together with the ANM Hessian's own eigenvalues for contrast.
#
# ## Setup

# %% tags=["parameters"]
scale = "ci"
device = "auto"

# %% tags=["hide-input"]
from dlspectra.book.page import Markdown, start
from dlspectra.papers.xie import protein as xp
from dlspectra.papers.xie.claims import CLAIMS

page = start("xie/fig09", scale, device, title="4HHB ANM spectrum (appendix copy)")
page.declare(CLAIMS)
p = page.preset
page.setup(xp.structure_setup_rows(p))

# %% [markdown]
# ## Computation
#
# Same computation and cache entry as `xie/fig08` (ProDy path): computed once per build.

# %%
hb, missing = xp.data_note(lambda: xp.hemoglobin(p), f"structure file `{p['structure']['pdb']}`")
if missing:
    display(Markdown(missing))

# %% [markdown]
# ## Figure
#
# Left: Figure 9b, the spectrum of $H^+$ (normalised, log-log, fitted lines for both K rules).
# Right: for contrast, the top eigenvalues of the ANM Hessian $H$ itself, which the paper argues is
# *not* the matrix to compare with deep-learning Hessians (App. D.2): it is far from a power law.

# %%
xp.hemoglobin_figure(hb, p["structure"]["k_rules"], contrast=True);

# %% [markdown]
# ## Numbers
#
# As on `xie/fig08`, with the fit of $H$'s own top 1000 eigenvalues added.

# %%
Markdown(xp.hemoglobin_table(hb, [("H itself, K = 1000", hb.spec.fit(1000, of="hessian"))], prefix="H⁺")) if hb is not None else None

# %% [markdown]
# ## Verdict
#
# The claim of Figure 9 is the claim of Figure 8 (same rule: $|\hat s - 0.992| \le 0.032$ and
# $d_{ks} < d_c$ at K = 1000).

# %% tags=["hide-input"]
xp.hemoglobin_claims(page.claims, hb)
page.finish()

# %% [markdown]
# ## Notes
#
# * Same readings as the `xie/fig08` page: $H^+$ over the 1716 non-zero modes, K = 1000 for the
#   headline (Table 11) and K = ⌊n/10⌋ = 171 (App. D.4) alongside; C-alpha ANM, 9 Å, κ = 1.
# * The right panel is our addition (not in the paper): the fit of $H$'s own top-1000 eigenvalues
#   is shown only to make App. D.2's argument concrete; no claim rests on it.
